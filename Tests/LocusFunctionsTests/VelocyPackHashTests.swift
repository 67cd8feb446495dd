// HASH as ArangoDB computes it: XXH64 against values from the reference library (libxxhash
// 0.8.1), and whole HASH results against an independent transcription of VelocyPack's
// normalizedHash (a Python script over libxxhash, following velocypack's Slice.cpp).

import Testing

@testable import LocusFunctions
import LocusValues

@Suite struct VelocyPackHashTests {
    @Test func xxh64MatchesTheReferenceLibrary() {
        let cases: [([UInt8], UInt64, UInt64)] = [
            ([], 0, 0xEF46_DB37_51D8_E999),
            (Array("a".utf8), 0, 0xD24E_C4F1_A98C_6E5B),
            (Array("abc".utf8), 0, 0x44BC_2CF5_AD77_0999),
            (Array("abcd".utf8), 0xDEAD_BEEF, 0xD16E_3950_E2DF_7EEB),
            (Array(0..<7), 1, 0xAF4C_5311_C47C_77B7),
            (Array(0..<8), 0xDEAD_BEEF, 0x13C2_DC31_31F2_14ED),
            (Array(0..<31), 0xDEAD_BEEF, 0xC141_A0FA_F231_F377),
            (Array(0..<32), 0xDEAD_BEEF, 0xD1DF_F428_F4C9_CAF4),
            (Array(0..<100), 0xDEAD_BEEF, 0x7807_F020_2C43_3D8A),
            (Array(repeating: Array(0...255), count: 3).flatMap { $0 }, 0, 0x8E03_C838_C596_036F),
        ]
        for (bytes, seed, expected) in cases {
            #expect(XXHash64.hash(bytes, seed: seed) == expected, "\(bytes.count) bytes, seed \(seed)")
        }
    }

    @Test func hashOfEveryKindOfValue() throws {
        let cases: [(String, UInt64)] = [
            ("null", 675_717_317_264_138), ("true", 57_801_618_404_459), ("false", 1_217_335_385_489_389),
            ("0", 2_964_198_978_643), ("1", 652_971_229_830_707), ("1.5", 1_669_566_416_024_171),
            ("-2.5", 1_263_128_585_110_810), ("\"\"", 441_814_588_996_558), ("\"foo\"", 774_224_658_852_666),
            ("\"" + String(repeating: "x", count: 200) + "\"", 1_252_565_958_911_328),
            ("[]", 181_227_890_622_943), ("[1,2]", 1_295_855_700_045_140), ("[2,1]", 1_255_602_544_875_390),
            ("{}", 1_954_991_255_293_719), ("{\"a\":1,\"b\":\"c\"}", 52_537_593_940_909),
            ("{\"b\":\"c\",\"a\":1}", 52_537_593_940_909), ("[null,[true,{\"k\":[1]}]]", 134_848_687_127_697),
        ]
        for (json, expected) in cases {
            #expect(VelocyPackHash.aqlHash(try JSONReader.parse(json)) == expected, "HASH(\(json))")
        }
    }
}
