// `Compliance`: the audit of a fabric's PoP files (`locus compliance check`). It opens each
// file read-only, finds the newest placement policy any PoP holds, and hands them to the audit
// in `LocusPolicy`.

#if canImport(FoundationEssentials)
import FoundationEssentials  // FileManager without ICU: faster process start
#else
import Foundation
#endif
import LocusErrors
import LocusPolicy
import LocusStorage

/// Audits PoP databases against the placement policy.
public enum Compliance {
    /// Checks the PoP databases at `paths`. `progress` is called with (done, total) steps.
    public static func check(paths: [String], progress: ((Int, Int) -> Void)? = nil) throws -> ComplianceReport {
        let (dbs, pops, newest) = try openFabric(paths)
        return try ComplianceAudit.run(dbs, pops: pops, policy: newest, progress: progress)
    }

    /// The records missing where they should live, for each PoP at `paths` (no byte scans).
    public static func missing(paths: [String]) throws -> [MissingRecord] {
        let (dbs, pops, newest) = try openFabric(paths)
        guard let policy = newest else { return [] }
        return try ComplianceAudit.missing(dbs, pops: pops, policy: policy)
    }

    /// The PoP databases at `paths` on read-only connections (the audit changes nothing, not
    /// even a pending checkpoint), their PoP names, and the newest policy any of them holds:
    /// the one every PoP must meet.
    static func openFabric(_ paths: [String]) throws -> (dbs: [Storage], pops: [String], policy: (any PlacementGate)?) {
        let dbs = try paths.map { path in
            guard FileManager.default.fileExists(atPath: path) else {
                throw LocusError(.badParameter, "no database at \(path)")
            }
            return try Database.open(path: path, reader: true)
        }
        var policy: (any PlacementGate)? = nil
        var pops: [String] = []
        for db in dbs {
            guard let pop = db.replica?.pop else {
                throw LocusError(.badParameter, "\(db.path) is not a PoP of a fabric")
            }
            pops.append(pop)
            if let p = db.placementGate, p.version > (policy?.version ?? 0) { policy = p }
        }
        return (dbs, pops, policy)
    }
}
