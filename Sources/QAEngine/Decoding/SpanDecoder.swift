import Foundation

/// Turns start/end logits into answers exactly as transformers 4.x `QuestionAnsweringPipeline` does with
/// `handle_impossible_answer=True, top_k=1, align_to_words=True`.
struct SpanDecoder {
    /// A span found in one window: token indices into the context's tokens, and its score.
    struct Candidate: Equatable {
        var firstToken: Int
        var lastToken: Int
        var score: Float
    }

    let clsID: Int32
    let maxAnswerLength: Int

    /// The result for one question over all its windows.
    func decode(encoding: QAEncoding, logits: BatchLogits, firstWindow: Int, contextScalars: [Unicode.Scalar],
                nullThreshold: Float) -> QAResult {
        var nullScore = Float(1_000_000)
        var best: Candidate?
        for (w, window) in encoding.windows.enumerated() {
            let (candidate, windowNull) = bestSpan(window: window, context: encoding.context,
                                                   start: logits.start(window: firstWindow + w),
                                                   end: logits.end(window: firstWindow + w))
            nullScore = min(nullScore, windowNull)
            // The pipeline sorts the windows' answers by score, keeping the earliest on ties.
            if let candidate, best.map({ candidate.score > $0.score }) ?? true { best = candidate }
        }
        let answer = best.map { c -> QAAnswer in
            let start = encoding.context[c.firstToken].start, end = encoding.context[c.lastToken].end
            var text = String.UnicodeScalarView()
            text.append(contentsOf: contextScalars[start..<end])
            return QAAnswer(text: String(text), start: start, end: end, score: c.score)
        }
        let chosen = answer.flatMap { nullScore > $0.score + nullThreshold ? nil : $0 }
        return QAResult(best: answer, nullScore: nullScore, answer: chosen)
    }

    /// `select_starts_ends` and `decode_spans` for one window, then `get_indices`' widening to whole words.
    func bestSpan(window: QAWindow, context: [Token], start: ArraySlice<Float>,
                  end: ArraySlice<Float>) -> (Candidate?, nullScore: Float) {
        let n = window.count
        let contextRange = window.contextOffset..<(window.contextOffset + window.contextTokens.count)
        var selectable = [Bool](repeating: false, count: n)
        for i in 0..<n where contextRange.contains(i) || window.inputIDs[i] == clsID { selectable[i] = true }

        let pStart = maskedSoftmax(start, selectable: selectable)
        let pEnd = maskedSoftmax(end, selectable: selectable)
        let nullScore = pStart[0] * pEnd[0]

        var bestScore = -Float.infinity
        var bestS = 0, bestE = 0
        for s in 0..<n {
            let ps = s == 0 ? 0 : pStart[s]
            for e in s..<min(n, s + maxAnswerLength) {
                let score = ps * (e == 0 ? 0 : pEnd[e])
                if score > bestScore {
                    bestScore = score
                    bestS = s
                    bestE = e
                }
            }
        }
        // The pipeline drops a best span that touches a token outside the context, and the [CLS] "span" maps to
        // no characters; neither is an answer.
        guard contextRange.contains(bestS), contextRange.contains(bestE) else { return (nil, nullScore) }

        let first = bestS - window.contextOffset + window.contextTokens.lowerBound
        let last = bestE - window.contextOffset + window.contextTokens.lowerBound
        let span = Candidate(firstToken: first, lastToken: last, score: bestScore)
        return (Self.alignToWords(span, window: window, context: context), nullScore)
    }

    /// Masked positions get logit -10000, then a softmax over the whole window, in fp32 as numpy does it.
    private func maskedSoftmax(_ logits: ArraySlice<Float>, selectable: [Bool]) -> [Float] {
        var values = [Float](repeating: -10_000, count: selectable.count)
        for (i, v) in logits.enumerated() where selectable[i] { values[i] = v }
        let m = values.max() ?? 0
        var sum: Float = 0
        for i in values.indices {
            values[i] = Foundation.exp(values[i] - m)
            sum += values[i]
        }
        for i in values.indices { values[i] /= sum }
        return values
    }
}

extension SpanDecoder {
    /// Widens a token span to the whole words it touches, within the window as the fast tokenizer's
    /// `word_to_chars` sees it, and returns context token indices of the first and last token.
    static func alignToWords(_ candidate: Candidate, window: QAWindow, context: [Token]) -> Candidate {
        var c = candidate
        let inWindow = window.contextTokens
        while c.firstToken > inWindow.lowerBound, context[c.firstToken - 1].word == context[c.firstToken].word {
            c.firstToken -= 1
        }
        while c.lastToken + 1 < inWindow.upperBound, context[c.lastToken + 1].word == context[c.lastToken].word {
            c.lastToken += 1
        }
        return c
    }
}
