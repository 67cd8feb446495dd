// Statements inside a long transaction (a stream transaction runs many): a savepoint each, so
// that a failing statement is undone alone; and the transaction's size, counted in document
// bytes written, against ArangoDB's `maxTransactionSize`.

import LocusErrors

extension Storage {
    /// Marks the start of one statement inside an open write transaction, so that a statement
    /// that fails can be undone alone (`rollbackStatement`) while the transaction goes on.
    public func beginStatement() throws {
        try flushPendingInserts()
        try sql.executeCached("SAVEPOINT locus_statement")
        statementStartBytes = transactionBytes
    }

    /// Keeps what the statement begun by `beginStatement` wrote.
    public func endStatement() throws {
        try flushPendingInserts()
        try sql.executeCached("RELEASE locus_statement")
    }

    /// Undoes everything since `beginStatement`, leaving the transaction open.
    public func rollbackStatement() {
        discardPendingInserts()
        sql.resetAll()
        try? sql.executeCached("ROLLBACK TO locus_statement")
        try? sql.executeCached("RELEASE locus_statement")
        transactionBytes = statementStartBytes
        if catalogChanged { try? loadCatalog() }
        // PoP numbers handed out by the undone statement are gone with it.
        siteIds = [:]
        siteNames = [:]
    }

    /// Counts `bytes` of document text written; error 32 once the transaction passes
    /// `transactionSizeLimit`.
    func account(_ bytes: Int) throws {
        guard transactionSizeLimit > 0 else { return }
        transactionBytes += bytes
        if transactionBytes > transactionSizeLimit {
            throw LocusError(
                code: .resourceLimit,
                message:
                    "aborting transaction because maximal transaction size limit of \(transactionSizeLimit) bytes is reached"
            )
        }
    }
}
