/// What a note says about the visit it records: which of its lines are earlier visits, and whether
/// the patient came at all. Drug and acuity answers both read it.
public enum VisitCues {
    /// Whether token `index` is on a dated line ("06/2024: L Avastin #2", "Eylea x10 since 2021") of a
    /// note that marks another line as today's: a row of the history, not this visit.
    /// With `rowsOnly`, only a line that starts with its date counts (a log's row, not "NPL since 2019").
    public static func isEarlierRow(_ index: Int, _ tokens: [ShorthandToken], rowsOnly: Bool = false) -> Bool {
        let lineOf = LateralityEvidence.lineNumbers(tokens)
        let own = lineOf[index]
        let todayLines = Set(tokens.indices.filter { tokens[$0].word == "today" }.map { lineOf[$0] })
        guard !todayLines.isEmpty, !todayLines.contains(own) else { return false }
        let lineTokens = tokens.indices.filter { lineOf[$0] == own }
        let dated = lineTokens.filter { k in
            guard let n = tokens[k].number else { return false }
            if n >= 1990, n <= 2100, n == n.rounded() { return true }
            // dd/mm/yy or mm/yy: a number, "/", a number, and no "/52" week or "/12" month interval.
            guard k + 2 < tokens.count, tokens[k + 1].isSymbol("/"), let m = tokens[k + 2].number else { return false }
            return m != 52 && m != 12 && m != 7 && n != 6 && n != 20
        }
        guard !dated.isEmpty else { return false }
        return !rowsOnly || lineTokens.first.map { startsDate($0, tokens) } == true
    }

    /// "27/03/24", "02.10.2024", "2024-05-14": a number, a separator, a number, the same separator, a number.
    static func startsDate(_ k: Int, _ tokens: [ShorthandToken]) -> Bool {
        guard k + 4 < tokens.count, tokens[k].number != nil, tokens[k + 2].number != nil, tokens[k + 4].number != nil else {
            return false
        }
        return ["/", ".", "-"].contains { tokens[k + 1].isSymbol($0) && tokens[k + 3].isSymbol($0) }
    }

    /// "DNA", "did not attend", "failed to attend", "no show": nothing was measured or given at this visit.
    public static func didNotAttend(_ tokens: [ShorthandToken]) -> Bool {
        let words = tokens.compactMap(\.word)
        // "DNA'd last month ... attends today": the visit in the note did happen.
        for (k, w) in words.enumerated() where ["attends", "attended", "attending"].contains(w) {
            if k == 0 || !["not", "to", "failed"].contains(words[k - 1]) { return false }
        }
        if words.contains("dna") { return true }
        for k in words.indices.dropLast() where words[k + 1] == "attend" || words[k + 1] == "attended" {
            if k > 0, words[k] == "to", ["failed", "fail"].contains(words[k - 1]) { return true }
            if words[k] == "not" { return true }
        }
        return zip(words, words.dropFirst()).contains { $0 == ("no", "show") }
    }
}
