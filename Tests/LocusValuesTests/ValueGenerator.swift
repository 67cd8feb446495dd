// Seeded random values for the property tests: reproducible from the seed alone.

@testable import LocusValues
import LocusTestSupport

enum ValueGenerator {
    static let strings = ["", "a", "A", "B", "b", "ab", "aB", "Ab", "é", "😀", "a\"b", "line\nbreak", "zz", "0"]

    static func value(depth: Int, using rng: inout SeededGenerator) -> Value {
        let kind = Int.random(in: 0..<(depth > 0 ? 6 : 4), using: &rng)
        switch kind {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2:
            return Bool.random(using: &rng)
                ? .number(Double(Int.random(in: -1000...1000, using: &rng)))
                : .number(Double.random(in: -1e6...1e6, using: &rng))
        case 3: return .string(strings.randomElement(using: &rng)!)
        case 4:
            return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth: depth - 1, using: &rng) })
        default:
            var o = Object()
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                o[strings.randomElement(using: &rng)!] = value(depth: depth - 1, using: &rng)
            }
            return .object(o)
        }
    }
}
