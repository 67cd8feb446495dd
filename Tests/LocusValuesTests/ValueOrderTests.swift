// AQL type and value order: the documented examples, and the laws of a total order checked
// on generated values (antisymmetry, transitivity, consistency with equality and hashing).

import LocusTestSupport
import Testing
@testable import LocusValues

@Suite struct ValueOrderTests {
    func lt(_ a: Value, _ b: Value) -> Bool { a.compare(b) < 0 }
    func v(_ x: Value) -> Value { x }

    @Test func documentedExamples() throws {
        #expect(lt(nil, false))
        #expect(lt(true, 0))
        #expect(lt(0, ""))
        #expect(lt("", []))
        #expect(lt([], [:]))
        #expect(lt([], [0]))
        #expect(lt([1, 2], [2]))
        #expect(lt([99, 99], [100]))
        #expect(lt([false, 1], [false, ""]))
        #expect(lt("a", "B") && lt("B", "c") && lt("A", "a") && lt("a", "b") && lt("aB", "ab") && lt("_", "a"))
        #expect(v([:]) == ["a": nil])
        #expect(lt(["b": 1], ["a": 0]))
        #expect(v(["a": 1, "b": 2]) == ["b": 2, "a": 1])
    }

    @Test func truthinessAndConversions() {
        #expect(!Value.null.isTruthy && !v(0).isTruthy && !v("").isTruthy)
        #expect(v("0").isTruthy && v([]).isTruthy && v([:]).isTruthy)
        #expect(v("99").toNumber == 99 && v(" 12 ").toNumber == 12 && v("a").toNumber == 0)
        #expect(v([2]).toNumber == 2 && v([2, 4]).toNumber == 0 && v(true).toNumber == 1)
        #expect(v([1, "a"]).toStringValue == #"[1,"a"]"#)
    }

    @Test func totalOrderLaws() {
        var rng = SeededGenerator(seed: 42)
        let values = (0..<150).map { _ in ValueGenerator.value(depth: 2, using: &rng) }
        for a in values {
            #expect(a.compare(a) == 0)
            for b in values {
                let ab = a.compare(b), ba = b.compare(a)
                #expect(ab.signum() == -ba.signum())
                if ab == 0 { #expect(a.hashValue == b.hashValue) }
            }
        }
        for a in values.prefix(40) {
            for b in values.prefix(40) where a.compare(b) <= 0 {
                for c in values.prefix(40) where b.compare(c) <= 0 {
                    #expect(a.compare(c) <= 0)
                }
            }
        }
    }
}
