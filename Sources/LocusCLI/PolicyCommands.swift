// The sovereignty subcommands: `policy set|show` (the placement policy of a PoP, or of a
// local fabric, where it then syncs to every PoP) and `compliance check|explain` (the audit
// of where records are against where they may be; `check` exits 1 on any finding, so it
// can gate CI or a cron job).

import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Locus
import LocusValues

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "The placement policy that pins records to PoPs.",
        subcommands: [Set.self, Show.self])

    struct Set: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set the placement policy at a PoP, or with --dir alone at every PoP of a local fabric.")
        @Argument(help: "The policy file (JSON).") var file: String
        @OptionGroup var target: DatabaseTarget

        func execute() throws -> Int32 {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw LocusError(.badParameter, "cannot read policy file '\(file)'")
            }
            let text = String(decoding: data, as: UTF8.self)
            if target.pop == nil, target.db == nil, let dir = target.dir {
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
                let db = try target.open()
                try db.setPlacementPolicy(text)
                Output.out(
                    "policy version \(try db.placementPolicy()?.version ?? 0) set at PoP \(db.replica?.pop ?? "?")")
            }
            return 0
        }
    }

    struct Show: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print a PoP's placement policy.")
        @OptionGroup var target: DatabaseTarget

        func execute() throws -> Int32 {
            guard let p = try target.open().placementPolicy() else {
                throw LocusError(.policyInvalid, "this PoP has no placement policy")
            }
            Output.out(p.text)
            return 0
        }
    }
}

struct ComplianceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance", abstract: "Audit where records are against where the policy lets them live.",
        subcommands: [Check.self, Explain.self])

    /// `--dir FABRIC_DIR` (every PoP of a local fabric), `--db PATH`, or `--pop NAME --dir DIR`.
    static func databasePaths(_ target: DatabaseTarget) throws -> [String] {
        if let dir = target.dir, target.pop == nil, target.db == nil {
            let local = try LocalFabric(directory: dir)
            return local.pops.map(local.path(of:))
        }
        if let db = target.db { return [db] }
        if let pop = target.pop, let dir = target.dir { return [try LocalFabric(directory: dir).path(of: pop)] }
        throw UsageError("compliance needs --dir FABRIC_DIR or --db PATH")
    }

    struct Check: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Report records held outside their placement, pending evictions and records missing "
                + "where they should live; exits 1 on any violation.")
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            let bar = Output.stderrIsTerminal
            let report = try Compliance.check(paths: try databasePaths(target)) { done, total in
                guard bar else { return }
                let width = 30, filled = width * done / max(1, total)
                Output.rawErr(
                    "\rchecking [" + String(repeating: "#", count: filled)
                        + String(repeating: " ", count: width - filled) + "] \(done)/\(total)"
                        + (done == total ? "\n" : ""))
            }
            if output.json {
                Output.out(JSONWriter.string(Check.json(report)))
            } else {
                guard let version = report.policyVersion else {
                    Output.out("no placement policy at \(report.pops.joined(separator: ", ")): nothing is pinned")
                    return 0
                }
                for f in report.findings {
                    Output.out(
                        "VIOLATION \(f.pop) \(f.collection)/\(f.key) in \(f.location.rawValue) (allowed at \(f.allowed))"
                    )
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

        static func json(_ report: ComplianceReport) -> Value {
            [
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
            ]
        }
    }

    struct Explain: LocusCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Where one record may live and why, and where it lives; exits 1 if held outside.")
        @Argument(help: "The collection.") var collection: String
        @Argument(help: "The record's key.") var key: String
        @OptionGroup var target: DatabaseTarget
        @OptionGroup var output: JSONOutput
        var errorsAsJSON: Bool { output.json }

        func execute() throws -> Int32 {
            var document: Object? = nil
            var held: [String] = []
            var explanation: PlacementExplanation? = nil
            let dbs = try databasePaths(target).map { try Database(path: $0) }
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
            if output.json {
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
}
