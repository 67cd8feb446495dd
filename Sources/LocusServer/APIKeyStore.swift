// Macrometa's API keys: a key belongs to a user and acts with that user's permissions. Only a
// key's SHA-256 is stored (in the `_system` database's system table); the key itself is shown
// once, when it is created. Keys are 32 random bytes, so a plain hash suffices where
// passwords need PBKDF2.

import Crypto
import Locus
import LocusValues

/// One stored API key.
struct APIKeyRecord: Sendable {
    var keyid: String
    var user: String
    /// Hex SHA-256 of the key.
    var hash: String
    var created: Double

    var json: Value {
        ["keyid": .string(keyid), "user": .string(user), "hash": .string(hash), "created": .number(created)]
    }

    init(keyid: String, user: String, hash: String, created: Double) {
        self.keyid = keyid
        self.user = user
        self.hash = hash
        self.created = created
    }

    init?(json: Value) {
        guard let id = json[attribute: "keyid"].stringValue, let user = json[attribute: "user"].stringValue,
            let hash = json[attribute: "hash"].stringValue
        else { return nil }
        self.init(keyid: id, user: user, hash: hash, created: json[attribute: "created"].numberValue ?? 0)
    }

    /// What the API shows of a key: never its hash.
    var publicJSON: Value { ["keyid": .string(keyid), "user": .string(user)] }
}

/// The API keys of a server.
final class APIKeyStore: Sendable {
    static let namespace = "apikeys"
    /// The stored keys by id.
    private let records: SystemRecords<APIKeyRecord>

    init(system: Database) {
        records = SystemRecords(system: system, namespace: APIKeyStore.namespace, decode: APIKeyRecord.init(json:))
    }

    static func digest(_ key: String) -> String { JSONWriter.hexString(SHA256.hash(data: Array(key.utf8))) }

    /// The user a presented key belongs to, or nil.
    func user(forKey key: String) throws -> String? {
        // Comparing hashes of 32 random bytes leaks nothing worth a constant-time compare.
        let digest = APIKeyStore.digest(key)
        return try records.all().values.first { $0.hash == digest }?.user
    }

    /// Every key, by id.
    func all() throws -> [APIKeyRecord] { try records.all().values.sorted { $0.keyid < $1.keyid } }

    func record(_ keyid: String) throws -> APIKeyRecord? { try records.all()[keyid] }

    /// Creates key `keyid` for `user` and returns the key: `keyid.SECRET`, SECRET 64 hex digits.
    func create(keyid: String, user: String, now: Double) throws -> String {
        guard !keyid.isEmpty, keyid.utf8.count <= 64,
            keyid.utf8.allSatisfy({ c in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c | 0x20)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                    || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
            })
        else { throw LocusError(.badParameter, "a keyid holds 1 to 64 letters, digits, _ and -") }
        if try record(keyid) != nil { throw LocusError(.duplicateName, "API key '\(keyid)' already exists") }
        var rng = SystemRandomNumberGenerator()
        let secret = JSONWriter.hexString((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
        let key = keyid + "." + secret
        let r = APIKeyRecord(keyid: keyid, user: user, hash: APIKeyStore.digest(key), created: now)
        try records.set(keyid, r.json)
        return key
    }

    func remove(_ keyid: String) throws {
        guard try record(keyid) != nil else {
            throw LocusError(code: .httpNotFound, message: "API key '\(keyid)' not found")
        }
        try records.set(keyid, nil)
    }

    /// Removes every key of a removed user.
    func removeAll(of user: String) throws {
        for k in try all() where k.user == user { try remove(k.keyid) }
    }
}
