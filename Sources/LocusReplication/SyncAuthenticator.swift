// Authentication of sync requests between PoPs (sovereignty scenario 18): with a fabric
// secret, every request carries a time and an HMAC-SHA256 over the method, path, time and
// body; the server refuses requests without a valid MAC, outside a five-minute window, or
// beyond a per-address rate, so only members of the fabric can pull, and none can flood.

import Crypto
import LocusErrors
import LocusValues
import Synchronization

public struct SyncAuthenticator: Sendable {
    /// How far a request's time may be from the server's, in seconds.
    static let window = 300.0
    let key: SymmetricKey

    /// An authenticator from the fabric secret (at least 16 bytes).
    public init(secret: [UInt8]) throws {
        guard secret.count >= 16 else { throw LocusError(.badParameter, "the fabric secret must be at least 16 bytes") }
        key = SymmetricKey(data: secret)
    }

    func mac(method: String, path: String, time: String, body: [UInt8]) -> String {
        var message = Array("\(method)\n\(path)\n\(time)\n".utf8)
        message.append(contentsOf: body)
        return JSONWriter.hexString(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// The headers (name, value) a signed request carries.
    public func headers(method: String, path: String, body: [UInt8], now: Double) -> [(String, String)] {
        let time = String(Int(now))
        return [("X-Locus-Time", time), ("X-Locus-Auth", mac(method: method, path: path, time: time, body: body))]
    }

    /// Checks a request's headers (`header` answers a lower-case name); throws 11
    /// (forbidden) when it is not from the fabric.
    public func verify(method: String, path: String, header: (String) -> String?, body: [UInt8], now: Double) throws {
        guard let time = header("x-locus-time"), let t = Double(time), let given = header("x-locus-auth") else {
            throw LocusError(.forbidden, "sync requests must be authenticated with the fabric secret")
        }
        guard abs(t - now) <= SyncAuthenticator.window else {
            throw LocusError(.forbidden, "sync request time is outside the allowed window")
        }
        let expected = mac(method: method, path: path, time: time, body: body)
        // Compared in constant time, so the MAC cannot be guessed byte by byte.
        guard expected.utf8.count == given.utf8.count,
            zip(expected.utf8, given.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw LocusError(.forbidden, "sync request is not signed with the fabric secret") }
    }
}

/// Requests allowed per client address per second, as a token bucket.
public final class RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    public func allow(_ client: String, now: Double) -> Bool {
        buckets.withLock { b in
            if b.count > 10_000 { b.removeAll() }
            var entry = b[client] ?? (burst, now)
            entry.tokens = min(burst, entry.tokens + (now - entry.at) * rate)
            entry.at = now
            let ok = entry.tokens >= 1
            if ok { entry.tokens -= 1 }
            b[client] = entry
            return ok
        }
    }
}
