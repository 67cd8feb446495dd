// Bit functions over unsigned 32-bit integers, as ArangoDB 3.12 computes them: a number is
// truncated toward zero (1.9 is 1, as VelocyPack's unsigned read does); anything that is not a
// number in 0…2^32-1 after that gives null and warning 1542.

import LocusValues

enum BitFunctions {
    static func word(_ v: Value) -> UInt32? {
        guard case .number(let n) = v, n >= 0, n < 4_294_967_296 else { return nil }
        return UInt32(n.rounded(.towardZero))
    }

    static func fold(_ name: String, _ op: @escaping @Sendable (UInt32, UInt32) -> UInt32) -> FunctionDefinition {
        FunctionDefinition(name, 1, 2, signature: "\(name)(numbersArray | a, b)") { a, env in
            let items: [Value] = a.count == 2 ? a : (a[0].arrayValue ?? [a[0]])
            if a.count == 1, a[0].isNull { return .null }
            var acc: UInt32? = nil
            for v in items where !v.isNull {
                guard let w = word(v) else { return Args.invalid(name, env) }
                acc = acc.map { op($0, w) } ?? w
            }
            return acc.map { .number(Double($0)) } ?? .null
        }
    }

    static let rows: [FunctionDefinition] = [
        fold("BIT_AND", &),
        fold("BIT_OR", |),
        fold("BIT_XOR", ^),
        FunctionDefinition("BIT_NEGATE", 2, 2, signature: "BIT_NEGATE(number, bits)") { a, env in
            guard let w = word(a[0]), let bits = word(a[1]), bits <= 32 else { return Args.invalid("BIT_NEGATE", env) }
            let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : (1 << UInt64(bits)) - 1
            return .number(Double(~UInt64(w) & mask))
        },
        FunctionDefinition("BIT_POPCOUNT", 1, 1, signature: "BIT_POPCOUNT(number)") { a, env in
            guard let w = word(a[0]) else { return Args.invalid("BIT_POPCOUNT", env) }
            return .int(w.nonzeroBitCount)
        },
        FunctionDefinition("BIT_TEST", 2, 2, signature: "BIT_TEST(number, index)") { a, env in
            guard let w = word(a[0]), let i = word(a[1]), i < 32 else { return Args.invalid("BIT_TEST", env) }
            return .bool(w & (1 << i) != 0)
        },
        FunctionDefinition("BIT_SHIFT_LEFT", 3, 3, signature: "BIT_SHIFT_LEFT(number, shift, bits)") { a, env in
            guard let w = word(a[0]), let s = word(a[1]), let bits = word(a[2]), s <= 32, bits <= 32 else {
                return Args.invalid("BIT_SHIFT_LEFT", env)
            }
            let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : (1 << UInt64(bits)) - 1
            return .number(Double((UInt64(w) << UInt64(s)) & mask))
        },
        FunctionDefinition("BIT_SHIFT_RIGHT", 3, 3, signature: "BIT_SHIFT_RIGHT(number, shift, bits)") { a, env in
            guard let w = word(a[0]), let s = word(a[1]), let bits = word(a[2]), s <= 32, bits <= 32 else {
                return Args.invalid("BIT_SHIFT_RIGHT", env)
            }
            let mask: UInt64 = bits == 32 ? 0xFFFF_FFFF : (1 << UInt64(bits)) - 1
            return .number(Double((UInt64(w) >> UInt64(s)) & mask))
        },
        FunctionDefinition("BIT_CONSTRUCT", 1, 1, signature: "BIT_CONSTRUCT(positionsArray)") { a, env in
            guard case .array(let ps) = a[0] else { return Args.invalid("BIT_CONSTRUCT", env) }
            var w: UInt32 = 0
            for p in ps {
                guard let i = word(p), i < 32 else { return Args.invalid("BIT_CONSTRUCT", env) }
                w |= 1 << i
            }
            return .number(Double(w))
        },
        FunctionDefinition("BIT_DECONSTRUCT", 1, 1, signature: "BIT_DECONSTRUCT(number)") { a, env in
            guard let w = word(a[0]) else { return Args.invalid("BIT_DECONSTRUCT", env) }
            return .array((0..<32).filter { w & (1 << UInt32($0)) != 0 }.map { .int($0) })
        },
        FunctionDefinition("BIT_TO_STRING", 2, 2, signature: "BIT_TO_STRING(number, bits)") { a, env in
            guard let w = word(a[0]), let bits = word(a[1]), bits <= 32 else {
                return Args.invalid("BIT_TO_STRING", env)
            }
            return .string(String((0..<Int(bits)).reversed().map { w & (1 << UInt32($0)) != 0 ? "1" : "0" }))
        },
        FunctionDefinition("BIT_FROM_STRING", 1, 1, signature: "BIT_FROM_STRING(bitstring)") { a, env in
            guard case .string(let s) = a[0], s.count <= 32, s.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                return Args.invalid("BIT_FROM_STRING", env)
            }
            return .number(Double(s.reduce(UInt32(0)) { $0 << 1 | ($1 == "1" ? 1 : 0) }))
        },
    ]
}
