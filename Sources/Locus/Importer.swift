// Bulk import of JSON documents into a collection within the caller's transaction: each
// document is validated and written as it arrives; a bad one aborts the import (nothing is
// kept) or is skipped and reported with its line number.

import LocusErrors
import LocusStorage
import LocusValues

/// What to do with a document that cannot be imported.
public enum ImportErrorPolicy: String, Sendable {
    case abort, skip
}

/// How an import went.
public struct ImportSummary: Sendable {
    public var created = 0
    public var skipped: [(line: Int, error: String)] = []
}

/// Receives documents during `Database.importDocuments`.
public final class Importer {
    let storage: Storage
    let collectionName: String
    let type: CollectionType?
    let onError: ImportErrorPolicy
    var collection: CollectionInfo?
    var summary = ImportSummary()

    init(storage: Storage, collection: String, type: CollectionType?, onError: ImportErrorPolicy) {
        self.storage = storage
        self.collectionName = collection
        self.type = type
        self.onError = onError
        self.collection = storage.collection(collection)
    }

    func fail(_ line: Int, _ e: LocusError) throws {
        if onError == .abort {
            throw LocusError(code: e.code, message: "line \(line): \(e.message)")
        }
        summary.skipped.append((line, "[\(e.code.number)] \(e.message)"))
    }

    /// Imports one document given as JSON text.
    public func add(line: Int, json: String) throws {
        let v: Value
        do { v = try JSONReader.parse(json) } catch let e as LocusError { return try fail(line, e) }
        try add(line: line, document: v)
    }

    /// Imports one document.
    public func add(line: Int, document v: Value) throws {
        guard case .object(let doc) = v else { return try fail(line, LocusError(.documentTypeInvalid)) }
        if collection == nil {
            let inferred: CollectionType = type ?? (doc["_from"] != nil && doc["_to"] != nil ? .edge : .document)
            collection = try storage.createCollection(collectionName, type: inferred)
        }
        do {
            try storage.insert(collection!, doc)
            summary.created += 1
        } catch let e as LocusError {
            try fail(line, e)
        }
    }

    /// Creates the collection even when no document arrives.
    public func ensureCollection() throws {
        if collection == nil { collection = try storage.createCollection(collectionName, type: type ?? .document) }
    }
}
