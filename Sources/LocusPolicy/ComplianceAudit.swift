// The compliance audit: every PoP's file is read below the engine (rows, change log,
// tombstones, placements, index entries, and the raw bytes of the database and its WAL, free
// pages included) and judged against the newest placement policy any PoP holds. Each record
// found where it may not be is a finding; an eviction journaled but not yet physically complete
// is reported with its age; a live record absent from a PoP where its newest holders say it
// should live is reported as missing (under-replication, which is lag rather than a
// violation).

import LocusStorage
import LocusValues

/// Audits PoP databases against the placement policy.
public enum ComplianceAudit {
    /// Audits the PoP databases `dbs` (named `pops`) against `policy`, the newest any of them
    /// holds. `progress` is called with (done, total) steps.
    public static func run(
        _ dbs: [Storage], pops: [String], policy newest: (any PlacementGate)?, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ComplianceReport {
        var report = ComplianceReport()
        let total = dbs.count * 2
        var done = 0
        report.pops = pops
        report.policyVersion = newest?.version
        guard let policy = newest else { return report }

        // Pass 1: every record each PoP holds, judged by its content where it is held.
        let (perPoP, vertexPins, allowedAt) = try judgedRecords(dbs, policy: policy)
        report.records = perPoP.reduce(0) { $0 + $1.count }
        report.missing = missingRecords(pops: pops, perPoP: perPoP, policy: policy, vertexPins: vertexPins)
        done += dbs.count
        progress?(done, total)

        // Pass 2: each PoP against what it may hold.
        for (i, db) in dbs.enumerated() {
            let pop = pops[i]
            func finding(_ collection: String, _ key: String, _ location: ComplianceLocation, _ allowed: SiteSet) {
                report.findings.append(
                    ComplianceFinding(pop: pop, collection: collection, key: key, location: location, allowed: allowed))
            }
            for r in perPoP[i] {
                let id = "\(r.collection)/\(r.key)"
                if let doc = r.document {
                    let allowed = try policy.placement(
                        collection: r.collection, document: doc, endpoint: { vertexPins[$0] })
                    if !allowed.contains(pop) { finding(r.collection, r.key, .row, allowed) }
                    continue
                }
                // No row: a tombstone, a change-log entry or a placement left behind.
                let allowed = allowedAt[id] ?? r.placement ?? policy.widest(collection: r.collection)
                guard !allowed.contains(pop) else { continue }
                if let cl = r.causalLength {
                    finding(r.collection, r.key, CausalLength.isLive(cl) ? .changeLog : .tombstone, allowed)
                } else if r.placement != nil {
                    finding(r.collection, r.key, .placement, allowed)
                }
            }
            let orphans = try db.orphanIndexEntries()
            for o in orphans {
                let allowed = allowedAt["\(o.collection)/\(o.key)"] ?? policy.widest(collection: o.collection)
                if !allowed.contains(pop) { finding(o.collection, o.key, .indexEntry, allowed) }
            }
            // The raw bytes: anything of a record this PoP may not hold, in live or free pages.
            var scanner = NeedleScanner()
            var ids: [String] = []
            // A record's needle is its `"_id":"collection/key"`, which the stored JSON of no
            // other record contains (values are shared between records too often to tell).
            for (id, allowed) in allowedAt where !allowed.contains(pop) {
                scanner.add(Array(#""_id":"\#(id)""#.utf8), label: ids.count)
                ids.append(id)
            }
            let path = db.path
            for (file, location) in [(path, ComplianceLocation.databaseFile), (path + "-wal", .wal)] {
                for label in try scanner.scan(path: file).sorted() {
                    let id = ids[label]
                    let slash = id.firstIndex(of: "/")!
                    finding(String(id[..<slash]), String(id[id.index(after: slash)...]), location, allowedAt[id]!)
                }
            }
            let now = db.wallClock.now()
            for p in try db.pendingEvictions() {
                report.pending.append(PendingEviction(pop: pop, digest: p.digest, age: max(0, now - p.since)))
            }
            done += 1
            progress?(done, total)
        }
        report.findings.sort {
            ($0.pop, $0.collection, $0.key, $0.location.rawValue) < (
                $1.pop, $1.collection, $1.key, $1.location.rawValue
            )
        }
        return report
    }

    /// The live records each PoP lacks although its placement includes it: the placement is
    /// judged from the newest life any PoP holds (by every PoP holding that life, so that
    /// versions in flight make no false report), and a PoP that holds that life or a later one
    /// (a removal it has not passed on yet) lacks nothing.
    static func missingRecords(
        pops: [String], perPoP: [[AuditedRecord]], policy: any PlacementGate,
        vertexPins: [String: SiteSet]
    ) -> [MissingRecord] {
        struct Newest { var cl = 0; var allowed: SiteSet? = nil; var collection = ""; var key = "" }
        var newest: [String: Newest] = [:]
        var lifeAt: [[String: Int]] = Array(repeating: [:], count: pops.count)
        for (i, records) in perPoP.enumerated() {
            for r in records {
                let id = "\(r.collection)/\(r.key)"
                let cl = r.causalLength ?? (r.document != nil ? 1 : 0)
                lifeAt[i][id] = max(lifeAt[i][id] ?? 0, cl)
                guard let doc = r.document, CausalLength.isLive(cl),
                    let allowed = try? policy.placement(
                        collection: r.collection, document: doc, endpoint: { vertexPins[$0] })
                else { continue }
                var n = newest[id] ?? Newest(collection: r.collection, key: r.key)
                if cl > n.cl {
                    n.cl = cl; n.allowed = allowed
                } else if cl == n.cl {
                    n.allowed = n.allowed.map { $0.intersection(allowed) } ?? allowed
                }
                newest[id] = n
            }
        }
        var out: [MissingRecord] = []
        for (id, n) in newest {
            guard let allowed = n.allowed else { continue }
            for (i, pop) in pops.enumerated() where allowed.contains(pop) && (lifeAt[i][id] ?? 0) < n.cl {
                out.append(MissingRecord(pop: pop, collection: n.collection, key: n.key, allowed: allowed))
            }
        }
        return out.sorted { ($0.pop, $0.collection, $0.key) < ($1.pop, $1.collection, $1.key) }
    }

    /// The records missing where they should live at each of `dbs` (named `pops`), judged
    /// by `policy` (no byte scans).
    public static func missing(_ dbs: [Storage], pops: [String], policy: any PlacementGate) throws -> [MissingRecord] {
        let (perPoP, vertexPins, _) = try judgedRecords(dbs, policy: policy)
        return missingRecords(pops: pops, perPoP: perPoP, policy: policy, vertexPins: vertexPins)
    }

    /// Every record each PoP holds, with the placements its content gives it: vertices before
    /// edges, so that edges meet their endpoints' placements. `allowedAt` unites what every
    /// holder's version allows, by `collection/key`.
    static func judgedRecords(_ dbs: [Storage], policy: any PlacementGate) throws
        -> (perPoP: [[AuditedRecord]], vertexPins: [String: SiteSet], allowedAt: [String: SiteSet])
    {
        var perPoP: [[AuditedRecord]] = []
        for db in dbs {
            var list: [AuditedRecord] = []
            try db.auditedRecords { list.append($0) }
            perPoP.append(list)
        }
        var vertexPins: [String: SiteSet] = [:]
        var allowedAt: [String: SiteSet] = [:]
        for r in perPoP.joined() where r.type != .edge && r.document == nil {
            if let p = r.placement { vertexPins["\(r.collection)/\(r.key)"] = p }
        }
        for r in PlacementOrder.verticesFirst(perPoP.joined(), type: \.type) {
            let id = "\(r.collection)/\(r.key)"
            guard let doc = r.document else { continue }
            let allowed = try policy.placement(collection: r.collection, document: doc, endpoint: { vertexPins[$0] })
            if r.type != .edge { vertexPins[id] = (vertexPins[id] ?? allowed).union(allowed) }
            allowedAt[id] = (allowedAt[id] ?? allowed).union(allowed)
        }
        return (perPoP, vertexPins, allowedAt)
    }
}
