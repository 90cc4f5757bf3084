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

    /// The result for one question over all its windows, with up to `alternatives` runners-up.
    func decode(encoding: QAEncoding, logits: BatchLogits, firstWindow: Int, contextScalars: [Unicode.Scalar],
                nullThreshold: Float, alternatives: Int = 0) -> QAResult {
        var nullScore = Float(1_000_000)
        var best: Candidate?
        var others: [Candidate] = []
        for (w, window) in encoding.windows.enumerated() {
            let spans = rankedSpans(window: window, context: encoding.context,
                                    start: logits.start(window: firstWindow + w),
                                    end: logits.end(window: firstWindow + w), keep: alternatives + 1)
            nullScore = min(nullScore, spans.nullScore)
            // The pipeline sorts the windows' answers by score, keeping the earliest on ties.
            if let candidate = spans.best, best.map({ candidate.score > $0.score }) ?? true { best = candidate }
            others += spans.ranked
        }
        let answer = best.map { qaAnswer(for: $0, encoding: encoding, contextScalars: contextScalars) }
        let chosen = answer.flatMap { nullScore > $0.score + nullThreshold ? nil : $0 }
        var runnersUp: [QAAnswer] = []
        for c in others.sorted(by: { $0.score > $1.score }) where runnersUp.count < alternatives {
            let a = qaAnswer(for: c, encoding: encoding, contextScalars: contextScalars)
            if a.start == answer?.start && a.end == answer?.end { continue }
            if runnersUp.contains(where: { $0.start == a.start && $0.end == a.end }) { continue }
            runnersUp.append(a)
        }
        return QAResult(best: answer, nullScore: nullScore, answer: chosen, alternatives: runnersUp)
    }

    private func qaAnswer(for c: Candidate, encoding: QAEncoding, contextScalars: [Unicode.Scalar]) -> QAAnswer {
        let start = encoding.context[c.firstToken].start, end = encoding.context[c.lastToken].end
        var text = String.UnicodeScalarView()
        text.append(contentsOf: contextScalars[start..<end])
        return QAAnswer(text: String(text), start: start, end: end, score: c.score)
    }

    /// `select_starts_ends` and `decode_spans` for one window, then `get_indices`' widening to whole words:
    /// the best span (nil when it touches a token outside the context, as in the pipeline), and the `keep`
    /// highest-scoring spans inside the context, best first.
    func rankedSpans(window: QAWindow, context: [Token], start: ArraySlice<Float>, end: ArraySlice<Float>,
                     keep: Int = 1) -> (best: Candidate?, ranked: [Candidate], nullScore: Float) {
        let n = window.count
        let contextRange = window.contextOffset..<(window.contextOffset + window.contextTokens.count)
        var selectable = [Bool](repeating: false, count: n)
        for i in 0..<n where contextRange.contains(i) || window.inputIDs[i] == clsID { selectable[i] = true }

        let pStart = maskedSoftmax(start, selectable: selectable)
        let pEnd = maskedSoftmax(end, selectable: selectable)
        let nullScore = pStart[0] * pEnd[0]

        var bestScore = -Float.infinity
        var bestS = 0, bestE = 0
        var top: [(s: Int, e: Int, score: Float)] = []
        for s in 0..<n {
            let ps = s == 0 ? 0 : pStart[s]
            for e in s..<min(n, s + maxAnswerLength) {
                let score = ps * (e == 0 ? 0 : pEnd[e])
                if score > bestScore {
                    bestScore = score
                    bestS = s
                    bestE = e
                }
                if keep > 1, contextRange.contains(s), contextRange.contains(e),
                   top.count < keep || score > top[top.count - 1].score {
                    let at = top.firstIndex { score > $0.score } ?? top.count
                    top.insert((s, e, score), at: at)
                    if top.count > keep { top.removeLast() }
                }
            }
        }
        func aligned(_ s: Int, _ e: Int, _ score: Float) -> Candidate {
            let first = s - window.contextOffset + window.contextTokens.lowerBound
            let last = e - window.contextOffset + window.contextTokens.lowerBound
            return Self.alignToWords(Candidate(firstToken: first, lastToken: last, score: score), window: window, context: context)
        }
        let ranked = top.map { aligned($0.s, $0.e, $0.score) }
        // The pipeline drops a best span that touches a token outside the context, and the [CLS] "span" maps to
        // no characters; neither is an answer.
        guard contextRange.contains(bestS), contextRange.contains(bestE) else { return (nil, ranked, nullScore) }
        return (aligned(bestS, bestE, bestScore), ranked, nullScore)
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
