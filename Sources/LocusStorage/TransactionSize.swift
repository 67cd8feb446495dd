// ArangoDB's `maxTransactionSize`: the document bytes one transaction has written, against its
// limit, with the mark a statement's savepoint returns to when the statement is undone.

import LocusErrors

struct TransactionSize {
    /// The most document bytes one transaction may write; 0 for no limit.
    var limit = 0
    /// Bytes written since the transaction began (counted only under a limit).
    private(set) var written = 0
    private var atStatementStart = 0

    mutating func beginTransaction() { written = 0 }
    mutating func beginStatement() { atStatementStart = written }
    mutating func rollbackStatement() { written = atStatementStart }

    /// Counts `bytes` of document text written; error 32 once the transaction passes the limit.
    mutating func account(_ bytes: Int) throws {
        guard limit > 0 else { return }
        written += bytes
        if written > limit {
            throw LocusError(
                code: .resourceLimit,
                message: "aborting transaction because maximal transaction size limit of \(limit) bytes is reached")
        }
    }
}
