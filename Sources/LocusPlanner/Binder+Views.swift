// Binding a loop over an ArangoSearch view: `FOR d IN view [SEARCH condition] [OPTIONS {…}]`
// becomes a view scan over the view's linked collections, and each `BM25(d, …)` or
// `TFIDF(d, …)` later in the query becomes a register that scan fills for every document (a
// scorer), as ArangoDB's plans do; so does `OFFSET_INFO(d, paths)`. The SEARCH condition is
// bound as any expression; the view search reads its document accesses, and evaluates what
// does not read the document.

import LocusErrors
import LocusSyntax
import LocusValues

extension Binder {
    /// The view a FOR source names (a bare name that is no variable, or a `@@` bind parameter
    /// whose value names a view), or nil.
    func viewOperand(_ e: Expr) -> PlannerView? {
        switch e.kind {
        case .variable(let n) where lookup(n) == nil:
            return catalog.view(n)
        case .bindCollection(let n):
            let key = collectionParameterKey(n)
            guard !preparedParameters.contains(key), case .string(let name)? = bindVars[key],
                catalog.collection(name) == nil,
                let view = catalog.view(name)
            else { return nil }
            usedBindVars.insert(key)
            return view
        default:
            return nil
        }
    }

    func bindViewLoop(
        _ view: PlannerView, variable: String, search: Expr?, options: Object, at position: SourcePosition
    ) throws -> PlanNode {
        var collections = view.collections
        if case .array(let names)? = options["collections"] {
            let wanted = Set(names.compactMap(\.stringValue))
            collections = collections.filter(wanted.contains)
        }
        for c in collections { try noteRead(c, at: position) }
        levels[levels.count - 1].sawFor = true
        let slot = try declare(variable, at: position)
        viewSlots.insert(slot)
        let condition = try search.map { try bindExpr($0) }
        return node(
            .enumerateView(ViewScan(view: view.name, collections: collections, outSlot: slot, search: condition)))
    }

    /// `BM25(d, k, b)` or `TFIDF(d, normalize)` of a view's document: a register its scan
    /// fills; nil for any other call.
    func bindScorer(_ name: String, _ args: [Expr], at position: SourcePosition) throws -> BoundExpr? {
        let upper = name.uppercased()
        if upper == "OFFSET_INFO" { return try bindOffsetInfo(args, at: position) }
        guard upper == "BM25" || upper == "TFIDF", let first = args.first, case .variable(let v) = first.kind,
            let slot = lookup(v), viewSlots.contains(slot)
        else { return nil }
        var constants: [Value] = []
        for a in args.dropFirst() {
            guard let c = try ConstantFolder.fold(try bindExpr(a)).constantValue else {
                throw LocusError(
                    code: .badParameter, message: "bad parameter: \(upper)() takes constant arguments",
                    position: a.position)
            }
            constants.append(c)
        }
        let kind: Scorer.Kind
        if upper == "BM25" {
            guard constants.count <= 2, constants.allSatisfy({ $0.numberValue != nil }) else {
                throw LocusError(
                    code: .badParameter, message: "bad parameter: BM25(doc, k, b) takes numbers", position: position)
            }
            kind = .bm25(k: constants.first?.numberValue ?? 1.2, b: constants.dropFirst().first?.numberValue ?? 0.75)
        } else {
            guard constants.count <= 1, constants.allSatisfy({ $0.boolValue != nil }) else {
                throw LocusError(
                    code: .badParameter, message: "bad parameter: TFIDF(doc, normalize) takes a boolean",
                    position: position)
            }
            kind = .tfidf(normalize: constants.first?.boolValue ?? false)
        }
        if let known = scorers[slot]?.first(where: { $0.kind == kind }) { return .variable(known.slot) }
        let register = newRegister("#\(upper)")
        scorers[slot, default: []].append(Scorer(slot: register, kind: kind))
        return .variable(register)
    }

    /// `OFFSET_INFO(d, paths)` of a view's document: a register its scan fills; nil for any
    /// other first argument.
    func bindOffsetInfo(_ args: [Expr], at position: SourcePosition) throws -> BoundExpr? {
        guard args.count == 2, case .variable(let v) = args[0].kind, let slot = lookup(v), viewSlots.contains(slot)
        else { return nil }
        let paths: [String]
        switch try ConstantFolder.fold(try bindExpr(args[1])).constantValue {
        case .string(let p)?: paths = [p]
        case .array(let ps)? where ps.allSatisfy({ $0.stringValue != nil }): paths = ps.compactMap(\.stringValue)
        default:
            throw LocusError(
                code: .badParameter, message: "bad parameter: OFFSET_INFO(doc, paths) takes attribute paths",
                position: position)
        }
        let register = newRegister("#OFFSET_INFO")
        offsetRequests[slot, default: []].append(OffsetRequest(slot: register, paths: paths))
        return .variable(register)
    }

    /// Gives each view scan of a pipeline the scorers and offset requests the query asked of
    /// its document.
    func attachScorers(_ nodes: inout [PlanNode]) {
        for i in nodes.indices {
            guard case .enumerateView(var scan) = nodes[i].kind else { continue }
            scan.scorers = scorers[scan.outSlot] ?? []
            scan.offsetInfos = offsetRequests[scan.outSlot] ?? []
            nodes[i].kind = .enumerateView(scan)
        }
    }
}
