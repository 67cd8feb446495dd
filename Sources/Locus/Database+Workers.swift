// Query workers: Macrometa's saved, named C8QL queries with default bind values. A worker is
// checked when it is saved (its syntax, and that every default names a bind parameter the
// query declares), kept in the catalog, replicated to every PoP of a fabric, and run with the
// caller's bind values over its defaults.

import LocusErrors
import LocusStorage
import LocusValues

/// A saved query that can be run by name.
///
/// ```swift
/// try db.saveQueryWorker(QueryWorker(name: "byCity",
///                                    query: "FOR u IN users FILTER u.city == @city RETURN u",
///                                    parameters: ["city": "Paris"]))
/// let parisians = try db.runQueryWorker("byCity").rows
/// let romans = try db.runQueryWorker("byCity", bindVars: ["city": "Rome"]).rows
/// ```
public struct QueryWorker: Sendable, Equatable {
    /// A letter, then letters, digits, `_` and `-`; at most 64 bytes.
    public var name: String
    /// The C8QL text.
    public var query: String
    /// Default bind values. An empty string stands for a value every call must supply.
    public var parameters: [String: Value]

    public init(name: String, query: String, parameters: [String: Value] = [:]) {
        self.name = name
        self.query = query
        self.parameters = parameters
    }

    /// Macrometa's description: `{name, value, parameter, type}`.
    public var json: Value {
        var p = Object()
        for (k, v) in parameters.sorted(by: { $0.key < $1.key }) { p[k] = v }
        return ["name": .string(name), "value": .string(query), "parameter": .object(p), "type": "c8ql"]
    }

    /// Reads Macrometa's description; `name` stands in when the description has none.
    public init(json: Value, name fallback: String? = nil) throws {
        guard case .object(let o) = json else {
            throw LocusError(.badParameter, "a query worker must be a JSON object")
        }
        guard let name = o["name"]?.stringValue ?? fallback else {
            throw LocusError(.badParameter, "a query worker needs a 'name'")
        }
        guard let text = o["value"]?.stringValue else {
            throw LocusError(.badParameter, "query worker '\(name)' needs its query text in 'value'")
        }
        if let t = o["type"], !t.isNull, t.stringValue?.lowercased() != "c8ql" {
            throw LocusError(
                .badParameter, "query worker '\(name)': only type 'c8ql' is supported, not \(JSONWriter.string(t))")
        }
        var parameters: [String: Value] = [:]
        switch o["parameter"] ?? .null {
        case .null: break
        case .object(let p): for (k, v) in p { parameters[k] = v }
        default: throw LocusError(.badParameter, "query worker '\(name)': 'parameter' must be an object of bind values")
        }
        self.init(name: name, query: text, parameters: parameters)
    }
}

extension Database {
    /// Saves a query worker after checking it: its name, its syntax (error 1501 with line and
    /// column) and that every default names a declared bind parameter (1552). A new worker
    /// must not exist yet (1207); with `replacing`, it must exist (404).
    @discardableResult
    public func saveQueryWorker(_ worker: QueryWorker, replacing: Bool = false) throws -> QueryWorker {
        try Database.check(worker)
        let text = JSONWriter.string(worker.json)
        try store.withLock { storage in
            try storage.transaction(write: true) {
                let exists = try storage.definition(.worker, worker.name) != nil
                if exists && !replacing {
                    throw LocusError(.duplicateName, "query worker '\(worker.name)' already exists")
                }
                if !exists && replacing { throw Database.workerNotFound(worker.name) }
                try storage.setDefinition(.worker, worker.name, definition: text)
            }
        }
        return worker
    }

    /// Checks a query worker without saving it: its name (1208), its syntax (1501 with line
    /// and column), and that every default names a declared bind parameter (1552).
    public static func check(_ worker: QueryWorker) throws {
        guard DefinitionKind.worker.isValidName(worker.name) else {
            throw LocusError(
                .illegalName,
                "'\(worker.name)' (a query worker name starts with a letter and holds letters, digits, _ and -, at most 64 bytes)"
            )
        }
        let declared = Set(try Database.parse(worker.query).bindVars)
        for name in worker.parameters.keys.sorted() where !declared.contains(name) {
            throw LocusError(.bindParameterUndeclared, name)
        }
    }

    /// Every query worker, by name.
    public func queryWorkers() throws -> [QueryWorker] {
        try store.withLock { try $0.definitions(.worker) }.map {
            try QueryWorker(json: try JSONReader.parse($0.definition), name: $0.name)
        }
    }

    /// One query worker, or nil.
    public func queryWorker(_ name: String) throws -> QueryWorker? {
        guard let d = try store.withLock({ try $0.definition(.worker, name) }) else { return nil }
        return try QueryWorker(json: try JSONReader.parse(d), name: name)
    }

    /// Drops a query worker (404 when there is none).
    public func dropQueryWorker(_ name: String) throws {
        try store.withLock { storage in
            try storage.transaction(write: true) {
                guard try storage.definition(.worker, name) != nil else { throw Database.workerNotFound(name) }
                try storage.setDefinition(.worker, name, definition: nil)
            }
        }
    }

    /// Runs a query worker with `bindVars` over its defaults. A default that is an empty string
    /// must be supplied by the caller (1551 otherwise).
    public func runQueryWorker(_ name: String, bindVars: [String: Value] = [:], options: QueryOptions = QueryOptions())
        throws -> QueryResult
    {
        let worker = try queryWorker(name) ?? { throw Database.workerNotFound(name) }()
        return try query(worker.query, bindVars: worker.bindVars(overriddenBy: bindVars), options: options)
    }

    static func workerNotFound(_ name: String) -> LocusError {
        LocusError(code: .httpNotFound, message: "query worker '\(name)' not found")
    }
}

extension QueryWorker {
    /// The bind values of a call: the caller's, then the defaults that are not empty strings.
    public func bindVars(overriddenBy given: [String: Value]) -> [String: Value] {
        var out = given
        for (k, v) in parameters where out[k] == nil && v != .string("") { out[k] = v }
        return out
    }
}
