// GeoJSON geometries as ArangoDB's geo functions read them: Point, MultiPoint, LineString,
// MultiLineString, Polygon (outer ring then holes, each closed with at least four positions)
// and MultiPolygon, positions as [longitude, latitude] within range, or a bare [lon, lat]
// pair standing for a point. Anything else is invalid, with the reason.

import LocusValues
#if canImport(Glibc)
import Glibc
#endif

public enum GeoShape: Sendable {
    case point(SpherePoint)
    case multiPoint([SpherePoint])
    case polyline([[SpherePoint]])
    case polygon([GeoPolygon])

    public struct GeoPolygon: Sendable {
        public var outer: SphericalLoop
        public var holes: [SphericalLoop]

        public func contains(_ p: SpherePoint) -> Bool { outer.contains(p) && !holes.contains { $0.contains(p) } }
        public var loops: [SphericalLoop] { [outer] + holes }
    }

    public struct Invalid: Error { public let reason: String }

    /// Reads a GeoJSON object or a [lon, lat] pair.
    public static func parse(_ v: Value) throws(Invalid) -> GeoShape {
        if case .array = v { return .point(try position(v)) }
        guard case .object(let o) = v else {
            throw Invalid(reason: "expecting a GeoJSON object or a [longitude, latitude] pair")
        }
        guard case .string(let type)? = o["type"] else { throw Invalid(reason: "GeoJSON object without a type") }
        guard case .array(let c)? = o["coordinates"] else {
            throw Invalid(reason: "GeoJSON \(type) without coordinates")
        }
        switch type.lowercased() {
        case "point": return .point(try position(.array(c)))
        case "multipoint":
            guard !c.isEmpty else { throw Invalid(reason: "a MultiPoint needs at least one position") }
            return .multiPoint(try c.map(position))
        case "linestring": return .polyline([try line(c)])
        case "multilinestring":
            guard !c.isEmpty else { throw Invalid(reason: "a MultiLineString needs at least one LineString") }
            return .polyline(try c.map { v throws(Invalid) in try line(v.arrayValue ?? []) })
        case "polygon": return .polygon([try polygon(c)])
        case "multipolygon":
            guard !c.isEmpty else { throw Invalid(reason: "a MultiPolygon needs at least one Polygon") }
            return .polygon(try c.map { v throws(Invalid) in try polygon(v.arrayValue ?? []) })
        default: throw Invalid(reason: "unsupported GeoJSON type '\(type)'")
        }
    }

    public static func position(_ v: Value) throws(Invalid) -> SpherePoint {
        guard case .array(let p) = v, p.count >= 2, case .number(let lon) = p[0], case .number(let lat) = p[1] else {
            throw Invalid(reason: "a position is an array [longitude, latitude]")
        }
        guard (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw Invalid(reason: "coordinates out of range: [\(lon), \(lat)]")
        }
        return SpherePoint(latitude: lat, longitude: lon)
    }

    public static func line(_ c: [Value]) throws(Invalid) -> [SpherePoint] {
        let points = try c.map(position)
        guard points.count >= 2 else { throw Invalid(reason: "a LineString needs at least two positions") }
        return points
    }

    public static func polygon(_ rings: [Value]) throws(Invalid) -> GeoPolygon {
        guard !rings.isEmpty else { throw Invalid(reason: "a Polygon needs a ring") }
        let loops = try rings.map { r throws(Invalid) -> SphericalLoop in
            let points = try (r.arrayValue ?? []).map(position)
            guard points.count >= 4 else { throw Invalid(reason: "a Polygon's ring needs at least four positions") }
            guard points.first == points.last else {
                throw Invalid(reason: "a Polygon's ring must end where it starts")
            }
            let loop = SphericalLoop(points)
            guard loop.vertices.count >= 3 else {
                throw Invalid(reason: "a Polygon's ring needs three distinct positions")
            }
            return loop
        }
        return GeoPolygon(outer: loops[0], holes: Array(loops.dropFirst()))
    }

    // MARK: - Measures

    public var points: [SpherePoint] {
        switch self {
        case .point(let p): [p]
        case .multiPoint(let ps): ps
        case .polyline(let lines): lines.flatMap { $0 }
        case .polygon(let polys): polys.flatMap { $0.loops.flatMap(\.vertices) }
        }
    }

    public var edges: [(SpherePoint, SpherePoint)] {
        switch self {
        case .point, .multiPoint: []
        case .polyline(let lines): lines.flatMap { l in zip(l, l.dropFirst()).map { ($0, $1) } }
        case .polygon(let polys): polys.flatMap { $0.loops.flatMap(\.edges) }
        }
    }

    /// The centroid as S2 computes it (length-weighted for lines, area-weighted for
    /// polygons, holes subtracted), as a unit vector.
    public var centroid: SpherePoint {
        var sum = SpherePoint(x: 0, y: 0, z: 0)
        switch self {
        case .point(let p): return p
        case .multiPoint(let ps): for p in ps { sum = sum + p }
        case .polyline(let lines):
            for l in lines {
                for (a, b) in zip(l, l.dropFirst()) {
                    let vsum = a + b, vdiff = a - b
                    let cos2 = vsum.norm2, sin2 = vdiff.norm2
                    if cos2 > 0 { sum = sum + (sin2 / cos2).squareRoot() * vsum }
                }
            }
        case .polygon(let polys):
            for poly in polys {
                sum = sum + poly.outer.centroid
                for h in poly.holes { sum = sum - h.centroid }
            }
        }
        return sum.norm2 == 0 ? points[0] : sum.normalized
    }

    /// The area in steradians (zero but for polygons).
    public var area: Double {
        guard case .polygon(let polys) = self else { return 0 }
        return polys.reduce(0) { $0 + $1.outer.area - $1.holes.reduce(0) { $0 + $1.area } }
    }

    /// Whether `p` lies in this shape (inside a polygon, on a vertex otherwise).
    public func contains(_ p: SpherePoint) -> Bool {
        switch self {
        case .polygon(let polys): return polys.contains { $0.contains(p) }
        default: return points.contains(p)
        }
    }

    public func anyEdgeCrosses(_ other: GeoShape) -> Bool {
        let mine = edges, theirs = other.edges
        for (a, b) in mine { for (c, d) in theirs where SphericalLoop.crosses(a, b, c, d) { return true } }
        return false
    }

    /// Whether every point of `other` lies in this polygon.
    public func containsShape(_ other: GeoShape) -> Bool {
        guard other.points.allSatisfy(contains) else { return false }
        if anyEdgeCrosses(other) { return false }
        // A hole of this polygon inside the other shape is a part of it not covered.
        if case .polygon(let mine) = self, case .polygon = other {
            for poly in mine { for h in poly.holes where other.contains(h.vertices[0]) { return false } }
        }
        return true
    }

    public func intersects(_ other: GeoShape) -> Bool {
        if points.contains(where: other.contains) || other.points.contains(where: contains) { return true }
        if anyEdgeCrosses(other) { return true }
        // A point lying on an edge of a line.
        for p in points { for (a, b) in other.edges where SphericalLoop.onArc(p, a, b) { return true } }
        for p in other.points { for (a, b) in edges where SphericalLoop.onArc(p, a, b) { return true } }
        return false
    }
}
