// The plain query prompt `locus` starts with no subcommand: reads statements a line at a time
// (continuing while the parser says the statement is incomplete) and prints results as JSON
// lines; dot-commands list collections and manage placement policies. The full REPL is a
// separate piece of work.

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Locus
import LocusSyntax
import LocusValues

enum Prompt {
    /// True when the parser failed only because the text ended early.
    static func isIncomplete(_ text: String) -> Bool {
        do { _ = try Parser.parse(text); return false } catch let e as LocusError {
            return e.code == .queryParse && (e.message.contains("end of query") || e.message.contains("unterminated"))
        } catch { return false }
    }

    /// `.policy`, `.policy set FILE` and `.placement COLLECTION KEY`.
    static func policyCommand(_ line: String, _ db: Database) throws {
        let words = line.split(separator: " ").map(String.init)
        switch (words[0], words.count) {
        case (".policy", 1):
            guard let p = try db.placementPolicy() else { throw LocusError(.policyInvalid, "this database has no placement policy") }
            Output.out(p.text)
        case (".policy", 3) where words[1] == "set":
            guard let data = FileManager.default.contents(atPath: words[2]) else {
                throw LocusError(.badParameter, "cannot read policy file '\(words[2])'")
            }
            try db.setPlacementPolicy(String(decoding: data, as: UTF8.self))
            Output.out("policy version \(try db.placementPolicy()?.version ?? 0) set")
        case (".placement", 3):
            let e = try db.explainPlacement(collection: words[1], key: words[2])
            Output.out("\(words[1])/\(words[2]) may live at \(e.allowed): \(e.reason)")
        default:
            throw LocusError(.badParameter, "usage: .policy | .policy set FILE | .placement COLLECTION KEY")
        }
    }

    static func run(path: String) -> Int32 {
        let db: Database
        do { db = try Database(path: path) } catch {
            Output.err("locus: \(error)")
            return 1
        }
        let interactive = Output.stdinIsTerminal
        if interactive { Output.out("locus 0.1 on \(path). Type a C8QL query, or .help; .quit to leave.") }
        var pending = ""
        var status: Int32 = 0
        while true {
            if interactive { Output.raw(pending.isEmpty ? "locus> " : "   ...> ") }
            guard let line = readLine() else { break }
            let trimmed = line.trimmingWhitespace()
            if pending.isEmpty {
                if trimmed.isEmpty { continue }
                if trimmed == ".quit" || trimmed == ".exit" { break }
                if trimmed == ".help" {
                    Output.out("""
                        Enter a C8QL query (it may span lines). .collections lists collections; .policy shows the
                        placement policy, .policy set FILE sets it; .placement COLLECTION KEY explains where a record
                        may live; .quit leaves.
                        """)
                    continue
                }
                if trimmed == ".policy" || trimmed.hasPrefix(".policy ") || trimmed.hasPrefix(".placement ") {
                    do { try policyCommand(trimmed, db) } catch let e as LocusError { Output.err(e.rendered()); status = 1 } catch {}
                    continue
                }
                if trimmed == ".collections" {
                    do { for c in try db.collections() { Output.out("\(c.name)\t\(c.type.rawValue)\t\(c.count)") } }
                    catch let e as LocusError { Output.err(e.rendered()) } catch {}
                    continue
                }
            }
            pending += (pending.isEmpty ? "" : "\n") + line
            if isIncomplete(pending) { continue }
            let text = pending
            pending = ""
            do {
                let r = try db.query(text)
                for row in r.rows { Output.out(JSONWriter.string(row)) }
                for w in r.warnings { Output.err("warning \(w.code): \(w.message)") }
            } catch let e as LocusError {
                Output.err(e.rendered(query: text))
                status = 1
            } catch {
                Output.err("\(error)")
                status = 1
            }
        }
        if !pending.isEmpty {
            do { _ = try db.query(pending) } catch let e as LocusError { Output.err(e.rendered(query: pending)); status = 1 } catch {}
        }
        return status
    }
}
