// Where the fuzzers start from and what they must never break again: seed inputs drawn from
// the repository's fixtures (every query of the golden files and parse examples, every line
// of the datasets, the fabrics) plus hand-written seeds under `Fixtures/fuzz/seeds/SURFACE/`,
// and the inputs that once crashed or hung, kept under `Fixtures/fuzz/regressions/SURFACE/`.
// Files are read through `LocalFiles` (the C library) rather than Foundation: Foundation brings
// its own ICU headers, whose types clash with the system ICU that LocusValues uses once both are
// imported into one module under the fuzzing build's flags.

#if canImport(Glibc)
import Glibc
#endif
import LocusValues

/// Seed and regression inputs of the fuzzed surfaces.
public enum FuzzSeeds {
    /// The seeds of `surface`, from the repository at `root`.
    public static func seeds(for surface: FuzzTarget, repository root: String) -> [[UInt8]] {
        var out = files(in: "\(root)/Fixtures/fuzz/seeds/\(surface.rawValue)")
        switch surface {
        case .query:
            for dir in ["results", "plan", "diagnostics"] {
                for file in files(named: "\(root)/Fixtures/\(dir)", suffix: ".test") {
                    out += goldenQueries(file).map { Array($0.utf8) }
                }
            }
            for line in lines(of: "\(root)/Fixtures/parse/examples.tsv") {
                if let tab = line.firstIndex(of: "\t") { out.append(Array(line[line.index(after: tab)...].utf8)) }
            }
        case .json:
            for file in files(named: "\(root)/Fixtures/datasets", suffix: ".jsonl") {
                out += lines(of: file).map { Array($0.utf8) }
            }
            out += files(named: "\(root)/Fixtures/fabrics", suffix: ".json").compactMap(contents)
        case .sync, .policy:
            break
        }
        return out
    }

    /// Inputs that once failed, by surface: the ordinary tests replay every one.
    public static func regressions(for surface: FuzzTarget, repository root: String) -> [[UInt8]] {
        files(in: "\(root)/Fixtures/fuzz/regressions/\(surface.rawValue)")
    }

    /// The query text of each block of a golden file: the lines after a block's header line
    /// (`query …` or `error N`) up to its `----`.
    static func goldenQueries(_ path: String) -> [String] {
        var out: [String] = []
        var current: [String]? = nil
        for line in lines(of: path) {
            if let c = current {
                if line == "----" {
                    out.append(c.joined(separator: "\n"))
                    current = nil
                } else {
                    current = c + [line]
                }
            } else if line.hasPrefix("query") || line.hasPrefix("error ") {
                current = []
            }
        }
        return out
    }

    static func lines(of path: String) -> [String] {
        guard let bytes = contents(path) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(
            String.init)
    }

    /// The bytes of a file, or nil when it cannot be read.
    static func contents(_ path: String) -> [UInt8]? { LocalFiles.read(path) }

    /// The names in a directory, sorted, without hidden ones.
    static func names(in dir: String) -> [String] {
        LocalFiles.names(in: dir).filter { !$0.hasPrefix(".") }.sorted()
    }

    static func files(named dir: String, suffix: String) -> [String] {
        names(in: dir).filter { $0.hasSuffix(suffix) }.map { "\(dir)/\($0)" }
    }

    /// The contents of every file in `dir`, by name.
    public static func files(in dir: String) -> [[UInt8]] {
        names(in: dir).compactMap { contents("\(dir)/\($0)") }
    }
}
