// Finds many byte strings at once in large files (a PoP's database and WAL), for the
// compliance audit's raw scan: a rolling hash over a fixed window picks candidate positions
// in one pass, and each candidate is checked byte for byte, so a file is read once however
// many records are looked for.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors

/// A set of needles (each at least `window` bytes) searched for in files.
struct NeedleScanner {
    static let window = 10
    private var needles: [[UInt8]] = []
    private var labels: [Int] = []
    private var byHash: [UInt64: [Int]] = [:]
    private static let base: UInt64 = 1_099_511_628_211
    private static let top: UInt64 = (0..<(window - 1)).reduce(1) { r, _ in r &* base }

    var isEmpty: Bool { needles.isEmpty }

    /// Adds `needle` (ignored when shorter than the window), reported as `label` when found.
    mutating func add(_ needle: [UInt8], label: Int) {
        guard needle.count >= NeedleScanner.window else { return }
        byHash[NeedleScanner.hash(needle[0..<NeedleScanner.window]), default: []].append(needles.count)
        needles.append(needle)
        labels.append(label)
    }

    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 &* base &+ UInt64($1) }
    }

    /// The labels of the needles found in the file at `path` (none when it does not exist).
    func scan(path: String) throws -> Set<Int> {
        guard !needles.isEmpty else { return [] }
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { return [] }
        defer { Glibc.close(fd) }
        var found = Set<Int>()
        let longest = needles.map(\.count).max() ?? 0
        var carry: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw LocusError(code: .internalError, message: "cannot read '\(path)' for the audit") }
            if n == 0 && carry.count < NeedleScanner.window { break }
            let bytes = carry + buffer[0..<n]
            let last = n == 0
            // Positions whose needle could run past this chunk are left for the next one.
            let limit = last ? bytes.count - NeedleScanner.window + 1 : max(0, bytes.count - longest + 1)
            if limit > 0 { scan(bytes, upTo: limit, into: &found) }
            if last { break }
            carry = Array(bytes[min(limit, bytes.count)...])
        }
        return found
    }

    private func scan(_ bytes: [UInt8], upTo limit: Int, into found: inout Set<Int>) {
        let w = NeedleScanner.window
        guard bytes.count >= w else { return }
        var h = NeedleScanner.hash(bytes[0..<w])
        var i = 0
        while i < limit {
            if let candidates = byHash[h] {
                for n in candidates where !found.contains(labels[n]) {
                    let needle = needles[n]
                    if i + needle.count <= bytes.count && bytes[i..<(i + needle.count)].elementsEqual(needle) {
                        found.insert(labels[n])
                    }
                }
            }
            if i + w >= bytes.count { break }
            h = (h &- UInt64(bytes[i]) &* NeedleScanner.top) &* NeedleScanner.base &+ UInt64(bytes[i + w])
            i += 1
        }
    }
}
