import JSON
import Testing
@testable import QAEngine

/// The Swift tokenizer against Hugging Face's fast tokenizer on the real MiniLM vocabulary.
@Suite struct TokenizerParityTests {
    static let tokenizer = Result(catching: { try WordPieceTokenizer.load(directory: Fixtures.path("minilm-vocab")) })

    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var ids: [Int32]
        var offsets: [Range<Int>]
        var words: [Int]
        var testDescription: String { String(text.debugDescription.prefix(60)) }
    }

    static func cases() throws -> [Case] {
        try JSONReader(Fixtures.json("tokenizer.json"))["cases"].array().map { c in
            Case(text: try c["text"].string(), ids: try c["ids"].ints().map(Int32.init), offsets: try c["offsets"].ranges(),
                 words: try c["words"].ints())
        }
    }

    @Test func fixtureCoversEnoughStrings() throws {
        #expect(try Self.cases().count >= 300)
    }

    @Test(arguments: try cases())
    func matchesFastTokenizer(_ c: Case) throws {
        let tokens = try Self.tokenizer.get().tokenize(c.text)
        #expect(tokens.map(\.id) == c.ids)
        #expect(tokens.map { $0.start..<$0.end } == c.offsets)
        #expect(tokens.map(\.word) == c.words)
    }

    @Test func readsCasingFromTokenizerConfig() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("vocab.txt", "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nEye\neye\n")
        _ = try dir.write("tokenizer_config.json", #"{"do_lower_case": false}"#)
        let cased = try WordPieceTokenizer.load(directory: dir.path)
        #expect(cased.tokenize("Eye eye").map(\.id) == [5, 6])
        _ = try dir.write("tokenizer_config.json", #"{"do_lower_case": true}"#)
        #expect(try WordPieceTokenizer.load(directory: dir.path).tokenize("Eye eye").map(\.id) == [6, 6])
    }

    @Test func rejectsVocabularyWithoutSpecialTokens() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("vocab.txt", "[PAD]\n[UNK]\neye\n")
        #expect(throws: QAEngineError.invalidVocabulary(path: dir.path + "/vocab.txt",
                                                        reason: "special token [CLS] is not in the vocabulary")) {
            try WordPieceTokenizer.load(directory: dir.path)
        }
    }
}
