// maxTransactionSize's bookkeeping: bytes count only under a limit, passing the limit is error
// 32, an undone statement gives its bytes back, and a new transaction starts from zero.

import Testing
import LocusErrors
@testable import LocusStorage

@Suite struct TransactionSizeTests {
    @Test func bytesCountAgainstTheLimitAndStatementsGiveThemBack() throws {
        var size = TransactionSize()
        try size.account(1_000_000)
        #expect(size.written == 0, "no limit, no counting")
        size.limit = 100
        try size.account(60)
        size.beginStatement()
        try size.account(30)
        #expect(size.written == 90)
        size.rollbackStatement()
        #expect(size.written == 60)
        #expect(throws: LocusError.self) { try size.account(41) }
        do { try size.account(1) } catch let e as LocusError { #expect(e.code.number == 32) }
        size.beginTransaction()
        #expect(size.written == 0)
        try size.account(100)
    }
}
