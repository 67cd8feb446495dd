// One entry of the route table: a method, a path pattern below `/_api/` (`:name` captures a
// segment), the access it needs, whether it is quick enough to run without a worker thread,
// and its handler.

/// A route of the API.
struct Route: Sendable {
    enum Access: Sendable, Equatable {
        /// No credentials (`/_open/auth`, the version).
        case open
        /// The sync endpoint: the fabric secret and the rate limit instead of users.
        case sync
        /// Any authenticated user, whatever its access to the database (its own API keys).
        case user
        /// Read access (`ro`) to the database.
        case read
        /// Write access (`rw`) to the database.
        case write
        /// Write access to `_system` (databases and users).
        case admin
    }

    typealias Handler = @Sendable (APIService, APIRequest) throws -> APIResponse

    let method: APIRequest.Method
    let pattern: [String]
    let access: Access
    /// A handler that only reads a few rows through a reader connection, never waits for a
    /// lock and never runs a query. It runs where the request arrives: the hop to a worker
    /// thread and back costs more than the read (point reads by key: 8,900 requests/s with
    /// the hop, 14,900 without).
    let quick: Bool
    /// A long poll: when the answer is empty (`x-locus-count: 0`), the front end waits for a
    /// commit, up to the request's `timeout`, and asks again.
    let polls: Bool
    let handler: Handler

    init(
        _ method: APIRequest.Method, _ path: String, _ access: Access, quick: Bool = false, polls: Bool = false,
        _ handler: @escaping Handler
    ) {
        self.method = method
        pattern = path.split(separator: "/").map(String.init)
        self.access = access
        self.quick = quick
        self.polls = polls
        self.handler = handler
    }

    /// The captured segments when `segments` fits the pattern.
    func matches(_ segments: [String]) -> [String]? {
        guard segments.count == pattern.count else { return nil }
        var captured: [String] = []
        for (p, s) in zip(pattern, segments) {
            if p.hasPrefix(":") { captured.append(s) } else if p != s { return nil }
        }
        return captured
    }
}
