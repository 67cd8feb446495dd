// SCHEMA_VALIDATE's JSON Schema check: the keywords of draft 4 that constrain values (type,
// enum, const, numeric and string bounds, pattern, items, properties, required,
// additionalProperties, property and item counts, allOf/anyOf/oneOf/not). Unknown keywords
// are ignored, as validators do.

import LocusValues

struct SchemaValidator {
    /// The first violation of `schema` by `value`, or nil when it conforms.
    static func violation(_ value: Value, _ schema: Value, at path: String = "") -> String? {
        guard case .object(let s) = schema else {
            return schema.boolValue == false ? "\(where_(path)) is not allowed" : nil
        }
        if let t = s["type"], !matchesType(value, t) {
            return "\(where_(path)) should be of type \(JSONWriter.string(t))"
        }
        if case .array(let options)? = s["enum"], !options.contains(where: { $0.compare(value) == 0 }) {
            return "\(where_(path)) should be one of \(JSONWriter.string(.array(options)))"
        }
        if let c = s["const"], c.compare(value) != 0 { return "\(where_(path)) should be \(JSONWriter.string(c))" }
        switch value {
        case .number(let n):
            if case .number(let m)? = s["minimum"] {
                let exclusive = s["exclusiveMinimum"]?.boolValue == true
                if exclusive ? n <= m : n < m {
                    return "\(where_(path)) should be \(exclusive ? ">" : ">=") \(JSONWriter.formatNumber(m))"
                }
            }
            if case .number(let m)? = s["maximum"] {
                let exclusive = s["exclusiveMaximum"]?.boolValue == true
                if exclusive ? n >= m : n > m {
                    return "\(where_(path)) should be \(exclusive ? "<" : "<=") \(JSONWriter.formatNumber(m))"
                }
            }
            if case .number(let m)? = s["exclusiveMinimum"], n <= m {
                return "\(where_(path)) should be > \(JSONWriter.formatNumber(m))"
            }
            if case .number(let m)? = s["exclusiveMaximum"], n >= m {
                return "\(where_(path)) should be < \(JSONWriter.formatNumber(m))"
            }
            if case .number(let m)? = s["multipleOf"], m > 0, (n / m).rounded() != n / m {
                return "\(where_(path)) should be a multiple of \(JSONWriter.formatNumber(m))"
            }
        case .string(let str):
            let length = str.unicodeScalars.count
            if case .number(let m)? = s["minLength"], Double(length) < m {
                return "\(where_(path)) should be at least \(JSONWriter.formatNumber(m)) characters"
            }
            if case .number(let m)? = s["maxLength"], Double(length) > m {
                return "\(where_(path)) should be at most \(JSONWriter.formatNumber(m)) characters"
            }
            if case .string(let pattern)? = s["pattern"], let r = RegexCache.get(pattern, caseInsensitive: false),
                r.match(Array(str.utf8)) == nil
            {
                return "\(where_(path)) should match pattern \(JSONWriter.string(.string(pattern)))"
            }
        case .array(let items):
            if case .number(let m)? = s["minItems"], Double(items.count) < m {
                return "\(where_(path)) should have at least \(JSONWriter.formatNumber(m)) items"
            }
            if case .number(let m)? = s["maxItems"], Double(items.count) > m {
                return "\(where_(path)) should have at most \(JSONWriter.formatNumber(m)) items"
            }
            if s["uniqueItems"]?.boolValue == true {
                for i in items.indices where items[..<i].contains(where: { $0.compare(items[i]) == 0 }) {
                    return "\(where_(path)) should have unique items"
                }
            }
            if case .array(let tuple)? = s["items"] {
                for (i, item) in items.enumerated() where i < tuple.count {
                    if let v = violation(item, tuple[i], at: "\(path)[\(i)]") { return v }
                }
            } else if let itemSchema = s["items"] {
                for (i, item) in items.enumerated() {
                    if let v = violation(item, itemSchema, at: "\(path)[\(i)]") { return v }
                }
            }
        case .object(let o):
            if case .number(let m)? = s["minProperties"], Double(o.count) < m {
                return "\(where_(path)) should have at least \(JSONWriter.formatNumber(m)) properties"
            }
            if case .number(let m)? = s["maxProperties"], Double(o.count) > m {
                return "\(where_(path)) should have at most \(JSONWriter.formatNumber(m)) properties"
            }
            if case .array(let required)? = s["required"] {
                for case .string(let name) in required where o[name] == nil {
                    return "\(where_(path)) should have required property '\(name)'"
                }
            }
            let properties = s["properties"]?.objectValue
            for (name, v) in o {
                if let p = properties?[name] {
                    if let e = violation(v, p, at: "\(path).\(name)") { return e }
                } else if let extra = s["additionalProperties"] {
                    if let e = violation(v, extra, at: "\(path).\(name)") { return e }
                }
            }
        default:
            break
        }
        if case .array(let all)? = s["allOf"] {
            for sub in all { if let v = violation(value, sub, at: path) { return v } }
        }
        if case .array(let any)? = s["anyOf"], !any.contains(where: { violation(value, $0, at: path) == nil }) {
            return "\(where_(path)) should match a schema in anyOf"
        }
        if case .array(let one)? = s["oneOf"], one.filter({ violation(value, $0, at: path) == nil }).count != 1 {
            return "\(where_(path)) should match exactly one schema in oneOf"
        }
        if let not = s["not"], violation(value, not, at: path) == nil {
            return "\(where_(path)) should not match the schema in not"
        }
        return nil
    }

    static func where_(_ path: String) -> String {
        path.isEmpty ? "value" : "attribute '\(path.dropFirst(path.hasPrefix(".") ? 1 : 0))'"
    }

    static func matchesType(_ v: Value, _ t: Value) -> Bool {
        if case .array(let types) = t { return types.contains { matchesType(v, $0) } }
        guard case .string(let name) = t else { return true }
        switch (name, v) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            return true
        case ("integer", .number(let n)):
            return n == n.rounded()
        default:
            return false
        }
    }
}
