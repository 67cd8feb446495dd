// The libFuzzer executable: fuzzes the surface named by LOCUS_FUZZ_SURFACE (`query`, `json`,
// `sync` or `policy`; see `FuzzTarget`). SwiftPM gives an executable its own `main`, so this
// one hands control to libFuzzer's driver. Fuzz/run.sh builds it with -sanitize=fuzzer,address.

import Glibc
import LocusFuzzing

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let surface: FuzzTarget = {
    let name = getenv("LOCUS_FUZZ_SURFACE").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        let message = Array("set LOCUS_FUZZ_SURFACE to one of: \(names)\n".utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    return target
}()

/// One input; libFuzzer's runtime also looks this name up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    surface.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

// With LOCUS_FUZZ_WRITE_SEEDS=DIR (and LOCUS_FUZZ_REPO, the repository), writes the surface's
// seeds and regression inputs into DIR as the starting corpus, and stops.
if let dir = getenv("LOCUS_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
    let root = getenv("LOCUS_FUZZ_REPO").map { String(cString: $0) } ?? "."
    let inputs = FuzzSeeds.seeds(for: surface, repository: root) + FuzzSeeds.regressions(for: surface, repository: root)
    for (n, input) in inputs.enumerated() {
        guard let f = fopen("\(dir)/seed-\(n)", "wb") else { exit(1) }
        _ = input.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    print("\(inputs.count) seeds for \(surface.rawValue)")
    exit(0)
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
