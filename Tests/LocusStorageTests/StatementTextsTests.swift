// Texts bound in place for a multi-row INSERT: every text reaches its parameter whole (empty,
// non-ASCII, long), the buffer is reused from one statement to the next, and no binding
// outlives its run.

import Testing
@testable import LocusStorage

@Suite struct StatementTextsTests {
    @Test func textsReachTheirParametersAndBindingsEndWithTheRun() throws {
        let sql = try SQLiteConnection(path: ":memory:")
        try sql.execute("CREATE TABLE t(a TEXT, b TEXT)")
        let insert = try sql.compile("INSERT INTO t(a, b) VALUES (?, ?), (?, ?)")
        let long = String(repeating: "δ", count: 5000)
        let rows: [[String]] = [["", "x"], ["Köln", long], ["a\"b", ""], ["🙂", "end"]]
        for pair in stride(from: 0, to: rows.count, by: 2) {
            sql.batchTexts.add(1, rows[pair][0])
            sql.batchTexts.add(2, Array(rows[pair][1].utf8))
            sql.batchTexts.add(3, Array(rows[pair + 1][0].utf8))
            sql.batchTexts.add(4, rows[pair + 1][1])
            try sql.batchTexts.run(insert)
        }
        let read = try sql.compile("SELECT a, b FROM t ORDER BY rowid")
        var stored: [[String]] = []
        while try read.step() { stored.append([read.text(0)!, read.text(1)!]) }
        #expect(stored == rows)
        // Run again with nothing added: the parameters are unbound (NULL), not the old texts.
        try insert.run()
        let nulls = try sql.compile("SELECT count(*) FROM t WHERE a IS NULL AND b IS NULL")
        #expect(try nulls.step() && nulls.int(0) == 2)
    }
}
