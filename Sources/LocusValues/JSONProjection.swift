// Reads only chosen top-level attributes of a JSON object, stepping over the rest without
// building them: how collection scans fetch just the attributes a query uses. Attribute
// names are matched as bytes, so unwanted names never become Strings.

/// A reusable projection of top-level attributes.
public struct JSONProjection: Sendable {
    public let names: [String]
    let utf8: [[UInt8]]

    public init(_ names: [String]) {
        self.names = names
        self.utf8 = names.map { Array($0.utf8) }
    }

    /// The object with only the wanted attributes, in document order; non-objects parse whole.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Value {
        var r = JSONReader(bytes)
        r.skipWhitespace()
        guard r.pos < r.end, r.bytes[r.pos] == UInt8(ascii: "{") else { return try JSONReader.parse(bytes) }
        var obj = Object(minimumCapacity: names.count)
        if names.isEmpty { return .object(obj) }
        r.pos += 1
        r.skipWhitespace()
        if r.peek == UInt8(ascii: "}") { return .object(obj) }
        while true {
            r.skipWhitespace()
            guard r.peek == UInt8(ascii: "\"") else { throw r.error("expected attribute name") }
            let match = try matchName(&r)
            r.skipWhitespace()
            guard r.peek == UInt8(ascii: ":") else { throw r.error("expected ':'") }
            r.pos += 1
            r.skipWhitespace()
            if let m = match {
                obj.appendUnique(names[m], try r.readValue(depth: 1))
                if obj.count == names.count { return .object(obj) }
            } else {
                try r.skipValue(depth: 1)
            }
            r.skipWhitespace()
            let c = r.peek
            r.pos += 1
            if c == UInt8(ascii: "}") { break }
            if c != UInt8(ascii: ",") { r.pos -= 1; throw r.error("expected ',' or '}'") }
        }
        return .object(obj)
    }

    /// Reads an attribute name and returns the index of the wanted name it equals.
    func matchName(_ r: inout JSONReader) throws -> Int? {
        let start = r.pos + 1
        var p = start
        while p < r.end {
            let c = r.bytes[p]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                // Escaped names are rare: decode and compare as strings.
                let name = try r.readString()
                return names.firstIndex(of: name)
            }
            p += 1
        }
        guard p < r.end else { throw r.error("unterminated string") }
        r.pos = p + 1
        let len = p - start
        for (i, w) in utf8.enumerated() where w.count == len {
            var equal = true
            for k in 0..<len where w[k] != r.bytes[start + k] { equal = false; break }
            if equal { return i }
        }
        return nil
    }
}
