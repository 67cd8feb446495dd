// Bulk import of JSON documents into a collection within the caller's transaction: each
// document is validated and written as it arrives; a bad one aborts the import (nothing is
// kept) or is skipped and reported with its line number (or, in a JSON array, its index).

import LocusErrors
import LocusStorage
import LocusValues

/// What to do with a document that cannot be imported.
public enum ImportErrorPolicy: String, Sendable, CaseIterable {
    case abort, skip
}

/// How an import went.
public struct ImportSummary: Sendable {
    public var created = 0
    /// The documents skipped: their line, or their index (from 0) in an imported JSON array.
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

    /// Where a document came from, for messages.
    enum Origin {
        case line(Int), element(Int)
        var number: Int {
            switch self {
            case .line(let n), .element(let n): n
            }
        }
        var description: String {
            switch self {
            case .line(let n): "line \(n)"
            case .element(let i): "array element \(i)"
            }
        }
    }

    func fail(_ origin: Origin, _ e: LocusError) throws {
        if onError == .abort {
            throw LocusError(code: e.code, message: "\(origin.description): \(e.message)")
        }
        summary.skipped.append((origin.number, "[\(e.code.number)] \(origin.description): \(e.message)"))
    }

    /// Imports one document given as JSON text.
    public func add(line: Int, json: String) throws {
        let v: Value
        do { v = try JSONReader.parse(json) } catch let e as LocusError { return try fail(.line(line), e) }
        try add(.line(line), document: v)
    }

    /// Imports one document of line `line`.
    public func add(line: Int, document v: Value) throws { try add(.line(line), document: v) }

    /// Imports the document at `index` (from 0) of an imported JSON array.
    public func add(element index: Int, document v: Value) throws { try add(.element(index), document: v) }

    func add(_ origin: Origin, document v: Value) throws {
        guard case .object(let doc) = v else { return try fail(origin, LocusError(.documentTypeInvalid)) }
        if collection == nil {
            let inferred: CollectionType = type ?? (doc["_from"] != nil && doc["_to"] != nil ? .edge : .document)
            collection = try storage.createCollection(collectionName, type: inferred)
        }
        do {
            try storage.insert(collection!, doc)
            summary.created += 1
        } catch let e as LocusError {
            try fail(origin, e)
        }
    }

    /// Creates the collection even when no document arrives.
    public func ensureCollection() throws {
        if collection == nil { collection = try storage.createCollection(collectionName, type: type ?? .document) }
    }
}
