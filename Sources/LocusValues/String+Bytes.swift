// Substring tests on a string's UTF-8 bytes. On Linux, `String.contains(String)` resolves to
// Foundation's `range(of:)` wherever Foundation is visible, even transitively, and costs a
// thousand instructions or more for a one-byte needle; names, paths and operators want an
// exact byte comparison anyway, not Unicode-aware matching.

extension String {
    /// Whether `needle`'s bytes occur in this string's UTF-8 bytes (an empty needle always does).
    ///
    /// ```swift
    /// "tags[*].name".containsBytes("[*]")   // true
    /// "MY::FUNC".containsBytes("::")        // true
    /// ```
    public func containsBytes(_ needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                guard let first = n.first else { return true }
                guard n.count <= h.count else { return false }
                var i = 0
                while i + n.count <= h.count {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}
