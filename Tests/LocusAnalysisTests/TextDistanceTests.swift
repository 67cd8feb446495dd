// Edit distance with and without transpositions, its early answer past a limit, and the
// longest common subsequence of token lists.

import Testing
import LocusAnalysis

@Suite struct TextDistanceTests {
    func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    @Test func editDistance() {
        #expect(TextDistance.edit(scalars("kitten"), scalars("sitting"), transpositions: false) == 3)
        #expect(TextDistance.edit(scalars("ab"), scalars("ba"), transpositions: true) == 1)
        #expect(TextDistance.edit(scalars("ab"), scalars("ba"), transpositions: false) == 2)
        #expect(TextDistance.edit(scalars(""), scalars("abc"), transpositions: true) == 3)
        // Past the limit the answer is limit + 1, whatever the true distance.
        #expect(TextDistance.edit(scalars("aaaaaaaa"), scalars("bbbbbbbb"), transpositions: true, limit: 2) == 3)
        #expect(TextDistance.edit(scalars("a"), scalars("abcdef"), transpositions: true, limit: 1) == 2)
    }

    @Test func longestCommonSubsequence() {
        #expect(TextDistance.longestCommonSubsequence(["qu", "ui", "ic", "ck"], ["qu", "ua", "ac", "ck"]) == 2)
        #expect(TextDistance.longestCommonSubsequence([String](), ["a"]) == 0)
    }
}
