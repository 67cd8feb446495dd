// The running state of one aggregate function (COLLECT … AGGREGATE, WITH COUNT, WINDOW),
// fed one value per row, with ArangoDB's treatment of nulls and non-numbers.

import LocusValues

struct Accumulator {
    enum State {
        case count(Int)
        case sum(Double, invalid: Bool)
        case average(Double, Int, invalid: Bool)
        case extreme(Value?, wantMax: Bool)
        case values([Value], skipNull: Bool)
        case variance(n: Int, mean: Double, m2: Double, invalid: Bool)
        case bits(Int64?, op: String)
    }
    let function: String
    var state: State

    init(_ function: String) {
        self.function = function
        switch function {
        case "LENGTH", "COUNT": state = .count(0)
        case "SUM": state = .sum(0, invalid: false)
        case "AVERAGE", "AVG": state = .average(0, 0, invalid: false)
        case "MIN": state = .extreme(nil, wantMax: false)
        case "MAX": state = .extreme(nil, wantMax: true)
        case "PUSH": state = .values([], skipNull: false)
        case "UNIQUE", "SORTED_UNIQUE", "COUNT_DISTINCT", "COUNT_UNIQUE": state = .values([], skipNull: true)
        case "BIT_AND", "BIT_OR", "BIT_XOR": state = .bits(nil, op: function)
        default: state = .variance(n: 0, mean: 0, m2: 0, invalid: false)
        }
    }

    mutating func add(_ v: Value) {
        switch state {
        case .count(let n): state = .count(n + 1)
        case .sum(let s, let bad):
            if v.isNull { return }
            if case .number(let x) = v { state = .sum(s + x, invalid: bad) } else { state = .sum(s, invalid: true) }
        case .average(let s, let n, let bad):
            if v.isNull { return }
            if case .number(let x) = v {
                state = .average(s + x, n + 1, invalid: bad)
            } else {
                state = .average(s, n, invalid: true)
            }
        case .extreme(let best, let wantMax):
            if v.isNull { return }
            guard let b = best else { state = .extreme(v, wantMax: wantMax); return }
            let c = v.compare(b)
            if (wantMax && c > 0) || (!wantMax && c < 0) { state = .extreme(v, wantMax: wantMax) }
        case .values(var xs, let skip):
            if skip && v.isNull { return }
            xs.append(v)
            state = .values(xs, skipNull: skip)
        case .variance(let n, let mean, let m2, let bad):
            if v.isNull { return }
            guard case .number(let x) = v else { state = .variance(n: n, mean: mean, m2: m2, invalid: true); return }
            let n1 = n + 1
            let d = x - mean
            let mean1 = mean + d / Double(n1)
            state = .variance(n: n1, mean: mean1, m2: m2 + d * (x - mean1), invalid: bad)
        case .bits(let acc, let op):
            if v.isNull { return }
            guard case .number(let x) = v, x >= 0, x == x.rounded(), x < 4294967296 else { return }
            let b = Int64(x)
            guard let a = acc else { state = .bits(b, op: op); return }
            state = .bits(op == "BIT_AND" ? a & b : op == "BIT_OR" ? a | b : a ^ b, op: op)
        }
    }

    var result: Value {
        switch state {
        case .count(let n): return .int(n)
        case .sum(let s, let bad): return bad ? .null : .num(s)
        case .average(let s, let n, let bad): return bad || n == 0 ? .null : .num(s / Double(n))
        case .extreme(let b, _): return b ?? .null
        case .values(let xs, _):
            switch function {
            case "PUSH": return .array(xs)
            case "UNIQUE": var seen = Set<Value>(); return .array(xs.filter { seen.insert($0).inserted })
            case "SORTED_UNIQUE": return .array(Array(Set(xs)).sorted { $0.compare($1) < 0 })
            default: return .int(Set(xs).count)
            }
        case .variance(let n, _, let m2, let bad):
            if bad { return .null }
            let sample = function.hasSuffix("_SAMPLE")
            if n == 0 || (sample && n < 2) { return .null }
            let variance = m2 / Double(sample ? n - 1 : n)
            return .num(function.hasPrefix("STDDEV") ? variance.squareRoot() : variance)
        case .bits(let a, _): return a.map { .number(Double($0)) } ?? .null
        }
    }
}
