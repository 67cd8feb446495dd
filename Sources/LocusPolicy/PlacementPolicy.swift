// The placement policy: a versioned JSON document that says where each collection's
// records may live, as a collection default and as per-record rules written in C8QL. It is
// read strictly and compiled against the fabric (selectors become PoP sets), and the
// compiled form is the gate storage enforces. Anything malformed or unknown is an error
// (7802): no record ever gets "anywhere" by accident.

import LocusErrors
import LocusStorage
import LocusValues

/// A compiled placement policy.
///
/// ```json
/// {"version": 2, "default": "everywhere",
///  "collections": {
///    "users": {"placement": ["jurisdiction:eu"],
///              "rules": [{"when": "doc.residency == 'IN'", "allow": ["country:IN"]}]}}}
/// ```
///
/// A selector is `everywhere`, a PoP name, `pop:NAME`, `jurisdiction:TAG`, `country:CC` or
/// `region:NAME`; each must match at least one PoP of the fabric. A record's placement is
/// the `allow` set of the first rule whose `when` holds for it (as `doc`), else its
/// collection's `placement`, else the policy's `default`. An edge may also live only where
/// both its endpoints may.
public struct PlacementPolicy: PlacementGate {
    public let version: Int
    public let text: String
    let defaultPlacement: SiteSet
    let defaultSelectors: [String]
    let collections: [String: CollectionPlacement]

    struct CollectionPlacement: Sendable {
        let placement: SiteSet
        let selectors: [String]
        let rules: [PlacementRule]
        /// The most registers one of the rules uses.
        let registers: Int

        init(placement: SiteSet, selectors: [String], rules: [PlacementRule]) {
            self.placement = placement
            self.selectors = selectors
            self.rules = rules
            registers = rules.map(\.registers).max() ?? 1
        }
    }

    /// Reads and compiles a policy against `fabric`.
    public init(json text: String, fabric: Fabric) throws {
        self.text = text
        let root: Value
        do { root = try JSONReader.parse(text) } catch let e as LocusError {
            throw PlacementPolicy.invalid("not valid JSON: \(e.message)")
        }
        guard case .object(let o) = root else { throw PlacementPolicy.invalid("the policy must be a JSON object") }
        for k in o.keys where !["version", "default", "collections"].contains(k) {
            throw PlacementPolicy.invalid("unknown attribute '\(k)' (expected version, default, collections)")
        }
        guard case .number(let v)? = o["version"], v >= 1, v < 9.0e15, v == v.rounded() else {
            throw PlacementPolicy.invalid("'version' must be a positive integer")
        }
        version = Int(v)
        guard let d = o["default"] else {
            throw PlacementPolicy.invalid(
                "'default' is required: say \"everywhere\" or list the PoPs records of unlisted collections may live at"
            )
        }
        (defaultPlacement, defaultSelectors) = try PlacementPolicy.placement(d, at: "default", fabric: fabric)
        var out: [String: CollectionPlacement] = [:]
        if let cs = o["collections"] {
            guard case .object(let list) = cs else { throw PlacementPolicy.invalid("'collections' must be an object") }
            for (name, spec) in list {
                guard DocumentKey.isValidCollectionName(name) else {
                    throw PlacementPolicy.invalid("'\(name)' is not a collection name")
                }
                let at = "collections.\(name)"
                guard case .object(let so) = spec else { throw PlacementPolicy.invalid("\(at) must be an object") }
                for k in so.keys where k != "placement" && k != "rules" {
                    throw PlacementPolicy.invalid("unknown attribute '\(at).\(k)' (expected placement, rules)")
                }
                guard let p = so["placement"] else { throw PlacementPolicy.invalid("\(at).placement is required") }
                let (placement, selectors) = try PlacementPolicy.placement(p, at: "\(at).placement", fabric: fabric)
                var rules: [PlacementRule] = []
                if let rs = so["rules"] {
                    guard case .array(let list) = rs else {
                        throw PlacementPolicy.invalid("\(at).rules must be an array")
                    }
                    for (i, r) in list.enumerated() {
                        let rat = "\(at).rules[\(i)]"
                        guard case .object(let ro) = r, case .string(let when)? = ro["when"], let allow = ro["allow"]
                        else {
                            throw PlacementPolicy.invalid("\(rat) must be {\"when\": EXPRESSION, \"allow\": PLACEMENT}")
                        }
                        for k in ro.keys where k != "when" && k != "allow" {
                            throw PlacementPolicy.invalid("unknown attribute '\(rat).\(k)' (expected when, allow)")
                        }
                        let (set, sel) = try PlacementPolicy.placement(allow, at: "\(rat).allow", fabric: fabric)
                        rules.append(try PlacementRule(condition: when, allow: set, selectors: sel, at: rat))
                    }
                }
                out[name] = CollectionPlacement(placement: placement, selectors: selectors, rules: rules)
            }
        }
        collections = out
    }

    static func invalid(_ why: String) -> LocusError { LocusError(.policyInvalid, why) }

    /// A placement value: `"everywhere"` or a non-empty array of selectors.
    static func placement(_ v: Value, at: String, fabric: Fabric) throws -> (SiteSet, [String]) {
        if case .string("everywhere") = v { return (.everywhere, ["everywhere"]) }
        guard case .array(let list) = v, !list.isEmpty else {
            throw invalid("\(at) must be \"everywhere\" or a non-empty array of selectors")
        }
        var pops: Set<String> = []
        var selectors: [String] = []
        for s in list {
            guard case .string(let selector) = s else { throw invalid("\(at) holds a selector that is not a string") }
            if selector == "everywhere" { return (.everywhere, ["everywhere"]) }
            let matched = try fabric.pops(matching: selector)
            guard !matched.isEmpty else {
                throw invalid("\(at): selector '\(selector)' matches no PoP of fabric '\(fabric.name)'")
            }
            pops.formUnion(matched)
            selectors.append(selector)
        }
        return (.only(pops), selectors)
    }

    // MARK: - The gate

    public func placement(collection: String, document: Object, endpoint: (String) throws -> SiteSet?) throws -> SiteSet
    {
        var pin = own(collection: collection, document: document)
        // An edge lives only where both its endpoints may.
        if case .string(let from)? = document["_from"], case .string(let to)? = document["_to"] {
            for id in [from, to] where pin != .nowhere {
                pin = pin.intersection(try endpoint(id) ?? unheldEndpoint(id))
            }
        }
        return pin
    }

    /// What places a record by its own collection and rules, endpoints aside.
    enum Decision {
        /// Rule `index` (0-based) matched.
        case rule(Int)
        /// Rule `index` failed to evaluate on the record: placed nowhere (fail closed).
        case failedRule(Int)
        /// No rule matched: the collection's own placement.
        case collection
        /// The policy does not name the collection: its default.
        case policyDefault
    }

    func decide(collection: String, document: Object) -> Decision {
        guard let spec = collections[collection] else { return .policyDefault }
        guard !spec.rules.isEmpty else { return .collection }
        var judging = RuleJudging(document, registers: spec.registers)
        for (i, rule) in spec.rules.enumerated() {
            switch rule.matches(&judging) {
            case .some(true): return .rule(i)
            case .some(false): continue
            case .none: return .failedRule(i)
            }
        }
        return .collection
    }

    /// The placement of a record by its own collection and rules, endpoints aside.
    func own(collection: String, document: Object) -> SiteSet {
        placement(of: decide(collection: collection, document: document), collection: collection)
    }

    func placement(of decision: Decision, collection: String) -> SiteSet {
        switch decision {
        case .rule(let i): collections[collection]!.rules[i].allow
        case .failedRule: .nowhere
        case .collection: collections[collection]!.placement
        case .policyDefault: defaultPlacement
        }
    }

    /// The placement of a vertex this PoP does not hold: its collection's, when its
    /// records are not placed by content; otherwise unknown, and so nowhere.
    func unheldEndpoint(_ id: String) -> SiteSet {
        placementWithoutContent(of: id) ?? .nowhere
    }

    public func placementWithoutContent(of id: String) -> SiteSet? {
        guard let slash = id.firstIndex(of: "/") else { return .nowhere }
        guard let spec = collections[String(id[..<slash])] else { return defaultPlacement }
        return spec.rules.isEmpty ? spec.placement : nil
    }

    public func widest(collection: String) -> SiteSet {
        guard let spec = collections[collection] else { return defaultPlacement }
        return spec.rules.reduce(spec.placement) { $0.union($1.allow) }
    }

    public func basis(collection: String) -> String {
        guard let spec = collections[collection] else { return "default \(defaultPlacement)" }
        // Conditions are pure, so the same text gives the same verdict on the same record.
        let rules = spec.rules.map { "when \($0.condition)\u{0}allow \($0.allow)" }
        return (rules + ["otherwise \(spec.placement)"]).joined(separator: "\u{0}")
    }

    public func summary(collection: String) -> String {
        guard let spec = collections[collection] else {
            return
                "\(collection): the policy default, \(defaultSelectors.joined(separator: ", ")) (\(defaultPlacement))"
        }
        var parts: [String] = []
        for (i, r) in spec.rules.enumerated() {
            parts.append("rule \(i + 1) when \(r.condition): \(r.selectors.joined(separator: ", ")) (\(r.allow))")
        }
        parts.append(
            (spec.rules.isEmpty ? "" : "otherwise ") + "\(spec.selectors.joined(separator: ", ")) (\(spec.placement))")
        return "\(collection): " + parts.joined(separator: "; ")
    }

    /// Why a record of `collection` is placed where it is: the rule that matched (1-based), or
    /// nil for the collection's placement or the policy default.
    public func explain(collection: String, document: Object) -> (rule: Int?, reason: String, placement: SiteSet) {
        let decision = decide(collection: collection, document: document)
        let placement = placement(of: decision, collection: collection)
        switch decision {
        case .rule(let i):
            let rule = collections[collection]!.rules[i]
            return (i + 1, "rule \(i + 1): \(rule.condition) → \(rule.selectors.joined(separator: ", "))", placement)
        case .failedRule(let i):
            return (i + 1, "rule \(i + 1) failed to evaluate: placed nowhere", placement)
        case .collection:
            return (
                nil, "collection placement (\(collections[collection]!.selectors.joined(separator: ", ")))", placement
            )
        case .policyDefault:
            return (nil, "policy default (\(defaultSelectors.joined(separator: ", ")))", placement)
        }
    }

    /// The compiler storage calls for stored and replicated policies.
    public static let compiler: Storage.PolicyCompiler = { text, fabricJSON in
        guard let fabricJSON else { throw invalid("this PoP has no fabric description to resolve the policy against") }
        return try PlacementPolicy(json: text, fabric: try Fabric(json: fabricJSON))
    }
}
