// Numeric functions and the statistics over arrays (SUM, AVERAGE, MIN, MAX, MEDIAN, …).
// Scalar functions convert their argument with TO_NUMBER; statistics skip nulls and return
// null when an element is not a number, as ArangoDB does.

#if canImport(Glibc)
import Glibc
#endif
import LocusErrors
import LocusValues

enum NumericFunctions {
    static func unary(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name, 1, 1, signature: "\(name)(value)") { a, _ in .num(f(a[0].toNumber)) }
    }

    /// The numbers of an array argument, nulls skipped; nil after warning 1563 when the
    /// argument is not an array, or 1561 when it holds a non-number.
    static func numbers(_ name: String, _ v: Value, _ env: FunctionEnvironment) -> [Double]? {
        guard case .array(let a) = v else { _ = Args.notAnArray(name, env); return nil }
        var out: [Double] = []
        out.reserveCapacity(a.count)
        for e in a {
            switch e {
            case .null: continue
            case .number(let n): out.append(n)
            default:
                _ = Args.invalidArithmetic(name, env)
                return nil
            }
        }
        return out
    }

    static func variance(_ xs: [Double], sample: Bool) -> Value {
        let n = Double(xs.count)
        if xs.isEmpty || (sample && xs.count < 2) { return .null }
        let mean = xs.reduce(0, +) / n
        let ss = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return .num(ss / (sample ? n - 1 : n))
    }

    static func statistic(_ name: String, _ f: @escaping @Sendable ([Double]) -> Value) -> FunctionDefinition {
        FunctionDefinition(name, 1, 1, signature: "\(name)(numArray)") { a, env in
            guard let xs = numbers(name, a[0], env) else { return .null }
            return f(xs)
        }
    }

    static func minMax(_ name: String, _ pickLess: Bool) -> FunctionDefinition {
        FunctionDefinition(name, 1, 1, signature: "\(name)(anyArray)") { a, env in
            guard case .array(let arr) = a[0] else { return Args.notAnArray(name, env) }
            var best: Value? = nil
            for e in arr where !e.isNull {
                if let b = best {
                    if (e.compare(b) < 0) == pickLess && e.compare(b) != 0 { best = e }
                } else {
                    best = e
                }
            }
            return best ?? .null
        }
    }

    static let rows: [FunctionDefinition] = [
        unary("ABS") { Swift.abs($0) },
        unary("CEIL") { $0.rounded(.up) },
        unary("FLOOR") { $0.rounded(.down) },
        unary("SQRT") { $0 < 0 ? .nan : $0.squareRoot() },
        unary("EXP") { Glibc.exp($0) },
        unary("EXP2") { Glibc.exp2($0) },
        unary("LOG") { $0 <= 0 ? .nan : Glibc.log($0) },
        unary("LOG2") { $0 <= 0 ? .nan : Glibc.log2($0) },
        unary("LOG10") { $0 <= 0 ? .nan : Glibc.log10($0) },
        unary("SIN") { Glibc.sin($0) },
        unary("COS") { Glibc.cos($0) },
        unary("TAN") { Glibc.tan($0) },
        unary("ASIN") { Glibc.asin($0) },
        unary("ACOS") { Glibc.acos($0) },
        unary("ATAN") { Glibc.atan($0) },
        unary("RADIANS") { $0 * .pi / 180 },
        unary("DEGREES") { $0 * 180 / .pi },
        FunctionDefinition("PI", 0, 0, signature: "PI()") { _, _ in .number(.pi) },
        FunctionDefinition("ATAN2", 2, 2, signature: "ATAN2(y, x)") { a, _ in
            .num(Glibc.atan2(a[0].toNumber, a[1].toNumber))
        },
        FunctionDefinition("POW", 2, 2, signature: "POW(base, exp)") { a, _ in
            .num(Glibc.pow(a[0].toNumber, a[1].toNumber))
        },
        // ArangoDB rounds half up toward positive infinity: ROUND(-2.5) is -2.
        unary("ROUND") { ($0 + 0.5).rounded(.down) },
        FunctionDefinition("RAND", 0, 0, deterministic: false, signature: "RAND()") { _, _ in
            .number(Double.random(in: 0..<1))
        },
        FunctionDefinition("RANGE", 2, 3, signature: "RANGE(start, stop, step)") { a, env in
            let start = a[0].toNumber, stop = a[1].toNumber
            var step = a.count > 2 && !a[2].isNull ? a[2].toNumber : (start <= stop ? 1 : -1)
            if a.count <= 2 && start == start.rounded() { step = start <= stop ? 1 : -1 }
            if step == 0 || (step > 0 && start > stop) || (step < 0 && start < stop) {
                return Args.invalid("RANGE", env)
            }
            if abs((stop - start) / step) >= 10_000_000 { throw LocusError(.resourceLimit) }
            var out: [Value] = []
            var x = start
            var i = 0.0
            while step > 0 ? x <= stop + 1e-12 : x >= stop - 1e-12 {
                out.append(.number(x))
                if out.count > 10_000_000 { break }
                i += 1
                x = start + i * step
            }
            return .array(out)
        },
        statistic("SUM") { .num($0.reduce(0, +)) },
        statistic("AVERAGE") { $0.isEmpty ? .null : .num($0.reduce(0, +) / Double($0.count)) },
        statistic("AVG") { $0.isEmpty ? .null : .num($0.reduce(0, +) / Double($0.count)) },
        statistic("MEDIAN") { xs in
            guard !xs.isEmpty else { return .null }
            let s = xs.sorted()
            return .num(s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
        },
        statistic("VARIANCE_POPULATION") { variance($0, sample: false) },
        statistic("VARIANCE") { variance($0, sample: false) },
        statistic("VARIANCE_SAMPLE") { variance($0, sample: true) },
        statistic("STDDEV_POPULATION") {
            variance($0, sample: false).numberValue.map { .num($0.squareRoot()) } ?? .null
        },
        statistic("STDDEV") { variance($0, sample: false).numberValue.map { .num($0.squareRoot()) } ?? .null },
        statistic("STDDEV_SAMPLE") { variance($0, sample: true).numberValue.map { .num($0.squareRoot()) } ?? .null },
        statistic("PRODUCT") { .num($0.reduce(1, *)) },
        FunctionDefinition("RANDOM", 0, 0, deterministic: false, signature: "RANDOM()") { _, _ in
            .number(Double.random(in: 0..<1))
        },
        FunctionDefinition("PERCENTILE", 2, 3, signature: "PERCENTILE(numArray, n, method)") { a, env in
            guard let xs = numbers("PERCENTILE", a[0], env) else { return .null }
            guard case .number(let p) = a[1], p > 0, p <= 100 else { return Args.invalid("PERCENTILE", env) }
            let method = a.count > 2 ? a[2].stringValue ?? "" : "rank"
            guard !xs.isEmpty else { return .null }
            let s = xs.sorted()
            switch method {
            case "rank":
                let idx = Int((p / 100 * Double(s.count)).rounded(.up)) - 1
                return .num(s[max(0, min(s.count - 1, idx))])
            case "interpolation":
                if s.count == 1 { return .num(s[0]) }
                let pos = p / 100 * Double(s.count) - 0.5
                if pos <= 0 { return .num(s[0]) }
                if pos >= Double(s.count - 1) { return .num(s[s.count - 1]) }
                let lo = Int(pos.rounded(.down))
                return .num(s[lo] + (pos - Double(lo)) * (s[lo + 1] - s[lo]))
            default:
                return Args.invalid("PERCENTILE", env)
            }
        },
        minMax("MIN", true),
        minMax("MAX", false),
    ]
}
