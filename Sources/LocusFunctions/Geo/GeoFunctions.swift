// The geo functions: GeoJSON constructors (GEO_POINT … GEO_MULTIPOLYGON), measures on the
// sphere of mean Earth radius or on the WGS84 ellipsoid (GEO_DISTANCE between centroids,
// GEO_IN_RANGE, GEO_AREA), relations (GEO_CONTAINS, GEO_INTERSECTS, GEO_EQUALS), and the
// legacy DISTANCE and IS_IN_POLYGON; NEAR, WITHIN and WITHIN_RECTANGLE search a geo index. Invalid
// GeoJSON warns with the reason and yields null; which warning each bad argument draws follows
// ArangoDB 3.12's GeoFunctions (1563 for a constructor's non-array, 1542 for a relation's
// non-object, 10 and a fallback to the sphere for an unknown ellipsoid).

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusGeo
import LocusValues

enum GeoFunctions {
    static let earthRadius = SpherePoint.earthRadius

    static func shape(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> GeoShape? {
        do {
            return try GeoShape.parse(v)
        } catch {
            env.warn(.badParameter, "in function '\(name)()': invalid GeoJSON: \(error.reason)")
            return nil
        }
    }

    enum Ellipsoid { case sphere, wgs84 }

    /// The ellipsoid argument; as ArangoDB, an unknown one warns 10 and the sphere is used.
    static func ellipsoid(_ name: String, _ a: [Value], _ i: Int, _ env: FunctionEnvironment) -> Ellipsoid {
        guard i < a.count else { return .sphere }
        switch a[i].stringValue?.lowercased() {
        case "sphere": return .sphere
        case "wgs84": return .wgs84
        case let other?:
            env.warn(
                .badParameter,
                "in function '\(name)()': invalid ellipsoid \(other) specified, falling back to \"sphere\"")
        case nil:
            env.warn(
                .badParameter,
                "in function '\(name)()': invalid value for ellipsoid specified, falling back to \"sphere\"")
        }
        return .sphere
    }

    /// Warning 1542 with ArangoDB's reason, and null.
    static func mismatch(_ name: String, _ reason: String, _ env: FunctionEnvironment) -> Value {
        env.warn(.functionArgumentTypeMismatch, "in function '\(name)()': \(reason)")
        return .null
    }

    /// GEO_CONTAINS, GEO_INTERSECTS and GEO_EQUALS take GeoJSON objects only where ArangoDB does.
    static func geoJSONObject(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> GeoShape? {
        guard case .object = v else {
            _ = mismatch(name, "Expecting GeoJSON object", env)
            return nil
        }
        return shape(name, v, env)
    }

    static func distance(_ p: SpherePoint, _ q: SpherePoint, _ e: Ellipsoid) -> Double {
        switch e {
        case .sphere: return p.angle(q) * earthRadius
        case .wgs84: return Geodesic.distance(p.latitude, p.longitude, q.latitude, q.longitude)
        }
    }

    /// A position array checked for numbers, returned as written.
    static func positions(_ v: Value, atLeast n: Int) -> [Value]? {
        func isPosition(_ p: Value) -> Bool {
            guard let coordinates = p.arrayValue else { return false }
            return coordinates.count >= 2 && coordinates.allSatisfy { $0.numberValue != nil }
        }
        guard case .array(let ps) = v, ps.count >= n, ps.allSatisfy(isPosition) else { return nil }
        return ps
    }

    static func geometry(_ type: String, _ coordinates: [Value]) -> Value {
        ["type": .string(type), "coordinates": .array(coordinates)]
    }

    /// Documents with their distance added as `distanceName` when one is given.
    static func withDistances(_ found: [(Value, Double)], _ a: [Value], _ i: Int, _ env: FunctionEnvironment) -> Value {
        guard i < a.count, !a[i].isNull else { return .array(found.map(\.0)) }
        guard case .string(let name) = a[i] else { return Args.invalid("NEAR", env) }
        return .array(
            found.map { doc, d in
                guard case .object(var o) = doc else { return doc }
                o[name] = .num(d)
                return .object(o)
            })
    }

    static let rows: [FunctionDefinition] = [
        FunctionDefinition("GEO_POINT", 2, 3, signature: "GEO_POINT(longitude, latitude, elevation)") { a, env in
            guard a.allSatisfy({ $0.numberValue != nil }) else { return Args.invalid("GEO_POINT", env) }
            return geometry("Point", a)
        },
        FunctionDefinition("GEO_MULTIPOINT", 1, 1, signature: "GEO_MULTIPOINT(points)") { a, env in
            guard a[0].arrayValue != nil else { return Args.arrayExpected("GEO_MULTIPOINT", env) }
            guard let ps = positions(a[0], atLeast: 2) else { return Args.invalid("GEO_MULTIPOINT", env) }
            return geometry("MultiPoint", ps)
        },
        FunctionDefinition("GEO_LINESTRING", 1, 1, signature: "GEO_LINESTRING(points)") { a, env in
            guard a[0].arrayValue != nil else { return Args.arrayExpected("GEO_LINESTRING", env) }
            guard let ps = positions(a[0], atLeast: 2) else { return Args.invalid("GEO_LINESTRING", env) }
            return geometry("LineString", ps)
        },
        FunctionDefinition("GEO_MULTILINESTRING", 1, 1, signature: "GEO_MULTILINESTRING(points)") { a, env in
            guard a[0].arrayValue != nil else { return Args.arrayExpected("GEO_MULTILINESTRING", env) }
            guard case .array(let lines) = a[0], !lines.isEmpty, lines.allSatisfy({ positions($0, atLeast: 2) != nil })
            else {
                return Args.invalid("GEO_MULTILINESTRING", env)
            }
            return geometry("MultiLineString", lines)
        },
        FunctionDefinition("GEO_POLYGON", 1, 1, signature: "GEO_POLYGON(points)") { a, env in
            // One ring of positions, or an array of rings (the outer one, then holes).
            guard a[0].arrayValue != nil else { return Args.arrayExpected("GEO_POLYGON", env) }
            if let ring = positions(a[0], atLeast: 3) { return geometry("Polygon", [.array(ring)]) }
            guard case .array(let rings) = a[0], !rings.isEmpty, rings.allSatisfy({ positions($0, atLeast: 3) != nil })
            else {
                return Args.invalid("GEO_POLYGON", env)
            }
            return geometry("Polygon", rings)
        },
        FunctionDefinition("GEO_MULTIPOLYGON", 1, 1, signature: "GEO_MULTIPOLYGON(polygons)") { a, env in
            guard a[0].arrayValue != nil else { return Args.arrayExpected("GEO_MULTIPOLYGON", env) }
            guard case .array(let polygons) = a[0], polygons.count >= 2,
                polygons.allSatisfy({ p in
                    p.arrayValue.map { !$0.isEmpty && $0.allSatisfy { positions($0, atLeast: 3) != nil } } ?? false
                })
            else { return Args.invalid("GEO_MULTIPOLYGON", env) }
            return geometry("MultiPolygon", polygons)
        },
        FunctionDefinition("GEO_DISTANCE", 2, 3, signature: "GEO_DISTANCE(geoJsonA, geoJsonB, ellipsoid)") { a, env in
            guard let x = shape("GEO_DISTANCE", a[0], env), let y = shape("GEO_DISTANCE", a[1], env) else {
                return .null
            }
            return .num(distance(x.centroid, y.centroid, ellipsoid("GEO_DISTANCE", a, 2, env)))
        },
        FunctionDefinition(
            "GEO_IN_RANGE", 4, 7,
            signature: "GEO_IN_RANGE(geoJsonA, geoJsonB, low, high, includeLow, includeHigh, ellipsoid)"
        ) { a, env in
            guard let x = shape("GEO_IN_RANGE", a[0], env), let y = shape("GEO_IN_RANGE", a[1], env) else {
                return .null
            }
            // ArangoDB answers bad bounds and flags with 10, naming the argument.
            func bad(_ what: String) -> Value {
                env.warn(.badParameter, "in function 'GEO_IN_RANGE()': \(what)")
                return .null
            }
            guard case .number(let low) = a[2] else { return bad("3rd argument requires a number") }
            guard case .number(let high) = a[3] else { return bad("4th argument requires a number") }
            var includeLow = true
            var includeHigh = true
            if a.count > 4 {
                guard case .bool(let b) = a[4] else { return bad("5th argument requires a bool") }
                includeLow = b
            }
            if a.count > 5 {
                guard case .bool(let b) = a[5] else { return bad("6th argument requires a bool") }
                includeHigh = b
            }
            let d = distance(x.centroid, y.centroid, ellipsoid("GEO_IN_RANGE", a, 6, env))
            return .bool((includeLow ? d >= low : d > low) && (includeHigh ? d <= high : d < high))
        },
        FunctionDefinition("GEO_AREA", 1, 2, signature: "GEO_AREA(geoJson, ellipsoid)") { a, env in
            guard let x = shape("GEO_AREA", a[0], env) else { return .null }
            switch ellipsoid("GEO_AREA", a, 1, env) {
            case .sphere: return .num(x.area * earthRadius * earthRadius)
            case .wgs84: return .num(Geodesic.area(x))
            }
        },
        FunctionDefinition("GEO_CONTAINS", 2, 2, signature: "GEO_CONTAINS(geoJsonA, geoJsonB)") { a, env in
            guard let x = geoJSONObject("GEO_CONTAINS", a[0], env) else { return .null }
            guard case .polygon = x else {
                return mismatch("GEO_CONTAINS", "Only Polygon and MultiPolygon types are valid as first argument", env)
            }
            guard let y = shape("GEO_CONTAINS", a[1], env) else { return .null }
            return .bool(x.containsShape(y))
        },
        FunctionDefinition("GEO_INTERSECTS", 2, 2, signature: "GEO_INTERSECTS(geoJsonA, geoJsonB)") { a, env in
            guard let x = geoJSONObject("GEO_INTERSECTS", a[0], env), let y = shape("GEO_INTERSECTS", a[1], env) else {
                return .null
            }
            return .bool(x.intersects(y))
        },
        FunctionDefinition("GEO_EQUALS", 2, 2, signature: "GEO_EQUALS(geoJsonA, geoJsonB)") { a, env in
            guard case .object = a[0], case .object = a[1] else {
                return mismatch("GEO_EQUALS", "Expecting GeoJSON object", env)
            }
            guard let x = shape("GEO_EQUALS", a[0], env), let y = shape("GEO_EQUALS", a[1], env) else { return .null }
            switch (x, y) {
            case (.point, .point), (.multiPoint, .multiPoint), (.polyline, .polyline), (.polygon, .polygon):
                return .bool(x.points == y.points)
            default:
                return .bool(false)
            }
        },
        FunctionDefinition(
            "NEAR", 3, 5, deterministic: false, readsData: true,
            signature: "NEAR(collection, latitude, longitude, limit, distanceName)"
        ) { a, env in
            guard case .string(let c) = a[0], case .number(let lat) = a[1], case .number(let lon) = a[2] else {
                return Args.invalid("NEAR", env)
            }
            var limit = 100
            if a.count > 3, !a[3].isNull {
                guard case .number(let n) = a[3], n >= 0 else { return Args.invalid("NEAR", env) }
                limit = Int(min(n, 1e9))
            }
            return withDistances(
                try env.geoNear(collection: c, latitude: lat, longitude: lon, radius: nil, limit: limit), a, 4, env)
        },
        FunctionDefinition(
            "WITHIN", 4, 5, deterministic: false, readsData: true,
            signature: "WITHIN(collection, latitude, longitude, radius, distanceName)"
        ) { a, env in
            guard case .string(let c) = a[0], case .number(let lat) = a[1], case .number(let lon) = a[2],
                case .number(let r) = a[3], r >= 0
            else {
                return Args.invalid("WITHIN", env)
            }
            return withDistances(
                try env.geoNear(collection: c, latitude: lat, longitude: lon, radius: r, limit: nil), a, 4, env)
        },
        FunctionDefinition(
            "WITHIN_RECTANGLE", 5, 5, deterministic: false, readsData: true,
            signature: "WITHIN_RECTANGLE(collection, latitude1, longitude1, latitude2, longitude2)"
        ) { a, env in
            guard case .string(let c) = a[0], case .number(let lat1) = a[1], case .number(let lon1) = a[2],
                case .number(let lat2) = a[3],
                case .number(let lon2) = a[4]
            else { return Args.invalid("WITHIN_RECTANGLE", env) }
            let lats = min(lat1, lat2)...max(lat1, lat2)
            // A rectangle whose west edge lies east of its east edge crosses the antimeridian.
            let lons: [ClosedRange<Double>] = lon1 <= lon2 ? [lon1...lon2] : [lon1...180, -180...lon2]
            return .array(try env.geoRectangle(collection: c, latitudes: lats, longitudes: lons))
        },
        FunctionDefinition("DISTANCE", 4, 4, signature: "DISTANCE(latitude1, longitude1, latitude2, longitude2)") {
            a, env in
            guard case .number(let lat1) = a[0], case .number(let lon1) = a[1], case .number(let lat2) = a[2],
                case .number(let lon2) = a[3]
            else { return Args.invalid("DISTANCE", env) }
            let r = Double.pi / 180
            let p1 = lat1 * r, p2 = lat2 * r, d1 = (lat2 - lat1) * r, d2 = (lon2 - lon1) * r
            let h = sin(d1 / 2) * sin(d1 / 2) + cos(p1) * cos(p2) * sin(d2 / 2) * sin(d2 / 2)
            return .num(earthRadius * 2 * atan2(h.squareRoot(), (1 - h).squareRoot()))
        },
        FunctionDefinition(
            "IS_IN_POLYGON", 2, 3,
            signature: "IS_IN_POLYGON(polygon, latitude, longitude) | IS_IN_POLYGON(polygon, coord, useLonLat)"
        ) { a, env in
            // The legacy form: positions as [latitude, longitude] unless useLonLat.
            guard a[0].arrayValue != nil else { return Args.arrayExpected("IS_IN_POLYGON", env) }
            var lonLat = false
            let lat: Double, lon: Double
            if case .array(let c) = a[1] {
                lonLat = a.count > 2 && a[2].isTruthy
                guard c.count >= 2, case .number(let u) = c[0], case .number(let v) = c[1] else {
                    return Args.invalid("IS_IN_POLYGON", env)
                }
                (lat, lon) = lonLat ? (v, u) : (u, v)
            } else {
                guard a.count > 2, case .number(let u) = a[1], case .number(let v) = a[2] else {
                    return Args.invalid("IS_IN_POLYGON", env)
                }
                (lat, lon) = (u, v)
            }
            guard let ring = positions(a[0], atLeast: 3) else { return Args.invalid("IS_IN_POLYGON", env) }
            let points = ring.map { p -> SpherePoint in
                let c = p.arrayValue!.map { $0.numberValue! }
                return lonLat
                    ? SpherePoint(latitude: c[1], longitude: c[0]) : SpherePoint(latitude: c[0], longitude: c[1])
            }
            let loop = SphericalLoop(points)
            guard loop.vertices.count >= 3 else { return .bool(false) }
            return .bool(loop.contains(SpherePoint(latitude: lat, longitude: lon)))
        },
    ]
}
