// Rows taken as JSON texts (`QueryOptions.rowsAsJSON`, `Database.streamJSON`): they are the
// rows, encoded, whether a document is copied from storage undecoded (the plan's
// pass-through loop) or built as values and encoded; the memory limit and fullCount hold in
// that form too.

import Testing
@testable import Locus
import LocusErrors
import LocusValues

@Suite struct DocumentPassThroughTests {
    /// Documents whose text tests the encoder: escapes, non-ASCII, numbers at the edges of
    /// their forms, empty and nested containers.
    static let documents = [
        #"{"_key": "a", "s": "tab\there \"quoted\" back\\slash \u0001 é ü 漢字 😀", "n": -0.0, "big": 1e300}"#,
        #"{"_key": "b", "tiny": 5e-324, "frac": 0.1, "neg": -12.5e3, "int": 9007199254740993, "t": true, "z": null}"#,
        #"{"_key": "c", "empty": {}, "none": [], "deep": {"a": [1, {"b": [[], {}]}]}, "u": "\u2028\u2029"}"#,
        #"{"_key": "d", "long": "\#(String(repeating: "0123456789", count: 300))"}"#,
    ]

    static func database() throws -> Database {
        let db = try Database.inMemory()
        try db.createCollection("docs")
        try db.createCollection("links", type: .edge)
        for d in documents { try db.query("INSERT @d INTO docs", bindVars: ["d": try JSONReader.parse(d)]) }
        try db.query(#"INSERT {_from: "docs/a", _to: "docs/b", w: 1.5} INTO links"#)
        try db.query(#"INSERT {_from: "docs/b", _to: "docs/c", w: 0.5} INTO links"#)
        try db.query(#"INSERT {_from: "docs/a", _to: "docs/gone", w: 2} INTO links"#)  // a dangling edge
        try db.createIndex(collection: "docs", fields: ["n"], type: .persistent, unique: false, sparse: false)
        return db
    }

    static let queries = [
        // Documents copied from storage.
        "FOR d IN docs RETURN d",
        "FOR d IN docs FILTER d._key == 'b' RETURN d",
        "FOR d IN docs FILTER d._key IN ['c', 'nope', 'a'] RETURN d",
        "FOR d IN docs FILTER d.n == 0 RETURN d",
        "FOR d IN docs LIMIT 1, 2 RETURN d",
        "FOR l IN links FILTER l._from == 'docs/a' RETURN l",
        "FOR i IN 1..2 FOR d IN docs RETURN d",
        "FOR d IN docs FOR e IN docs FILTER e._key != 'x' RETURN d",
        "FOR d IN docs LET o = DOCUMENT('docs/c') FILTER o != null RETURN d",
        "FOR d IN docs LET s = (FOR e IN docs FILTER e._key == 'd' RETURN e) FILTER LENGTH(s) == 1 RETURN d",
        // Vertices, decoded for the traversal and copied as stored (a missing one is null).
        "FOR v IN 1..2 OUTBOUND 'docs/a' links RETURN v",
        "FOR v IN 0..2 OUTBOUND 'docs/a' links OPTIONS {order: 'bfs', uniqueVertices: 'global'} RETURN v",
        "FOR v, e IN 1..1 OUTBOUND 'docs/a' links FILTER e.w > 1 RETURN v",
        "FOR v IN 1..2 ANY 'docs/b' links FILTER v.t == true RETURN v",
        "FOR v IN 1..2 OUTBOUND 'docs/a' links RETURN v._key",
        // Documents copied from storage and also decoded, for what else reads them.
        "FOR d IN docs FILTER d.t == true RETURN d",
        "FOR d IN docs FILTER HAS(d, 'empty') OR d.n == 0 RETURN d",
        "FOR d IN docs LET k = (FOR l IN links FILTER l._from == d._id RETURN l._to) FILTER LENGTH(k) > 0 RETURN d",
        // Rows built as values, then encoded.
        "FOR d IN docs RETURN d.s",
        "FOR d IN docs SORT d._key DESC RETURN d",
        "FOR d IN docs RETURN DISTINCT d",
        "FOR d IN docs RETURN MERGE(d, {x: 1})",
        "FOR d IN docs COLLECT k = d._key INTO g RETURN {k, g}",
        "RETURN [1, 'two', {three: 3.5}, null]",
        "FOR i IN 1..3 RETURN i / 3",
    ]

    @Test(arguments: queries)
    func rowsAsJSONAreTheRowsEncoded(query: String) throws {
        let db = try DocumentPassThroughTests.database()
        let expected = try db.query(query).rows.map(JSONWriter.string)
        var options = QueryOptions()
        options.rowsAsJSON = true
        let json = try db.query(query, options: options)
        #expect(json.rows.isEmpty)
        #expect(json.count == expected.count)
        #expect(json.jsonRows.map { String(decoding: $0, as: UTF8.self) } == expected)
        #expect(try json.jsonRows.values() == db.query(query).rows)
        var streamed: [String] = []
        _ = try db.streamJSON(query) { streamed.append(String(decoding: $0, as: UTF8.self)) }
        #expect(streamed == expected)
        // A stream of values is not affected by asking the options for JSON.
        var values: [Value] = []
        _ = try db.stream(query, options: options) { values.append($0) }
        #expect(values.map(JSONWriter.string) == expected)
    }

    @Test func aJSONArrayOfRowsIsTheArrayEncoded() throws {
        let db = try DocumentPassThroughTests.database()
        var options = QueryOptions()
        options.rowsAsJSON = true
        let r = try db.query("FOR d IN docs RETURN d", options: options)
        var out: [UInt8] = []
        r.jsonRows.writeArray(into: &out)
        #expect(
            String(decoding: out, as: UTF8.self)
                == JSONWriter.string(.array(try db.query("FOR d IN docs RETURN d").rows)))
        out = []
        r.jsonRows.writeArray(1..<3, into: &out)
        #expect(try JSONReader.parse(String(decoding: out, as: UTF8.self)).arrayValue?.count == 2)
        out = []
        r.jsonRows.writeArray(2..<2, into: &out)
        #expect(out == Array("[]".utf8))
    }

    @Test func rowsDecodeAlikeFromValuesAndFromJSON() throws {
        struct Doc: Decodable, Equatable {
            var _key: String
            var frac: Double?
            var t: Bool?
        }
        let db = try DocumentPassThroughTests.database()
        let query = "FOR d IN docs SORT d._key RETURN d"
        var options = QueryOptions()
        options.rowsAsJSON = true
        let fromValues = try db.query(query).decode(Doc.self)
        #expect(fromValues.map(\._key) == ["a", "b", "c", "d"])
        #expect(fromValues[1].frac == 0.1 && fromValues[1].t == true)
        #expect(try db.query(query, options: options).decode(Doc.self) == fromValues)
        struct Wrong: Decodable { var _key: Int }
        for options in [QueryOptions(), options] {
            let e = #expect(throws: LocusError.self) { try db.query(query, options: options).decode(Wrong.self) }
            #expect(e?.code == .typeError)
        }
    }

    @Test func theMemoryLimitCountsCopiedDocuments() throws {
        let db = try DocumentPassThroughTests.database()
        var options = QueryOptions(memoryLimit: 2_000)
        options.rowsAsJSON = true
        let e = #expect(throws: LocusError.self) { try db.query("FOR d IN docs RETURN d", options: options) }
        #expect(e?.code == .resourceLimit)
        #expect(try db.query("FOR d IN docs FILTER d._key == 'a' RETURN d", options: options).count == 1)
    }

    @Test func fullCountCountsRowsTakenAsJSON() throws {
        let db = try DocumentPassThroughTests.database()
        var options = QueryOptions(fullCount: true)
        options.rowsAsJSON = true
        let limited = try db.query("FOR d IN docs LIMIT 1 RETURN d", options: options)
        #expect(limited.count == 1 && limited.stats.fullCount == 4)
        #expect(try db.query("FOR d IN docs RETURN d", options: options).stats.fullCount == 4)
    }
}
