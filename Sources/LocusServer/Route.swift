// One entry of the route table: a method, a path pattern below `/_api/` (`:name` captures a
// segment), the access it needs, and its handler.

/// A route of the API.
struct Route: Sendable {
    enum Access: Sendable, Equatable {
        /// No credentials (`/_open/auth`, the version).
        case open
        /// The sync endpoint: the fabric secret and the rate limit instead of users.
        case sync
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
    let handler: Handler

    init(_ method: APIRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) {
        self.method = method
        pattern = path.split(separator: "/").map(String.init)
        self.access = access
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
