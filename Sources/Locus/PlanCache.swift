// Optimized plans kept for reuse, as prepared statements are: a query run again with the same
// text, bind values (prepared parameters aside) and planning options skips parsing, binding
// and optimizing. A plan is reused only under the catalog version it was made under, so a
// collection, index or graph created or dropped by any connection retires it.
//
// A query's value bind parameters are prepared on their own when that costs nothing. The
// second time a query is planned for new values, it is also planned with them as registers
// (a generic plan); when both plans have one shape (`QueryPlan.shape`) the generic plan is
// kept under a key without their values, so `FILTER d._key == @k` with a new key each time
// plans twice in all. A query whose plan depends on a value (a LIMIT, an attribute name, a
// sparse index, a SEARCH) is remembered as such and keeps a plan per set of values. A query
// run once, as from the command line, pays for one plan only.

import LocusPlanner
import LocusValues

/// What a plan depends on besides the catalog.
struct PlanKey: Hashable, Sendable {
    let text: String
    /// The bind values as JSON bytes, so that types and attribute order count; a prepared
    /// parameter counts by its name only, since the plan does not depend on its value.
    let bindVars: [UInt8]
    let optimizerRules: [String]
    let fullCount: Bool
    /// The key's hash, worked out once: a query's key is looked up and stored several times
    /// (plans, generic verdicts, their tables growing), and its text can be long.
    private let digest: Int

    /// The key of a query planned with `options`, and the key of its generic plan (every value
    /// parameter prepared, see `QueryOptions.preparingValues`) when it has a value parameter not
    /// yet prepared. Both are made in one pass: a cached query with values looks up both.
    static func pair(text: String, bindVars: [String: Value], options: QueryOptions) -> PlanKeys {
        var specific: [UInt8] = []
        var generic: [UInt8] = []
        // Sized for short names and values, so that neither buffer grows for common queries.
        specific.reserveCapacity(24 * bindVars.count)
        generic.reserveCapacity(16 * bindVars.count)
        var preparesMore = false
        func member(_ name: String, _ value: Value) {
            if !specific.isEmpty { specific.append(UInt8(ascii: ",")) }
            let start = specific.count
            JSONWriter.writeString(name, into: &specific)
            specific.append(UInt8(ascii: ":"))
            if !generic.isEmpty { generic.append(UInt8(ascii: ",")) }
            generic.append(contentsOf: specific[start...])
            if !options.preparedParameters.isEmpty && options.preparedParameters.contains(name) {
                specific.append(UInt8(ascii: "?"))
                generic.append(UInt8(ascii: "?"))
                return
            }
            JSONWriter.write(value, into: &specific)
            if name.utf8.first == UInt8(ascii: "@") {
                // A collection parameter (`@@c`) is never prepared: the plan reads its collection.
                JSONWriter.write(value, into: &generic)
            } else {
                generic.append(UInt8(ascii: "?"))
                preparesMore = true
            }
        }
        // None or one bind variable (the common cases) need no sorted copy of the names.
        switch bindVars.count {
        case 0: break
        case 1: for (name, value) in bindVars { member(name, value) }
        default: for (name, value) in bindVars.sorted(by: { $0.key < $1.key }) { member(name, value) }
        }
        var textHash = Hasher()
        textHash.combine(text)
        return PlanKeys(
            specific: PlanKey(text: text, json: specific, options: options, textHash: textHash),
            generic: preparesMore ? PlanKey(text: text, json: generic, options: options, textHash: textHash) : nil)
    }

    private init(text: String, json: [UInt8], options: QueryOptions, textHash: Hasher) {
        self.text = text
        bindVars = json
        optimizerRules = options.optimizerRules
        fullCount = options.fullCount
        // The bytes are hashed in one piece: an array's own hashing takes them one at a time.
        var h = textHash
        json.withUnsafeBytes { h.combine(bytes: $0) }
        h.combine(optimizerRules)
        h.combine(fullCount)
        digest = h.finalize()
    }

    func hash(into h: inout Hasher) { h.combine(digest) }

    static func == (a: PlanKey, b: PlanKey) -> Bool {
        a.digest == b.digest && a.text == b.text && a.bindVars == b.bindVars && a.optimizerRules == b.optimizerRules
            && a.fullCount == b.fullCount
    }
}

/// The keys a query's plan may be kept under: with its values, and generic when it has a
/// value parameter to prepare (see `PlanKey.pair`).
struct PlanKeys: Sendable {
    let specific: PlanKey
    let generic: PlanKey?
    var text: String { specific.text }
}

/// A bounded map from plan keys to plans, evicting the least recently used.
struct PlanCache: Sendable {
    /// A kept plan. A class, so that handing one out is one reference, not a copy of the
    /// plan's every array and set: a cached query that does little pays for each.
    final class Entry: Sendable {
        let plan: QueryPlan
        let writes: Bool
        let catalogVersion: Int64
        /// Whether the plan touches stored data; one that does not runs without a snapshot
        /// and stays valid whatever the catalog becomes.
        let readsStorage: Bool

        init(plan: QueryPlan, writes: Bool, catalogVersion: Int64) {
            self.plan = plan
            self.writes = writes
            self.catalogVersion = catalogVersion
            readsStorage = writes || plan.root.readsStorage
        }
    }

    private struct Slot {
        let entry: Entry
        var lastUse: UInt64
    }

    static let capacity = 128
    private var entries: [PlanKey: Slot] = [:]
    private var clock: UInt64 = 0
    /// What is known of a query's generic plan, by its generic key.
    enum GenericVerdict: Sendable {
        /// Planned once, for one set of values: a generic plan is not tried yet.
        case plannedOnce
        /// The generic plan differs from the plan for given values.
        case needsValues
    }
    private var verdicts: [PlanKey: GenericVerdict] = [:]

    /// The cached plan for `key`, marked as just used; the caller checks its catalog version.
    mutating func entry(_ key: PlanKey) -> Entry? {
        guard let i = entries.index(forKey: key) else { return nil }
        clock += 1
        entries.values[i].lastUse = clock
        return entries.values[i].entry
    }

    /// Keys larger than this (a query with a large document as a bind value) are not kept:
    /// such queries are rarely repeated, and the plan holds the value a second time.
    static let largestKey = 1 << 16

    /// How many plans a full cache lets go at once: the least recently used eighth (sixteen), so
    /// that finding them (a pass over every plan) is paid once per sixteen stores, not per store.
    static let evictedTogether = capacity / 8

    mutating func store(_ key: PlanKey, _ entry: Entry) {
        guard key.text.utf8.count + key.bindVars.count <= PlanCache.largestKey else { return }
        clock += 1
        if entries[key] == nil, entries.count >= PlanCache.capacity {
            let uses = entries.values.map(\.lastUse).sorted()
            let newestEvicted = uses[PlanCache.evictedTogether - 1]
            // Removed one by one: a filtered copy of the table rehashes every plan kept.
            let evicted = entries.compactMap { $0.value.lastUse <= newestEvicted ? $0.key : nil }
            for key in evicted { entries[key] = nil }
        }
        entries[key] = Slot(entry: entry, lastUse: clock)
    }

    var count: Int { entries.count }

    func verdict(_ key: PlanKey) -> GenericVerdict? { verdicts[key] }

    mutating func note(_ verdict: GenericVerdict, for key: PlanKey) {
        guard key.text.utf8.count + key.bindVars.count <= PlanCache.largestKey else { return }
        if verdicts[key] == nil, verdicts.count >= 4 * PlanCache.capacity { verdicts.removeAll() }
        verdicts[key] = verdict
    }
}

extension QueryOptions {
    /// These options with every value bind parameter prepared (those not naming a collection
    /// with `@@`), for a generic plan; nil when there is none left to prepare.
    func preparingValues(of bindVars: [String: Value]) -> QueryOptions? {
        guard bindVars.keys.contains(where: { !$0.hasPrefix("@") && !preparedParameters.contains($0) }) else {
            return nil
        }
        var prepared = preparedParameters
        for name in bindVars.keys where !name.hasPrefix("@") { prepared.insert(name) }
        var generic = self
        generic.preparedParameters = prepared
        return generic
    }
}
