// String order as ArangoDB 3.12 compares strings: ICU collation for `en_US` (what a server
// started without a language uses) with uppercase first, no normalization and identical
// strength. Strings that are both ASCII compare by a table of ICU's own weights, so that the
// common case neither loads ICU nor converts anything; any other pair goes to ICU, which is
// loaded and opened the first time it is needed (see `CICU`): a CLI call that never meets a
// non-ASCII string pays nothing for it. Index keys carry ICU sort keys,
// so that an index orders exactly as queries compare.

import CICU

/// Compares strings, and makes their index sort keys, in ArangoDB's collation.
public enum Collation {
    /// Three-way comparison of two UTF-8 strings: negative, zero or positive. Zero only for
    /// strings ICU cannot tell apart even at identical strength.
    public static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        if isASCII(a) && isASCII(b) { return compareASCII(a, b) }
        return ICUCollator.shared.compare(a, b)
    }

    /// Appends the ICU sort key of `s` to `out`, without ICU's terminating zero: keys compare
    /// byte by byte as `compare` orders their strings, and contain no zero byte.
    public static func appendSortKey(of s: String, to out: inout [UInt8]) {
        ICUCollator.shared.appendSortKey(of: s, to: &out)
    }

    /// Whether ICU could be opened; without it strings compare by code point.
    public static var usesICU: Bool { ICUCollator.shared.handle != nil }

    /// Byte order, which for UTF-8 is code point order: ICU's identical level for ASCII, and
    /// the whole order when ICU is missing.
    static func codePointOrder(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        for k in 0..<n where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    static func isASCII(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in s { any |= b }
        return any < 0x80
    }

    /// ICU's order for ASCII, level by level: primary weights (letters without case; control
    /// characters are ignorable and have none), then case with uppercase first, then the
    /// code points themselves (the identical level). `CollationTests` checks this against
    /// ICU over every pair of characters and random strings.
    static func compareASCII(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        asciiPrimary.withUnsafeBufferPointer { weight in
            var i = 0
            var j = 0
            var caseOrder = 0
            while true {
                while i < a.count && weight[Int(a[i])] == 0 { i += 1 }
                while j < b.count && weight[Int(b[j])] == 0 { j += 1 }
                if i == a.count || j == b.count {
                    if i != a.count { return 1 }
                    if j != b.count { return -1 }
                    break
                }
                let p = a[i]
                let q = b[j]
                if p != q {
                    let wp = weight[Int(p)]
                    let wq = weight[Int(q)]
                    if wp != wq { return wp < wq ? -1 : 1 }
                    // The same letter in different case: remember the first such place.
                    if caseOrder == 0 { caseOrder = p < q ? -1 : 1 }
                }
                i += 1
                j += 1
            }
            return caseOrder != 0 ? caseOrder : codePointOrder(a, b)
        }
    }

    /// Primary weights of the ASCII characters in ICU's root order (which en_US keeps): the
    /// ignorable controls 0, then whitespace, punctuation and symbols, digits, and letters
    /// (one weight for both cases).
    static let asciiPrimary: [UInt8] = {
        var w = [UInt8](repeating: 0, count: 128)
        var next: UInt8 = 1
        for c in Array("\t\n\u{0B}\u{0C}\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789".utf8) {
            w[Int(c)] = next
            next += 1
        }
        for c in UInt8(ascii: "a")...UInt8(ascii: "z") {
            w[Int(c)] = next
            w[Int(c - 0x20)] = next
            next += 1
        }
        return w
    }()
}

/// The one ICU collator of the process. ICU's comparison and sort-key functions do not change
/// a collator, so threads share it.
final class ICUCollator: @unchecked Sendable {
    static let shared = ICUCollator()

    /// ICU's functions, written once here and only read afterwards (by any thread, which a
    /// stored `var` passed inout would not allow). Lives as long as the process.
    private let api: UnsafeMutablePointer<locus_icu_api>
    let handle: OpaquePointer?

    private init() {
        api = .allocate(capacity: 1)
        api.initialize(to: locus_icu_api())
        handle = locus_icu_load(api) == 0 ? locus_icu_open_collator(api) : nil
    }

    func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        guard let handle else { return Collation.codePointOrder(a, b) }
        let r = a.withMemoryRebound(to: CChar.self) { x in
            b.withMemoryRebound(to: CChar.self) { y in
                locus_icu_compare_utf8(api, handle, x.baseAddress, Int32(x.count), y.baseAddress, Int32(y.count))
            }
        }
        // 2 reports an ICU failure (invalid UTF-8 cannot reach here: Swift strings are valid).
        return r == 2 ? Collation.codePointOrder(a, b) : Int(r)
    }

    func appendSortKey(of s: String, to out: inout [UInt8]) {
        guard let handle else {
            // Without ICU the key is the string itself, zero bytes moved out of the way.
            for b in s.utf8 { out.append(b == 0 ? 1 : b) }
            return
        }
        let text = Array(s.utf16)
        var capacity = text.count * 4 + 16
        while true {
            var key = [UInt8](repeating: 0, count: capacity)
            let needed = text.withUnsafeBufferPointer { t in
                key.withUnsafeMutableBufferPointer { k in
                    locus_icu_sort_key(api, handle, t.baseAddress, Int32(t.count), k.baseAddress, Int32(capacity))
                }
            }
            if Int(needed) <= capacity {
                out.append(contentsOf: key[0..<max(0, Int(needed) - 1)])
                return
            }
            capacity = Int(needed)
        }
    }

}
