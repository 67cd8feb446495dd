// The HTTP surface of the fuzzers: raw request bytes (a request line, header lines, a blank
// line, the body) become an `APIRequest` and go through the API the way the HTTP front end
// sends them, against a server state of its own (a data folder in /tmp, authentication on,
// the root password "fuzz"). NIO's HTTP parser is SwiftNIO's to fuzz; what Locus adds (target
// parsing, routing, authentication, every handler) is fuzzed here. Fuzz/Driver calls it for
// the `http` surface, and the server tests replay its seeds and regression inputs.

#if canImport(Glibc)
import Glibc
#endif
import Locus
import LocusValues

/// Runs raw HTTP requests through the API, for the fuzzers.
public enum RequestFuzzing {
    /// The folder of the server state, made once per process and removed when the process
    /// exits, so that fuzzing and the tests that replay its inputs leave nothing in /tmp.
    static let directory: String? = {
        var template = Array("/tmp/locus-fuzz-http-XXXXXX".utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { return nil }
        atexit {
            guard let path = RequestFuzzing.directory else { return }
            // At exit, POSIX calls only: the folder holds files, no folders, then goes itself.
            if let d = opendir(path) {
                while let entry = readdir(d) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) {
                        String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name != "." && name != ".." { unlink(path + "/" + name) }
                }
                closedir(d)
            }
            rmdir(path)
        }
        return String(cString: dir)
    }()

    /// The server state every input runs against (created once per process).
    static let service: APIService = {
        do {
            guard let dir = directory else { throw LocusError(.systemError, "mkdtemp failed") }
            let registry = try DatabaseRegistry(layout: .directory(dir))
            let auth = try Authentication(
                enabled: true, system: registry.system, secretPath: registry.secretPath, rootPassword: "fuzz")
            let service = APIService(registry: registry, auth: auth, replicator: nil, syncAuthenticator: nil)
            // Something to find: a collection with documents, and an edge collection.
            let db = registry.system
            try db.createCollection("users", ifNotExists: true)
            try db.createCollection("knows", type: .edge, ifNotExists: true)
            try db.query("FOR i IN 1..10 INSERT {_key: CONCAT('u', i), age: i} INTO users OPTIONS {overwrite: true}")
            return service
        } catch {
            fatalError("the HTTP fuzzing server could not be set up: \(error)")
        }
    }()

    /// Answers one raw request; the HTTP status, or nil when the bytes are no request the
    /// front end would pass on.
    @discardableResult
    public static func run(_ input: [UInt8]) -> Int? {
        guard let request = parse(input) else { return nil }
        let status = service.handle(request, peer: "fuzz").status
        // Inputs are independent: a stream transaction one began would hold the write lock
        // against the next, and open cursors would grow the fuzzer's memory without end.
        service.transactions.abortAll()
        service.cursors.closeAll()
        return status
    }

    /// Splits raw bytes into method, target, headers (names in lower case) and body.
    static func parse(_ input: [UInt8]) -> APIRequest? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd = input.count
        var bodyStart = input.count
        if input.count >= 4 {
            for i in 0...(input.count - 4) where Array(input[i..<i + 4]) == separator {
                headEnd = i
                bodyStart = i + 4
                break
            }
        }
        let head = String(decoding: input[..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return nil }
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingWhitespace()
        }
        return try? APIRequest(
            method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
            body: Array(input[bodyStart...]))
    }
}
