// Miscellaneous functions: NOT_NULL, FIRST_LIST, FIRST_DOCUMENT, DOCUMENT, control flow
// (FAIL, ASSERT, WARN), PASSTHRU/NOOPT, DATE_NOW, and database introspection.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusValues

enum MiscFunctions {
    static func nowMilliseconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec / 1_000_000)
    }

    /// DOCUMENT(id), DOCUMENT([ids]), DOCUMENT(collection, key), DOCUMENT(collection, [keys]).
    static func document(_ a: [Value], _ env: FunctionEnvironment) throws -> Value {
        func byId(_ v: Value, collection: String?) throws -> Value? {
            var v = v
            if case .object(let o) = v { v = o["_id"] ?? .null }
            guard case .string(let s) = v else { return nil }
            if let slash = s.firstIndex(of: "/") {
                let c = String(s[..<slash]), k = String(s[s.index(after: slash)...])
                if let collection, collection != c { return .null }
                return try env.document(collection: c, key: k)
            }
            guard let collection else { return .null }
            return try env.document(collection: collection, key: s)
        }
        if a.count == 1 {
            if case .array(let ids) = a[0] { return .array(try ids.compactMap { try byId($0, collection: nil) }.filter { !$0.isNull }) }
            return try byId(a[0], collection: nil) ?? .null
        }
        guard case .string(let coll) = a[0] else { return Args.invalid("DOCUMENT", env) }
        if case .array(let ids) = a[1] { return .array(try ids.compactMap { try byId($0, collection: coll) }.filter { !$0.isNull }) }
        return try byId(a[1], collection: coll) ?? .null
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("NOT_NULL", 1, nil, signature: "NOT_NULL(alternative, ...)") { a, _ in
            a.first { !$0.isNull } ?? .null
        },
        FunctionDefinition("FIRST_LIST", 1, nil, signature: "FIRST_LIST(alternative, ...)") { a, _ in
            a.first { $0.arrayValue != nil } ?? .null
        },
        FunctionDefinition("FIRST_DOCUMENT", 1, nil, signature: "FIRST_DOCUMENT(alternative, ...)") { a, _ in
            a.first { $0.objectValue != nil } ?? .null
        },
        FunctionDefinition("PASSTHRU", 1, 1, deterministic: false, signature: "PASSTHRU(value)") { a, _ in a[0] },
        FunctionDefinition("NOOPT", 1, 1, deterministic: false, signature: "NOOPT(value)") { a, _ in a[0] },
        FunctionDefinition("FAIL", 0, 1, deterministic: false, signature: "FAIL(reason)") { a, _ in
            throw LocusError(.failCalled, a.isEmpty ? "" : a[0].toStringValue)
        },
        FunctionDefinition("ASSERT", 2, 2, deterministic: false, signature: "ASSERT(expr, message)") { a, _ in
            if !a[0].isTruthy { throw LocusError(.userAssert, a[1].toStringValue) }
            return .bool(true)
        },
        FunctionDefinition("WARN", 2, 2, deterministic: false, signature: "WARN(expr, message)") { a, env in
            if !a[0].isTruthy { env.warn(.userWarn, a[1].toStringValue); return .bool(false) }
            return .bool(true)
        },
        FunctionDefinition("DATE_NOW", 0, 0, deterministic: false, signature: "DATE_NOW()") { _, _ in
            .number(nowMilliseconds())
        },
        FunctionDefinition("DOCUMENT", 1, 2, deterministic: false, readsData: true, signature: "DOCUMENT(collection, id)") { a, env in
            try document(a, env)
        },
        FunctionDefinition("COLLECTION_COUNT", 1, 1, deterministic: false, readsData: true, signature: "COLLECTION_COUNT(collection)") { a, env in
            guard case .string(let c) = a[0] else { return Args.invalid("COLLECTION_COUNT", env) }
            return .int(try env.collectionCount(c))
        },
        FunctionDefinition("CURRENT_DATABASE", 0, 0, signature: "CURRENT_DATABASE()") { _, _ in .string("_system") },
        FunctionDefinition("VERSION", 0, 0, signature: "VERSION()") { _, _ in .string("3.12.0") },
    ]
}
