// Spherical geometry on its own: points round-trip through unit vectors, great-circle
// distances agree with known city pairs, polygons (with holes) contain what they should, and
// malformed GeoJSON is refused with a reason instead of a crash.

import Foundation
import Testing
import LocusGeo
import LocusValues

@Suite struct SphereGeometryTests {
    @Test(arguments: [(0.0, 0.0), (50.1109, 8.6821), (-33.87, 151.21), (89.9, -170.0), (-45.0, 179.99)])
    func pointsRoundTrip(_ latitude: Double, _ longitude: Double) {
        let p = SpherePoint(latitude: latitude, longitude: longitude)
        #expect(abs(p.norm2 - 1) < 1e-12)
        #expect(abs(p.latitude - latitude) < 1e-9)
        #expect(abs(p.longitude - longitude) < 1e-9)
    }

    @Test func distancesMatchKnownCityPairs() {
        func metres(_ a: (Double, Double), _ b: (Double, Double)) -> Double {
            let p = SpherePoint(latitude: a.0, longitude: a.1), q = SpherePoint(latitude: b.0, longitude: b.1)
            let angle = atan2(p.cross(q).norm2.squareRoot(), p.dot(q))
            return angle * SpherePoint.earthRadius
        }
        // Frankfurt to Ashburn about 6,540 km; antipodes half the circumference.
        #expect(abs(metres((50.1109, 8.6821), (39.0438, -77.4874)) - 6_540_000) < 20_000)
        #expect(abs(metres((0, 0), (0, 180)) - .pi * SpherePoint.earthRadius) < 1)
    }

    func shape(_ json: String) throws -> GeoShape { try GeoShape.parse(JSONReader.parse(json)) }

    @Test func polygonsWithHolesContainWhatTheyShould() throws {
        let s = try shape(
            """
            {"type": "Polygon", "coordinates": [
              [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
              [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]]}
            """)
        guard case .polygon(let polygons) = s, polygons.count == 1, let polygon = polygons.first else {
            Issue.record("not a polygon: \(s)")
            return
        }
        #expect(polygon.contains(SpherePoint(latitude: 2, longitude: 2)))
        #expect(!polygon.contains(SpherePoint(latitude: 5, longitude: 5)))  // in the hole
        #expect(!polygon.contains(SpherePoint(latitude: 20, longitude: 2)))
        #expect(s.area > 0)
    }

    @Test(arguments: [
        #"{"type": "Point", "coordinates": [1]}"#,
        #"{"type": "Point", "coordinates": [200, 0]}"#,
        #"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}"#,
        #"{"type": "Circle", "coordinates": [0, 0]}"#,
        #"{"type": "LineString", "coordinates": "x"}"#,
        #""x""#,
    ])
    func malformedShapesAreRefusedWithAReason(_ json: String) throws {
        do {
            _ = try shape(json)
            Issue.record("accepted: \(json)")
        } catch let invalid as GeoShape.Invalid {
            #expect(!invalid.reason.isEmpty)
        }
    }
}
