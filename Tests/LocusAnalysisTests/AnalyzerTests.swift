// ArangoSearch's analyzers on their own: the tokens of ArangoDB's documented examples (text_de,
// n-grams with markers, trigrams, the hyphen delimiter, edge n-grams), each type's options,
// the defaults a definition is shown with, and the definitions refused with error 10.

import Testing
import LocusErrors
import LocusAnalysis
import LocusValues

@Suite struct AnalyzerTests {
    func tokens(_ type: String, _ properties: Object, _ text: String) throws -> [String] {
        Analyzer(try AnalyzerDefinition(name: "a", type: type, properties: properties)).tokens(text)
    }

    func refusal(_ json: Value) -> Int? {
        do {
            _ = try AnalyzerDefinition(json: json)
            return nil
        } catch let e as LocusError { return e.code.number } catch { return -1 }
    }

    @Test func builtInTextAnalyzersFoldCaseAndAccentsAndStem() throws {
        let german = try #require(Analyzer.builtIn("text_de"))
        #expect(german.tokens("Lörem ipsüm, DOLOR SIT Ämet.") == ["lor", "ipsum", "dolor", "sit", "amet"])
        let english = try #require(Analyzer.builtIn("text_en"))
        #expect(english.tokens("The quick brown foxes jumped") == ["the", "quick", "brown", "fox", "jump"])
        // Words keep an inner apostrophe and numbers their separators; punctuation goes.
        #expect(english.tokens("don't stop: 3.14, 1,000!") == ["don't", "stop", "3.14", "1,000"])
        #expect(Analyzer.builtIn("identity")?.tokens("Foo Bar") == ["Foo Bar"])
        #expect(Analyzer.builtIn("text_xx") == nil)
    }

    @Test func ngramsFollowArangoDBsOrder() throws {
        let markers: Object = [
            "min": 2, "max": 2, "startMarker": "^", "endMarker": "$", "preserveOriginal": true, "streamType": "utf8",
        ]
        #expect(try tokens("ngram", markers, "foobar") == ["^fo", "^foobar", "foobar$", "oo", "ob", "ba", "ar$"])
        #expect(try tokens("ngram", ["min": 3, "max": 3], "foobar") == ["foo", "oob", "oba", "bar"])
        #expect(try tokens("ngram", ["min": 1, "max": 2], "abc") == ["a", "ab", "b", "bc", "c"])
        #expect(try tokens("ngram", ["min": 2, "max": 2, "streamType": "utf8"], "äöü") == ["äö", "öü"])
        #expect(try tokens("ngram", ["min": 4, "max": 5, "preserveOriginal": true], "ab") == ["ab"])
    }

    @Test func delimiterSplitsAndHonoursQuotes() throws {
        #expect(try tokens("delimiter", ["delimiter": "-"], "some-delimited-words") == ["some", "delimited", "words"])
        #expect(try tokens("delimiter", ["delimiter": ","], #"a,"b,c",d"#) == ["a", "b,c", "d"])
        #expect(try tokens("delimiter", ["delimiter": ","], #""say ""hi""",x"#) == [#"say "hi""#, "x"])
        #expect(try tokens("delimiter", ["delimiter": "::"], "a::b::") == ["a", "b", ""])
    }

    @Test func normStemAndTextOptions() throws {
        #expect(
            try tokens("norm", ["locale": "en", "case": "upper", "accent": false], "Lörem ipsüm") == ["LOREM IPSUM"])
        #expect(try tokens("norm", ["locale": "en"], "Lörem") == ["Lörem"])
        #expect(try tokens("stem", ["locale": "en"], "running") == ["run"])
        let edge: Object = [
            "locale": "en", "stemming": false, "edgeNgram": ["min": 3, "max": 8, "preserveOriginal": true],
        ]
        #expect(
            try tokens("text", edge, "The quick brown fox jumps over the dogWithAVeryLongName") == [
                "the", "qui", "quic", "quick", "bro", "brow", "brown", "fox", "jum", "jump", "jumps", "ove", "over",
                "the", "dog", "dogw", "dogwi", "dogwit", "dogwith", "dogwitha", "dogwithaverylongname",
            ])
        let stop: Object = ["locale": "en", "stopwords": ["the", "a"], "case": "none", "accent": true]
        #expect(try tokens("text", stop, "The cat sat on a Mätte") == ["The", "cat", "sat", "on", "Mätte"])
    }

    /// Each token keeps the UTF-8 bytes of the input it came from.
    @Test func tokensCarryTheirOffsets() throws {
        func offsets(_ type: String, _ properties: Object, _ text: String) throws -> [[Int]] {
            Analyzer(try AnalyzerDefinition(name: "a", type: type, properties: properties)).tokensWithOffsets(text).map
            {
                [$0.start, $0.end]
            }
        }
        // "ö" and "ü" are two bytes each.
        #expect(try offsets("text", ["locale": "de"], "Lörem ipsüm!") == [[0, 6], [7, 13]])
        #expect(try offsets("delimiter", ["delimiter": ","], #"a,"b,c",d"#) == [[0, 1], [3, 6], [8, 9]])
        #expect(try offsets("ngram", ["min": 2, "max": 2, "streamType": "utf8"], "äbc") == [[0, 3], [2, 4]])
        #expect(try offsets("norm", ["locale": "en", "case": "upper"], "straße") == [[0, 7]])
    }

    @Test func pipelinesFeedEachStageIntoTheNext() throws {
        let stages: Object = [
            "pipeline": [
                ["type": "delimiter", "properties": ["delimiter": " "]],
                ["type": "norm", "properties": ["locale": "en", "case": "upper"]],
            ]
        ]
        #expect(try tokens("pipeline", stages, "quick fox") == ["QUICK", "FOX"])
    }

    @Test func definitionsShowArangoDBsDefaults() throws {
        let text = try AnalyzerDefinition(json: ["name": "t", "type": "text", "properties": ["locale": "de_DE.UTF-8"]])
        #expect(
            text.properties == [
                "locale": "de_DE", "case": "lower", "stopwords": [], "accent": false, "stemming": true,
            ])
        let ngram = try AnalyzerDefinition(json: ["name": "g", "type": "ngram", "properties": ["min": 2, "max": 3]])
        #expect(ngram.properties["streamType"] == "binary" && ngram.properties["preserveOriginal"] == false)
        let features = try AnalyzerDefinition(json: [
            "name": "f", "type": "identity", "features": ["position", "frequency"],
        ])
        #expect(features.features == ["frequency", "position"])
    }

    @Test func badDefinitionsAreRefusedWithError10() {
        #expect(refusal(["name": "x", "type": "wildcard"]) == 10)
        #expect(refusal(["name": "9x", "type": "identity"]) == 10)
        #expect(refusal(["name": "x", "type": "text"]) == 10)
        #expect(refusal(["name": "x", "type": "ngram", "properties": ["min": 3, "max": 2]]) == 10)
        #expect(refusal(["name": "x", "type": "norm", "properties": ["locale": "en", "case": "title"]]) == 10)
        #expect(refusal(["name": "x", "type": "identity", "features": ["position"]]) == 10)
        #expect(refusal(["name": "x", "type": "identity", "features": ["colour"]]) == 10)
        #expect(refusal(["name": "x", "type": "pipeline", "properties": ["pipeline": []]]) == 10)
        #expect(refusal(["name": "x", "type": "delimiter", "properties": ["delimiter": 1]]) == 10)
        #expect(refusal(.string("x")) == 10)
    }
}
