// Miscellaneous functions: NOT_NULL, FIRST_LIST, FIRST_DOCUMENT, DOCUMENT, control flow
// (FAIL, ASSERT, WARN), PASSTHRU/NOOPT, and database introspection.

#if canImport(Glibc)
import Glibc  // nanosleep, for SLEEP
#endif
import LocusErrors
import LocusValues

enum MiscFunctions {

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
            if case .array(let ids) = a[0] {
                return .array(try ids.compactMap { try byId($0, collection: nil) }.filter { !$0.isNull })
            }
            return try byId(a[0], collection: nil) ?? .null
        }
        guard case .string(let coll) = a[0] else { return Args.invalid("DOCUMENT", env) }
        if case .array(let ids) = a[1] {
            return .array(try ids.compactMap { try byId($0, collection: coll) }.filter { !$0.isNull })
        }
        return try byId(a[1], collection: coll) ?? .null
    }

    /// Functions APPLY and CALL may not reach (ArangoDB's 1578).
    static let notDynamicallyCallable: Set<String> = [
        "APPLY", "CALL", "DOCUMENT", "COLLECTION_COUNT", "SLEEP", "NOOPT", "PASSTHRU",
    ]

    static func dynamicCall(_ via: String, _ name: Value, _ args: [Value], _ env: FunctionEnvironment) throws -> Value {
        guard case .string(let n) = name else { return Args.invalid(via, env) }
        let upper = n.uppercased()
        if notDynamicallyCallable.contains(upper) { throw LocusError(.disallowedDynamicCall, upper) }
        // A name CALL and APPLY do not know is looked up as a user function, so it is 1582.
        guard let f = FunctionRegistry.lookup(upper) else { throw LocusError(.functionNotFound, upper) }
        if args.count < f.minArgs || (f.maxArgs.map { args.count > $0 } ?? false) {
            throw LocusError(.functionArgumentNumberMismatch, f.name, String(f.minArgs), String(f.maxArgs ?? 65536))
        }
        return try f.call(args, env)
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
        FunctionDefinition(
            "DOCUMENT", 1, 2, deterministic: false, readsData: true, signature: "DOCUMENT(collection, id)"
        ) { a, env in
            try document(a, env)
        },
        FunctionDefinition(
            "COLLECTION_COUNT", 1, 1, deterministic: false, readsData: true, signature: "COLLECTION_COUNT(collection)"
        ) { a, env in
            guard case .string(let c) = a[0] else { return Args.invalid("COLLECTION_COUNT", env) }
            return .int(try env.collectionCount(c))
        },
        // APPLY and CALL may reach functions that read stored data (FULLTEXT, NEAR, COLLECTIONS).
        FunctionDefinition(
            "APPLY", 1, 2, deterministic: false, readsData: true, signature: "APPLY(functionName, arguments)"
        ) { a, env in
            try dynamicCall("APPLY", a[0], a.count > 1 ? (a[1].arrayValue ?? []) : [], env)
        },
        FunctionDefinition(
            "CALL", 1, nil, deterministic: false, readsData: true, signature: "CALL(functionName, arg1, ...)"
        ) { a, env in
            try dynamicCall("CALL", a[0], Array(a.dropFirst()), env)
        },
        FunctionDefinition("SLEEP", 1, 1, deterministic: false, signature: "SLEEP(seconds)") { a, env in
            // Only a non-negative number (ArangoDB's rule): SLEEP("1") warns 1542 too.
            guard case .number(let s) = a[0], s >= 0 else { return Args.invalid("SLEEP", env) }
            var ts = timespec(tv_sec: Int(min(s, 3600)), tv_nsec: Int((s - s.rounded(.down)) * 1e9))
            nanosleep(&ts, nil)
            return .null
        },
        FunctionDefinition("UUID", 0, 0, deterministic: false, signature: "UUID()") { _, _ in
            var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
            bytes[6] = bytes[6] & 0x0F | 0x40
            bytes[8] = bytes[8] & 0x3F | 0x80
            let groups = [bytes[0..<4], bytes[4..<6], bytes[6..<8], bytes[8..<10], bytes[10..<16]]
            return .string(groups.map(JSONWriter.hexString).joined(separator: "-"))
        },
        FunctionDefinition("RANDOM_TOKEN", 1, 1, deterministic: false, signature: "RANDOM_TOKEN(length)") { a, env in
            let n = a[0].toNumber.clampedInt
            guard n >= 0, n <= 65536 else { throw LocusError(.functionArgumentTypeMismatch, "RANDOM_TOKEN") }
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            return .string(String((0..<n).map { _ in alphabet.randomElement()! }))
        },
        FunctionDefinition("CURRENT_USER", 0, 0, signature: "CURRENT_USER()") { _, _ in .null },
        FunctionDefinition("CHECK_DOCUMENT", 1, 1, signature: "CHECK_DOCUMENT(document)") { a, _ in
            .bool(a[0].objectValue != nil)
        },
        FunctionDefinition("DECODE_REV", 1, 1, signature: "DECODE_REV(revision)") { a, env in
            guard case .string(let rev) = a[0], !rev.isEmpty, rev.count <= 11 else {
                return Args.invalid("DECODE_REV", env)
            }
            let alphabet = Array("-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
            var t: UInt64 = 0
            for c in rev {
                guard let d = alphabet.firstIndex(of: c) else { return Args.invalid("DECODE_REV", env) }
                t = t << 6 | UInt64(d)
            }
            // ArangoDB's hybrid logical clock: milliseconds above a 20-bit counter.
            return ["date": .string(DateText.iso(Int64(t >> 20))), "count": .number(Double(t & 0xFFFFF))]
        },
        FunctionDefinition(
            "FULLTEXT", 3, 4, deterministic: false, readsData: true,
            signature: "FULLTEXT(collection, attribute, query, limit)"
        ) { a, env in
            guard case .string(let c) = a[0], case .string(let attribute) = a[1], case .string(let query) = a[2] else {
                return Args.invalid("FULLTEXT", env)
            }
            var limit: Int? = nil
            if a.count > 3, !a[3].isNull {
                guard case .number(let n) = a[3], n >= 0 else { return Args.invalid("FULLTEXT", env) }
                limit = n == 0 ? nil : Int(min(n, 1e9))
            }
            return .array(try env.fulltext(collection: c, attribute: attribute, query: query, limit: limit))
        },
        FunctionDefinition("NOEVAL", 1, 1, deterministic: false, signature: "NOEVAL(value)") { a, _ in a[0] },
        // An embedded database has no authenticated caller: no user, no API key, no attributes.
        FunctionDefinition(
            "CURRENT_USER_ATTRIBUTE", 1, 1, deterministic: false, signature: "CURRENT_USER_ATTRIBUTE(name)"
        ) { _, _ in .null },
        FunctionDefinition(
            "CURRENT_APIKEY_ATTRIBUTE", 1, 1, deterministic: false, signature: "CURRENT_APIKEY_ATTRIBUTE(name)"
        ) { _, _ in .null },
        FunctionDefinition("COLLECTIONS", 0, 0, deterministic: false, readsData: true, signature: "COLLECTIONS()") {
            _, env in
            .array(
                try env.collections().sorted { $0.name < $1.name }.map {
                    ["_id": .string($0.id), "name": .string($0.name)]
                })
        },
        FunctionDefinition(
            "SCHEMA_GET", 1, 1, deterministic: false, readsData: true, signature: "SCHEMA_GET(collection)"
        ) { a, env in
            guard case .string(let name) = a[0] else { return Args.invalid("SCHEMA_GET", env) }
            guard try env.collections().contains(where: { $0.name == name }) else {
                throw LocusError(.dataSourceNotFound, name)
            }
            return .null  // Locus collections carry no schema
        },
        FunctionDefinition("SCHEMA_VALIDATE", 2, 2, signature: "SCHEMA_VALIDATE(document, schema)") { a, env in
            guard case .object = a[0] else { return Args.invalid("SCHEMA_VALIDATE", env) }
            if a[1].isNull { return ["valid": true] }
            guard case .object(let schema) = a[1], let rule = schema["rule"] else {
                return Args.invalid("SCHEMA_VALIDATE", env)
            }
            guard let problem = SchemaValidator.violation(a[0], rule) else { return ["valid": true] }
            return ["valid": false, "errorMessage": .string(schema["message"]?.stringValue ?? problem)]
        },
        FunctionDefinition("CURRENT_DATABASE", 0, 0, signature: "CURRENT_DATABASE()") { _, _ in .string("_system") },
        FunctionDefinition("VERSION", 0, 0, signature: "VERSION()") { _, _ in .string("3.12.0") },
    ]
}
