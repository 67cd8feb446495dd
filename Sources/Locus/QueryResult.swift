// What a query returns to the embedding app: rows, warnings and statistics, with decoding
// of rows into the caller's Decodable types.

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials  // JSONDecoder without ICU and CoreFoundation: faster process start
#else
import Foundation
#endif
import LocusExecution
import LocusValues

/// A warning raised while a query ran (ArangoDB's `extra.warnings`).
public struct QueryWarning: Sendable, Equatable, Codable {
    public var code: Int
    public var message: String
}

/// How long a query's phases took, in seconds (ArangoDB's `extra.profile`). A plan taken from
/// the plan cache spends no time parsing or optimizing.
public struct QueryProfile: Sendable, Equatable {
    public var parsing: Double = 0
    public var optimizing: Double = 0
    public var executing: Double = 0
    /// Committing (or rolling back) the query's transaction.
    public var finalizing: Double = 0

    public init() {}

    /// `{"parsing": …, "optimizing plan": …, "executing": …, "finalizing": …}`, ArangoDB's names.
    public var json: Value {
        [
            "parsing": .number(parsing), "optimizing plan": .number(optimizing), "executing": .number(executing),
            "finalizing": .number(finalizing),
        ]
    }

    /// Monotonic seconds, for phase timings.
    static func now() -> Double { MonotonicClock.seconds() }
}

/// The outcome of a query.
public struct QueryResult: Sendable {
    /// The result rows (none with `QueryOptions.rowsAsJSON`).
    public var rows: [Value]
    /// With `QueryOptions.rowsAsJSON`: the result rows as JSON texts.
    public var jsonRows = JSONRows()
    /// How many rows the query returned, in either form.
    public var count: Int { rows.count + jsonRows.count }
    public var warnings: [QueryWarning]
    public var stats: ExecutionStats
    /// With `QueryOptions.profile`: how long each phase took.
    public var profile: QueryProfile?

    /// Decodes every row into `T`.
    ///
    /// ```swift
    /// struct User: Decodable { var name: String; var age: Int }
    /// let users = try db.query("FOR u IN users RETURN u").decode(User.self)
    /// ```
    /// Rows taken as JSON (`QueryOptions.rowsAsJSON`) are decoded from their texts directly.
    public func decode<T: Decodable>(_ type: T.Type) throws -> [T] {
        let decoder = JSONDecoder()
        func decoded(_ text: some Collection<UInt8>) throws -> T {
            do {
                return try decoder.decode(T.self, from: Data(text))
            } catch {
                throw LocusError(.typeError, at: nil).with(
                    message:
                        "cannot decode \(T.self) from \(String(decoding: text, as: UTF8.self).prefix(200)): \(error)")
            }
        }
        if rows.isEmpty { return try jsonRows.map { try decoded($0) } }
        return try rows.map { try decoded(Array(JSONWriter.string($0).utf8)) }
    }
}

extension LocusError {
    func with(message: String) -> LocusError {
        var e = self
        e.message = message
        return e
    }
}

extension Value {
    /// Encodes any Encodable as a Value (for bind variables and documents).
    public init<T: Encodable>(encoding value: T) throws {
        let data: Data
        do { data = try JSONEncoder().encode(value) } catch {
            throw LocusError(.bindParametersInvalid).with(message: "cannot encode \(T.self): \(error)")
        }
        self = try JSONReader.parse(String(decoding: data, as: UTF8.self))
    }
}
