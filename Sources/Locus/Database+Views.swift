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
                guard var definition = try storage.view(name)?.definition else {
                    throw LocusError(.dataSourceNotFound, name)
                }
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

    /// The view behind Macrometa's search capability of a collection.
    public static func searchViewName(for collection: String) -> String { "c8search_" + collection }

    /// Macrometa's per-collection search capability (`POST /search/collection/C?enable=&field=`):
    /// enabling indexes `field` of `collection` (created when missing) in the view
    /// `c8search_COLLECTION` with the `text_en` and `identity` analyzers; disabling removes the
    /// field, and the view with its last field.
    public func setCollectionSearch(_ collection: String, field: String, enabled: Bool) throws {
        guard !field.isEmpty else { throw LocusError(.badParameter, "a search field is required") }
        let name = Database.searchViewName(for: collection)
        if enabled { try createCollection(collection, ifNotExists: true) }
        try store.withLock { storage in
            try storage.transaction(write: true) {
                guard storage.collection(collection) != nil else { throw LocusError(.dataSourceNotFound, collection) }
                var definition = try storage.view(name)?.definition ?? SearchViewDefinition(name: name)
                var link = definition.links[collection] ?? SearchLink()
                link.fields[field] = enabled ? SearchLink(analyzers: ["text_en", "identity"]) : nil
                definition.links[collection] = link.fields.isEmpty ? nil : link
                let exists = try storage.view(name) != nil
                switch (exists, definition.links.isEmpty) {
                case (false, true): break
                case (false, false): try storage.createView(definition)
                case (true, true): try storage.dropView(name)
                case (true, false): try storage.replaceView(definition)
                }
            }
        }
    }
}
