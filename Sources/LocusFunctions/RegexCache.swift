// PCRE2-compiled regular expressions behind a bounded cache, shared by REGEX_* and the
// =~ / !~ operators. ArangoDB's dialect: UTF-8, optional case-insensitivity.

import CPCRE2
import Synchronization

/// A compiled pattern. The code is immutable after compilation; match data is per call.
final class CompiledRegex: @unchecked Sendable {
    let code: OpaquePointer

    init?(pattern: String, caseInsensitive: Bool) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        var options = UInt32(PCRE2_UTF | PCRE2_UCP)
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        let compiled = pattern.withCString { p in
            pcre2_compile_8(
                UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), pattern.utf8.count, options,
                &errorCode, &errorOffset, nil)
        }
        guard let compiled else { return nil }
        code = compiled
    }

    deinit { pcre2_code_free_8(code) }

    /// Byte ranges of the first match and its groups, starting at `offset`.
    func match(_ subject: [UInt8], from offset: Int = 0) -> [Range<Int>?]? {
        guard let md = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(md) }
        let rc = subject.withUnsafeBufferPointer { b in
            pcre2_match_8(code, b.baseAddress ?? UnsafePointer(bitPattern: 1), b.count, offset, 0, md, nil)
        }
        guard rc > 0 else { return nil }
        let ov = pcre2_get_ovector_pointer_8(md)!
        return (0..<Int(rc)).map { i in
            let s = ov[2 * i], e = ov[2 * i + 1]
            return s == ~0 ? nil : Int(s)..<Int(e)
        }
    }
}

/// The bounded cache of compiled patterns.
enum RegexCache {
    static let capacity = 256
    static let cache = Mutex<[String: CompiledRegex]>([:])

    static func get(_ pattern: String, caseInsensitive: Bool) -> CompiledRegex? {
        let key = (caseInsensitive ? "i:" : "s:") + pattern
        if let r = cache.withLock({ $0[key] }) { return r }
        guard let r = CompiledRegex(pattern: pattern, caseInsensitive: caseInsensitive) else { return nil }
        cache.withLock { c in
            if c.count >= capacity { c.removeAll(keepingCapacity: true) }
            c[key] = r
        }
        return r
    }
}
