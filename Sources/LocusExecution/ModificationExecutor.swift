// InsertNode, UpdateNode, ReplaceNode, RemoveNode and UpsertNode: AQL's write semantics
// (key expressions, recursive merge, keepNull, overwrite modes, revision checks, ignoreErrors)
// over storage writes, setting OLD and NEW for the rows that follow.

import LocusErrors
import LocusPlanner
import LocusStorage
import LocusValues

struct ModificationExecutor {
    /// The pipeline owns the run that creates this helper, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline
    var executor: QueryExecutor { pipeline.executor }
    var storage: Storage { executor.storage }

    /// Applies the operation for one row. Returns false when the row must not flow on.
    func apply(_ spec: ModificationSpec, _ r: inout [Value]) throws -> Bool {
        let c = try storage.requireCollection(spec.collection)
        do {
            try applyOne(spec, c, &r)
            return true
        } catch let e as LocusError
            where spec.options.ignoreErrors && ErrorCode.ignorableByIgnoreErrors.contains(e.code)
        {
            executor.stats.writesIgnored += 1
            return false
        }
    }

    static func key(of v: Value) throws -> String {
        switch v {
        case .string(let s): return s
        case .object(let o):
            guard case .string(let k)? = o["_key"] else { throw LocusError(.documentKeyMissing) }
            return k
        default: throw LocusError(.documentTypeInvalid)
        }
    }

    static func document(_ v: Value) throws -> Object {
        guard case .object(let o) = v else { throw LocusError(.documentTypeInvalid) }
        return o
    }

    static func stripNulls(_ o: Object) -> Object {
        var out = Object()
        for (k, v) in o {
            if v.isNull { continue }
            if case .object(let inner) = v {
                out.appendUnique(k, .object(stripNulls(inner)))
            } else {
                out.appendUnique(k, v)
            }
        }
        return out
    }

    /// UPDATE's patch semantics.
    static func merge(_ old: Object, _ patch: Object, mergeObjects: Bool, keepNull: Bool) -> Object {
        var out = old
        for (k, v) in patch {
            if v.isNull && !keepNull { out[k] = nil; continue }
            if mergeObjects, case .object(let a)? = out[k], case .object(let b) = v {
                out[k] = .object(merge(a, b, mergeObjects: true, keepNull: keepNull))
            } else if !keepNull, case .object(let b) = v {
                out[k] = .object(stripNulls(b))
            } else {
                out[k] = v
            }
        }
        return out
    }

    func setOutputs(_ spec: ModificationSpec, old: Value, new: Value, _ r: inout [Value]) {
        if let s = spec.oldSlot { r[s] = old }
        if let s = spec.newSlot { r[s] = new }
    }

    func applyOne(_ spec: ModificationSpec, _ c: CollectionInfo, _ r: inout [Value]) throws {
        let opts = spec.options
        switch spec.kind {
        case .insert:
            let doc = try ModificationExecutor.document(try pipeline.eval(spec.document!, &r))
            try insert(spec, c, doc, &r)
        case .update, .replace:
            let patch = try ModificationExecutor.document(try pipeline.eval(spec.document!, &r))
            let key = try ModificationExecutor.key(of: try spec.key.map { try pipeline.eval($0, &r) } ?? .object(patch))
            guard case .object(let old)? = try storage.get(c, key: key) else { throw LocusError(.documentNotFound) }
            let expected = opts.ignoreRevs ? nil : patch["_rev"]?.stringValue
            let merged =
                spec.kind == .update
                ? ModificationExecutor.merge(old, patch, mergeObjects: opts.mergeObjects, keepNull: opts.keepNull)
                : patch
            let (o, n) = try storage.replace(
                c, key: key, with: merged, expectedRevision: expected,
                partial: spec.kind == .update, current: old)
            executor.stats.writesExecuted += 1
            setOutputs(spec, old: .object(o), new: .object(n), &r)
        case .remove:
            let kv = try pipeline.eval(spec.key!, &r)
            let key = try ModificationExecutor.key(of: kv)
            var expected: String? = nil
            if !opts.ignoreRevs, case .object(let o) = kv { expected = o["_rev"]?.stringValue }
            let old = try storage.remove(c, key: key, expectedRevision: expected)
            executor.stats.writesExecuted += 1
            setOutputs(spec, old: .object(old), new: .null, &r)
        case .upsert:
            let found = try upsertLookup(spec, c, &r)
            if let old = found {
                if let s = spec.oldSlot { r[s] = .object(old) }
                let patch = try ModificationExecutor.document(try pipeline.eval(spec.key!, &r))
                let key = old["_key"]?.stringValue ?? ""
                let expected = opts.ignoreRevs ? nil : patch["_rev"]?.stringValue
                let merged =
                    spec.upsertReplace
                    ? patch
                    : ModificationExecutor.merge(old, patch, mergeObjects: opts.mergeObjects, keepNull: opts.keepNull)
                let (o, n) = try storage.replace(
                    c, key: key, with: merged, expectedRevision: expected,
                    partial: !spec.upsertReplace, current: old)
                executor.stats.writesExecuted += 1
                setOutputs(spec, old: .object(o), new: .object(n), &r)
            } else {
                if let s = spec.oldSlot { r[s] = .null }
                let doc = try ModificationExecutor.document(try pipeline.eval(spec.document!, &r))
                let n = try storage.insert(c, doc)
                executor.stats.writesExecuted += 1
                setOutputs(spec, old: .null, new: .object(n), &r)
            }
        }
    }

    func insert(_ spec: ModificationSpec, _ c: CollectionInfo, _ doc: Object, _ r: inout [Value]) throws {
        let opts = spec.options
        if let mode = opts.overwriteMode, mode != "conflict", case .string(let key)? = doc["_key"],
            case .object(let old)? = try storage.get(c, key: key)
        {
            switch mode {
            case "ignore":
                setOutputs(spec, old: .null, new: .null, &r)
                return
            case "update":
                let merged = ModificationExecutor.merge(
                    old, doc, mergeObjects: opts.mergeObjects, keepNull: opts.keepNull)
                let (o, n) = try storage.replace(c, key: key, with: merged, partial: true, current: old)
                executor.stats.writesExecuted += 1
                setOutputs(spec, old: .object(o), new: .object(n), &r)
                return
            default:
                let (o, n) = try storage.replace(c, key: key, with: doc, current: old)
                executor.stats.writesExecuted += 1
                setOutputs(spec, old: .object(o), new: .object(n), &r)
                return
            }
        }
        let stored = try storage.insert(
            c, opts.keepNull ? doc : ModificationExecutor.stripNulls(doc),
            returning: spec.newSlot != nil, batched: !opts.ignoreErrors)
        executor.stats.writesExecuted += 1
        setOutputs(spec, old: .null, new: stored.map { .object($0) } ?? .null, &r)
    }

    func upsertLookup(_ spec: ModificationSpec, _ c: CollectionInfo, _ r: inout [Value]) throws -> Object? {
        if spec.upsertIsFilter, let slot = spec.upsertCurrentSlot {
            var found: Object? = nil
            var row = r
            try storage.scan(c) { bytes in
                let v = try JSONReader.parseStored(bytes)
                row[slot] = v
                if try pipeline.eval(spec.upsertSearch!, &row).isTruthy { found = v.objectValue; return false }
                return true
            }
            return found
        }
        guard case .object(let example) = try pipeline.eval(spec.upsertSearch!, &r) else {
            throw LocusError(.documentTypeInvalid)
        }
        if case .string(let k)? = example["_key"] {
            guard case .object(let d)? = try storage.get(c, key: k) else { return nil }
            return example.allSatisfy { (d[$0.0] ?? .null) == $0.1 } ? d : nil
        }
        var found: Object? = nil
        try storage.scan(c) { bytes in
            guard case .object(let d) = try JSONReader.parseStored(bytes) else { return true }
            if example.allSatisfy({ (d[$0.0] ?? .null) == $0.1 }) { found = d; return false }
            return true
        }
        return found
    }
}
