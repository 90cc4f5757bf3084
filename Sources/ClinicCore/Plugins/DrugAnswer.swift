/// What a drug answer names: an agent injected into the eye, a medicine given otherwise, no drug at
/// all, or a word that may be a drug the lexicon does not know.
public enum DrugAnswer: Equatable {
    case agent(DrugMatch)
    /// A known medicine that is not injected into the eye, or an agent typed with another route; the route.
    case notInjected(String)
    case notADrug
    case unknown

    /// The confidence an unknown drug-like word needs to be kept (see DrugPlugin's `unknownMinScore`).
    public static let unknownMinScore = 0.5

    /// The verdict on the answer at `range` of `text` (its words, and the route words around it).
    public static func verdict(_ range: Range<Int>, in text: NoteText, tokens: [ShorthandToken]) -> DrugAnswer {
        let typed = text[range]
        let words = DrugNormalizer.words(Array(typed.unicodeScalars)).map(\.text)
        let content = words.filter { w in
            w.unicodeScalars.contains { $0.properties.isAlphabetic } && LateralityMarker.words[w] == nil
        }
        guard !content.isEmpty else { return .notADrug }
        if let match = exactMatch(typed) { return judged(match, range, tokens, words: content) }
        for (k, w) in content.enumerated() {
            let pair = k + 1 < content.count ? "\(w) \(content[k + 1])" : nil
            if let route = pair.flatMap({ NotInjectedLexicon.medicines[$0] }) ?? NotInjectedLexicon.medicines[w] {
                return .notInjected(route)
            }
        }
        let unexplained = content.filter { !NotInjectedLexicon.clinicWords.contains($0) }
        guard !unexplained.isEmpty else { return .notADrug }
        if let match = DrugNormalizer.match(typed) { return judged(match, range, tokens, words: content) }
        let drugLike = unexplained.contains { w in
            w.unicodeScalars.count >= 3 && w.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0 == "-" }
        }
        return drugLike && content.count <= 3 ? .unknown : .notADrug
    }

    /// The first run of words that is exactly a lexicon name (no spelling tolerance).
    static func exactMatch(_ typed: String) -> DrugMatch? {
        guard let m = DrugNormalizer.match(typed), m.distance == 0 else { return nil }
        return m
    }

    static func judged(_ match: DrugMatch, _ range: Range<Int>, _ tokens: [ShorthandToken], words: [String]) -> DrugAnswer {
        if match.entry.generic == nil, match.entry.drugClass.hasPrefix("intravitreal injection") { return .notADrug }
        if match.entry.otherRoutes {
            if let route = words.first(where: NotInjectedLexicon.routeWords.contains) { return .notInjected(route) }
            if words.first == "g" { return .notInjected("drops") }
            if let route = routeWord(near: range, tokens) { return .notInjected(route) }
        }
        return .agent(match)
    }

    /// A route word ("drops", "IV", "oral", "subtenon") within two words before or three after the
    /// span on its line, or "G." just before it (a drop).
    public static func routeWord(near range: Range<Int>, _ tokens: [ShorthandToken]) -> String? {
        guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return nil }
        let last = tokens.lastIndex(where: { $0.range.lowerBound < range.upperBound }) ?? first
        var seen = 0
        var k = first - 1
        while k >= 0, seen < 2, !tokens[k].isLineBreak {
            if let w = tokens[k].word {
                if NotInjectedLexicon.routeWords.contains(w) { return w }
                if w == "g", k + 1 < tokens.count, tokens[k + 1].isSymbol(".") || k + 1 == first { return "drops" }
                seen += 1
            }
            k -= 1
        }
        seen = 0
        k = last + 1
        while k < tokens.count, seen < 3, !tokens[k].isLineBreak {
            if let w = tokens[k].word {
                if NotInjectedLexicon.routeWords.contains(w) { return w }
                seen += 1
            }
            k += 1
        }
        return nil
    }
}
