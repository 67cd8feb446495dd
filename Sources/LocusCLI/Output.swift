// Writing to standard output and standard error, and the JSON shapes of the CLI contract.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues

enum Output {
    /// Writes all bytes to a file descriptor (stdio's globals are not concurrency-safe).
    static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { write(fd, UnsafeRawBufferPointer($0)) }
    }

    /// Writes all bytes to a file descriptor.
    static func write(_ fd: Int32, bytes: [UInt8]) { bytes.withUnsafeBytes { write(fd, $0) } }

    /// Writes all of `buffer`, stopping once the descriptor refuses it (a closed pipe).
    private static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) {
        var off = 0
        while off < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + off, buffer.count - off)
            if n <= 0 { return }
            off += n
        }
    }

    static func out(_ s: String) { write(1, s + "\n") }
    static func raw(_ s: String) { write(1, s) }
    static func err(_ s: String) { write(2, s + "\n") }
    static func rawErr(_ s: String) { write(2, s) }

    /// Lines to standard output through one buffer: many rows cost a write per 64 KiB, not one
    /// per row, and a query that fails before filling the buffer prints none.
    final class Lines {
        private var bytes: [UInt8] = []
        private static let capacity = 1 << 16

        init() { bytes.reserveCapacity(Lines.capacity + 4096) }

        func append(_ line: String) {
            bytes += line.utf8
            bytes.append(0x0A)
            if bytes.count >= Lines.capacity { flush() }
        }

        /// Appends a line that is already JSON text.
        func append(jsonText: some Collection<UInt8>) {
            bytes.append(contentsOf: jsonText)
            bytes.append(0x0A)
            if bytes.count >= Lines.capacity { flush() }
        }

        func flush() {
            Output.write(1, bytes: bytes)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
    static var stdinIsTerminal: Bool { isatty(0) != 0 }

    /// `{"error": true, "errorNum": N, "errorMessage": "..."}`
    static func errorJSON(_ e: LocusError) -> String {
        var o: Value = [
            "error": true, "errorNum": .int(e.code.number), "errorMessage": .string(e.message),
            "code": .int(e.code.httpStatus),
        ]
        if let p = e.position, case .object(var obj) = o {
            obj["line"] = .int(p.line)
            obj["column"] = .int(p.column)
            o = .object(obj)
        }
        return JSONWriter.string(o)
    }

    static func stats(_ s: ExecutionStats) -> Value {
        var o: Value = [
            "writesExecuted": .int(s.writesExecuted), "writesIgnored": .int(s.writesIgnored),
            "scannedFull": .int(s.scannedFull), "scannedIndex": .int(s.scannedIndex),
            "filtered": .int(s.filtered), "executionTime": .number(s.executionTime),
        ]
        if let fc = s.fullCount, case .object(var obj) = o { obj["fullCount"] = .int(fc); o = .object(obj) }
        return o
    }

    static func warnings(_ ws: [QueryWarning]) -> Value {
        .array(ws.map { ["code": .int($0.code), "message": .string($0.message)] })
    }
}
