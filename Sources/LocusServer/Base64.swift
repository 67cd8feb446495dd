// Base64 and its URL-safe form without padding (JSON Web Tokens, basic authentication),
// through FoundationEssentials' codec.

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        Data(base64Encoded: text).map(Array.init)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    static func urlEncode(_ bytes: [UInt8]) -> String {
        var s = Data(bytes).base64EncodedString()
        s = String(s.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
        while s.hasSuffix("=") { s.removeLast() }
        return s
    }

    static func urlDecode(_ text: Substring) -> [UInt8]? {
        var s = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        guard !s.contains("=") else { return nil }
        while s.utf8.count % 4 != 0 { s += "=" }
        return decode(s)
    }
}
