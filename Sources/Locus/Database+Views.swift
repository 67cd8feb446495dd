// ArangoSearch views in a database: created, read, changed and dropped as ArangoDB's
// `/_api/view` does; queried with `FOR d IN view SEARCH …`. A view's definition is a catalog
// entry (replicated to every PoP); its entries are built at each PoP from what that PoP holds.

import LocusAnalysis
import LocusErrors
import LocusStorage
import LocusValues

extension Database {
    /// Creates an `arangosearch` view and indexes the linked collections' documents at once.
    ///
    /// ```swift
    /// try db.createView(SearchViewDefinition(json: [
    ///     "name": "posts_view", "links": ["posts": ["fields": ["body": ["analyzers": ["text_en"]]]]],
    /// ]))
    /// let hits = try db.query("FOR d IN posts_view SEARCH ANALYZER(d.body == 'fox', 'text_en') RETURN d")
    /// ```
    @discardableResult
    public func createView(_ definition: SearchViewDefinition) throws -> Value {
        let info = try store.withLock { try $0.createView(definition) }
        return info.definition.json(id: info.id)
    }

    /// Every view's properties, by name.
    public func views() throws -> [Value] {
        try store.withLock { try $0.views() }.map { $0.definition.json(id: $0.id) }
    }

    /// A view's properties (ArangoDB's `GET /_api/view/NAME/properties`), or nil.
    public func view(_ name: String) throws -> Value? {
        try store.withLock { try $0.view(name) }.map { $0.definition.json(id: $0.id) }
    }

    /// Changes a view's properties: all of them (`partial: false`, PUT) or those given
    /// (`partial: true`, PATCH: links merge, a link set to null goes). 1203 when there is none.
    @discardableResult
    public func updateView(_ name: String, properties: Object, partial: Bool) throws -> Value {
        try store.withLock { storage in
            try storage.transaction(write: true) {
                guard var definition = try storage.view(name)?.definition else { throw Database.viewNotFound(name) }
                try definition.applyProperties(properties, partial: partial)
                let info = try storage.replaceView(definition)
                return info.definition.json(id: info.id)
            }
        }
    }

    /// Drops a view and its entries (1203 when there is none).
    public func dropView(_ name: String) throws {
        try store.withLock { try $0.dropView(name) }
    }

    static func viewNotFound(_ name: String) -> LocusError {
        LocusError(code: .dataSourceNotFound, message: "collection or view not found: \(name)")
    }
}
