// Points on the unit sphere as 3-vectors, the representation S2 (and so ArangoDB's geo code)
// computes with: conversion from and to latitude/longitude in degrees, and the vector
// operations spherical geometry needs.

#if canImport(Glibc)
import Glibc
#endif

/// A point on (or a vector near) the unit sphere.
public struct SpherePoint: Equatable, Sendable {
    /// The sphere's radius in metres: ArangoDB's kEarthRadiusInMeters, the mean Earth radius.
    public static let earthRadius = 6_371_000.0

    public var x: Double
    public var y: Double
    public var z: Double

    public init(x: Double, y: Double, z: Double) { (self.x, self.y, self.z) = (x, y, z) }

    /// S2LatLng::ToPoint of a position in degrees.
    public init(latitude: Double, longitude: Double) {
        let phi = latitude * .pi / 180, theta = longitude * .pi / 180
        let c = cos(phi)
        self.init(x: cos(theta) * c, y: sin(theta) * c, z: sin(phi))
    }

    public var latitude: Double { atan2(z, (x * x + y * y).squareRoot()) * 180 / .pi }
    public var longitude: Double { atan2(y, x) * 180 / .pi }

    public static func + (a: SpherePoint, b: SpherePoint) -> SpherePoint {
        SpherePoint(x: a.x + b.x, y: a.y + b.y, z: a.z + b.z)
    }
    public static func - (a: SpherePoint, b: SpherePoint) -> SpherePoint {
        SpherePoint(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z)
    }
    public static func * (k: Double, a: SpherePoint) -> SpherePoint { SpherePoint(x: k * a.x, y: k * a.y, z: k * a.z) }
    public func dot(_ o: SpherePoint) -> Double { x * o.x + y * o.y + z * o.z }
    public func cross(_ o: SpherePoint) -> SpherePoint {
        SpherePoint(x: y * o.z - z * o.y, y: z * o.x - x * o.z, z: x * o.y - y * o.x)
    }
    public var norm2: Double { dot(self) }
    public var norm: Double { norm2.squareRoot() }
    public var normalized: SpherePoint { let n = norm; return n == 0 ? self : (1 / n) * self }

    /// The angle between two directions in radians, as S2Point::Angle.
    public func angle(_ o: SpherePoint) -> Double { atan2(cross(o).norm, dot(o)) }
}
