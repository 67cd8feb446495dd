// The fabric description: the points of presence (PoPs) of a deployment, with where each
// one is and which jurisdictions it belongs to. Read from JSON and validated strictly, since
// sovereignty decisions will be made from it.

import LocusErrors
import LocusStorage
import LocusValues

/// One edge location of a fabric.
public struct PointOfPresence: Sendable, Equatable {
    public var name: String
    public var city: String
    /// ISO 3166-1 alpha-2 country code, upper case.
    public var country: String
    public var region: String
    /// Jurisdiction tags such as `eu` or `gdpr`.
    public var jurisdictions: [String]
    public var latitude: Double
    public var longitude: Double
    /// The fabric authority's signature over this PoP's claim (see Attestation), as hex.
    public var attestation: String? = nil

    public init(
        name: String, city: String, country: String, region: String, jurisdictions: [String],
        latitude: Double, longitude: Double
    ) {
        self.name = name
        self.city = city
        self.country = country
        self.region = region
        self.jurisdictions = jurisdictions
        self.latitude = latitude
        self.longitude = longitude
    }

    var json: Value {
        var o: Object = [
            "name": .string(name), "city": .string(city), "country": .string(country), "region": .string(region),
            "jurisdictions": .array(jurisdictions.map { .string($0) }), "latitude": .number(latitude),
            "longitude": .number(longitude),
        ]
        if let attestation { o["attestation"] = .string(attestation) }
        return .object(o)
    }
}

/// A deployment's PoPs.
///
/// ```json
/// {"name": "demo", "pops": [{"name": "fra", "city": "Frankfurt", "country": "DE",
///   "region": "eu-central", "jurisdictions": ["eu"], "latitude": 50.11, "longitude": 8.68}]}
/// ```
public struct Fabric: Sendable, Equatable {
    public var name: String
    public var pops: [PointOfPresence]
    /// The Ed25519 public key (hex) that attests PoPs; nil when PoPs are taken at their word.
    public var authority: String? = nil

    public init(name: String, pops: [PointOfPresence]) throws {
        self.name = name
        self.pops = pops
        try validate()
    }

    /// Parses and validates a fabric description; errors name the offending field.
    public init(json text: String) throws {
        let v: Value
        do { v = try JSONReader.parse(text) } catch let e as LocusError {
            throw LocusError(.badParameter, "fabric description is not valid JSON: \(e.message)")
        }
        guard case .object(let o) = v else { throw Fabric.invalid("the description must be a JSON object") }
        guard case .string(let name)? = o["name"] else { throw Fabric.invalid("'name' must be a string") }
        guard case .array(let list)? = o["pops"] else { throw Fabric.invalid("'pops' must be an array") }
        var pops: [PointOfPresence] = []
        for (i, p) in list.enumerated() {
            let at = "pops[\(i)]"
            guard case .object(let po) = p else { throw Fabric.invalid("\(at) must be an object") }
            func string(_ field: String) throws -> String {
                guard case .string(let s)? = po[field] else { throw Fabric.invalid("\(at).\(field) must be a string") }
                return s
            }
            func number(_ field: String) throws -> Double {
                guard case .number(let d)? = po[field] else { throw Fabric.invalid("\(at).\(field) must be a number") }
                return d
            }
            var tags: [String] = []
            if let j = po["jurisdictions"] {
                guard case .array(let a) = j, a.allSatisfy({ $0.stringValue != nil }) else {
                    throw Fabric.invalid("\(at).jurisdictions must be an array of strings")
                }
                tags = a.compactMap(\.stringValue)
            }
            var pop = PointOfPresence(
                name: try string("name"), city: try string("city"), country: try string("country"),
                region: try string("region"), jurisdictions: tags,
                latitude: try number("latitude"), longitude: try number("longitude"))
            if let a = po["attestation"] {
                guard case .string(let s) = a else { throw Fabric.invalid("\(at).attestation must be a string") }
                pop.attestation = s
            }
            pops.append(pop)
        }
        try self.init(name: name, pops: pops)
        if let a = o["authority"] {
            guard case .string(let key) = a, Attestation.bytes(key)?.count == 32 else {
                throw Fabric.invalid("'authority' must be an Ed25519 public key as 64 hexadecimal digits")
            }
            authority = key
        }
    }

    static func invalid(_ why: String) -> LocusError { LocusError(.badParameter, "invalid fabric description: \(why)") }

    func validate() throws {
        guard Storage.isValidPopName(name) else {
            throw Fabric.invalid("name '\(name)' must be letters, digits, '-' or '_'")
        }
        guard !pops.isEmpty else { throw Fabric.invalid("it lists no PoPs") }
        var seen: Set<String> = []
        for (i, p) in pops.enumerated() {
            let at = "pops[\(i)]"
            guard Storage.isValidPopName(p.name) else {
                throw Fabric.invalid("\(at).name '\(p.name)' must be 1-64 letters, digits, '-' or '_'")
            }
            guard seen.insert(p.name).inserted else { throw Fabric.invalid("PoP '\(p.name)' is listed twice") }
            guard !p.city.isEmpty else { throw Fabric.invalid("\(at).city is empty") }
            guard p.country.utf8.count == 2, p.country.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
                throw Fabric.invalid("\(at).country '\(p.country)' must be an ISO 3166 code such as DE")
            }
            guard !p.region.isEmpty else { throw Fabric.invalid("\(at).region is empty") }
            guard p.jurisdictions.allSatisfy({ !$0.isEmpty }) else {
                throw Fabric.invalid("\(at).jurisdictions holds an empty tag")
            }
            guard p.latitude >= -90, p.latitude <= 90 else {
                throw Fabric.invalid("\(at).latitude must be within -90...90")
            }
            guard p.longitude >= -180, p.longitude <= 180 else {
                throw Fabric.invalid("\(at).longitude must be within -180...180")
            }
        }
    }

    /// The PoPs a placement selector names: `NAME` or `pop:NAME`, `jurisdiction:TAG`,
    /// `country:CC` or `region:NAME`. An unknown kind of selector is an error.
    public func pops(matching selector: String) throws -> Set<String> {
        let kind = selector.firstIndex(of: ":").map { selector[..<$0] } ?? "pop"
        let value = selector.firstIndex(of: ":").map { String(selector[selector.index(after: $0)...]) } ?? selector
        let matching: (PointOfPresence) -> Bool
        switch kind {
        case "pop": matching = { $0.name == value }
        case "jurisdiction": matching = { $0.jurisdictions.contains(value) }
        case "country": matching = { $0.country == value.uppercased() }
        case "region": matching = { $0.region == value }
        default:
            throw LocusError(
                .policyInvalid,
                "unknown selector kind '\(kind)' in '\(selector)' (use pop:, jurisdiction:, country: or region:)")
        }
        // Under an authority, only attested PoPs can be part of a placement.
        return Set(pops.filter { matching($0) && Attestation.verifies(self, $0) }.map(\.name))
    }

    /// The PoPs whose attestation does not verify under the fabric's authority.
    public var unattested: [String] { pops.filter { !Attestation.verifies(self, $0) }.map(\.name) }

    /// The PoP called `name`, or nil.
    public func pop(_ name: String) -> PointOfPresence? { pops.first { $0.name == name } }

    /// The description as compact JSON.
    public var json: String {
        var o: Object = ["name": .string(name), "pops": .array(pops.map(\.json))]
        if let authority { o["authority"] = .string(authority) }
        return JSONWriter.string(.object(o))
    }
}
