// Sync request authentication: a MAC over method, path, time and body with the fabric secret,
// a five-minute window, and a per-address rate limit.

import LocusErrors
@testable import LocusReplication
import Testing

@Suite struct SyncAuthenticatorTests {
    /// A header lookup over (name, value) pairs, by lower-case name as a server gives it.
    func head(_ headers: [(String, String)]) -> (String) -> String? {
        { name in headers.first { $0.0.lowercased() == name }?.1 }
    }

    @Test func onlyRequestsSignedWithTheSecretInTimePass() throws {
        let auth = try SyncAuthenticator(secret: Array("a fabric secret of some length".utf8))
        let body = Array(#"{"pop":"fra"}"#.utf8)
        let signed = auth.headers(method: "POST", path: "/_api/sync/pull", body: body, now: 1_000_000)
        try auth.verify(method: "POST", path: "/_api/sync/pull", header: head(signed), body: body, now: 1_000_100)
        func refused(
            _ h: @escaping (String) -> String?, _ b: [UInt8] = body, path: String = "/_api/sync/pull",
            now: Double = 1_000_000
        ) -> Bool {
            do {
                try auth.verify(method: "POST", path: path, header: h, body: b, now: now)
                return false
            } catch let e as LocusError { return e.code == .forbidden } catch { return false }
        }
        #expect(refused(head([])))
        #expect(refused(head(signed), Array(#"{"pop":"iad"}"#.utf8)))
        #expect(refused(head(signed), path: "/_api/sync/identity"))
        #expect(refused(head(signed), now: 1_000_301))
        let other = try SyncAuthenticator(secret: Array("another secret, also long".utf8))
        #expect(refused(head(other.headers(method: "POST", path: "/_api/sync/pull", body: body, now: 1_000_000))))
        #expect(throws: LocusError.self) { try SyncAuthenticator(secret: Array("short".utf8)) }
    }

    @Test func theRateLimiterAllowsABurstThenTheRate() {
        let limiter = RateLimiter(rate: 10, burst: 5)
        #expect((0..<5).allSatisfy { _ in limiter.allow("a", now: 0) })
        #expect(!limiter.allow("a", now: 0))
        #expect(limiter.allow("b", now: 0))
        #expect(limiter.allow("a", now: 0.1) && !limiter.allow("a", now: 0.1))
    }
}
