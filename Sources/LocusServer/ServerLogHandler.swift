// The server's log handler: errors and worse go to stderr, one line each, with their metadata.
// swift-log's own StreamLogHandler renders its metadata to text every time the metadata
// changes, and Hummingbird gives every request's logger its own request id: a few per cent of
// the server's CPU per request, spent on text nobody reads at the server's level. This one
// keeps metadata as it is and renders only what it writes.

#if canImport(Glibc)
import Glibc
#endif
import Logging

/// Writes messages at or above `logLevel`, one line each, to stderr (or to `sink`).
struct ServerLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .error
    var metadata: Logger.Metadata = [:]
    let sink: @Sendable (String) -> Void

    init(label: String, sink: @escaping @Sendable (String) -> Void = ServerLogHandler.standardError) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let details = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink("\(label): \(event.level): \(event.message)\(details.isEmpty ? "" : " " + details)\n")
    }

    static func standardError(_ line: String) {
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
