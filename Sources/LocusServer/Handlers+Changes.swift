// The change stream route: `GET /_api/changes/{collection}?since=&limit=&timeout=` answers a
// collection's changes after `since` as JSON lines. With nothing to send and a `timeout`, the
// HTTP front end waits for a commit (off the worker threads) and asks again: a long poll.
// `x-locus-position` is where to resume; without `since`, the stream is followed from now.

import Locus
import LocusValues

extension APIService {
    static let changesLimit = 10_000
    /// The longest a long poll waits, so that shutdown and proxies are not held up.
    static let longestPoll = 60.0

    func changes(_ r: APIRequest) throws -> APIResponse {
        let db = try database(r)
        let limit = try r.count("limit", default: 1000)
        guard limit >= 1, limit <= APIService.changesLimit else {
            throw LocusError(.badParameter, "limit must be from 1 to \(APIService.changesLimit)")
        }
        let since: Int
        if let raw = r.query["since"], !raw.isEmpty {
            guard let n = Int(raw), n >= 0 else {
                throw LocusError(.badParameter, "since must be a stream position, not '\(raw)'")
            }
            since = n
        } else {
            since = try db.streamPosition()
        }
        let entries = try db.changes(in: r.parameter(0), since: since, limit: limit)
        var body: [UInt8] = []
        for e in entries {
            JSONWriter.write(e.json, into: &body)
            body.append(UInt8(ascii: "\n"))
        }
        return APIResponse(
            status: 200, body: body,
            headers: [
                ("Content-Type", "application/x-ndjson; charset=utf-8"),
                ("x-locus-position", String(entries.last?.position ?? since)),
                ("x-locus-count", String(entries.count)),
                ("x-locus-more", entries.count == limit ? "true" : "false"),
            ])
    }

    /// A `/_ws/changes` request that did not upgrade: the stream's own error when it has one
    /// (no PoP, no collection), else a pointer to the long poll.
    func changeSocketRefused(_ r: APIRequest) throws -> APIResponse {
        let db = try database(r)
        _ = try db.changes(in: r.parameter(0), since: try db.streamPosition(), limit: 1)
        throw LocusError(
            .badParameter,
            "/_ws/changes/\(r.parameter(0)) answers WebSocket upgrades only; use GET /_api/changes/\(r.parameter(0)) for long polls"
        )
    }

    /// How long a changes request may wait for a commit: its `timeout`, at most `longestPoll`.
    static func pollTimeout(_ r: APIRequest) -> Double {
        guard let raw = r.query["timeout"], let t = Double(raw), t.isFinite, t > 0 else { return 0 }
        return min(t, longestPoll)
    }
}
