// Evaluates constant sub-expressions once, at plan time. Expressions that would warn (such as
// 1 / 0) are left alone so the warning appears when the query runs.

import LocusErrors
import LocusFunctions
import LocusValues

/// Folds constant sub-expressions into values.
public enum ConstantFolder {
    final class RecordingEnvironment: FunctionEnvironment {
        var warned = false
        func warn(_ code: ErrorCode, _ message: String) { warned = true }
        func document(collection: String?, key: String) throws -> Value {
            throw LocusError(.internalError, "no data access while folding")
        }
        func collectionCount(_ name: String) throws -> Int {
            throw LocusError(.internalError, "no data access while folding")
        }
        func collections() throws -> [(id: String, name: String)] {
            throw LocusError(.internalError, "no data access while folding")
        }
        func fulltext(collection: String, attribute: String, query: String, limit: Int?) throws -> [Value] {
            throw LocusError(.internalError, "no data access while folding")
        }
        func geoNear(collection: String, latitude: Double, longitude: Double, radius: Double?, limit: Int?) throws -> [(
            Value, Double
        )] { throw LocusError(.internalError, "no data access while folding") }
        func geoRectangle(collection: String, latitudes: ClosedRange<Double>, longitudes: [ClosedRange<Double>]) throws
            -> [Value]
        { throw LocusError(.internalError, "no data access while folding") }
    }

    /// Whether `fold` may rewrite some part of `e`: a part other than a literal is constant.
    /// When not, `fold` would hand back the same tree after rebuilding every node of it.
    static func mayFold(_ e: BoundExpr) -> Bool {
        switch e {
        case .constant, .subquery: return false
        default:
            if e.isConstant { return true }
            var found = false
            e.forEachChild { if !found && mayFold($0) { found = true } }
            return found
        }
    }

    /// The expression with every constant sub-expression replaced by its value.
    public static func fold(_ e: BoundExpr) throws -> BoundExpr {
        if case .constant = e { return e }
        if case .subquery = e { return e }
        let inner = try foldChildren(e)
        guard inner.isConstant, !isRange(inner) else { return inner }
        let env = RecordingEnvironment()
        return withExtendedLifetime(env) {
            let ev = Evaluator(environment: env)
            var regs: [Value] = []
            guard let v = try? ev.evaluate(inner, &regs), !env.warned else { return inner }
            return .constant(v)
        }
    }

    static func isRange(_ e: BoundExpr) -> Bool { if case .range = e { true } else { false } }

    static func foldChildren(_ e: BoundExpr) throws -> BoundExpr {
        var failure: Error?
        let r = e.map { child in
            do { return try fold(child) } catch { failure = error; return child }
        }
        if let failure { throw failure }
        return r
    }
}
