// DATE_NOW() reads the clock of its environment (the database's, which simulations replace),
// not the operating system's directly.

import Testing
import LocusErrors
import LocusFunctions
import LocusValues

@Suite struct WallClockTests {
    struct Fixed: WallClock {
        let seconds: Double
        func now() -> Double { seconds }
    }

    final class Environment: FunctionEnvironment {
        let clock: Fixed
        init(_ seconds: Double) { clock = Fixed(seconds: seconds) }
        var wallClock: any WallClock { clock }
        func warn(_ code: ErrorCode, _ message: String) {}
        func document(collection: String?, key: String) throws -> Value { .null }
        func collectionCount(_ name: String) throws -> Int { 0 }
        func collections() throws -> [(id: String, name: String)] { [] }
        func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value] { [] }
        func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws -> [(
            Value, Double
        )] { [] }
        func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>]) throws
            -> [Value]
        { [] }
    }

    @Test func dateNowReadsTheEnvironmentsClock() throws {
        let f = try #require(FunctionRegistry.lookup("DATE_NOW"))
        #expect(try f.call([], Environment(1_700_000_000.1239)) == .number(1_700_000_000_123))
        #expect(try f.call([], Environment(0)) == .number(0))
        #expect(!f.deterministic)
    }

    @Test func theSystemClockIsNearTheMonotonicOnesPace() {
        let wall = SystemClock().now(), mono = MonotonicClock.seconds()
        let wall2 = SystemClock().now(), mono2 = MonotonicClock.seconds()
        #expect(wall > 1_600_000_000)
        #expect(abs((wall2 - wall) - (mono2 - mono)) < 0.5)
    }
}
