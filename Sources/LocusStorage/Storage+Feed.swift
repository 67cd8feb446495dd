// The change feed a PoP serves its peers: pages of clock rows in feed order, each with the
// current value of what its clock covers, a record's changes never split across pages, and
// under a placement policy a record the recipient may not hold sent only as a `moved` notice.

import LocusErrors
import LocusValues

extension Storage {
    /// The changes after feed position `after`, at most `limit` of them (more only to keep a
    /// record's changes in one page), in feed order. Each carries the current value of what
    /// its clock covers, so a page is a consistent piece of this PoP's state.
    /// Changes whose stamp is by PoP `skipping` are left out: that PoP has them, or newer.
    /// Under a placement policy, each change carries its record's placement, and a record the
    /// PoP `recipient` may not hold travels only as a `moved` notice under its digest.
    ///
    /// A page also ends, at a record's boundary, once the documents it carries pass
    /// `byteBudget` bytes of stored JSON, so that a page of large documents stays within what
    /// a peer accepts in one answer (64 MiB over HTTP).
    public func changes(
        after: Int, limit: Int, skipping: String? = nil, for recipient: String? = nil,
        byteBudget: Int = Storage.feedPageBytes
    ) throws -> ChangeFeedPage {
        guard replica != nil else { throw LocusError(.badParameter, "this database is not a PoP of a fabric") }
        try flushPendingInserts()
        let gate = try requireGate()
        let s = try sql.prepare(
            """
            SELECT c.coll, c.key, c.attr, c.cl, c.hlc, c.site, c.seq,
                   c.attr = '' AND EXISTS (SELECT 1 FROM locus_clock o
                                           WHERE o.coll = c.coll AND o.key = c.key AND o.attr != ''),
                   p.pin, p.digest
            FROM locus_clock c LEFT JOIN locus_placement p ON p.coll = c.coll AND p.key = c.key
            WHERE c.seq > ? ORDER BY c.seq LIMIT ?
            """)
        // A record whose placement changed has all its clocks together at the head of the
        // feed; a page never splits them, so a PoP it moves into receives it whole.
        let slack = 1024
        s.bind(1, after)
        s.bind(2, limit + slack)
        var rows: [FeedRow] = []
        var more = false
        // Rows are read only as far as the page goes: past the limit, only the rest of the last
        // record's clocks (SQLite computes no row that is not stepped to).
        while try s.step() {
            let coll = s.int(0)
            let key = s.text(1)!
            if rows.count >= limit, rows.last.map({ $0.coll != coll || $0.key != key }) ?? true {
                more = true
                break
            }
            rows.append(
                FeedRow(
                    coll: coll, key: key, attr: s.text(2)!, cl: s.int(3),
                    stamp: ChangeStamp(hlc: UInt64(bitPattern: Int64(s.int(4))), site: try siteName(s.int(5))),
                    seq: s.int(6), covered: s.int(7) == 0 ? [] : Array(try attributeClocks(coll: coll, key: key).keys),
                    pin: s.isNull(8) ? nil : s.text(8), digest: s.isNull(9) ? nil : s.text(9)))
        }
        s.reset()
        // A record with more clocks than the slack fills the statement's LIMIT: what follows
        // comes with the next page.
        if rows.count == limit + slack { more = true }
        let byId = Dictionary(uniqueKeysWithValues: collections.map { ($0.id, $0) })
        var out: [Change] = []
        out.reserveCapacity(rows.count)
        var documents: [String: Object?] = [:]
        var notices: [String: Int] = [:]
        var withheld = 0
        var bytes = 0
        // Under a policy a PoP may have evicted even what it wrote itself: nothing is skipped.
        let skipping = gate == nil ? skipping : nil
        for (n, r) in rows.enumerated() {
            if bytes >= byteBudget, n > 0, rows[n - 1].coll != r.coll || rows[n - 1].key != r.key {
                // Full: the rest of the rows come with the next page.
                rows.removeSubrange(n...)
                more = true
                break
            }
            guard r.stamp.site != skipping else { continue }
            let name: String
            let current: Object?
            var placement: SiteSet? = nil
            if r.coll == 0 {
                name = Change.catalog
                current = try catalogState(key: r.key, live: CausalLength.isLive(r.cl))
            } else {
                guard let c = byId[r.coll] else { continue }  // dropped while we read: its drop follows
                name = c.name
                if gate != nil {
                    // A record without a placement under a policy fails closed: it is not sent.
                    guard let pin = r.pin, let digest = r.digest else { withheld += 1; continue }
                    let p = try SiteSet(encoded: pin)
                    if let recipient, !p.contains(recipient) {
                        withheld += 1
                        if let i = notices[digest] {
                            if out[i].stamp < r.stamp { out[i].stamp = r.stamp }
                            out[i].causalLength = max(out[i].causalLength, r.cl)
                        } else {
                            notices[digest] = out.count
                            out.append(
                                Change(
                                    collection: name, key: digest, causalLength: r.cl, stamp: r.stamp, body: .moved,
                                    sequence: r.seq))
                        }
                        continue
                    }
                    placement = p
                }
                if !CausalLength.isLive(r.cl) {
                    current = nil
                } else if let d = documents[r.key + "/" + String(r.coll)] {
                    current = d
                } else {
                    current = try rawDocument(c, key: r.key, size: &bytes)
                    documents[r.key + "/" + String(r.coll)] = current
                }
            }
            let body: Change.Body
            if r.attr.isEmpty {
                var base = current
                if base != nil {
                    for name in r.covered { base![name] = nil }
                }
                body = .marker(base: base)
            } else {
                body = .attribute(name: r.attr, value: current?[r.attr])
            }
            out.append(
                Change(
                    collection: name, key: r.key, causalLength: r.cl, stamp: r.stamp, body: body, sequence: r.seq,
                    placement: placement))
        }
        // A collection's catalog entry can sit later in the feed than its documents (it moves
        // when a concurrent creation elsewhere wins): each page leads with the entries of the
        // collections it names, so a receiver always knows them first. Repeats are harmless.
        var named: [String] = []
        for c in out where c.collection != Change.catalog && !named.contains(c.collection) {
            named.append(c.collection)
        }
        var lead: [Change] = []
        for name in named {
            guard let m = try clockRow(coll: 0, key: name, attr: "") else { continue }
            lead.append(
                Change(
                    collection: Change.catalog, key: name, causalLength: m.cl, stamp: m.stamp,
                    body: .marker(
                        base: try catalogState(key: name, live: CausalLength.isLive(m.cl)).map { base in
                            var b = base
                            for k in base.keys where k.hasPrefix("index:") { b[k] = nil }
                            return b
                        })))
        }
        var page = ChangeFeedPage(
            changes: lead + out, upTo: more ? rows.last!.seq : max(after, replicaSequence), more: more)
        page.withheld = withheld
        return page
    }

    struct FeedRow {
        var coll: Int
        var key: String
        var attr: String
        var cl: Int
        var stamp: ChangeStamp
        var seq: Int
        /// For a marker, the attributes with clocks of their own (whose values its base leaves
        /// out). The feed reads them only for a key it has found has some: most have none, and
        /// gathering them for every marker cost more than reading the row.
        var covered: [String]
        var pin: String?
        var digest: String?
    }

    /// The most bytes of stored documents one feed page carries (see `changes`).
    public static let feedPageBytes = 8 << 20

    /// `rawDocument(_:key:)`, adding the stored row's size in bytes to `size`.
    func rawDocument(_ c: CollectionInfo, key: String, size: inout Int) throws -> Object? {
        try rawStored(c, key: key, size: &size).map(Storage.userAttributes)
    }

    /// The user attributes of a stored row (expired or not), or nil.
    func rawDocument(_ c: CollectionInfo, key: String) throws -> Object? {
        try rawStored(c, key: key).map(Storage.userAttributes)
    }

    /// A stored document without `_key`, `_id` and `_rev`.
    public static func userAttributes(_ stored: Object) -> Object {
        var o = stored
        for a in systemAttributes { o[a] = nil }
        return o
    }

    /// The catalog entry `key` as replicated state: `{"type": ...}` plus `index:NAME`
    /// descriptions for a collection, `{"definition": ...}` for the fabric.
    func catalogState(key: String, live: Bool) throws -> Object? {
        guard live else { return nil }
        var o = Object()
        if key == Change.fabricKey {
            guard let f = try replicaSetting("fabric") else { return nil }
            o["definition"] = .string(f)
            return o
        }
        if let (kind, name) = DefinitionKind.entry(key) { return try definitionState(kind, name) }
        if key == Storage.policyKey {
            guard let p = try replicaSetting("policy") else { return nil }
            o["definition"] = .string(p)
            o["salt"] = .string(try replicaSetting("policy-salt") ?? "")
            return o
        }
        guard let c = catalog.collection(key) else { return nil }
        o["type"] = .string(c.type.rawValue)
        for ix in catalog.indexes(of: key) { o["index:" + ix.name] = ix.description }
        return o
    }
}
