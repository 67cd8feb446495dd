// ISO 8601 durations as ArangoDB reads them (`P1Y2M3W4DT5H6M7.890S`, components in that
// order, each optional, at most nine digits each and three decimals on the seconds), used by DATE_ADD,
// DATE_SUBTRACT and range-based WINDOW frames, and applied to millisecond timestamps the way
// the C++ date library does: years and months move the calendar date without clamping the day
// (31 January plus one month is 3 March), the rest is fixed milliseconds.

/// A parsed ISO 8601 duration.
public struct ISODuration: Equatable, Sendable {
    public var years = 0
    public var months = 0
    public var weeks = 0
    public var days = 0
    public var hours = 0
    public var minutes = 0
    public var seconds = 0
    public var milliseconds = 0

    /// Parses a duration; nil when the text is not one.
    public init?(_ text: String) {
        var s = Substring(text)
        guard s.first == "P" else { return nil }
        s = s.dropFirst()

        /// Reads `digits unit` when the next component has `unit`; the digits' value.
        func component(_ unit: Character) -> Int?? {
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, s.dropFirst(digits.count).first == unit else { return .some(nil) }
            guard digits.count <= 9, let v = Int(digits) else { return nil }
            s = s.dropFirst(digits.count + 1)
            return .some(v)
        }
        for (unit, keyPath) in [("Y", \ISODuration.years), ("M", \.months), ("W", \.weeks), ("D", \.days)]
            as [(Character, WritableKeyPath<ISODuration, Int>)]
        {
            guard let v = component(unit) else { return nil }
            if let v { self[keyPath: keyPath] = v }
        }
        if s.first == "T" {
            s = s.dropFirst()
            for (unit, keyPath) in [("H", \ISODuration.hours), ("M", \.minutes)]
                as [(Character, WritableKeyPath<ISODuration, Int>)]
            {
                guard let v = component(unit) else { return nil }
                if let v { self[keyPath: keyPath] = v }
            }
            let whole = s.prefix { $0.isASCII && $0.isNumber }
            if !whole.isEmpty {
                var rest = s.dropFirst(whole.count)
                var fraction = Substring("")
                if rest.first == "." {
                    fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                    guard (1...3).contains(fraction.count) else { return nil }
                    rest = rest.dropFirst(fraction.count + 1)
                }
                guard rest.first == "S", whole.count <= 9, let v = Int(whole) else { return nil }
                seconds = v
                milliseconds = fraction.isEmpty ? 0 : (Int(fraction) ?? 0) * [100, 10, 1][fraction.count - 1]
                s = rest.dropFirst()
            }
        }
        guard s.isEmpty else { return nil }
    }

    /// The timestamp moved by this duration, forward (`sign` 1) or back (`sign` -1); nil when
    /// the years or months alone carry it past any date the calendar functions represent.
    public func apply(to ms: Int64, sign: Int) -> Int64? {
        guard years < 1_000_000, months < 12_000_000 else { return nil }
        var t = CivilDateTime(milliseconds: ms)
        if years != 0 || months != 0 {
            t.year += sign * years
            t.month += sign * months
        }
        let fixed =
            Int64(((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60_000 + Int64(seconds) * 1000
            + Int64(milliseconds)
        return t.milliseconds + Int64(sign) * fixed
    }
}
