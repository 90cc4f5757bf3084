import Foundation
import Testing
@testable import QAEngine

/// The pipeline's span rules on hand-made logits: [CLS] q [SEP] c0 c1 c2 c3 [SEP], context words "ab" (two
/// tokens), "c", "d".
@Suite struct SpanDecoderTests {
    static let context = [
        Token(id: 10, start: 0, end: 1, word: 0), Token(id: 11, start: 1, end: 2, word: 0),
        Token(id: 12, start: 3, end: 4, word: 1), Token(id: 13, start: 5, end: 6, word: 2),
    ]
    static let contextScalars = Array("ab c d".unicodeScalars)

    static func encoding(windows: [Range<Int>] = [0..<4]) -> QAEncoding {
        var e = try! QAEncoding(question: [Token(id: 5, start: 0, end: 1, word: 0)], context: context, clsID: 1, sepID: 2,
                                maxSequenceLength: 384, docStride: 128)
        e.windows = windows.map { r in
            QAWindow(inputIDs: [1, 5, 2] + context[r].map(\.id) + [2], tokenTypeIDs: [0, 0, 0] + r.map { _ in 1 } + [1],
                     contextOffset: 3, contextTokens: r)
        }
        return e
    }

    static func logits(_ windows: [(start: [Float], end: [Float])]) -> BatchLogits {
        var offsets = [0]
        for w in windows { offsets.append(offsets.last! + w.start.count) }
        return BatchLogits(start: windows.flatMap(\.start), end: windows.flatMap(\.end), windowOffsets: offsets)
    }

    static func decode(_ encoding: QAEncoding, _ logits: BatchLogits, maxAnswerLength: Int = 15, threshold: Float = 0,
                       alternatives: Int = 0) -> QAResult {
        SpanDecoder(clsID: 1, maxAnswerLength: maxAnswerLength)
            .decode(encoding: encoding, logits: logits, firstWindow: 0, contextScalars: contextScalars, nullThreshold: threshold,
                    alternatives: alternatives)
    }

    @Test func runnersUpAreTheNextBestDistinctSpansAndLeaveTheAnswerAlone() {
        // Start and end peak on "d", then "c": best "d", then "c d" and "c" (p_start(c) x p_end(d) > p_start(c) x p_end(c)).
        let logits = Self.logits([(start: [0, 0, 0, 0, 0, 2, 3, 0], end: [0, 0, 0, 0, 0, 2, 3, 0])])
        let plain = Self.decode(Self.encoding(), logits)
        let ranked = Self.decode(Self.encoding(), logits, alternatives: 3)
        #expect(plain.alternatives.isEmpty)
        #expect(ranked.answer == plain.answer && ranked.best == plain.best && ranked.nullScore == plain.nullScore)
        #expect(ranked.answer?.text == "d")
        #expect(ranked.alternatives.map(\.text) == ["c d", "c", "ab c d"])
        #expect(zip(ranked.alternatives, ranked.alternatives.dropFirst()).allSatisfy { $0.score >= $1.score })
        // The two pieces of "ab" widen to the same word: it is listed once.
        let pieces = Self.logits([(start: [0, 0, 0, 3, 3, 0, 0, 0], end: [0, 0, 0, 3, 3, 0, 0, 0])])
        let texts = Self.decode(Self.encoding(), pieces, alternatives: 4).alternatives.map(\.text)
        #expect(Set(texts).count == texts.count && !texts.contains("ab"))
    }

    @Test func questionAndSpecialTokensCannotBeChosen() {
        // The question token and [SEP]s have the largest logits, yet the answer must come from the context.
        let result = Self.decode(Self.encoding(), Self.logits([(start: [0, 50, 50, 1, 0, 3, 0, 50], end: [0, 50, 50, 0, 0, 3, 0, 50])]))
        #expect(result.answer?.text == "c" && result.answer?.start == 3 && result.answer?.end == 4)
        // p_start(c) = e^3 / (e^0 + e^1 + e^0 + e^3 + e^0), masked tokens contribute exp(-10000) = 0.
        let ps = Float(Foundation.exp(3.0) / (3 + Foundation.exp(1.0) + Foundation.exp(3.0)))
        let pe = Float(Foundation.exp(3.0) / (4 + Foundation.exp(3.0)))
        #expect(abs(result.answer!.score - ps * pe) < 1e-6)
    }

    @Test func answerWidensToWholeWords() {
        // Best span is the single token "b" (the second piece of "ab"): the answer is the whole word.
        let result = Self.decode(Self.encoding(), Self.logits([(start: [0, 0, 0, 0, 5, 0, 0, 0], end: [0, 0, 0, 0, 5, 0, 0, 0])]))
        #expect(result.answer?.text == "ab" && result.answer?.start == 0 && result.answer?.end == 2)
    }

    @Test func spanLongerThanMaxAnswerLengthIsNotChosen() {
        let logits = Self.logits([(start: [0, 0, 0, 6, 0, 0, 0, 0], end: [0, 0, 0, 0, 0, 0, 6, 0])])
        #expect(Self.decode(Self.encoding(), logits).answer?.text == "ab c d")
        #expect(Self.decode(Self.encoding(), logits, maxAnswerLength: 2).answer?.text != "ab c d")
    }

    @Test func nullWinsOnlyWhenStrictlyBetterThanTheThreshold() {
        let logits = Self.logits([(start: [4, 0, 0, 1, 0, 0, 0, 0], end: [4, 0, 0, 1, 0, 0, 0, 0])])
        let plain = Self.decode(Self.encoding(), logits)
        #expect(plain.answer == nil && plain.best?.text == "ab" && plain.nullScore > plain.best!.score)
        let lenient = Self.decode(Self.encoding(), logits, threshold: 1)
        #expect(lenient.answer == lenient.best && lenient.answer != nil)
    }

    @Test func bestWindowWinsAndNullIsTheMinimumOverWindows() {
        let encoding = Self.encoding(windows: [0..<3, 1..<4])
        let logits = Self.logits([
            (start: [2, 0, 0, 1, 0, 0, 0], end: [2, 0, 0, 1, 0, 0, 0]),
            (start: [0, 0, 0, 0, 0, 4, 0], end: [0, 0, 0, 0, 0, 4, 0]),
        ])
        let result = Self.decode(encoding, logits)
        #expect(result.best?.text == "d")
        let cls0 = Float(Foundation.exp(2.0) / (Foundation.exp(2.0) + Foundation.exp(1.0) + 2))
        let cls1 = Float(1 / (3 + Foundation.exp(4.0)))
        #expect(abs(result.nullScore - min(cls0 * cls0, cls1 * cls1)) < 1e-6)
    }

    @Test func wordAlignmentStopsAtTheWindowEdge() {
        // The second window starts inside the word "ab": only the part of it in the window is used.
        let encoding = Self.encoding(windows: [1..<4])
        let result = Self.decode(encoding, Self.logits([(start: [0, 0, 0, 5, 0, 0, 0], end: [0, 0, 0, 5, 0, 0, 0])]))
        #expect(result.answer?.text == "b" && result.answer?.start == 1)
    }
}
