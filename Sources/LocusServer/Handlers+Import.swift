// Bulk import (`POST /_api/import`): a JSON array (`type=array`, or `auto` when the body is
// one) or JSON lines (`type=documents`), with `onDuplicate`, `complete`, `details`,
// `fromPrefix` and `toPrefix`. The import is one transaction: with `complete=true` any
// error rolls all of it back; otherwise each document is kept or counted as an error alone.

import Locus
import LocusValues

extension APIService {
    func importDocuments(_ r: APIRequest) throws -> APIResponse {
        let c = try collectionParameter(r)
        _ = try collectionEntry(r, c)
        let complete = try r.flag("complete"), details = try r.flag("details")
        let onDuplicate = r.query["onDuplicate"] ?? "error"
        guard ["error", "update", "replace", "ignore"].contains(onDuplicate) else {
            throw LocusError(.badParameter, "onDuplicate must be error, update, replace or ignore")
        }
        let fromPrefix = r.query["fromPrefix"], toPrefix = r.query["toPrefix"]
        var lines: [(line: Int, document: Value?)] = []
        let type = r.query["type"] ?? "documents"
        let body = r.body
        let trimmed = body.drop { $0 == 32 || $0 == 10 || $0 == 13 || $0 == 9 }
        if type == "array" || (type == "auto" && trimmed.first == UInt8(ascii: "[")) || type == "list" {
            guard case .array(let docs) = try r.json() else {
                throw LocusError(.badParameter, "expecting a JSON array")
            }
            lines = docs.enumerated().map { ($0 + 1, $1) }
        } else if type == "documents" || type == "auto" {
            var n = 0
            for raw in body.split(separator: 10, omittingEmptySubsequences: false) {
                n += 1
                let line = raw.filter { $0 != 13 }
                if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }
                lines.append((n, try? line.withUnsafeBufferPointer { try JSONReader.parse($0) }))
            }
        } else {
            throw LocusError(.badParameter, "import type must be documents, array or auto")
        }
        let mode = onDuplicate == "error" ? nil : onDuplicate
        var options = try WriteOptions(r)
        options.overwriteMode = mode
        let prefix = { (v: Value, p: String?) -> Value in
            guard let p, case .string(let s) = v, !s.contains("/") else { return v }
            return .string(p.hasSuffix("/") ? p + s : p + "/" + s)
        }
        struct Tally: Sendable {
            var created = 0, errors = 0, empty = 0, updated = 0, ignored = 0; var details: [String] = []
        }
        let run = { (tx: TransactionSession) throws -> Tally in
            var t = Tally()
            for (line, parsed) in lines {
                guard case .object(var doc)? = parsed else {
                    if complete { throw LocusError(.badParameter, "invalid JSON at line \(line)") }
                    t.errors += 1
                    if details { t.details.append("at position \(line - 1): invalid JSON type (expecting object)") }
                    continue
                }
                if doc.isEmpty { t.empty += 1; continue }
                if let f = doc["_from"] { doc["_from"] = prefix(f, fromPrefix) }
                if let to = doc["_to"] { doc["_to"] = prefix(to, toPrefix) }
                do {
                    let rows = try tx.query(
                        APIService.statement(.insert, options, checkRev: false),
                        bindVars: ["@c": .string(c), "doc": .object(doc)]
                    ).rows
                    let old = rows.first?[attribute: "old"] ?? .null
                    let new = rows.first?[attribute: "new"] ?? .null
                    if new.isNull { t.ignored += 1 } else if old.isNull { t.created += 1 } else { t.updated += 1 }
                } catch let e as LocusError {
                    if complete { throw e }
                    t.errors += 1
                    if details {
                        t.details.append("at position \(line - 1): creating document failed with error '\(e.message)'")
                    }
                }
            }
            return t
        }
        let t = try session(r, run)
        var o: Object = [
            "created": .int(t.created), "errors": .int(t.errors), "empty": .int(t.empty),
            "updated": .int(t.updated), "ignored": .int(t.ignored),
        ]
        if details { o["details"] = .array(t.details.map { .string($0) }) }
        return APIResponse.ok(201, o)
    }
}
