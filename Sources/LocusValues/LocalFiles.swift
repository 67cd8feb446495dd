// Reading local files and listing directories with the C library, for every module that does
// (imports, the shell's completion, time zones, local fabrics, the server's data folder, the
// fuzzers' seeds). It avoids Foundation on purpose: the fuzzing build cannot import Foundation
// beside the system ICU, and the command line starts faster without it.

#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and directory listings.
public enum LocalFiles {
    /// The bytes of the file at `path`; nil when it cannot be opened or read, or when it is
    /// longer than `limit` bytes.
    public static func read(_ path: String, limit: Int = .max) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return nil }
            if n == 0 { return out }
            out += chunk[0..<n]
            if out.count > limit { return nil }
        }
    }

    /// The names in directory `path` (without `.` and `..`), unsorted; empty when it cannot be
    /// opened.
    public static func names(in path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let entry = readdir(d) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out
    }
}
