// Named definitions in the catalog: query workers, analyzers and views, each kept as JSON text
// in a table of its kind (storage knows nothing of queries; a view's definition is also
// applied to its entries, see Storage+Views). At a PoP each one is a catalog entry
// `@KIND:NAME`, a single register, so that a save, an update or a drop replicates to every PoP
// of the fabric as collections and the policy do.

import LocusErrors
import LocusValues

/// A kind of named definition the catalog keeps and replicates.
public enum DefinitionKind: String, CaseIterable, Sendable {
    /// Macrometa's query workers (saved C8QL queries).
    case worker
    /// ArangoSearch's custom analyzers.
    case analyzer
    /// ArangoSearch views (their entries are storage's; see Storage+Views).
    case view

    /// The table of the kind's definitions (`locus_workers`, `locus_analyzers`).
    var table: String { "locus_\(rawValue)s" }

    /// The catalog key prefix of the kind's entries at a PoP.
    public var keyPrefix: String { "@\(rawValue):" }

    /// What the kind is called in messages.
    public var noun: String {
        switch self {
        case .worker: "query worker"
        case .analyzer: "analyzer"
        case .view: "view"
        }
    }

    /// The longest name, in bytes: Macrometa's 64 for workers, ArangoDB's 254 for analyzers.
    var maximumNameLength: Int {
        switch self {
        case .worker: 64
        case .analyzer, .view: 254
        }
    }

    /// A letter, then letters, digits, `_` and `-`, within the kind's length.
    public func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= maximumNameLength,
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first | 0x20)
        else { return false }
        return name.utf8.allSatisfy { c in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }

    /// The kind and name of a catalog key naming a definition, or nil.
    static func entry(_ key: String) -> (DefinitionKind, String)? {
        for kind in allCases where key.hasPrefix(kind.keyPrefix) {
            let name = String(key.dropFirst(kind.keyPrefix.count))
            return kind.isValidName(name) ? (kind, name) : nil
        }
        return nil
    }
}

extension Storage {
    func ensureDefinitionTable(_ kind: DefinitionKind) throws {
        try sql.execute(
            "CREATE TABLE IF NOT EXISTS \(kind.table)(name TEXT PRIMARY KEY NOT NULL, definition TEXT NOT NULL)")
    }

    /// Every definition of a kind, by name.
    public func definitions(_ kind: DefinitionKind) throws -> [(name: String, definition: String)] {
        guard try sql.tableExists(kind.table) else { return [] }
        let s = try sql.prepare("SELECT name, definition FROM \(kind.table) ORDER BY name")
        defer { s.reset() }
        var out: [(name: String, definition: String)] = []
        while try s.step() { out.append((s.text(0) ?? "", s.text(1) ?? "")) }
        return out
    }

    /// One definition, or nil.
    public func definition(_ kind: DefinitionKind, _ name: String) throws -> String? {
        guard try sql.tableExists(kind.table) else { return nil }
        let s = try sql.prepare("SELECT definition FROM \(kind.table) WHERE name = ?")
        defer { s.reset() }
        s.bind(1, name)
        return try s.step() ? s.text(0) : nil
    }

    /// Stores (or with nil drops) a definition, recording the change in the catalog's clocks
    /// at a PoP.
    public func setDefinition(_ kind: DefinitionKind, _ name: String, definition: String?) throws {
        guard kind.isValidName(name) else {
            throw LocusError(.illegalName, "invalid \(kind.noun) name '\(name)'")
        }
        try transaction(write: true) {
            try storeDefinition(kind, name, definition: definition)
            guard replica != nil else { return }
            let key = kind.keyPrefix + name
            let prior = try clockRow(coll: 0, key: key, attr: "")
            let cl = CausalLength.settled(prior?.cl, live: definition != nil)
            _ = nextTick()
            try writeClock(coll: 0, key: key, attr: "", cl: cl, stamp: try localStamp())
        }
    }

    func storeDefinition(_ kind: DefinitionKind, _ name: String, definition: String?) throws {
        try ensureDefinitionTable(kind)
        let s = try sql.prepare(
            definition == nil
                ? "DELETE FROM \(kind.table) WHERE name = ?"
                : "INSERT OR REPLACE INTO \(kind.table)(name, definition) VALUES (?, ?)")
        s.bind(1, name)
        if let definition { s.bind(2, definition) }
        try s.run()
    }

    /// The replicated state of a definition's catalog entry, or nil when it is dropped.
    func definitionState(_ kind: DefinitionKind, _ name: String) throws -> Object? {
        guard let d = try definition(kind, name) else { return nil }
        return ["definition": .string(d)]
    }

    /// Makes the stored definition agree with a merged catalog entry.
    func materializeDefinition(_ kind: DefinitionKind, _ name: String, _ state: ReplicatedState) throws {
        guard state.present else {
            try storeDefinition(kind, name, definition: nil)
            if kind == .view { try materializeView(name, definition: nil) }
            return
        }
        guard case .string(let d)? = state.values["definition"] else {
            throw LocusError(.replicationInvalidResponse, "\(kind.noun) '\(name)' has no definition")
        }
        try storeDefinition(kind, name, definition: d)
        if kind == .view { try materializeView(name, definition: d) }
    }
}
