// One per-record placement rule: a C8QL condition over the record (`doc`) and the PoPs
// it allows. The condition is parsed and bound once; it must be pure (deterministic
// functions only, no subqueries, no collection access), since every PoP must reach the same
// verdict on the same record at any time.

import LocusErrors
import LocusFunctions
import LocusPlanner
import LocusStorage
import LocusSyntax
import LocusValues

struct PlacementRule: Sendable {
    let condition: String
    let allow: SiteSet
    let selectors: [String]
    let expression: BoundExpr
    let registers: Int

    init(condition: String, allow: SiteSet, selectors: [String], at: String) throws {
        self.condition = condition
        self.allow = allow
        self.selectors = selectors
        do {
            let parsed = try Parser.parseExpression(condition)
            let binder = Binder(catalog: NoCollections(), bindVars: [:])
            (expression, registers) = try binder.bindExpression(parsed, variables: ["doc"])
        } catch let e as LocusError where e.code == .dataSourceNotFound {
            // Rules see no collections: naming one (in a subquery, say) is an impure rule.
            throw LocusError(
                .policyInvalid,
                "\(at).when must be pure: no subqueries, collection access or non-deterministic functions"
                    + (e.position.map { " (collection access at \($0.line):\($0.column))" } ?? ""))
        } catch let e as LocusError {
            // Syntax errors name their position in the message already.
            let position = e.kind != nil ? nil : e.position
            throw LocusError(
                .policyInvalid, "\(at).when: \(e.message)\(position.map { " at \($0.line):\($0.column)" } ?? "")")
        }
        guard PlacementRule.isPure(expression) else {
            throw LocusError(
                .policyInvalid,
                "\(at).when must be pure: no subqueries, collection access or non-deterministic functions")
        }
    }

    static func isPure(_ e: BoundExpr) -> Bool {
        switch e {
        case .subquery: return false
        case .call(let f, _) where !f.deterministic || f.readsData: return false
        default:
            var pure = true
            _ = e.map { child in
                if !isPure(child) { pure = false }
                return child
            }
            return pure
        }
    }

    /// Whether the rule holds for the document in `judging` (AQL truthiness); nil when
    /// evaluation failed.
    func matches(_ judging: inout RuleJudging) -> Bool? {
        judging.evaluate(expression, registers: registers)?.isTruthy
    }
}

/// One record judged by the rules of its collection: the evaluator and the registers (the
/// record in the first) are set up once for all of them, not once a rule.
struct RuleJudging: ~Copyable {
    private let environment = RuleEnvironment()
    private let evaluator: Evaluator
    private var registers: [Value]

    /// Ready for rules that use at most `registers` registers.
    init(_ document: Object, registers: Int) {
        evaluator = Evaluator(environment: environment)
        self.registers = [Value](repeating: .null, count: max(1, registers))
        self.registers[0] = .object(document)
    }

    /// The value of a rule's condition, which uses `count` registers; nil when evaluation
    /// failed. What an earlier rule left in the registers past the record is cleared first.
    mutating func evaluate(_ expression: BoundExpr, registers count: Int) -> Value? {
        for i in 1..<max(1, count) { registers[i] = .null }
        return withExtendedLifetime(environment) { try? evaluator.evaluate(expression, &registers) }
    }
}

/// Rules see no collections.
private struct NoCollections: PlannerCatalog {
    func collection(_ name: String) -> PlannerCollection? { nil }
    func graph(_ name: String) -> PlannerGraph? { nil }
}

/// What a rule's functions may ask of their environment: nothing that reads data.
private final class RuleEnvironment: FunctionEnvironment {
    func warn(_ code: ErrorCode, _ message: String) {}
    func document(collection: String?, key: String) throws -> Value {
        throw LocusError(.policyInvalid, "placement rules cannot read documents")
    }
    func collectionCount(_ name: String) throws -> Int {
        throw LocusError(.policyInvalid, "placement rules cannot read collections")
    }
    func collections() throws -> [(id: String, name: String)] {
        throw LocusError(.policyInvalid, "placement rules cannot read collections")
    }
    func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value] {
        throw LocusError(.policyInvalid, "placement rules cannot read collections")
    }
    func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws -> [(
        Value, Double
    )] { throw LocusError(.policyInvalid, "placement rules cannot read collections") }
    func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>]) throws
        -> [Value]
    { throw LocusError(.policyInvalid, "placement rules cannot read collections") }
}
