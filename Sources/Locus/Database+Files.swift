// Import from and export to files: the one reader of JSON-lines and JSON-array files that
// `locus import`, the shell's `.import` and embedders share, and the one JSON-lines writer.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusValues

extension Database {
    /// Imports a file of documents: a JSON array, or one JSON document per line (blank lines
    /// skipped, line numbers reported). The import is one transaction: with `.abort` a bad
    /// document leaves nothing behind. A missing collection is created (an edge collection when
    /// the first document has `_from` and `_to`), even for an empty file. `progress` receives
    /// the fraction of the file read and the lines so far, every 20000 lines.
    public func importFile(
        atPath path: String, into collection: String, type: CollectionType? = nil,
        onError: ImportErrorPolicy = .abort,
        progress: ((Double, Int) -> Void)? = nil
    ) throws -> ImportSummary {
        let bytes = try Database.readFile(path)
        return try importDocuments(into: collection, type: type, onError: onError) { importer in
            try bytes.withUnsafeBufferPointer { bytes in
                var start = 0
                while start < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[start]) { start += 1 }
                if start < bytes.count, bytes[start] == UInt8(ascii: "[") {
                    let v = try JSONReader.parse(UnsafeBufferPointer(rebasing: bytes[start...]))
                    for (i, d) in (v.arrayValue ?? []).enumerated() { try importer.add(element: i, document: d) }
                    return
                }
                var line = 0
                var pos = 0
                while pos < bytes.count {
                    var end = pos
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    line += 1
                    let slice = UnsafeBufferPointer(rebasing: bytes[pos..<end])
                    if slice.contains(where: { ![0x20, 0x0D, 0x09].contains($0) }) {
                        try importer.add(line: line, json: String(decoding: slice, as: UTF8.self))
                    }
                    if let progress, line % 20000 == 0 { progress(Double(end) / Double(max(1, bytes.count)), line) }
                    pos = end + 1
                }
            }
            try importer.ensureCollection()
        }
    }

    /// Writes every document of a collection to a file, one JSON document per line; returns
    /// how many were written.
    @discardableResult
    public func exportFile(_ collection: String, toPath path: String) throws -> Int {
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw LocusError(.badParameter, "cannot write '\(path)'") }
        defer { Glibc.close(fd) }
        var buffer: [UInt8] = []
        var count = 0
        func flush() throws {
            var off = 0
            while off < buffer.count {
                let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, buffer.count - off) }
                guard n > 0 else { throw LocusError(.badParameter, "cannot write '\(path)'") }
                off += n
            }
            buffer.removeAll(keepingCapacity: true)
        }
        try exportDocuments(collection) { line in
            buffer += line.utf8
            buffer.append(0x0A)
            count += 1
            if buffer.count > 1 << 20 { try flush() }
        }
        try flush()
        return count
    }

    /// The whole file; error 10 (bad parameter) naming it when it cannot be read.
    public static func readFile(_ path: String) throws -> [UInt8] {
        guard let bytes = LocalFiles.read(path) else {
            throw LocusError(code: .badParameter, message: "cannot read file '\(path)'")
        }
        return bytes
    }
}
