// Array functions: access (FIRST, LAST, NTH, POSITION), building (PUSH, APPEND, UNION, …),
// set operations, sorting and flattening. Equality and order are AQL's.

import LocusErrors
import LocusValues

enum ArrayFunctions {
    static func array(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> [Value]? {
        if case .array(let a) = v { return a }
        _ = Args.notAnArray(name, env)
        return nil
    }

    static func unique(_ xs: [Value]) -> [Value] {
        var seen = Set<Value>()
        return xs.filter { seen.insert($0).inserted }
    }

    static func flatten(_ xs: [Value], depth: Int) -> [Value] {
        var out: [Value] = []
        for x in xs {
            if depth > 0, case .array(let inner) = x { out += flatten(inner, depth: depth - 1) } else { out.append(x) }
        }
        return out
    }

    static func length(_ v: Value) -> Value {
        switch v {
        case .null: .int(0)
        case .bool(let b): .int(b ? 1 : 0)
        case .number: .int(v.toStringValue.unicodeScalars.count)
        case .string(let s): .int(s.unicodeScalars.count)
        case .array(let a): .int(a.count)
        case .object(let o): .int(o.count)
        }
    }

    static func arrays(_ name: String, _ a: [Value], _ env: FunctionEnvironment) -> [[Value]]? {
        var out: [[Value]] = []
        for v in a {
            guard case .array(let x) = v else { _ = Args.notAnArray(name, env); return nil }
            out.append(x)
        }
        return out
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("LENGTH", 1, 1, signature: "LENGTH(anyValue)") { a, _ in length(a[0]) },
        FunctionDefinition("COUNT", 1, 1, signature: "COUNT(anyValue)") { a, _ in length(a[0]) },
        FunctionDefinition("FIRST", 1, 1, signature: "FIRST(anyArray)") { a, env in
            guard let x = array("FIRST", a[0], env) else { return .null }
            return x.first ?? .null
        },
        FunctionDefinition("LAST", 1, 1, signature: "LAST(anyArray)") { a, env in
            guard let x = array("LAST", a[0], env) else { return .null }
            return x.last ?? .null
        },
        FunctionDefinition("NTH", 2, 2, signature: "NTH(anyArray, position)") { a, env in
            guard let x = array("NTH", a[0], env) else { return .null }
            let i = a[1].toNumber.clampedInt
            return i >= 0 && i < x.count ? x[i] : .null
        },
        FunctionDefinition("POSITION", 2, 3, signature: "POSITION(anyArray, search, returnIndex)") { a, env in
            guard let x = array("POSITION", a[0], env) else { return .null }
            let i = x.firstIndex { $0 == a[1] }
            return Args.optBool(a, 2) ? .int(i ?? -1) : .bool(i != nil)
        },
        FunctionDefinition("CONTAINS_ARRAY", 2, 3, signature: "CONTAINS_ARRAY(anyArray, search, returnIndex)") {
            a, env in
            guard let x = array("CONTAINS_ARRAY", a[0], env) else { return .null }
            let i = x.firstIndex { $0 == a[1] }
            return Args.optBool(a, 2) ? .int(i ?? -1) : .bool(i != nil)
        },
        FunctionDefinition("PUSH", 2, 3, signature: "PUSH(anyArray, value, unique)") { a, env in
            var x: [Value]
            if a[0].isNull { x = [] } else { guard let y = array("PUSH", a[0], env) else { return .null }; x = y }
            if Args.optBool(a, 2) && x.contains(a[1]) { return .array(x) }
            x.append(a[1])
            return .array(x)
        },
        FunctionDefinition("APPEND", 2, 3, signature: "APPEND(anyArray, values, unique)") { a, env in
            // As ArangoDB: nothing to append gives the first argument back as it is, and a null
            // first argument gives the values back as they are.
            if a[1].isNull || a[1] == .array([]) { return a[0] }
            if a[0].isNull { return a[1] }
            guard var x = array("APPEND", a[0], env) else { return .null }
            let add = a[1].arrayValue ?? [a[1]]
            if Args.optBool(a, 2) {
                var seen = Set(x)
                for v in add where seen.insert(v).inserted { x.append(v) }
                return .array(x)
            }
            return .array(x + add)
        },
        FunctionDefinition("UNSHIFT", 2, 3, signature: "UNSHIFT(anyArray, value, unique)") { a, env in
            if a[0].isNull { return .array([a[1]]) }
            guard let x = array("UNSHIFT", a[0], env) else { return .null }
            if Args.optBool(a, 2) && x.contains(a[1]) { return .array(x) }
            return .array([a[1]] + x)
        },
        FunctionDefinition("POP", 1, 1, signature: "POP(anyArray)") { a, env in
            if a[0].isNull { return .null }
            guard let x = array("POP", a[0], env) else { return .null }
            return .array(Array(x.dropLast()))
        },
        FunctionDefinition("SHIFT", 1, 1, signature: "SHIFT(anyArray)") { a, env in
            if a[0].isNull { return .null }
            guard let x = array("SHIFT", a[0], env) else { return .null }
            return .array(Array(x.dropFirst()))
        },
        FunctionDefinition("SLICE", 2, 3, signature: "SLICE(anyArray, start, length)") { a, env in
            guard let x = array("SLICE", a[0], env) else { return .null }
            var s = a[1].toNumber.clampedInt
            if s < 0 { s = max(0, x.count + s) }
            s = min(s, x.count)
            var e = x.count
            if a.count > 2, !a[2].isNull {
                let l = max(-x.count, min(x.count, a[2].toNumber.clampedInt))
                e = l < 0 ? max(s, x.count + l) : min(x.count, s + l)
            }
            return .array(Array(x[s..<max(s, e)]))
        },
        FunctionDefinition("REMOVE_VALUE", 2, 3, signature: "REMOVE_VALUE(anyArray, value, limit)") { a, env in
            if a[0].isNull { return .array([]) }
            guard let x = array("REMOVE_VALUE", a[0], env) else { return .null }
            var limit = a.count > 2 && !a[2].isNull ? a[2].toNumber.clampedInt : Int.max
            return .array(
                x.filter { v in
                    if limit > 0 && v == a[1] { limit -= 1; return false }
                    return true
                })
        },
        FunctionDefinition("REMOVE_VALUES", 2, 2, signature: "REMOVE_VALUES(anyArray, values)") { a, env in
            if a[1].isNull { return a[0] }
            if a[0].isNull { return .array([]) }
            guard let x = array("REMOVE_VALUES", a[0], env), let values = array("REMOVE_VALUES", a[1], env) else {
                return .null
            }
            let drop = Set(values)
            return .array(x.filter { !drop.contains($0) })
        },
        FunctionDefinition("REMOVE_NTH", 2, 2, signature: "REMOVE_NTH(anyArray, position)") { a, env in
            if a[0].isNull { return .array([]) }
            guard var x = array("REMOVE_NTH", a[0], env) else { return .null }
            var i = a[1].toNumber.clampedInt
            if i < 0 { i += x.count }
            if i >= 0 && i < x.count { x.remove(at: i) }
            return .array(x)
        },
        FunctionDefinition(
            "REPLACE_NTH", 3, 4, signature: "REPLACE_NTH(anyArray, position, replaceValue, defaultPaddingValue)"
        ) { a, env in
            guard var x = array("REPLACE_NTH", a[0], env) else { return .null }
            // As ArangoDB: a null position, or one past the end without a padding value, is an
            // error; a negative one counts from the end and stops at the start.
            guard !a[1].isNull else { throw LocusError(.functionArgumentTypeMismatch, "REPLACE_NTH") }
            var i = a[1].toNumber.clampedInt
            if i < 0 { i = max(0, i + x.count) }
            if i > x.count && a.count < 4 { throw LocusError(.functionArgumentTypeMismatch, "REPLACE_NTH") }
            if i < x.count {
                x[i] = a[2]
            } else {
                if i > 10_000_000 { throw LocusError(.resourceLimit) }
                while x.count < i { x.append(a.count > 3 ? a[3] : .null) }
                x.append(a[2])
            }
            return .array(x)
        },
        FunctionDefinition("UNIQUE", 1, 1, signature: "UNIQUE(anyArray)") { a, env in
            guard let x = array("UNIQUE", a[0], env) else { return .null }
            return .array(unique(x))
        },
        FunctionDefinition("SORTED", 1, 1, signature: "SORTED(anyArray)") { a, env in
            guard let x = array("SORTED", a[0], env) else { return .null }
            return .array(x.sorted { $0.compare($1) < 0 })
        },
        FunctionDefinition("SORTED_UNIQUE", 1, 1, signature: "SORTED_UNIQUE(anyArray)") { a, env in
            guard let x = array("SORTED_UNIQUE", a[0], env) else { return .null }
            return .array(unique(x).sorted { $0.compare($1) < 0 })
        },
        FunctionDefinition("COUNT_DISTINCT", 1, 1, signature: "COUNT_DISTINCT(anyArray)") { a, env in
            guard let x = array("COUNT_DISTINCT", a[0], env) else { return .null }
            return .int(Set(x).count)
        },
        FunctionDefinition("COUNT_UNIQUE", 1, 1, signature: "COUNT_UNIQUE(anyArray)") { a, env in
            guard let x = array("COUNT_UNIQUE", a[0], env) else { return .null }
            return .int(Set(x).count)
        },
        FunctionDefinition("FLATTEN", 1, 2, signature: "FLATTEN(anyArray, depth)") { a, env in
            guard let x = array("FLATTEN", a[0], env) else { return .null }
            return .array(flatten(x, depth: a.count > 1 ? max(0, a[1].toNumber.clampedInt) : 1))
        },
        FunctionDefinition("REVERSE", 1, 1, signature: "REVERSE(value)") { a, env in
            switch a[0] {
            case .array(let x): return .array(x.reversed())
            case .string(let s): return .string(String(String.UnicodeScalarView(s.unicodeScalars.reversed())))
            default: return Args.arrayExpected("REVERSE", env)  // neither array nor string, as ArangoDB
            }
        },
        FunctionDefinition("UNION", 2, nil, signature: "UNION(array1, array2, ...)") { a, env in
            guard let xs = arrays("UNION", a, env) else { return .null }
            return .array(xs.flatMap { $0 })
        },
        FunctionDefinition("UNION_DISTINCT", 2, nil, signature: "UNION_DISTINCT(array1, array2, ...)") { a, env in
            guard let xs = arrays("UNION_DISTINCT", a, env) else { return .null }
            return .array(unique(xs.flatMap { $0 }))
        },
        FunctionDefinition("MINUS", 2, nil, signature: "MINUS(array1, array2, ...)") { a, env in
            guard let xs = arrays("MINUS", a, env) else { return .null }
            let drop = Set(xs.dropFirst().flatMap { $0 })
            return .array(unique(xs[0]).filter { !drop.contains($0) })
        },
        FunctionDefinition("INTERSECTION", 2, nil, signature: "INTERSECTION(array1, array2, ...)") { a, env in
            guard let xs = arrays("INTERSECTION", a, env) else { return .null }
            let others = xs.dropFirst().map(Set.init)
            return .array(unique(xs[0]).filter { v in others.allSatisfy { $0.contains(v) } })
        },
        FunctionDefinition("OUTERSECTION", 2, nil, signature: "OUTERSECTION(array1, array2, ...)") { a, env in
            guard let xs = arrays("OUTERSECTION", a, env) else { return .null }
            var counts: [Value: Int] = [:]
            var order: [Value] = []
            for x in xs { for v in Set(x) { if counts[v] == nil { order.append(v) }; counts[v, default: 0] += 1 } }
            return .array(order.filter { counts[$0] == 1 })
        },
        FunctionDefinition("INTERLEAVE", 2, nil, signature: "INTERLEAVE(array1, array2, ...)") { a, env in
            guard let xs = arrays("INTERLEAVE", a, env) else { return .null }
            var out: [Value] = []
            for i in 0..<(xs.map(\.count).max() ?? 0) { for x in xs where i < x.count { out.append(x[i]) } }
            return .array(out)
        },
        FunctionDefinition("JACCARD", 2, 2, signature: "JACCARD(array1, array2)") { a, env in
            guard let xs = arrays("JACCARD", a, env) else { return .null }
            let s1 = Set(xs[0]), s2 = Set(xs[1])
            let u = s1.union(s2).count
            return .num(u == 0 ? 1 : Double(s1.intersection(s2).count) / Double(u))
        },
    ]
}
