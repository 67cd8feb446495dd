// Trimming without Foundation: both ends, every listed scalar, including a CR LF pair, which
// Swift counts as one Character.

import Testing
import LocusValues

@Suite struct StringTrimmingTests {
    @Test func trimsListedScalarsFromBothEnds() {
        #expect("  key\r\n".trimming(String.whitespace) == "key")
        #expect("\n\tkey\n".trimming(String.whitespace) == "key")
        #expect(" a b ".trimming(" ") == "a b")
        #expect("\r\n".trimming(String.whitespace) == "")
        #expect("é\n".trimming(String.whitespace) == "é")
        #expect("x".trimming("") == "x")
    }
}
