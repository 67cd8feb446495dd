// AQL type and value order: the documented examples, and the laws of a total order checked
// on generated values (antisymmetry, transitivity, consistency with equality and hashing).

import Testing
@testable import LocusValues

@Suite struct ValueOrderTests {
    func lt(_ a: Value, _ b: Value) -> Bool { a.compare(b) < 0 }

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
        #expect(Value([:]) == ["a": nil])
        #expect(lt(["b": 1], ["a": 0]))
        #expect(Value(["a": 1, "b": 2]) == ["b": 2, "a": 1])
    }

    @Test func truthinessAndConversions() {
        #expect(!Value.null.isTruthy && !Value(0).isTruthy && !Value("").isTruthy)
        #expect(Value("0").isTruthy && Value([]).isTruthy && Value([:]).isTruthy)
        #expect(Value("99").toNumber == 99 && Value(" 12 ").toNumber == 12 && Value("a").toNumber == 0)
        #expect(Value([2]).toNumber == 2 && Value([2, 4]).toNumber == 0 && Value(true).toNumber == 1)
        #expect(Value([1, "a"]).toStringValue == #"[1,"a"]"#)
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
