// WindowNode: aggregates over a sliding frame around each row, by row count or by the
// numeric distance of a range expression; emits every row with its aggregate values.

import LocusErrors
import LocusFunctions
import LocusPlanner
import LocusValues

struct WindowExecutor {
    /// The pipeline owns the run that creates this helper, so it outlives it.
    unowned(unsafe) let pipeline: Pipeline

    /// A frame bound: a count or distance, "unbounded", or (range frames only) a duration.
    enum Bound {
        case distance(Double)
        case duration(ISODuration)
    }

    func bound(_ v: Value, name: String, rangeBased: Bool) throws -> Bound {
        switch v {
        case .string("unbounded"): return .distance(.infinity)
        case .number(let n) where n >= 0: return .distance(n)
        case .string(let s) where rangeBased:
            guard let d = ISODuration(s) else {
                throw LocusError(
                    code: .queryParse, message: "WINDOW '\(name)' is not a valid ISO 8601 duration: '\(s)'")
            }
            return .duration(d)
        default:
            throw LocusError(
                code: .queryParse, message: "WINDOW '\(name)' must be a non-negative number or \"unbounded\"")
        }
    }

    static func reach(_ b: Bound, from v: Double, sign: Int) -> Double {
        switch b {
        case .distance(let d): return v + Double(sign) * d
        case .duration(let d):
            guard v.isFinite, abs(v) < 1e15 else { return v }
            return d.apply(to: Int64(v.rounded(.down)), sign: sign).map(Double.init) ?? Double(sign) * .infinity
        }
    }

    func apply(_ spec: WindowSpec, _ input: [[Value]]) throws -> [[Value]] {
        let rangeBased = spec.rangeExpr != nil
        let precedingBound = try bound(spec.preceding, name: "preceding", rangeBased: rangeBased)
        let followingBound = try bound(spec.following, name: "following", rangeBased: rangeBased)
        var rows = input
        var args: [[Value]] = []
        for i in rows.indices {
            args.append(
                try spec.aggregates.map { a in try a.argument.map { try pipeline.eval($0, &rows[i]) } ?? .null })
        }
        var rangeValues: [Double] = []
        if let re = spec.rangeExpr {
            var keyed: [(Value, Int)] = []
            for i in rows.indices { keyed.append((try pipeline.eval(re, &rows[i]), i)) }
            keyed.sort { $0.0.compare($1.0) < 0 || ($0.0.compare($1.0) == 0 && $0.1 < $1.1) }
            rows = keyed.map { rows[$0.1] }
            args = keyed.map { args[$0.1] }
            rangeValues = keyed.map { $0.0.toNumber }
        }
        var out: [[Value]] = []
        out.reserveCapacity(rows.count)
        for i in rows.indices {
            var lo = i, hi = i
            if rangeBased {
                let v = rangeValues[i]
                let from = WindowExecutor.reach(precedingBound, from: v, sign: -1)
                let to = WindowExecutor.reach(followingBound, from: v, sign: 1)
                while lo > 0 && rangeValues[lo - 1] >= from { lo -= 1 }
                while hi < rows.count - 1 && rangeValues[hi + 1] <= to { hi += 1 }
            } else if case .distance(let preceding) = precedingBound, case .distance(let following) = followingBound {
                lo = max(0, i - min(preceding, Double(rows.count)).clampedInt)
                hi = min(rows.count - 1, i + min(following, Double(rows.count)).clampedInt)
            }
            var row = rows[i]
            for (j, a) in spec.aggregates.enumerated() {
                var acc = Accumulator(a.function)
                for k in lo...hi { acc.add(args[k][j]) }
                row[a.slot] = acc.result
            }
            out.append(row)
        }
        return out
    }
}
