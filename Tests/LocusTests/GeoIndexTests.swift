// The geo index against brute force: on seeded random points, poles and the antimeridian
// included, WITHIN and NEAR, and FILTER/SORT on GEO_DISTANCE served by the geo-index-optimizer,
// return exactly what measuring every document (with the rule off) does, in the same order.

import Foundation
import Locus
import LocusTestSupport
import LocusValues
import Testing

@Suite struct GeoIndexTests {
    @Test(arguments: [UInt64(11), 12, 13])
    func indexedSearchesMatchBruteForce(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let bruteForce = QueryOptions(optimizerRules: ["-geo-index-optimizer"])
        let db = try Database.inMemory()
        try db.createCollection("spots")
        try db.createIndex(collection: "spots", fields: ["lat", "lon"], type: .geo)
        var docs: [Value] = []
        for i in 0..<400 {
            // A quarter of the points crowd the poles and the antimeridian.
            let lat =
                g.chance(0.25)
                ? Double(g.pick([-1, 1])) * (89 + Double(g.below(1000)) / 1000) : Double(g.below(180_000)) / 1000 - 90
            let lon =
                g.chance(0.25)
                ? Double(g.pick([-1, 1])) * (179 + Double(g.below(1000)) / 1000) : Double(g.below(360_000)) / 1000 - 180
            docs.append(["_key": .string("s\(i)"), "lat": .number(lat), "lon": .number(lon)])
        }
        try db.query("FOR d IN @docs INSERT d INTO spots", bindVars: ["docs": .array(docs)])
        for _ in 0..<25 {
            let lat = Double(g.below(180_000)) / 1000 - 90, lon = Double(g.below(360_000)) / 1000 - 180
            let radius = Double(g.pick([50_000, 500_000, 2_000_000, 8_000_000]))
            let bind: [String: Value] = ["lat": .number(lat), "lon": .number(lon), "r": .number(radius)]
            let indexed = try db.query("RETURN WITHIN(spots, @lat, @lon, @r)[*]._key", bindVars: bind).rows
            let brute = try db.query(
                """
                RETURN (FOR s IN spots LET d = GEO_DISTANCE([s.lon, s.lat], [@lon, @lat]) FILTER d <= @r SORT d, s._key RETURN s._key)
                """, bindVars: bind, options: bruteForce
            ).rows
            #expect(indexed == brute, "seed \(seed) within \(radius) of \(lat), \(lon)")
            let filter =
                "FOR s IN spots FILTER GEO_DISTANCE([s.lon, s.lat], [@lon, @lat]) <= @r SORT s._key RETURN s._key"
            #expect(
                try db.query(filter, bindVars: bind).rows == db.query(filter, bindVars: bind, options: bruteForce).rows)
            let sorted = "FOR s IN spots SORT DISTANCE(s.lat, s.lon, @lat, @lon) LIMIT 5 RETURN s._key"
            let at2: [String: Value] = ["lat": .number(lat), "lon": .number(lon)]
            #expect(
                try db.query(sorted, bindVars: at2).rows == db.query(sorted, bindVars: at2, options: bruteForce).rows)
            let at: [String: Value] = ["lat": .number(lat), "lon": .number(lon)]
            let near = try db.query("RETURN NEAR(spots, @lat, @lon, 7)[*]._key", bindVars: at).rows
            let nearest = try db.query(
                """
                RETURN (FOR s IN spots SORT GEO_DISTANCE([s.lon, s.lat], [@lon, @lat]), s._key LIMIT 7 RETURN s._key)
                """, bindVars: at, options: bruteForce
            ).rows
            #expect(near == nearest, "seed \(seed) near \(lat), \(lon)")
        }
    }
}
