// JSONRows: rows kept as JSON texts end to end in one buffer, read back one by one, written
// as an array or as the first member of an answer, and released from the front.

import Testing
import LocusValues

@Suite struct JSONRowsTests {
    static func rows(_ values: [Value]) -> JSONRows {
        var rows = JSONRows()
        for v in values { rows.append(v) }
        return rows
    }

    static func text(_ bytes: some Collection<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func rowsReadBackAsWritten() throws {
        var rows = JSONRowsTests.rows([1, "two", ["three": [3]], .null])
        rows.append(json: Array(#"{"raw":true}"#.utf8))
        #expect(rows.count == 5)
        #expect(rows.map(JSONRowsTests.text) == ["1", #""two""#, #"{"three":[3]}"#, "null", #"{"raw":true}"#])
        #expect(try rows.values() == [1, "two", ["three": [3]], .null, ["raw": true]])
    }

    @Test func arraysAndAnswersAreWrittenWhole() {
        let rows = JSONRowsTests.rows([1, 2, 3])
        var out: [UInt8] = []
        rows.writeArray(into: &out)
        #expect(JSONRowsTests.text(out) == "[1,2,3]")
        out = []
        rows.writeArray(1..<3, into: &out)
        #expect(JSONRowsTests.text(out) == "[2,3]")
        out = []
        rows.writeObject(key: "result", 0..<1, then: ["hasMore": true, "code": 201], into: &out)
        #expect(JSONRowsTests.text(out) == #"{"result":[1],"hasMore":true,"code":201}"#)
        out = []
        JSONRows().writeObject(key: "result", then: [:], into: &out)
        #expect(JSONRowsTests.text(out) == #"{"result":[]}"#)
    }

    @Test(arguments: [0, 1, 2, 4, 5, 9])
    func releasingTheFirstRowsKeepsTheRest(k: Int) throws {
        // Rows encoded here and rows kept as given, interleaved.
        let values: [Value] = [1, "two", [3], ["four": 4], 5.5]
        var rows = JSONRows()
        for (i, v) in values.enumerated() {
            if i % 2 == 0 { rows.append(v) } else { rows.append(json: Array(JSONWriter.string(v).utf8)) }
        }
        #expect(rows.byteCount == values.map { JSONWriter.string($0).utf8.count }.reduce(0, +))
        rows.removeFirst(k)
        let rest = Array(values.dropFirst(k))
        #expect(try rows.values() == rest)
        #expect(rows.byteCount == rest.map { JSONWriter.string($0).utf8.count }.reduce(0, +))
        rows.append(6)
        rows.append(json: Array("7".utf8))
        #expect(try rows.values() == rest + [6, 7])
    }
}
