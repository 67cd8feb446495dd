// Every registered function, called with extreme and ill-typed arguments at every arity it
// accepts, returns a value or throws a LocusError: never a crash, never a runaway allocation.

import Testing
import LocusErrors
import LocusFunctions
import LocusValues

@Suite struct FunctionRobustnessTests {
    final class Environment: FunctionEnvironment {
        func warn(_ code: ErrorCode, _ message: String) {}
        func document(collection: String?, key: String) throws -> Value { .null }
        func collectionCount(_ name: String) throws -> Int { 0 }
        func collections() throws -> [(id: String, name: String)] { [("1", "c")] }
        func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value] { [] }
        func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws -> [(
            Value, Double
        )] { [] }
        func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>]) throws
            -> [Value]
        { [] }
    }

    static let values: [Value] = [
        nil, true, -1, 0, 2.5, 1e300, -1e300, 9.3e18, "", "abc", "é😀", "%_\\", [], [1, "a", nil], [:], ["a": 1],
    ]
    static let thirdArguments: [Value] = [nil, 1, -1, 1e300, "x", [1]]

    @Test func extremeArgumentsNeverCrash() throws {
        let env = Environment()
        var calls = 0
        for f in FunctionRegistry.all.values.sorted(by: { $0.name < $1.name }) where f.name != "SLEEP" {
            let maxArgs = min(f.maxArgs ?? 3, 3)
            guard f.minArgs <= maxArgs else { continue }
            for arity in f.minArgs...maxArgs {
                var argLists: [[Value]] = [[]]
                for position in 0..<arity {
                    let pool = position < 2 ? FunctionRobustnessTests.values : FunctionRobustnessTests.thirdArguments
                    argLists = argLists.flatMap { prefix in pool.map { prefix + [$0] } }
                }
                for args in argLists {
                    calls += 1
                    do { _ = try f.call(args, env) } catch is LocusError {} catch {
                        Issue.record("\(f.name)\(args) threw a non-Locus error: \(error)")
                    }
                }
            }
        }
        #expect(calls > 10_000)
    }
}
