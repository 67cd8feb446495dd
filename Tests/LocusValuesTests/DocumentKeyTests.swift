// Document ids split into collection and key at the first slash, for short (inline) and long
// strings, with the key-only shortcut agreeing with the full split.

import Testing
import LocusValues

@Suite struct DocumentKeyTests {
    @Test func splitsAtTheFirstSlash() {
        #expect(DocumentKey.splitId("profiles/p1")! == ("profiles", "p1"))
        #expect(DocumentKey.splitId("a/b/c")! == ("a", "b/c"))
        #expect(DocumentKey.splitId("c/")! == ("c", ""))
        #expect(DocumentKey.splitId("nokey") == nil)
    }

    @Test func keyOfIdAgreesWithSplit() {
        let long = String(repeating: "collection", count: 4) + "/" + String(repeating: "k", count: 40)
        for id in ["profiles/p1", "a/b/c", "c/", "nokey", "", "/k", "v/é:ü", long] {
            #expect(DocumentKey.key(ofId: id) == DocumentKey.splitId(id)?.key, "\(id)")
        }
    }
}
