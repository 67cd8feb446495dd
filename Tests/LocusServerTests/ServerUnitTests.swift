// The server's pieces without a network: request targets and their database forms,
// percent-decoding, route patterns, tokens, password hashes, cursor batches and the log.

import Foundation
@testable import LocusServer
import Locus
import LocusValues
import Logging
import Synchronization
import Testing
import LocusTestSupport

@Suite struct ServerUnitTests {
    /// This test's directories, removed when it ends.
    let scratch = ScratchDirectories()

    @Test func targetsNameTheirDatabase() throws {
        let plain = try #require(APIRequest.parseTarget("/_api/document/users/k?returnNew=true"))
        #expect(
            plain.database == "_system" && plain.segments == ["document", "users", "k"]
                && plain.query["returnNew"] == "true")
        let db = try #require(APIRequest.parseTarget("/_db/shop/_api/cursor"))
        #expect(db.database == "shop" && db.segments == ["cursor"])
        let fabric = try #require(APIRequest.parseTarget("/_fabric/edge/_api/collection"))
        #expect(fabric.database == "edge" && fabric.segments == ["collection"])
        let open = try #require(APIRequest.parseTarget("/_db/_system/_open/auth"))
        #expect(open.database == "_system" && open.segments == ["_open", "auth"])
        let escaped = try #require(APIRequest.parseTarget("/_api/document/c/a%2Fb%20c?x=1+2&y=%41"))
        #expect(escaped.segments.last == "a/b c" && escaped.query["x"] == "1 2" && escaped.query["y"] == "A")
        #expect(APIRequest.parseTarget("/elsewhere") == nil)
        #expect(APIRequest.parseTarget("/_api/x/%zz") == nil)
        #expect(APIRequest.parseTarget("/_api/x/%ff") == nil)
    }

    @Test func flagsReadTheDriversSpellings() throws {
        var r = APIRequest(
            method: .GET, rawPath: "/", database: "_system", segments: [],
            query: ["a": "1", "b": "False", "c": "true", "d": "maybe"], headers: [:], body: [])
        #expect(
            try r.flag("a") && !r.flag("b") && r.flag("c") && !r.flag("missing") && r.flag("missing", default: true))
        #expect(throws: LocusError.self) { try r.flag("d") }
        r.body = Array("{bad".utf8)
        #expect { try r.json() } throws: { ($0 as? LocusError)?.code == .corruptedJSON }
    }

    @Test func routesCaptureSegments() {
        let route = Route(.GET, "document/:c/:key", .read) { _, _ in APIResponse.ok() }
        #expect(route.matches(["document", "users", "k"]) == ["users", "k"])
        #expect(route.matches(["document", "users"]) == nil)
        #expect(route.matches(["index", "users", "k"]) == nil)
        // Every route in the table is reachable: no pattern is shadowed by an earlier one.
        for (i, r) in Routes.table.enumerated() {
            let sample = r.pattern.map { $0.hasPrefix(":") ? "x" : $0 }
            let first = Routes.table.firstIndex { $0.method == r.method && $0.matches(sample) != nil }
            #expect(first == i, "\(r.method) \(r.pattern.joined(separator: "/")) is shadowed")
        }
    }

    @Test func passwordsAreSaltedSlowHashes() throws {
        let a = try Authentication.hash("secret"), b = try Authentication.hash("secret")
        #expect(a != b && a.hasPrefix("pbkdf2-sha256$210000$"))
        #expect(Authentication.check("secret", against: a) && !Authentication.check("Secret", against: a))
        #expect(!Authentication.check("secret", against: "pbkdf2-sha256$1000$00$00"))
    }

    @Test func tokensAreSignedAndExpire() throws {
        let dir = scratch.make("auth")
        let registry = try DatabaseRegistry(layout: .directory(dir))
        let auth = try Authentication(
            enabled: true, system: registry.system, secretPath: registry.secretPath, rootPassword: "pw")
        let token = auth.token(for: "root", now: 1000)
        #expect(try auth.verifyToken(token, now: 1001) == "root")
        #expect(throws: LocusError.self) { try auth.verifyToken(token, now: 1000 + Authentication.tokenLifetime + 1) }
        var parts = token.split(separator: ".").map(String.init)
        parts[1] = Base64.urlEncode(Array(#"{"preferred_username":"eve","iss":"arangodb","exp":99999999999}"#.utf8))
        #expect(throws: LocusError.self) { try auth.verifyToken(parts.joined(separator: "."), now: 1001) }
        let other = try Authentication(
            enabled: true, system: registry.system, secretPath: dir + "/other-secret", rootPassword: "pw")
        #expect(throws: LocusError.self) { try other.verifyToken(token, now: 1001) }
        #expect(try auth.authenticate("Basic " + Base64.encode(Array("root:pw".utf8)), now: 1) == "root")
        #expect(throws: LocusError.self) {
            try auth.authenticate("Basic " + Base64.encode(Array("root:nope".utf8)), now: 1)
        }
    }

    @Test func apiKeysAndEmailsIdentifyUsers() throws {
        let dir = scratch.make("keys")
        let registry = try DatabaseRegistry(layout: .directory(dir))
        let auth = try Authentication(
            enabled: true, system: registry.system, secretPath: registry.secretPath, rootPassword: "pw",
            tenant: "acme", rootEmail: "ops@acme.test")
        #expect(try auth.user(email: "OPS@acme.test")?.name == "root")
        #expect(try auth.user(email: "root@localhost") == nil)
        try auth.save(
            UserRecord(
                name: "ann", passwordHash: try Authentication.hash("a"), active: true, extra: .object(Object()),
                grants: [:], email: "ann@acme.test"))
        #expect(try auth.user(email: "ann@acme.test")?.name == "ann")
        let key = try auth.keys.create(keyid: "ci", user: "ann", now: 1)
        #expect(key.hasPrefix("ci.") && key.count == 3 + 64)
        #expect(try auth.authenticate("apikey " + key, now: 2) == "ann")
        // Only the hash is stored; a second key of the same id is refused; a removed key is dead.
        #expect(try !registry.system.systemEntries(APIKeyStore.namespace).contains { $0.value.contains(key) })
        #expect(throws: LocusError.self) { try auth.keys.create(keyid: "ci", user: "ann", now: 1) }
        #expect(throws: LocusError.self) { try auth.keys.create(keyid: "bad id", user: "ann", now: 1) }
        try auth.keys.remove("ci")
        #expect(throws: LocusError.self) { try auth.authenticate("apikey " + key, now: 3) }
        // A key acts as its user: an inactive user's key opens nothing.
        let second = try auth.keys.create(keyid: "two", user: "ann", now: 1)
        var ann = try #require(try auth.user("ann"))
        ann.active = false
        try auth.save(ann)
        #expect(throws: LocusError.self) { try auth.authenticate("apikey " + second, now: 3) }
    }

    @Test func cursorsHandOutBatchesAndRetryTheLast() throws {
        let store = CursorStore()
        var rows = JSONRows()
        for i in 1...9 { rows.append(.int(i)) }
        let first = store.open(
            database: "d", user: "u", rows: rows, batchSize: 2, count: 9, extra: .object(Object()), ttl: 10,
            allowRetry: true, now: 0)
        var body = try JSONReader.parse(String(decoding: first.body, as: UTF8.self))
        #expect(
            body[attribute: "result"] == [1, 2] && body[attribute: "hasMore"] == true
                && body[attribute: "nextBatchId"] == "2" && body[attribute: "count"] == 9)
        let id = try #require(body[attribute: "id"].stringValue)
        let second = try store.next(id: id, batchId: "2", database: "d", user: "u", now: 1)
        let retried = try store.next(id: id, batchId: "2", database: "d", user: "u", now: 2)
        #expect(second.body == retried.body)
        #expect(throws: LocusError.self) { try store.next(id: id, batchId: nil, database: "other", user: "u", now: 3) }
        // Every row comes once, in order, while handed-out rows are released along the way.
        var seen = try JSONReader.parse(String(decoding: second.body, as: UTF8.self))[attribute: "result"].arrayValue
        for batch in 3...5 {
            body = try JSONReader.parse(
                String(
                    decoding: try store.next(id: id, batchId: nil, database: "d", user: "u", now: 4).body, as: UTF8.self
                ))
            seen? += body[attribute: "result"].arrayValue ?? []
            #expect(body[attribute: "hasMore"] == .bool(batch < 5))
        }
        #expect(seen == (3...9).map { .int($0) })
        #expect(throws: LocusError.self) { try store.next(id: id, batchId: nil, database: "d", user: "u", now: 100) }
    }

    @Test func theLogWritesErrorsWithTheirMetadataAndNothingBelow() {
        let lines = Mutex<[String]>([])
        var logger = Logger(label: "locus") { label in
            ServerLogHandler(label: label) { line in lines.withLock { $0.append(line) } }
        }
        logger[metadataKey: "hb.request.id"] = "42"
        logger.info("served")
        logger.warning("slow")
        logger.error("failed", metadata: ["route": "/_api/version"])
        logger.critical("down")
        #expect(
            lines.withLock { $0 } == [
                "locus: error: failed hb.request.id=42 route=/_api/version\n",
                "locus: critical: down hb.request.id=42\n",
            ])
    }
}
