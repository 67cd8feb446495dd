// The sovereignty subcommands: `policy set|show` (the placement policy of a PoP, or of a
// local fabric, where it then syncs to every PoP) and `compliance check|explain` (the audit
// of where records are against where they may be; `check` exits 1 on any finding, so it
// can gate CI or a cron job).

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusValues

extension Commands {
    static func policy(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "policy subcommand (set, show)")
        switch verb {
        case "set":
            let file = try a.require(1, "policy file")
            guard let data = FileManager.default.contents(atPath: file) else {
                throw LocusError(.badParameter, "cannot read policy file '\(file)'")
            }
            let text = String(decoding: data, as: UTF8.self)
            if a.options["pop"] == nil, let dir = a.options["dir"] {
                // A whole local fabric: set at its first PoP, then sync it everywhere.
                let local = try LocalFabric(directory: dir)
                guard let first = local.pops.first else {
                    throw LocusError(.badParameter, "no PoP databases in '\(dir)'")
                }
                try local.open(first).setPlacementPolicy(text)
                _ = try local.sync()
                Output.out(
                    "policy set at \(first) and synced to \(local.pops.count) PoP\(local.pops.count == 1 ? "" : "s")")
            } else {
                let db = try open(a)
                try db.setPlacementPolicy(text)
                Output.out(
                    "policy version \(try db.placementPolicy()?.version ?? 0) set at PoP \(db.replica?.pop ?? "?")")
            }
        case "show":
            let db = try open(a)
            guard let p = try db.placementPolicy() else {
                throw LocusError(.policyInvalid, "this PoP has no placement policy")
            }
            Output.out(p.text)
        default:
            throw Arguments.UsageError(message: "unknown policy subcommand '\(verb)'")
        }
        return 0
    }

    static func compliance(_ a: Arguments) throws -> Int32 {
        let verb = try a.require(0, "compliance subcommand (check, explain)")
        let paths: [String]
        if let dir = a.options["dir"], a.options["pop"] == nil {
            let local = try LocalFabric(directory: dir)
            paths = local.pops.map(local.path(of:))
        } else if let db = a.options["db"] {
            paths = [db]
        } else if let pop = a.options["pop"], let dir = a.options["dir"] {
            paths = [try LocalFabric(directory: dir).path(of: pop)]
        } else {
            throw Arguments.UsageError(message: "compliance \(verb) needs --dir FABRIC_DIR or --db PATH")
        }
        switch verb {
        case "check": return try complianceCheck(paths, json: a.switches.contains("json"))
        case "explain":
            let collection = try a.require(1, "collection")
            let key = try a.require(2, "key")
            return try complianceExplain(paths, collection: collection, key: key, json: a.switches.contains("json"))
        default:
            throw Arguments.UsageError(message: "unknown compliance subcommand '\(verb)'")
        }
    }

    static func complianceCheck(_ paths: [String], json: Bool) throws -> Int32 {
        let bar = Output.stderrIsTerminal
        let report = try Compliance.check(paths: paths) { done, total in
            guard bar else { return }
            let width = 30, filled = width * done / max(1, total)
            Output.rawErr(
                "\rchecking [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                    + "] \(done)/\(total)" + (done == total ? "\n" : ""))
        }
        if json {
            Output.out(
                JSONWriter.string([
                    "clean": .bool(report.isClean), "policyVersion": report.policyVersion.map { .int($0) } ?? .null,
                    "pops": .array(report.pops.map { .string($0) }), "records": .int(report.records),
                    "violations": .array(
                        report.findings.map { f in
                            [
                                "pop": .string(f.pop), "collection": .string(f.collection), "key": .string(f.key),
                                "location": .string(f.location.rawValue), "allowed": .string(f.allowed.encoded),
                            ]
                        }),
                    "pendingEvictions": .array(
                        report.pending.map { p in
                            ["pop": .string(p.pop), "digest": .string(p.digest), "ageSeconds": .number(p.age)]
                        }),
                    "missing": .array(
                        report.missing.map { m in
                            [
                                "pop": .string(m.pop), "collection": .string(m.collection), "key": .string(m.key),
                                "allowed": .string(m.allowed.encoded),
                            ]
                        }),
                ]))
        } else {
            guard let version = report.policyVersion else {
                Output.out("no placement policy at \(report.pops.joined(separator: ", ")): nothing is pinned")
                return 0
            }
            for f in report.findings {
                Output.out(
                    "VIOLATION \(f.pop) \(f.collection)/\(f.key) in \(f.location.rawValue) (allowed at \(f.allowed))")
            }
            for p in report.pending {
                Output.out("PENDING eviction at \(p.pop) of \(p.digest), \(Int(p.age)) s old")
            }
            for m in report.missing {
                Output.out(
                    "MISSING at \(m.pop): \(m.collection)/\(m.key) should live at \(m.allowed) and has not arrived")
            }
            Output.out(
                "\(report.pops.count) PoP\(report.pops.count == 1 ? "" : "s"), \(report.records) records, policy version \(version): "
                    + (report.isClean
                        ? "no violations"
                        : "\(report.findings.count) violation\(report.findings.count == 1 ? "" : "s")")
                    + (report.missing.isEmpty
                        ? ""
                        : "; \(report.missing.count) record\(report.missing.count == 1 ? "" : "s") missing where they should live")
            )
        }
        return report.isClean ? 0 : 1
    }

    static func complianceExplain(_ paths: [String], collection: String, key: String, json: Bool) throws -> Int32 {
        var document: Object? = nil
        var held: [String] = []
        var explanation: PlacementExplanation? = nil
        let dbs = try paths.map { try Database(path: $0) }
        for db in dbs {
            guard
                case .object(let d)? = try db.query(
                    "RETURN DOCUMENT(@c, @k)", bindVars: ["c": .string(collection), "k": .string(key)]
                ).rows.first
            else { continue }
            document = document ?? d
            held.append(db.replica?.pop ?? db.path)
        }
        guard let document else {
            throw LocusError(.documentNotFound, "\(collection)/\(key) is held at no PoP checked")
        }
        for db in dbs where explanation == nil {
            explanation = try db.explainPlacement(collection: collection, key: key, document: document)
        }
        guard let e = explanation else { throw LocusError(.documentNotFound) }
        let outside = held.filter { !e.allowed.contains($0) }
        if json {
            Output.out(
                JSONWriter.string([
                    "collection": .string(collection), "key": .string(key), "allowed": .string(e.allowed.encoded),
                    "reason": .string(e.reason), "heldAt": .array(held.map { .string($0) }),
                    "violations": .array(outside.map { .string($0) }),
                ]))
        } else {
            Output.out("\(collection)/\(key)")
            Output.out("  may live at: \(e.allowed)")
            Output.out("  because:     \(e.reason)")
            Output.out("  lives at:    \(held.joined(separator: ", "))")
            if !outside.isEmpty {
                Output.out("  VIOLATION:   held outside its placement at \(outside.joined(separator: ", "))")
            }
        }
        return outside.isEmpty ? 0 : 1
    }
}
