// DECAY_GAUSS, DECAY_EXP and DECAY_LINEAR: scores in [0, 1] that fall off with a value's
// distance from an origin, flat within `offset`, reaching `decay` at `scale` beyond it, for a
// number or each number of an array.

#if canImport(Glibc)
import Glibc
#endif
import LocusValues

enum DecayFunctions {
    typealias Curve = @Sendable (_ distance: Double, _ scale: Double, _ decay: Double) -> Double

    static func decay(_ name: String, _ curve: @escaping Curve) -> FunctionDefinition {
        FunctionDefinition(name, 5, 5, signature: "\(name)(value, origin, scale, offset, decay)") { a, env in
            guard case .number(let origin) = a[1], case .number(let scale) = a[2], case .number(let offset) = a[3],
                case .number(let decay) = a[4], scale > 0, offset >= 0, decay > 0, decay < 1
            else { return Args.invalid(name, env) }
            func score(_ v: Value) -> Value? {
                guard case .number(let x) = v else { return nil }
                return .num(curve(max(0, abs(x - origin) - offset), scale, decay))
            }
            if case .array(let xs) = a[0] {
                var out: [Value] = []
                for x in xs {
                    guard let s = score(x) else { return Args.invalid(name, env) }
                    out.append(s)
                }
                return .array(out)
            }
            return score(a[0]) ?? Args.invalid(name, env)
        }
    }

    static let rows: [FunctionDefinition] = [
        decay("DECAY_GAUSS") { d, scale, decay in exp(-(d * d) / (2 * (-(scale * scale) / (2 * log(decay))))) },
        decay("DECAY_EXP") { d, scale, decay in exp(log(decay) / scale * d) },
        decay("DECAY_LINEAR") { d, scale, decay in
            let s = scale / (1 - decay)
            return max((s - d) / s, 0)
        },
    ]
}
