// Statements inside a long transaction (a stream transaction runs many): a savepoint each, so
// that a failing statement is undone alone, its bytes with it (`TransactionSize`).

extension Storage {
    /// Marks the start of one statement inside an open write transaction, so that a statement
    /// that fails can be undone alone (`rollbackStatement`) while the transaction goes on.
    public func beginStatement() throws {
        try flushPendingInserts()
        try transaction.beginStatement()
    }

    /// Keeps what the statement begun by `beginStatement` wrote.
    public func endStatement() throws {
        try flushPendingInserts()
        try transaction.endStatement()
    }

    /// Undoes everything since `beginStatement`, leaving the transaction open.
    public func rollbackStatement() {
        discardPendingInserts()
        transaction.rollbackStatement()
        catalog.undone(endingTransaction: false)
        viewRegistry.invalidate()
        // PoP numbers handed out by the undone statement are gone with it.
        sites.forget()
    }

    /// Counts `bytes` of document text written; error 32 once the transaction passes
    /// `transactionSizeLimit`.
    func account(_ bytes: Int) throws { try transaction.size.account(bytes) }
}
