/// What a drug answer names: an agent injected into the eye, a medicine given otherwise, no drug at
/// all, or a word that may be a drug the lexicon does not know.
public enum DrugAnswer: Equatable {
    case agent(DrugMatch)
    /// A known medicine that is not injected into the eye, or an agent typed with another route; the route.
    case notInjected(String)
    case notADrug
    case unknown

    /// The verdict on the answer at `range` of `text` (its words, and the route words around it).
    public static func verdict(_ range: Range<Int>, in text: NoteText, tokens: [ShorthandToken]) -> DrugAnswer {
        let typed = text[range]
        let words = DrugNormalizer.words(Array(typed.unicodeScalars)).map(\.text)
        let content = contentWords(words)
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
        return content.count <= 3 && unexplained.contains(where: looksLikeADrugName) ? .unknown : .notADrug
    }

    /// The words of an answer that may name something: with a letter in them, and no eye marker.
    static func contentWords(_ words: [String]) -> [String] {
        words.filter { w in w.unicodeScalars.contains { $0.properties.isAlphabetic } && LateralityMarker.words[w] == nil }
    }

    /// Whether the span is short enough to be a drug's name with its dose ("Eylea HD 8mg"), not a phrase around one.
    public static func isNameOnly(_ range: Range<Int>, in text: NoteText) -> Bool {
        contentWords(DrugNormalizer.words(Array(text[range].unicodeScalars)).map(\.text)).count <= 3
    }

    /// Drug-name endings ("-mab", "-cept", "-vir"); a word without one must start like a known name ("vabs").
    static let drugEndings = ["mab", "cept", "ib", "vir", "mycin", "micin", "azole", "olone", "asone", "cillin", "plan",
                              "ase", "sen", "ept", "tide", "stat"]
    /// Endings of clinic words that are no drug ("chorioretinopathy", "photocoagulation", "foveal").
    static let wordEndings = ["pathy", "tion", "itis", "osis", "oma", "ema", "al", "ic", "ous", "ar", "ia", "ment",
                              "ness", "ing", "ed", "ly", "ity"]

    static func looksLikeADrugName(_ w: String) -> Bool {
        guard w.unicodeScalars.count >= 3, w.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "-" }) else {
            return false
        }
        if drugEndings.contains(where: w.hasSuffix) { return true }
        if wordEndings.contains(where: w.hasSuffix) { return false }
        let prefix = String(w.prefix(3))
        return DrugLexicon.names.contains { $0.key.hasPrefix(prefix) && $0.key.count >= 4 }
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

extension DrugAnswer {
    /// Why the drug at `range` was not given at this visit, from the words of its clause (the part of
    /// its line between commas, semicolons and full stops): "deferred", "declined", "rebook", "next
    /// visit", "to be given", "in situ", "injections to date", an unticked box before it ("[ ] Lucentis"),
    /// or a note that says the patient did not attend. Nil when nothing says so.
    public static func notGivenCue(_ range: Range<Int>, in text: NoteText, tokens: [ShorthandToken]) -> String? {
        guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return nil }
        let last = tokens.lastIndex(where: { $0.range.lowerBound < range.upperBound }) ?? first
        if first >= 2, tokens[first - 1].isSymbol("]") || tokens[first - 1].isSymbol(")"),
           tokens[first - 2].isSymbol("[") || tokens[first - 2].isSymbol("(") { return "unticked box" }
        var lo = first
        while lo > 0, !isClauseEnd(tokens, lo - 1) { lo -= 1 }
        var hi = last
        while hi + 1 < tokens.count, !isClauseEnd(tokens, hi + 1) { hi += 1 }
        let words = tokens[lo...hi].compactMap(\.word)
        // "R) Cimerli given as planned": a clause that says it was given outweighs the weaker cues.
        let saysGiven = words.contains(where: givenWords.contains)
        for (k, w) in words.enumerated() {
            if saysGiven, weakCues.contains(w) { continue }
            let next = k + 1 < words.count ? words[k + 1] : ""
            if notGivenPrefixes.contains(where: w.hasPrefix) { return w }
            if notGivenWords.contains(w) { return w }
            if w == "next", nextCues.contains(next) { return "next \(next)" }
            if w == "to", next == "be" || next == "date" { return "to \(next)" }
            if w == "in", next == "situ" { return "in situ" }
            if w == "will", willCues.contains(next) { return "will \(next)" }
            if w == "not", ["given", "treated", "injected", "due", "done", "today", "for"].contains(next) { return "not \(next)" }
            if w == "no", ["inj", "injection", "injections", "ivt", "tx", "treatment", "repeat"].contains(next) { return "no \(next)" }
        }
        if VisitCues.isEarlierRow(first, tokens) { return "an earlier visit" }
        let noteWords = tokens.compactMap(\.word)
        if noteWords.contains("dna") || zip(noteWords, noteWords.dropFirst()).contains(where: { $0 == ("did", "not") }) {
            if !words.contains(where: ["given", "done", "injected", "today"].contains) { return "did not attend" }
        }
        return nil
    }

    static let notGivenPrefixes = ["defer", "postpon", "cancel", "declin", "refus", "rebook", "resched", "withh",
                                   "consider"]
    static let notGivenWords: Set<String> = ["held", "hold", "dna", "discuss", "discussed", "planned", "booked",
                                             "listed", "awaiting", "stopped", "stop", "previous", "previously", "prev",
                                             "still", "counselled", "leaflet", "wishes", "wants"]
    static let givenWords: Set<String> = ["given", "gvn", "done", "injected", "inserted", "administered"]
    static let weakCues: Set<String> = ["planned", "booked", "listed", "previous", "previously", "prev", "still", "discussed",
                                        "counselled", "leaflet", "wishes", "wants"]
    static let nextCues: Set<String> = ["visit", "time", "month", "week", "appointment", "appt", "clinic", "session", "list"]
    static let willCues: Set<String> = ["need", "give", "have", "start", "be", "receive", "consider", "plan", "discuss"]

    static func isClauseEnd(_ tokens: [ShorthandToken], _ k: Int) -> Bool {
        let t = tokens[k]
        if t.isLineBreak || t.isSymbol(";") || t.isSymbol(",") { return true }
        if t.isSymbol("."), k + 1 < tokens.count, tokens[k + 1].range.lowerBound > t.range.upperBound { return true }
        return t.isSymbol(".") && k + 1 == tokens.count
    }
}
