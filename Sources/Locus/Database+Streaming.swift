// Queries whose rows are consumed as they are produced: the executor hands each row of the
// top-level RETURN to the caller instead of keeping it, inside one read transaction (one
// snapshot) held until the last row. The server's `stream: true` cursors run on this.

import LocusErrors
import LocusExecution
import LocusPlanner
import LocusStorage
import LocusSyntax
import LocusValues

extension Database {
    /// Runs a read-only query, calling `row` with each result row as the query produces it;
    /// `row` may block (the snapshot is held meanwhile) or throw to stop the query. Returns the
    /// warnings and statistics, with no rows. A query that writes is refused (error 10): run
    /// it with `query`.
    public func stream(
        _ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions(),
        row: (Value) throws -> Void
    ) throws -> QueryResult {
        var options = options
        options.rowsAsJSON = false
        return try withoutActuallyEscaping(row) { sink in
            try stream(text, bindVars: bindVars, options: options) { $0.rowSink = sink }
        }
    }

    /// `stream`, handing `row` each result row as JSON text. A document the query returns as
    /// it is stored is passed on from storage, never decoded and encoded again
    /// (`QueryOptions.rowsAsJSON`).
    ///
    /// ```swift
    /// try db.streamJSON("FOR d IN docs RETURN d") { json in output.write(json) }
    /// ```
    public func streamJSON(
        _ text: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions(),
        row: ([UInt8]) throws -> Void
    ) throws -> QueryResult {
        var options = options
        options.rowsAsJSON = true
        return try withoutActuallyEscaping(row) { sink in
            try stream(text, bindVars: bindVars, options: options) { $0.jsonRowSink = sink }
        }
    }

    /// Runs a read-only query in one snapshot with an executor that `connect` has given its
    /// row sink; returns the warnings and statistics.
    private func stream(
        _ text: String, bindVars: [String: Value], options: QueryOptions, connect: (QueryExecutor) -> Void
    ) throws -> QueryResult {
        let ast = try Parser.parse(text)
        guard !ast.containsWrites else {
            throw LocusError(.badParameter, "a streaming query must not write; run it as an ordinary query")
        }
        func run(_ storage: Storage) throws -> QueryResult {
            try storage.transaction(write: false) {
                let plan = try self.plan(ast, bindVars: bindVars, options: options, storage: storage, counts: false)
                let executor = QueryExecutor(storage: storage, plan: plan, options: options.execution)
                connect(executor)
                defer { executor.rowSink = nil; executor.jsonRowSink = nil }
                _ = try executor.run()
                return QueryResult(
                    rows: [], warnings: executor.warnings.map { QueryWarning(code: $0.code, message: $0.message) },
                    stats: executor.stats)
            }
        }
        return try withSequentialReader(run)
    }

    /// Runs `body` on a connection for one long read: for a file, a reader of its own that
    /// reads each page once (no memory map, a small page cache), so that memory stays small
    /// however much it reads; the snapshot is held for as long as the consumer takes while the
    /// pool of readers serves other queries. A private in-memory database has only its writer.
    func withSequentialReader<R>(_ body: (Storage) throws -> R) throws -> R {
        if path == ":memory:" { return try store.withLock { try body($0) } }
        let reader = try Database.open(path: path, reader: true)
        try reader.useSequentialReads()
        return try body(reader)
    }
}
