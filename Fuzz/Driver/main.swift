// The libFuzzer executable: fuzzes the surface named by LOCUS_FUZZ_SURFACE (`query`, `json`,
// `sync` or `policy`, see `FuzzTarget`; or `http`, see `RequestFuzzing` in LocusServer).
// SwiftPM gives an executable its own `main`, so this one hands control to libFuzzer's
// driver. Fuzz/run.sh builds it with -sanitize=fuzzer,address.

import Glibc
import LocusFuzzing
import LocusServer

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

let surfaceName = getenv("LOCUS_FUZZ_SURFACE").map { String(cString: $0) } ?? ""

/// The surface's entry point.
let runOne: @Sendable ([UInt8]) -> Void = {
    if surfaceName == "http" { return { RequestFuzzing.run($0) } }
    guard let target = FuzzTarget(rawValue: surfaceName) else {
        let names = (FuzzTarget.allCases.map(\.rawValue) + ["http"]).joined(separator: ", ")
        let message = Array("set LOCUS_FUZZ_SURFACE to one of: \(names)\n".utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    return { target.run($0) }
}()

/// One input; libFuzzer's runtime also looks this name up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    runOne(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

// With LOCUS_FUZZ_WRITE_SEEDS=DIR (and LOCUS_FUZZ_REPO, the repository), writes the surface's
// seeds and regression inputs into DIR as the starting corpus, and stops.
if let dir = getenv("LOCUS_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
    let root = getenv("LOCUS_FUZZ_REPO").map { String(cString: $0) } ?? "."
    let inputs =
        FuzzTarget(rawValue: surfaceName).map {
            FuzzSeeds.seeds(for: $0, repository: root) + FuzzSeeds.regressions(for: $0, repository: root)
        }
        ?? FuzzSeeds.files(in: "\(root)/Fixtures/fuzz/seeds/\(surfaceName)")
        + FuzzSeeds.files(in: "\(root)/Fixtures/fuzz/regressions/\(surfaceName)")
    for (n, input) in inputs.enumerated() {
        guard let f = fopen("\(dir)/seed-\(n)", "wb") else { exit(1) }
        _ = input.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    print("\(inputs.count) seeds for \(surfaceName)")
    exit(0)
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
