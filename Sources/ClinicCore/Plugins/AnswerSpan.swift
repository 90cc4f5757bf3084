import QAEngine

/// Post-processing of a model's answer span: what a careful reader would strip before taking the
/// words as the value (surrounding punctuation, an eye marker or a label typed next to the value).
public enum AnswerSpan {
    static let leadingJunk: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", ".", ",", ";", ":", "(", ")", "[", "]", "'", "\"", "-", "/", "=", "*", "•"]
    static let trailingJunk: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", ".", ",", ";", ":", "(", ")", "[", "]", "'", "\"", "-", "/", "=", "*"]

    /// Narrows `range` (offsets into `text`) to the value: trims punctuation (a closing bracket
    /// stays when its opening bracket is inside the span), then eye markers at either edge
    /// ("R) eylea", "6/9 OD") and any of `labels` at the start ("VA 6/9"). Nil when nothing is left.
    public static func clean(_ range: Range<Int>, in text: NoteText, labels: Set<String> = []) -> Range<Int>? {
        var r = range.clamped(to: 0..<text.count)
        var changed = true
        while changed, !r.isEmpty {
            changed = false
            let trimmed = trimPunctuation(r, text)
            if trimmed != r { r = trimmed; changed = true }
            guard !r.isEmpty else { return nil }
            let tokens = ShorthandLexer.tokens(Array(text.scalars[r])).map {
                ShorthandToken(kind: $0.kind, range: ($0.range.lowerBound + r.lowerBound)..<($0.range.upperBound + r.lowerBound))
            }
            guard tokens.count > 1 else { break }
            if let (_, next) = LateralityMarker.marker(in: tokens, at: 0), next < tokens.count {
                var n = next
                if n < tokens.count - 1, tokens[n].word == "eye" { n += 1 }
                r = tokens[n].range.lowerBound..<r.upperBound
                changed = true
                continue
            }
            if let w = tokens[0].word, labels.contains(w), tokens.count > 1 {
                var n = 1
                if n < tokens.count - 1, tokens[n].isSymbol(":") { n += 1 }
                r = tokens[n].range.lowerBound..<r.upperBound
                changed = true
                continue
            }
            // A trailing marker: the last marker that ends exactly at the end of the span.
            for k in stride(from: tokens.count - 1, through: 1, by: -1) {
                if let (_, next) = LateralityMarker.marker(in: tokens, at: k), next == tokens.count,
                   !tokens[k - 1].isSymbol("-"), !tokens[k - 1].isSymbol("+") {
                    r = r.lowerBound..<tokens[k - 1].range.upperBound
                    changed = true
                    break
                }
            }
        }
        return r.isEmpty ? nil : r
    }

    /// The cleaned range of an engine answer, nil when the engine's offsets do not fit the note.
    public static func clean(_ answer: QAAnswer, in text: NoteText, labels: Set<String> = []) -> Range<Int>? {
        guard answer.start >= 0, answer.start < answer.end, answer.end <= text.count else { return nil }
        return clean(answer.start..<answer.end, in: text, labels: labels)
    }

    static func trimPunctuation(_ range: Range<Int>, _ text: NoteText) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while true {
            let before = (lo, hi)
            // A bracket pair around the whole span goes: "(6/9)".
            if hi - lo >= 2, let close = closingPartner(of: lo, before: hi, text), close == hi - 1 {
                lo += 1
                hi -= 1
            }
            // Other brackets stay only when their partner is inside: "Eylea (aflibercept)".
            while lo < hi, leadingJunk.contains(text.scalars[lo]) {
                if closingPartner(of: lo, before: hi, text) != nil { break }
                lo += 1
            }
            while hi > lo, trailingJunk.contains(text.scalars[hi - 1]) {
                let c = text.scalars[hi - 1]
                if c == ")" || c == "]", balanced(lo..<hi, text) { break }
                hi -= 1
            }
            if (lo, hi) == before { return lo..<hi }
        }
    }

    /// Where the bracket opening at `open` closes within the span, if it is an opening bracket.
    static func closingPartner(of open: Int, before end: Int, _ text: NoteText) -> Int? {
        guard text.scalars[open] == "(" || text.scalars[open] == "[" else { return nil }
        var depth = 0
        for i in open..<end {
            switch text.scalars[i] {
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
        }
        return nil
    }

    /// Whether the brackets in the span pair up.
    static func balanced(_ r: Range<Int>, _ text: NoteText) -> Bool {
        var depth = 0
        for i in r {
            switch text.scalars[i] {
            case "(", "[": depth += 1
            case ")", "]":
                depth -= 1
                if depth < 0 { return false }
            default: break
            }
        }
        return depth == 0
    }

    /// The words immediately before `offset` on the same line, lower-cased, nearest last.
    static func wordsBefore(_ offset: Int, in context: NoteContext, count: Int) -> [String] {
        let line = context.text.lineRange(containing: offset)
        let words = context.tokens.filter { $0.range.upperBound <= offset && $0.range.lowerBound >= line.lowerBound }
            .compactMap { $0.word ?? ($0.isSymbol("/") ? "/" : nil) }
        return Array(words.suffix(count))
    }
}
