// Object and document functions: MERGE, KEEP, UNSET, HAS, ATTRIBUTES, VALUES, ZIP,
// PARSE_IDENTIFIER and friends.

import LocusValues

enum ObjectFunctions {
    static func object(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> Object? {
        if case .object(let o) = v { return o }
        _ = Args.invalid(name, env)
        return nil
    }

    /// The attribute names KEEP and UNSET (and their recursive forms) take, read as ArangoDB
    /// reads them: each argument a string, a number (its string form: `1.5` names "1.5"), or
    /// an array of strings, whose other members each draw warning 1542; arguments of any other
    /// type name nothing.
    static func names(_ function: String, _ a: ArraySlice<Value>, _ env: FunctionEnvironment) -> Set<String> {
        var out = Set<String>()
        for v in a {
            switch v {
            case .string(let s): out.insert(s)
            case .number: out.insert(v.toStringValue)
            case .array(let members):
                for m in members {
                    if case .string(let s) = m { out.insert(s) } else { _ = Args.invalid(function, env) }
                }
            default: break
            }
        }
        return out
    }

    static func mergeRecursive(_ a: Object, _ b: Object) -> Object {
        var out = a
        for (k, v) in b {
            if case .object(let l)? = out[k], case .object(let r) = v {
                out[k] = .object(mergeRecursive(l, r))
            } else {
                out[k] = v
            }
        }
        return out
    }

    static func merge(_ name: String, _ a: [Value], recursive: Bool, _ env: FunctionEnvironment) -> Value {
        let parts = a.count == 1 && a[0].arrayValue != nil ? a[0].arrayValue! : a
        var out = Object()
        for p in parts {
            guard case .object(let o) = p else { return Args.invalid(name, env) }
            if recursive { out = mergeRecursive(out, o) } else { for (k, v) in o { out[k] = v } }
        }
        return .object(out)
    }

    /// (collection, key) of a document `_id`, given as a string or as a document.
    static func splitId(_ v: Value) -> (String, String)? {
        var id = v
        if case .object(let o) = v { id = o["_id"] ?? .null }
        guard case .string(let s) = id else { return nil }
        return DocumentKey.splitId(s)
    }

    /// ATTRIBUTES and its alias KEYS.
    static func attributes(_ name: String) -> FunctionDefinition {
        FunctionDefinition(name, 1, 3, signature: "\(name)(document, removeSystemAttrs, sort)") { a, env in
            guard let o = object(name, a[0], env) else { return .null }
            var keys = o.keys
            if Args.optBool(a, 1) { keys = keys.filter { !$0.hasPrefix("_") } }
            if Args.optBool(a, 2) { keys.sort { Value.compareStrings($0, $1) < 0 } }
            return .array(keys.map { .string($0) })
        }
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("MERGE", 1, nil, signature: "MERGE(document1, document2, ...)") { a, env in
            merge("MERGE", a, recursive: false, env)
        },
        FunctionDefinition("MERGE_RECURSIVE", 1, nil, signature: "MERGE_RECURSIVE(document1, document2, ...)") {
            a, env in
            merge("MERGE_RECURSIVE", a, recursive: true, env)
        },
        FunctionDefinition("KEEP", 2, nil, signature: "KEEP(document, attributeName1, ...)") { a, env in
            guard let o = object("KEEP", a[0], env) else { return .null }
            let keep = names("KEEP", a[1...], env)
            var out = Object()
            for (k, v) in o where keep.contains(k) { out.appendUnique(k, v) }
            return .object(out)
        },
        FunctionDefinition("UNSET", 2, nil, signature: "UNSET(document, attributeName1, ...)") { a, env in
            guard let o = object("UNSET", a[0], env) else { return .null }
            let drop = names("UNSET", a[1...], env)
            var out = Object()
            for (k, v) in o where !drop.contains(k) { out.appendUnique(k, v) }
            return .object(out)
        },
        attributes("KEYS"),
        FunctionDefinition("KEEP_RECURSIVE", 2, nil, signature: "KEEP_RECURSIVE(document, attributeName1, ...)") {
            a, env in
            guard case .object = a[0] else { return Args.invalid("KEEP_RECURSIVE", env) }
            let keep = names("KEEP_RECURSIVE", a[1...], env)
            func pick(_ v: Value) -> Value {
                guard case .object(let o) = v else { return v }
                var out = Object()
                for (k, x) in o where keep.contains(k) { out.appendUnique(k, pick(x)) }
                return .object(out)
            }
            return pick(a[0])
        },
        FunctionDefinition("TRANSLATE", 2, 3, signature: "TRANSLATE(value, lookupDocument, defaultValue)") { a, env in
            guard case .object(let lookup) = a[1] else { return Args.invalid("TRANSLATE", env) }
            return lookup[a[0].toStringValue] ?? (a.count > 2 ? a[2] : a[0])
        },
        FunctionDefinition("VALUE", 2, 2, signature: "VALUE(document, path)") { a, env in
            // As ArangoDB walks a path: a string steps into an object, a number (truncated,
            // never from the end) into an array; an empty path, a missing step or a step of
            // another type gives null without a warning.
            guard case .object = a[0], case .array(let path) = a[1] else { return Args.invalid("VALUE", env) }
            guard !path.isEmpty else { return .null }
            var v = a[0]
            for p in path {
                switch (p, v) {
                case (.string(let s), .object(let o)):
                    guard let next = o[s] else { return .null }
                    v = next
                case (.number(let n), .array(let items)):
                    guard n >= 0, n < Double(items.count) else { return .null }
                    v = items[Int(n)]
                default: return .null
                }
            }
            return v
        },
        FunctionDefinition("PARSE_COLLECTION", 1, 1, signature: "PARSE_COLLECTION(documentIdentifier)") { a, env in
            guard let (c, _) = splitId(a[0]) else { return Args.invalid("PARSE_COLLECTION", env) }
            return .string(c)
        },
        FunctionDefinition("PARSE_KEY", 1, 1, signature: "PARSE_KEY(documentIdentifier)") { a, env in
            guard let (_, k) = splitId(a[0]) else { return Args.invalid("PARSE_KEY", env) }
            return .string(k)
        },
        FunctionDefinition(
            "IS_SAME_COLLECTION", 2, 2, signature: "IS_SAME_COLLECTION(collectionName, documentIdentifier)"
        ) { a, env in
            guard case .string(let c) = a[0], let (idCollection, _) = splitId(a[1]) else {
                return Args.invalid("IS_SAME_COLLECTION", env)
            }
            return .bool(idCollection == c)
        },
        FunctionDefinition("HAS", 2, 2, signature: "HAS(document, attributeName)") { a, _ in
            guard case .object(let o) = a[0] else { return .bool(false) }
            return .bool(o[a[1].toStringValue] != nil)
        },
        attributes("ATTRIBUTES"),
        FunctionDefinition("VALUES", 1, 2, signature: "VALUES(document, removeSystemAttrs)") { a, env in
            guard let o = object("VALUES", a[0], env) else { return .null }
            let drop = Args.optBool(a, 1)
            return .array(o.filter { !drop || !$0.0.hasPrefix("_") }.map(\.1))
        },
        FunctionDefinition("ZIP", 2, 2, signature: "ZIP(keys, values)") { a, env in
            guard case .array(let ks) = a[0], case .array(let vs) = a[1], ks.count == vs.count else {
                return Args.invalid("ZIP", env)
            }
            var out = Object()
            for (k, v) in zip(ks, vs) where out[k.toStringValue] == nil { out[k.toStringValue] = v }  // the first wins
            return .object(out)
        },
        FunctionDefinition("ENTRIES", 1, 1, signature: "ENTRIES(document)") { a, env in
            guard let o = object("ENTRIES", a[0], env) else { return .null }
            return .array(o.map { .array([.string($0.0), $0.1]) })
        },
        FunctionDefinition("MATCHES", 2, 3, signature: "MATCHES(document, examples, returnIndex)") { a, env in
            guard case .object(let doc) = a[0] else { return .bool(false) }
            let examples = a[1].arrayValue ?? [a[1]]
            for (i, ex) in examples.enumerated() {
                guard case .object(let e) = ex else {
                    _ = Args.invalid("MATCHES", env)  // and the next example is tried
                    continue
                }
                if e.allSatisfy({ (doc[$0.0] ?? .null) == $0.1 }) { return Args.optBool(a, 2) ? .int(i) : .bool(true) }
            }
            return Args.optBool(a, 2) ? .int(-1) : .bool(false)
        },
        FunctionDefinition("PARSE_IDENTIFIER", 1, 1, signature: "PARSE_IDENTIFIER(documentIdentifier)") { a, env in
            guard let (c, k) = splitId(a[0]) else { return Args.invalid("PARSE_IDENTIFIER", env) }
            return ["collection": .string(c), "key": .string(k)]
        },
        FunctionDefinition("UNSET_RECURSIVE", 2, nil, signature: "UNSET_RECURSIVE(document, attributeName1, ...)") {
            a, env in
            guard case .object = a[0] else { return Args.invalid("UNSET_RECURSIVE", env) }
            let drop = names("UNSET_RECURSIVE", a[1...], env)
            func strip(_ v: Value) -> Value {
                guard case .object(let o) = v else { return v }
                var out = Object()
                for (k, x) in o where !drop.contains(k) { out.appendUnique(k, strip(x)) }
                return .object(out)
            }
            return strip(a[0])
        },
    ]
}
