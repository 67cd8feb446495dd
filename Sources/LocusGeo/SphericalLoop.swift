// A closed ring of geodesic edges on the sphere, oriented so that its interior is the region
// on its left and no larger than a hemisphere (S2's normalisation, which ArangoDB applies to
// GeoJSON polygons): area, centroid, containment of points and crossings of edges.

#if canImport(Glibc)
import Glibc
#endif

public struct SphericalLoop: Sendable {
    /// The vertices, without the closing repeat of the first.
    public var vertices: [SpherePoint]

    public init(_ ring: [SpherePoint]) {
        var v: [SpherePoint] = []
        for p in ring where v.last != p { v.append(p) }
        if v.count > 1, v.first == v.last { v.removeLast() }
        vertices = v
        if turningAngle < 0 { vertices.reverse() }
    }

    /// The sum of the turns at each vertex, left turns positive. The area on the left is
    /// 2π minus this (Gauss-Bonnet), so a negative sum means the left side is the larger.
    public var turningAngle: Double {
        let n = vertices.count
        guard n >= 3 else { return 2 * .pi }
        var sum = 0.0
        for i in 0..<n {
            let a = vertices[(i + n - 1) % n], b = vertices[i], c = vertices[(i + 1) % n]
            // Directions of travel at b: arriving along the arc from a, leaving towards c.
            let tin = a.cross(b).cross(b)
            let tout = b.cross(c).cross(b)
            sum += atan2(tin.cross(tout).dot(b), tin.dot(tout))
        }
        return sum
    }

    /// The area enclosed, in steradians.
    public var area: Double { vertices.count < 3 ? 0 : max(0, 2 * .pi - turningAngle) }

    /// The area-weighted centroid times the area (S2Loop::GetCentroid): a fan of true
    /// triangle centroids from the first vertex.
    public var centroid: SpherePoint {
        var sum = SpherePoint(x: 0, y: 0, z: 0)
        guard vertices.count >= 3 else { return sum }
        for i in 1..<(vertices.count - 1) {
            sum = sum + SphericalLoop.trueCentroid(vertices[0], vertices[i], vertices[i + 1])
        }
        return sum
    }

    /// S2::TrueCentroid of a spherical triangle.
    public static func trueCentroid(_ a: SpherePoint, _ b: SpherePoint, _ c: SpherePoint) -> SpherePoint {
        let angleA = b.angle(c), angleB = c.angle(a), angleC = a.angle(b)
        let ra = angleA == 0 ? 1 : angleA / sin(angleA)
        let rb = angleB == 0 ? 1 : angleB / sin(angleB)
        let rc = angleC == 0 ? 1 : angleC / sin(angleC)
        let x = SpherePoint(x: a.x, y: b.x - a.x, z: c.x - a.x)
        let y = SpherePoint(x: a.y, y: b.y - a.y, z: c.y - a.y)
        let z = SpherePoint(x: a.z, y: b.z - a.z, z: c.z - a.z)
        let r = SpherePoint(x: ra, y: rb - ra, z: rc - ra)
        return 0.5 * SpherePoint(x: y.cross(z).dot(r), y: z.cross(x).dot(r), z: x.cross(y).dot(r))
    }

    /// Whether `p` lies inside: the loop winds once around it (the signed angles it subtends
    /// at p sum to 2π) rather than not at all.
    public func contains(_ p: SpherePoint) -> Bool {
        let n = vertices.count
        guard n >= 3 else { return false }
        var sum = 0.0
        for i in 0..<n {
            let a = vertices[i], b = vertices[(i + 1) % n]
            if a == p || b == p { return true }
            sum += atan2(p.dot(a.cross(b)), a.dot(b) - p.dot(a) * p.dot(b))
        }
        return sum > .pi
    }

    public var edges: [(SpherePoint, SpherePoint)] {
        (0..<vertices.count).map { (vertices[$0], vertices[($0 + 1) % vertices.count]) }
    }

    /// Whether arcs ab and cd cross at a point interior to both (S2's SimpleCrossing).
    public static func crosses(_ a: SpherePoint, _ b: SpherePoint, _ c: SpherePoint, _ d: SpherePoint) -> Bool {
        let ab = a.cross(b)
        let acb = -ab.dot(c), bda = ab.dot(d)
        guard acb * bda > 0 else { return false }
        let cd = c.cross(d)
        let cbd = -cd.dot(b), dac = cd.dot(a)
        return acb * cbd > 0 && acb * dac > 0
    }
}

extension SphericalLoop {
    /// Whether p lies on the arc ab (within rounding).
    public static func onArc(_ p: SpherePoint, _ a: SpherePoint, _ b: SpherePoint) -> Bool {
        abs(a.angle(p) + p.angle(b) - a.angle(b)) < 1e-12
    }
}
