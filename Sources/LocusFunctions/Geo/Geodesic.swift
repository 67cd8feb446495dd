// Measures on the WGS84 ellipsoid: geodesic distance by Vincenty's inverse method (falling
// back to the sphere of mean radius in the rare near-antipodal cases it does not converge),
// and polygon area: each edge is followed along its true geodesic (Vincenty's direct method)
// in steps of at most 2 km, and the densified ring is measured on the authalic sphere (equal
// area), with latitudes mapped to authalic latitudes.

#if canImport(Glibc)
import Glibc
#endif
import LocusGeo

enum Geodesic {
    static let a = 6_378_137.0
    static let f = 1 / 298.257_223_563
    static let b = a * (1 - f)

    /// Metres between two positions in degrees.
    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        inverse(lat1, lon1, lat2, lon2).distance
    }

    /// Vincenty's inverse problem: the distance and the initial azimuth (radians) from the
    /// first position to the second; nil azimuth when the method did not converge.
    static func inverse(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> (
        distance: Double, azimuth: Double?
    ) {
        let r = Double.pi / 180
        let L = (lon2 - lon1) * r
        let u1 = atan((1 - f) * tan(lat1 * r)), u2 = atan((1 - f) * tan(lat2 * r))
        let (sinU1, cosU1, sinU2, cosU2) = (sin(u1), cos(u1), sin(u2), cos(u2))
        var lambda = L
        for _ in 0..<200 {
            let sinL = sin(lambda), cosL = cos(lambda)
            let sinSigma =
                ((cosU2 * sinL) * (cosU2 * sinL) + (cosU1 * sinU2 - sinU1 * cosU2 * cosL)
                    * (cosU1 * sinU2 - sinU1 * cosU2 * cosL))
                .squareRoot()
            if sinSigma == 0 { return (0, 0) }
            let cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL
            let sigma = atan2(sinSigma, cosSigma)
            let sinAlpha = cosU1 * cosU2 * sinL / sinSigma
            let cos2Alpha = 1 - sinAlpha * sinAlpha
            let cos2SigmaM = cos2Alpha != 0 ? cosSigma - 2 * sinU1 * sinU2 / cos2Alpha : 0
            let C = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
            let previous = lambda
            lambda =
                L + (1 - C) * f * sinAlpha
                * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
            if abs(lambda - previous) < 1e-12 {
                let u2b = cos2Alpha * (a * a - b * b) / (b * b)
                let A = 1 + u2b / 16384 * (4096 + u2b * (-768 + u2b * (320 - 175 * u2b)))
                let B = u2b / 1024 * (256 + u2b * (-128 + u2b * (74 - 47 * u2b)))
                let deltaSigma =
                    B * sinSigma
                    * (cos2SigmaM + B / 4
                        * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                            - B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
                let azimuth = atan2(cosU2 * sin(lambda), cosU1 * sinU2 - sinU1 * cosU2 * cos(lambda))
                return (b * A * (sigma - deltaSigma), azimuth)
            }
        }
        return (
            SpherePoint(latitude: lat1, longitude: lon1).angle(SpherePoint(latitude: lat2, longitude: lon2))
                * GeoFunctions.earthRadius, nil
        )
    }

    /// Vincenty's direct problem: the position (degrees) `s` metres from a start along an
    /// initial azimuth (radians).
    static func direct(_ lat1: Double, _ lon1: Double, azimuth alpha1: Double, distance s: Double) -> (
        latitude: Double, longitude: Double
    ) {
        let r = Double.pi / 180
        let tanU1 = (1 - f) * tan(lat1 * r)
        let cosU1 = 1 / (1 + tanU1 * tanU1).squareRoot(), sinU1 = tanU1 * cosU1
        let sigma1 = atan2(tanU1, cos(alpha1))
        let sinAlpha = cosU1 * sin(alpha1)
        let cos2Alpha = 1 - sinAlpha * sinAlpha
        let u2b = cos2Alpha * (a * a - b * b) / (b * b)
        let A = 1 + u2b / 16384 * (4096 + u2b * (-768 + u2b * (320 - 175 * u2b)))
        let B = u2b / 1024 * (256 + u2b * (-128 + u2b * (74 - 47 * u2b)))
        var sigma = s / (b * A)
        var cos2SigmaM = 0.0
        for _ in 0..<100 {
            cos2SigmaM = cos(2 * sigma1 + sigma)
            let sinSigma = sin(sigma), cosSigma = cos(sigma)
            let deltaSigma =
                B * sinSigma
                * (cos2SigmaM + B / 4
                    * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                        - B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
            let next = s / (b * A) + deltaSigma
            defer { sigma = next }
            if abs(next - sigma) < 1e-12 { break }
        }
        let sinSigma = sin(sigma), cosSigma = cos(sigma)
        let tmp = sinU1 * sinSigma - cosU1 * cosSigma * cos(alpha1)
        let lat2 = atan2(
            sinU1 * cosSigma + cosU1 * sinSigma * cos(alpha1), (1 - f) * (sinAlpha * sinAlpha + tmp * tmp).squareRoot())
        let lambda = atan2(sinSigma * sin(alpha1), cosU1 * cosSigma - sinU1 * sinSigma * cos(alpha1))
        let C = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
        let L =
            lambda - (1 - C) * f * sinAlpha
            * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
        var lon2 = lon1 + L / r
        if lon2 > 180 { lon2 -= 360 } else if lon2 < -180 { lon2 += 360 }
        return (lat2 / r, lon2)
    }

    /// Square metres of a shape's polygons on the ellipsoid.
    static func area(_ shape: GeoShape) -> Double {
        guard case .polygon(let polys) = shape else { return 0 }
        let e2 = f * (2 - f), e = e2.squareRoot()
        func q(_ phi: Double) -> Double {
            let s = sin(phi)
            return (1 - e2) * (s / (1 - e2 * s * s) - 1 / (2 * e) * log((1 - e * s) / (1 + e * s)))
        }
        let qp = q(.pi / 2)
        let authalicRadius = a * (qp / 2).squareRoot()
        func authalic(_ loop: SphericalLoop) -> SphericalLoop {
            var ring: [SpherePoint] = []
            let n = loop.vertices.count
            for i in 0..<n {
                let p = loop.vertices[i], next = loop.vertices[(i + 1) % n]
                let (lat1, lon1, lat2, lon2) = (p.latitude, p.longitude, next.latitude, next.longitude)
                ring.append(SpherePoint(latitude: lat1, longitude: lon1))
                let edge = inverse(lat1, lon1, lat2, lon2)
                guard let azimuth = edge.azimuth else { continue }
                let steps = min(10_000, Int((edge.distance / 2000).rounded(.up)))
                for k in stride(from: 1, to: steps, by: 1) {
                    let step = direct(lat1, lon1, azimuth: azimuth, distance: edge.distance * Double(k) / Double(steps))
                    ring.append(SpherePoint(latitude: step.latitude, longitude: step.longitude))
                }
            }
            return SphericalLoop(
                ring.map { p in
                    let beta = asin(max(-1, min(1, q(p.latitude * .pi / 180) / qp)))
                    return SpherePoint(latitude: beta * 180 / .pi, longitude: p.longitude)
                })
        }
        let steradians = polys.reduce(0.0) { sum, poly in
            sum + authalic(poly.outer).area - poly.holes.reduce(0.0) { $0 + authalic($1).area }
        }
        return steradians * authalicRadius * authalicRadius
    }
}
