// IPv4 addresses as strings and numbers: IS_IPV4, IPV4_TO_NUMBER and IPV4_FROM_NUMBER. An
// address is four decimal octets 0…255 without leading zeros, as inet_pton reads them.

import LocusValues

enum IPv4Functions {
    /// The address as a 32-bit number, or nil when `text` is not a dotted quad.
    static func parse(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var n: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), p.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                p.count == 1 || p.first != "0", let v = UInt32(p), v <= 255
            else { return nil }
            n = n << 8 | v
        }
        return n
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("IS_IPV4", 1, 1, signature: "IS_IPV4(value)") { a, _ in
            .bool(a[0].stringValue.flatMap(parse) != nil)
        },
        FunctionDefinition("IPV4_TO_NUMBER", 1, 1, signature: "IPV4_TO_NUMBER(string)") { a, env in
            guard let n = a[0].stringValue.flatMap(parse) else { return Args.invalid("IPV4_TO_NUMBER", env) }
            return .number(Double(n))
        },
        FunctionDefinition("IPV4_FROM_NUMBER", 1, 1, signature: "IPV4_FROM_NUMBER(number)") { a, env in
            guard case .number(let d) = a[0], d >= 0, d <= 4_294_967_295, d == d.rounded() else {
                return Args.invalid("IPV4_FROM_NUMBER", env)
            }
            let n = UInt32(d)
            return .string([24, 16, 8, 0].map { String(n >> UInt32($0) & 0xFF) }.joined(separator: "."))
        },
    ]
}
