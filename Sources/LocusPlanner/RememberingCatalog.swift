// The catalog as one planning sees it: each collection looked up once. The binder and several
// optimizer rules ask for the same collection; a storage catalog builds its description, with
// every index, afresh each time (about 3,500 instructions), and nothing changes it mid-plan.

/// A `PlannerCatalog` that remembers the collections it has been asked for. It lives for one
/// planning, on one thread.
final class RememberingCatalog: PlannerCatalog {
    private let base: PlannerCatalog
    private var collections: [String: PlannerCollection?] = [:]

    init(_ base: PlannerCatalog) { self.base = base }

    func collection(_ name: String) -> PlannerCollection? {
        if let known = collections[name] { return known }
        let found = base.collection(name)
        collections[name] = .some(found)
        return found
    }

    func graph(_ name: String) -> PlannerGraph? { base.graph(name) }
    func view(_ name: String) -> PlannerView? { base.view(name) }
    func placementSummary(of collections: Set<String>) -> [String]? { base.placementSummary(of: collections) }
}
