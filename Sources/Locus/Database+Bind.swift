// Bind values from ordinary Swift values: anything Encodable (strings, numbers, arrays,
// dictionaries, the app's own Codable types) is taken as it is and encoded the way documents
// are stored (`Value(encoding:)`), so callers need no `.string(x)` wrapping.

import LocusValues

extension Database {
    /// Runs a query with bind values given as Swift values of any Encodable type.
    ///
    /// ```swift
    /// let name = "Ada", minimum = 30
    /// try db.query("FOR u IN users FILTER u.name == @n AND u.age > @min RETURN u",
    ///              bind: ["n": name, "min": minimum])
    /// ```
    @discardableResult
    public func query(_ text: String, bind: [String: any Encodable], options: QueryOptions = QueryOptions()) throws
        -> QueryResult
    {
        var bindVars: [String: Value] = [:]
        for (name, value) in bind { bindVars[name] = try Value(encoding: value) }
        return try query(text, bindVars: bindVars, options: options)
    }
}
