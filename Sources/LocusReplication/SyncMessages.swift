// The anti-entropy protocol's two messages and their JSON form. A PoP asks a peer for its
// feed after the position it has reached; the peer answers with a bounded page. HLC stamps
// travel as strings, since JSON numbers lose integers above 2^53.

import LocusErrors
import LocusStorage
import LocusValues

/// "Send me your changes after `after`": from PoP `pop` of fabric `fabric`, which last saw the
/// peer's copy named `epoch`.
public struct PullRequest: Sendable, Equatable {
    public var fabric: String
    public var pop: String
    public var epoch: String
    public var after: Int
    public var limit: Int

    public init(fabric: String, pop: String, epoch: String, after: Int, limit: Int) {
        self.fabric = fabric
        self.pop = pop
        self.epoch = epoch
        self.after = after
        self.limit = limit
    }

    public var json: String {
        JSONWriter.string([
            "fabric": .string(fabric), "pop": .string(pop), "epoch": .string(epoch),
            "after": .number(Double(after)), "limit": .number(Double(limit)),
        ])
    }

    public init(json text: String) throws {
        let o = try SyncMessage.object(text)
        fabric = try SyncMessage.string(o, "fabric")
        pop = try SyncMessage.string(o, "pop")
        epoch = try SyncMessage.string(o, "epoch")
        after = try SyncMessage.int(o, "after")
        limit = try SyncMessage.int(o, "limit")
    }
}

/// A page of PoP `pop`'s feed (its copy `epoch`): the changes in (`after`, `upTo`].
public struct PullResponse: Sendable, Equatable {
    public var fabric: String
    public var pop: String
    public var epoch: String
    public var after: Int
    public var upTo: Int
    public var more: Bool
    public var changes: [Change]

    public init(fabric: String, pop: String, epoch: String, after: Int, upTo: Int, more: Bool, changes: [Change]) {
        self.fabric = fabric
        self.pop = pop
        self.epoch = epoch
        self.after = after
        self.upTo = upTo
        self.more = more
        self.changes = changes
    }

    public var json: String {
        JSONWriter.string([
            "fabric": .string(fabric), "pop": .string(pop), "epoch": .string(epoch),
            "after": .number(Double(after)), "upTo": .number(Double(upTo)), "more": .bool(more),
            "changes": .array(changes.map(SyncMessage.encode)),
        ])
    }

    public init(json text: String) throws {
        let o = try SyncMessage.object(text)
        fabric = try SyncMessage.string(o, "fabric")
        pop = try SyncMessage.string(o, "pop")
        epoch = try SyncMessage.string(o, "epoch")
        after = try SyncMessage.int(o, "after")
        upTo = try SyncMessage.int(o, "upTo")
        guard case .bool(let m)? = o["more"] else { throw SyncMessage.invalid("'more' must be a boolean") }
        more = m
        guard case .array(let list)? = o["changes"] else { throw SyncMessage.invalid("'changes' must be an array") }
        changes = try list.map(SyncMessage.decode)
    }
}

/// Shared encoding helpers of the two messages.
enum SyncMessage {
    static func invalid(_ why: String) -> LocusError { LocusError(.replicationInvalidResponse, why) }

    static func object(_ text: String) throws -> Object {
        let v: Value
        do { v = try JSONReader.parse(text) } catch let e as LocusError { throw invalid("not JSON: \(e.message)") }
        guard case .object(let o) = v else { throw invalid("a sync message must be a JSON object") }
        return o
    }

    static func string(_ o: Object, _ name: String) throws -> String {
        guard case .string(let s)? = o[name] else { throw invalid("'\(name)' must be a string") }
        return s
    }

    static func int(_ o: Object, _ name: String) throws -> Int {
        guard case .number(let d)? = o[name], d >= 0, d < 9.0e15, d == d.rounded() else {
            throw invalid("'\(name)' must be a non-negative integer")
        }
        return Int(d)
    }

    /// `[collection, key, causalLength, "hlc", site, sequence, placement, "m"(, base)]`,
    /// `[collection, key, causalLength, "hlc", site, sequence, placement, "a", name(, value)]`
    /// or `[collection, digest, causalLength, "hlc", site, sequence, null, "x"]` (moved away);
    /// a missing last element means absent, a null placement that the sender has no policy.
    static func encode(_ c: Change) -> Value {
        var a: [Value] = [
            .string(c.collection), .string(c.key), .number(Double(c.causalLength)), .string(String(c.stamp.hlc)),
            .string(c.stamp.site), .number(Double(c.sequence)),
            c.placement.map { .string($0.encoded) } ?? .null,
        ]
        switch c.body {
        case .marker(let base):
            a.append("m")
            if let base { a.append(.object(base)) }
        case .attribute(let name, let value):
            a.append("a")
            a.append(.string(name))
            if let value { a.append(value) }
        case .moved:
            a.append("x")
        }
        return .array(a)
    }

    static func decode(_ v: Value) throws -> Change {
        guard case .array(let a) = v, a.count >= 8,
            case .string(let coll) = a[0], case .string(let key) = a[1],
            case .number(let cl) = a[2], cl >= 1, cl < 9.0e15, cl == cl.rounded(),
            case .string(let hlcText) = a[3], let hlc = UInt64(hlcText),
            case .string(let site) = a[4],
            case .number(let seq) = a[5], seq >= 0, seq < 9.0e15,
            case .string(let kind) = a[7]
        else { throw invalid("malformed change \(JSONWriter.string(v).prefix(200))") }
        var placement: SiteSet? = nil
        switch a[6] {
        case .null: break
        case .string(let p): placement = try SiteSet(encoded: p)
        default: throw invalid("a change's placement must be a string or null")
        }
        let body: Change.Body
        switch (kind, a.count) {
        case ("m", 8): body = .marker(base: nil)
        case ("m", 9):
            guard case .object(let base) = a[8] else { throw invalid("a marker's base must be an object") }
            body = .marker(base: base)
        case ("a", 9), ("a", 10):
            guard case .string(let name) = a[8] else { throw invalid("an attribute change needs a name") }
            body = .attribute(name: name, value: a.count == 10 ? a[9] : Optional<Value>.none)
        case ("x", 8):
            body = .moved
        default:
            throw invalid("malformed change \(JSONWriter.string(v).prefix(200))")
        }
        return Change(
            collection: coll, key: key, causalLength: Int(cl), stamp: ChangeStamp(hlc: hlc, site: site),
            body: body, sequence: Int(seq), placement: placement)
    }
}
