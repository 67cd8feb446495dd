// The document routes (`/_api/document`): insert, read, update, replace and remove of one
// document or a batch, with ArangoDB's options and revision checks. Every write is a C8QL
// statement with bind values; a batch runs its items as statements of one transaction, so
// each item succeeds or fails alone and reports its own error, as ArangoDB's batches do.

import Locus
import LocusValues

extension APIService {
    /// The options of a document write, from the query string.
    struct WriteOptions {
        var returnNew = false
        var returnOld = false
        var silent = false
        var keepNull = true
        var mergeObjects = true
        var ignoreRevs = true
        var overwriteMode: String?
        var waitForSync = false

        init(_ r: APIRequest) throws {
            returnNew = try r.flag("returnNew")
            returnOld = try r.flag("returnOld")
            silent = try r.flag("silent")
            keepNull = try r.flag("keepNull", default: true)
            mergeObjects = try r.flag("mergeObjects", default: true)
            ignoreRevs = try r.flag("ignoreRevs", default: true)
            waitForSync = try r.flag("waitForSync")
            if let mode = r.query["overwriteMode"] {
                guard ["ignore", "replace", "update", "conflict"].contains(mode) else {
                    throw LocusError(.badParameter, "overwriteMode must be ignore, replace, update or conflict")
                }
                overwriteMode = mode
            } else if try r.flag("overwrite") {
                overwriteMode = "replace"
            }
        }

        /// The OPTIONS object of the statement (values are literals chosen here, never user text).
        func options(ignoreRevs: Bool) -> String {
            var parts = ["keepNull: \(keepNull)", "mergeObjects: \(mergeObjects)", "ignoreRevs: \(ignoreRevs)"]
            if let overwriteMode { parts.append("overwriteMode: \"\(overwriteMode)\"") }
            return "OPTIONS {" + parts.joined(separator: ", ") + "}"
        }
    }

    enum Operation { case insert, update, replace, remove }

    /// The statement of one operation on one document; rows are `{new, old}`.
    static func statement(_ op: Operation, _ o: WriteOptions, checkRev: Bool) -> String {
        switch op {
        case .insert:
            // OLD exists only when the insert may overwrite.
            return
                "INSERT @doc INTO @@c \(o.options(ignoreRevs: true)) RETURN {new: NEW, old: \(o.overwriteMode == nil || o.overwriteMode == "ignore" ? "null" : "OLD")}"
        case .update:
            return "UPDATE @key WITH @doc IN @@c \(o.options(ignoreRevs: !checkRev)) RETURN {new: NEW, old: OLD}"
        case .replace:
            return "REPLACE @key WITH @doc IN @@c \(o.options(ignoreRevs: !checkRev)) RETURN {new: NEW, old: OLD}"
        case .remove:
            return "REMOVE @key IN @@c \(o.options(ignoreRevs: !checkRev)) RETURN {new: null, old: OLD}"
        }
    }

    /// Runs one operation and renders ArangoDB's answer for it.
    static func apply(
        _ op: Operation, collection: String, key: String?, document: Value, expectedRev: String?,
        options o: WriteOptions, run: (String, [String: Value], QueryOptions) throws -> QueryResult,
        existing: (String) throws -> Value? = { _ in nil }
    ) throws -> Value {
        var bind: [String: Value] = ["@c": .string(collection)]
        if op != .remove { bind["doc"] = document }
        if op != .insert {
            guard let key else { throw LocusError(.documentKeyMissing) }
            var k: Object = ["_key": .string(key)]
            if let expectedRev { k["_rev"] = .string(expectedRev) }
            bind["key"] = .object(k)
        }
        // The document and key are prepared parameters: every request of one shape shares a plan.
        var options = QueryOptions()
        options.preparedParameters = ["doc", "key"]
        let rows = try run(statement(op, o, checkRev: expectedRev != nil), bind, options).rows
        guard let row = rows.first else { throw LocusError(.documentNotFound) }
        var new = row[attribute: "new"], old = row[attribute: "old"]
        // An insert ignored because the key exists answers with the document that is there.
        if op == .insert, new.isNull, old.isNull, let key = document[attribute: "_key"].stringValue,
            let there = try existing(key)
        {
            new = there
        }
        let meta = op == .remove || (new.isNull && !old.isNull) ? old : new
        if o.silent { return .object(Object()) }
        var out: Object = [
            "_id": meta[attribute: "_id"], "_key": meta[attribute: "_key"], "_rev": meta[attribute: "_rev"],
        ]
        if op == .update || op == .replace || (op == .insert && !old.isNull && !new.isNull) {
            out["_oldRev"] = old[attribute: "_rev"]
        }
        if o.returnNew && op != .remove && !new.isNull { out["new"] = new }
        if o.returnOld && !old.isNull { out["old"] = old }
        return .object(out)
    }

    /// A key given as an `_id` (`coll/key`) or plain.
    static func key(_ s: String) -> String { DocumentKey.splitId(s)?.key ?? s }

    /// A per-item error as batch answers carry it.
    static func itemError(_ e: LocusError) -> Value {
        ["error": true, "errorNum": .int(e.code.number), "errorMessage": .string(e.message)]
    }

    /// `X-Arango-Error-Codes`: how often each error number occurred in a batch.
    static func errorCodesHeader(_ items: [Value]) -> [(String, String)] {
        var counts: [Int: Int] = [:]
        for item in items where item[attribute: "error"].boolValue == true {
            counts[Int(item[attribute: "errorNum"].numberValue ?? 0), default: 0] += 1
        }
        guard !counts.isEmpty else { return [] }
        let body = counts.keys.sorted().map { "\"\($0)\":\(counts[$0]!)" }.joined(separator: ",")
        return [("X-Arango-Error-Codes", "{" + body + "}")]
    }

    /// A revision error answers 412 with the document's current identity, as ArangoDB does.
    func revisionConflict(_ r: APIRequest, collection: String, key: String, _ e: LocusError) -> APIResponse {
        var o: Object = [
            "error": true, "code": 412, "errorNum": .int(e.code.number), "errorMessage": .string(e.message),
        ]
        if let doc = try? readDocument(r, collection: collection, key: key) {
            o["_id"] = doc[attribute: "_id"]
            o["_key"] = doc[attribute: "_key"]
            o["_rev"] = doc[attribute: "_rev"]
        }
        return APIResponse.json(412, .object(o))
    }

    func readDocument(_ r: APIRequest, collection: String, key: String) throws -> Value? {
        if let tx = try transaction(r) {
            return try tx.withSession { try $0.document(collection: collection, key: key) }
        }
        return try database(r).document(collection: collection, key: key)
    }

    /// The status of a successful write: 201 with waitForSync, 202 without.
    static func writeStatus(_ o: WriteOptions) -> Int { o.waitForSync ? 201 : 202 }

    // MARK: - One document

    func getDocument(_ r: APIRequest) throws -> APIResponse {
        let (c, k) = (r.parameter(0), r.parameter(1))
        guard let doc = try readDocument(r, collection: c, key: k) else { throw LocusError(.documentNotFound) }
        let rev = doc[attribute: "_rev"].stringValue ?? ""
        if let match = r.header("if-match").map(APIService.unquote), match != rev {
            return revisionConflict(r, collection: c, key: k, LocusError(.conflict))
        }
        if let none = r.header("if-none-match").map(APIService.unquote), none == rev {
            return APIResponse(status: 304, body: [], headers: [("Etag", "\"\(rev)\"")])
        }
        return APIResponse.json(200, doc, headers: [("Etag", "\"\(rev)\"")])
    }

    static func unquote(_ s: String) -> String {
        s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
    }

    func insertDocuments(_ r: APIRequest) throws -> APIResponse {
        let c = r.parameter(0)
        let o = try WriteOptions(r)
        let body = try r.json()
        if case .array(let items) = body {
            _ = try collectionEntry(r, c)
            let results: [Value] = try session(r) { tx in
                items.map { item in
                    do {
                        guard case .object = item else { throw LocusError(.documentTypeInvalid) }
                        return try APIService.apply(
                            .insert, collection: c, key: nil, document: item, expectedRev: nil, options: o,
                            run: { try tx.query($0, bindVars: $1, options: $2) },
                            existing: { try tx.document(collection: c, key: $0) })
                    } catch let e as LocusError {
                        return APIService.itemError(e)
                    } catch {
                        return APIService.itemError(LocusError(.internalError, "\(error)"))
                    }
                }
            }
            return APIResponse.json(
                APIService.writeStatus(o),
                o.silent && !results.contains { $0[attribute: "error"].boolValue == true }
                    ? .array([]) : .array(results),
                headers: APIService.errorCodesHeader(results))
        }
        guard case .object = body else { throw LocusError(.documentTypeInvalid) }
        let out = try APIService.apply(
            .insert, collection: c, key: nil, document: body, expectedRev: nil, options: o,
            run: { try query(r, $0, $1, options: $2) },
            existing: { try readDocument(r, collection: c, key: $0) })
        return APIResponse.json(APIService.writeStatus(o), out)
    }

    /// PATCH (update), PUT (replace) and DELETE (remove) of one document.
    func modifyDocument(_ r: APIRequest) throws -> APIResponse {
        let (c, k) = (r.parameter(0), r.parameter(1))
        let o = try WriteOptions(r)
        let op: Operation = r.method == .PATCH ? .update : r.method == .PUT ? .replace : .remove
        let body: Value = op == .remove ? .null : try r.json()
        if op != .remove { guard case .object = body else { throw LocusError(.documentTypeInvalid) } }
        var expected = r.header("if-match").map(APIService.unquote)
        if expected == nil && !o.ignoreRevs, let rev = body[attribute: "_rev"].stringValue { expected = rev }
        do {
            let out = try APIService.apply(op, collection: c, key: k, document: body, expectedRev: expected, options: o)
            {
                try query(r, $0, $1, options: $2)
            }
            return APIResponse.json(op == .remove ? (o.waitForSync ? 200 : 202) : APIService.writeStatus(o), out)
        } catch let e as LocusError where e.code == .conflict {
            return revisionConflict(r, collection: c, key: k, e)
        }
    }

    /// PATCH, PUT and DELETE of a batch (`PUT ?onlyget=true` reads one).
    func modifyDocuments(_ r: APIRequest) throws -> APIResponse {
        let c = r.parameter(0)
        if r.method == .PUT, try r.flag("onlyget") { return try getDocuments(r) }
        let o = try WriteOptions(r)
        let op: Operation = r.method == .PATCH ? .update : r.method == .PUT ? .replace : .remove
        guard case .array(let items) = try r.json() else {
            throw LocusError(.badParameter, "expecting an array of documents")
        }
        _ = try collectionEntry(r, c)
        let results: [Value] = try session(r) { tx in
            items.map { item in
                do {
                    let key: String
                    var document = item
                    switch item {
                    case .string(let s) where op == .remove:
                        key = APIService.key(s)
                        document = .null
                    case .object(let obj):
                        guard let k = obj["_key"]?.stringValue ?? obj["_id"]?.stringValue.map(APIService.key) else {
                            throw LocusError(.documentKeyMissing)
                        }
                        key = k
                    default:
                        throw LocusError(.documentTypeInvalid)
                    }
                    let expected = o.ignoreRevs ? nil : item[attribute: "_rev"].stringValue
                    return try APIService.apply(
                        op, collection: c, key: key, document: op == .remove ? .null : document,
                        expectedRev: expected, options: o
                    ) { try tx.query($0, bindVars: $1, options: $2) }
                } catch let e as LocusError {
                    return APIService.itemError(e)
                } catch {
                    return APIService.itemError(LocusError(.internalError, "\(error)"))
                }
            }
        }
        return APIResponse.json(
            op == .remove ? (o.waitForSync ? 200 : 202) : APIService.writeStatus(o), .array(results),
            headers: APIService.errorCodesHeader(results))
    }

    /// `PUT /_api/document/{c}?onlyget=true` with keys or `{_key}` objects.
    func getDocuments(_ r: APIRequest) throws -> APIResponse {
        let c = r.parameter(0)
        guard case .array(let items) = try r.json() else {
            throw LocusError(.badParameter, "expecting an array of keys")
        }
        _ = try collectionEntry(r, c)
        let results: [Value] = try items.map { item in
            let key: String?
            switch item {
            case .string(let s): key = APIService.key(s)
            case .object(let o): key = o["_key"]?.stringValue ?? o["_id"]?.stringValue.map(APIService.key)
            default: key = nil
            }
            guard let key else { return APIService.itemError(LocusError(.documentKeyMissing)) }
            guard let doc = try readDocument(r, collection: c, key: key) else {
                return APIService.itemError(LocusError(.documentNotFound))
            }
            if !((try? r.flag("ignoreRevs", default: true)) ?? true), let rev = item[attribute: "_rev"].stringValue,
                rev != doc[attribute: "_rev"].stringValue
            {
                return APIService.itemError(LocusError(.conflict))
            }
            return doc
        }
        return APIResponse.json(200, .array(results), headers: APIService.errorCodesHeader(results))
    }
}
