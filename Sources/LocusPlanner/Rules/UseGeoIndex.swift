// geo-index-optimizer: serves a collection loop from its geo index when the loop keeps the
// documents within a distance of a point (`FILTER GEO_DISTANCE(doc, point) <= r`, or
// `DISTANCE(doc.lat, doc.lon, lat, lon) <= r` over a two-attribute index) or sorts them by that
// distance and limits them (`SORT GEO_DISTANCE(...) LIMIT n`). The FILTER and SORT stay: the
// index narrows and orders the candidates, the expressions keep their exact meaning. As in
// ArangoDB, documents without a valid location, which the index does not hold, are not found.

import LocusSyntax
import LocusValues

enum UseGeoIndex {
    /// The point a distance call measures from the document to, as latitude and longitude.
    struct Measure {
        var latitude: BoundExpr
        var longitude: BoundExpr
    }

    /// The latitude and longitude of a point expression: `[lon, lat]`, `GEO_POINT(lon, lat)`,
    /// or a constant pair or GeoJSON Point.
    static func point(_ e: BoundExpr) -> Measure? {
        switch e {
        case .array(let xs) where xs.count == 2: return Measure(latitude: xs[1], longitude: xs[0])
        case .call(let f, let args) where f.name == "GEO_POINT" && args.count == 2:
            return Measure(latitude: args[1], longitude: args[0])
        case .constant(let v):
            var pair = v
            if case .object(let o) = v, o["type"]?.stringValue == "Point", let c = o["coordinates"] { pair = c }
            guard case .array(let xs) = pair, xs.count == 2, xs.allSatisfy({ $0.numberValue != nil }) else {
                return nil
            }
            return Measure(latitude: .constant(xs[1]), longitude: .constant(xs[0]))
        default: return nil
        }
    }

    /// Whether `e` reads the location the index holds for the loop variable `slot`.
    static func isLocation(_ e: BoundExpr, _ ix: PlannerIndex, slot: Int) -> Bool {
        func field(_ x: BoundExpr, _ name: String) -> Bool {
            guard let (v, path) = x.attributePath else { return false }
            return v == slot && path.joined(separator: ".") == name
        }
        if ix.fields.count == 1 { return ix.geoJson && field(e, ix.fields[0]) }
        guard case .array(let xs) = e, xs.count == 2 else { return false }
        return field(xs[0], ix.fields[1]) && field(xs[1], ix.fields[0])
    }

    /// The point a distance expression measures the loop document's location against.
    static func measure(_ e: BoundExpr, _ ix: PlannerIndex, slot: Int, usable: (BoundExpr) -> Bool) -> Measure? {
        guard case .call(let f, let args) = e else { return nil }
        var found: Measure? = nil
        if f.name == "GEO_DISTANCE",
            args.count == 2 || (args.count == 3 && args[2].constantValue?.stringValue?.lowercased() == "sphere")
        {
            if isLocation(args[0], ix, slot: slot) {
                found = point(args[1])
            } else if isLocation(args[1], ix, slot: slot) {
                found = point(args[0])
            }
        } else if f.name == "DISTANCE", args.count == 4, ix.fields.count == 2,
            let (v1, p1) = args[0].attributePath, let (v2, p2) = args[1].attributePath, v1 == slot, v2 == slot,
            p1.joined(separator: ".") == ix.fields[0], p2.joined(separator: ".") == ix.fields[1]
        {
            found = Measure(latitude: args[2], longitude: args[3])
        }
        guard let m = found, usable(m.latitude), usable(m.longitude) else { return nil }
        return m
    }

    static let rule = OptimizerRule(
        name: "geo-index-optimizer",
        description: "answers GEO_DISTANCE and GEO_CONTAINS filters and sorts with a geo index"
    ) { plan, ctx in
        var changed = false
        var defined = Set<Int>()
        for i in plan.nodes.indices {
            defer { defined.formUnion(plan.nodes[i].variablesSet) }
            guard case .enumerateCollection(let access) = plan.nodes[i].kind, access.filter == nil,
                !access.disableIndex,
                let coll = ctx.catalog.collection(access.collection),
                let ix = coll.indexes.first(where: {
                    $0.type == .geo && (access.indexHint.isEmpty || access.indexHint.contains($0.name))
                })
            else { continue }
            let allowed = defined.union(plan.outerVariablesUsed)
            func usable(_ e: BoundExpr) -> Bool {
                e.variablesUsed.isSubset(of: allowed) && !UseIndexes.containsSubquery(e)
            }
            var center: Measure? = nil
            var radius: BoundExpr? = nil
            var limit: Int? = nil
            var j = i + 1
            while j < plan.nodes.count, case .filter(let e) = plan.nodes[j].kind {
                for c in e.conjuncts where radius == nil {
                    guard case .binary(let op, let lhs, let rhs) = c else { continue }
                    let (call, bound): (BoundExpr, BoundExpr)
                    switch op {
                    case .le, .lt: (call, bound) = (lhs, rhs)
                    case .ge, .gt: (call, bound) = (rhs, lhs)
                    default: continue
                    }
                    if usable(bound), let m = measure(call, ix, slot: access.outSlot, usable: usable) {
                        (center, radius) = (m, bound)
                    }
                }
                j += 1
            }
            if j + 1 < plan.nodes.count, case .sort(let elements, _) = plan.nodes[j].kind, let first = elements.first,
                first.ascending,
                case .limit(let offset, let count?, _) = plan.nodes[j + 1].kind,
                let m = measure(first.expr, ix, slot: access.outSlot, usable: usable)
            {
                if center == nil || sameCenter(center!, m) {
                    center = m
                    limit = offset + count
                }
            }
            guard let center, radius != nil || limit != nil else { continue }
            let text = [radius.map { _ in "distance within radius" }, limit.map { "nearest \($0)" }].compactMap { $0 }
                .joined(separator: ", ")
            plan.nodes[i].kind = .index(
                IndexScan(
                    access: access, index: ix,
                    lookup: .geo(latitude: center.latitude, longitude: center.longitude, radius: radius, limit: limit),
                    descending: false, conditionText: text))
            changed = true
        }
        return changed
    }

    static func sameCenter(_ a: Measure, _ b: Measure) -> Bool {
        let p = ExprPrinter(names: [:])
        return p.print(a.latitude) == p.print(b.latitude) && p.print(a.longitude) == p.print(b.longitude)
    }
}
