// Trimming characters from both ends of a string, for the header lines and key files that
// modules read without Foundation (whose trimming needs its internationalization library).

extension String {
    /// This string without leading and trailing Unicode scalars from `characters`. (Scalars,
    /// not Characters: "\r\n" is one Character, which would leave a lone "\n" in place.)
    public func trimming(_ characters: String) -> String {
        let set = Set(characters.unicodeScalars)
        var s = Substring(self).unicodeScalars
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }

    /// The whitespace `trimming` removes from key and secret files.
    public static let whitespace = " \t\r\n"
}
