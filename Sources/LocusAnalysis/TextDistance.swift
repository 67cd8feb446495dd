// How far apart two sequences are, for the fuzzy functions inside and outside SEARCH:
// Levenshtein distance (with Damerau's adjacent transpositions when asked) and the length of
// the longest common subsequence. LEVENSHTEIN_MATCH compares Unicode scalars, NGRAM_MATCH
// compares token lists.

/// Edit distance and longest common subsequence.
public enum TextDistance {
    /// The edit distance of `a` and `b`; past `limit` it answers `limit + 1` without finishing.
    /// Keeps three rows of the table, not all of it.
    public static func edit<T: Equatable>(_ a: [T], _ b: [T], transpositions: Bool, limit: Int = .max) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if transpositions, i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    /// The length of the longest common subsequence of `a` and `b`.
    public static func longestCommonSubsequence<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
