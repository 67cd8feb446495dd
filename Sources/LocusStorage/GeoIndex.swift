// ArangoDB's geo index: the location of each document (two attributes holding latitude and
// longitude; or one attribute holding a [latitude, longitude] pair, [longitude, latitude]
// with geoJson, or a GeoJSON object, located at its centroid) as an index entry ordered by a
// tenth-of-a-degree latitude band, then longitude, then latitude. A search scans the bands a
// region spans and answers candidates with their exact position; callers measure distances.
// Documents without a valid location are not indexed.

#if canImport(Glibc)
import Glibc
#endif
import LocusGeo
import LocusValues

public enum GeoIndex {
    static let bandsPerDegree = 10.0

    /// Where a document is, as the index reads it.
    static func location(_ ix: IndexInfo, _ doc: Value) -> (latitude: Double, longitude: Double)? {
        func valid(_ lat: Double, _ lon: Double) -> (latitude: Double, longitude: Double)? {
            (-90...90).contains(lat) && (-180...180).contains(lon) ? (lat, lon) : nil
        }
        if ix.fields.count == 2 {
            guard case .number(let lat)? = IndexMaintenance.fieldValues(doc, ix.fields[0]).first,
                case .number(let lon)? = IndexMaintenance.fieldValues(doc, ix.fields[1]).first
            else { return nil }
            return valid(lat, lon)
        }
        guard let v = IndexMaintenance.fieldValues(doc, ix.fields[0]).first else { return nil }
        if case .array(let pair) = v {
            guard pair.count >= 2, case .number(let a) = pair[0], case .number(let b) = pair[1] else { return nil }
            return ix.geoJson == true ? valid(b, a) : valid(a, b)
        }
        guard case .object = v, let shape = try? GeoShape.parse(v) else { return nil }
        let c = shape.centroid
        return valid(c.latitude, c.longitude)
    }

    static func band(_ latitude: Double) -> Int { Int(((latitude + 90) * bandsPerDegree).rounded(.down)) }

    /// Big-endian bytes of a double that sort as the numbers do.
    static func sortable(_ d: Double) -> [UInt8] {
        let bits = d.bitPattern
        let ordered = d.sign == .minus ? ~bits : bits | (1 << 63)
        return (0..<8).map { UInt8(truncatingIfNeeded: ordered >> (56 - 8 * $0)) }
    }

    static func unsortable(_ b: ArraySlice<UInt8>) -> Double {
        let ordered = b.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(bitPattern: ordered & (1 << 63) != 0 ? ordered & ~(1 << 63) : ~ordered)
    }

    static func key(_ latitude: Double, _ longitude: Double) -> [UInt8] {
        let b = band(latitude)
        return [UInt8(b >> 8), UInt8(b & 0xFF)] + sortable(longitude) + sortable(latitude)
    }
}

extension Storage {
    /// The collection's geo index, if it has one.
    public func geoIndex(collection: String) -> IndexInfo? {
        catalog.indexes(of: collection).first { $0.type == .geo }
    }

    /// Every indexed document whose location lies in the latitude range and one of the
    /// longitude ranges, with that location.
    public func geoCandidates(_ ix: IndexInfo, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>])
        throws -> [(key: String, latitude: Double, longitude: Double)]
    {
        try flushPendingInserts()
        var out: [(String, Double, Double)] = []
        for b in GeoIndex.band(latitudes.lowerBound)...GeoIndex.band(latitudes.upperBound) {
            let prefix = [UInt8(b >> 8), UInt8(b & 0xFF)]
            for lon in longitudes {
                let range = IndexRange(
                    lower: prefix + GeoIndex.sortable(lon.lowerBound),
                    upper: prefix + GeoIndex.sortable(lon.upperBound) + [0xFF])
                try indexEntries(ix, range: range) { k, key in
                    let bytes = Array(k)
                    let lonValue = GeoIndex.unsortable(bytes[2..<10]), latValue = GeoIndex.unsortable(bytes[10..<18])
                    if latitudes.contains(latValue), lon.contains(lonValue) { out.append((key, latValue, lonValue)) }
                    return true
                }
            }
        }
        return out
    }
}

extension Storage {
    /// The indexed documents within `radius` metres of a point (any distance when nil),
    /// nearest first, at most `limit`, with their distances on the sphere of mean Earth radius.
    public func geoNear(_ ix: IndexInfo, latitude: Double, longitude: Double, radius: Double?, limit: Int?)
        throws -> [(key: String, distance: Double)]
    {
        let earthRadius = SpherePoint.earthRadius
        let center = SpherePoint(latitude: latitude, longitude: longitude)
        var reach = radius ?? 10_000
        while true {
            let delta = min(reach / earthRadius, .pi) * 180 / .pi
            let lat = max(-90, latitude - delta)...min(90, latitude + delta)
            var lons: [ClosedRange<Double>] = [-180...180]
            if lat.lowerBound > -90, lat.upperBound < 90 {
                let s = sin(delta * .pi / 180) / cos(latitude * .pi / 180)
                if s < 1 {
                    let d = asin(s) * 180 / .pi
                    let (lo, hi) = (longitude - d, longitude + d)
                    lons =
                        lo < -180
                        ? [-180...hi, (lo + 360)...180] : hi > 180 ? [lo...180, -180...(hi - 360)] : [lo...hi]
                }
            }
            var found = try geoCandidates(ix, latitudes: lat, longitudes: lons).map { c in
                (
                    key: c.key,
                    distance: center.angle(SpherePoint(latitude: c.latitude, longitude: c.longitude)) * earthRadius
                )
            }.filter { $0.distance <= reach }
            found.sort { ($0.distance, $0.key) < ($1.distance, $1.key) }
            // Everything within `reach` is found; without a radius, widen until `limit` are.
            if radius != nil || found.count >= (limit ?? Int.max) || delta >= 180 {
                return limit.map { Array(found.prefix($0)) } ?? found
            }
            reach *= 4
        }
    }
}
