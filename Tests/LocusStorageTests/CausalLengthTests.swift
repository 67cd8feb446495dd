// The causal-length convention's laws: a local write settles a record in the state it asked
// for at the smallest length not below the prior one, and a life above an eviction is the
// smallest live length beyond it.

import Testing
import LocusStorage

@Suite struct CausalLengthTests {
    @Test func oddLengthsAreLive() {
        #expect(!CausalLength.isLive(0))
        #expect(CausalLength.isLive(1) && !CausalLength.isLive(2) && CausalLength.isLive(7))
    }

    @Test(arguments: [false, true])
    func aWriteSettlesAtTheSmallestLengthInTheStateItAskedFor(live: Bool) {
        #expect(CausalLength.settled(nil, live: live) == (live ? 1 : 2))
        for prior in 0...40 {
            let next = CausalLength.settled(prior, live: live)
            #expect(CausalLength.isLive(next) == live)
            #expect(next >= prior && next <= prior + 1, "prior \(prior) → \(next)")
            #expect(CausalLength.settled(next, live: live) == next, "settling twice moves on")
        }
    }

    @Test func aLifeAboveIsTheFirstLiveLengthBeyond() {
        for length in 0...40 {
            let above = CausalLength.liveAbove(length)
            #expect(above > length && CausalLength.isLive(above))
            #expect(!(length + 1..<above).contains { CausalLength.isLive($0) })
        }
    }
}
