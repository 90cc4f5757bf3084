/// A typed drug name resolved against `DrugLexicon`.
public struct DrugMatch: Sendable, Equatable {
    public var entry: DrugEntry
    public var name: DrugLexicon.Name
    /// The brand, when a brand (or biosimilar) name was typed; "Eylea HD" when Eylea is given at 8 mg.
    public var brand: String?
    /// The words that matched, as typed, and where (scalar offsets into the normalised text).
    public var typed: String
    public var typedRange: Range<Int>
    /// Edits between the typed word(s) and the name; 0 for an exact match.
    public var distance: Int
    public var dose: String?
    /// "#3" or "no. 3": the number of this injection in a course.
    public var injectionNumber: Int?

    /// Whether the typed name was a misspelling (from the list or within a few edits).
    public var isCorrected: Bool { distance > 0 || name.isMisspelling }

    /// "Eylea (aflibercept)", "aflibercept", "anti-VEGF (drug not named)".
    public var summary: String {
        guard let generic = entry.generic else { return entry.drugClass }
        guard let brand else { return generic }
        return "\(brand) (\(generic))"
    }
}

public enum DrugNormalizer {
    struct Word { var text: String; var range: Range<Int> }

    /// Resolves typed text such as "eylea 2mg", "R) Lucentus #3" or "anti-VEGF": the first word (or
    /// run of words) that is a known name, exactly or within a few edits. Nil when nothing matches.
    public static func match(_ text: String) -> DrugMatch? {
        let scalars = Array(text.unicodeScalars)
        var found: DrugMatch?
        scanNames(in: scalars) { name, run, distance in
            found = make(name, words: run, scalars: scalars, distance: distance, dose: dose(in: text),
                         number: injectionNumber(in: text))
            return false
        }
        return found
    }

    /// Every drug name in the text, in order, each as `match` resolves it (without dose or injection
    /// number): named drugs only when `namedOnly` (generic words such as "anti-VEGF" or "inj" are passed over).
    public static func matches(in scalars: [Unicode.Scalar], namedOnly: Bool) -> [DrugMatch] {
        var out: [DrugMatch] = []
        scanNames(in: scalars, accept: { !namedOnly || DrugLexicon.entries[$0.entryIndex].generic != nil }) { name, run, distance in
            out.append(make(name, words: run, scalars: scalars, distance: distance, dose: nil, number: nil))
            return true
        }
        return out
    }

    /// The one name matcher: at each word, the longest exact run of words that is a name ("eylea hd",
    /// "avacincaptad pegol", "anti vegf"), else a single word within spelling tolerance of one. A name
    /// `accept` refuses is passed over (and a refused exact word is not tried fuzzily). `found` gets each
    /// name, the words it covers and its edit distance, and returns whether to go on after them.
    static func scanNames(in scalars: [Unicode.Scalar], accept: (DrugLexicon.Name) -> Bool = { _ in true },
                          _ found: (DrugLexicon.Name, [Word], Int) -> Bool) {
        let words = words(scalars)
        var i = 0
        while i < words.count {
            var taken = 0
            for n in stride(from: min(DrugLexicon.longestNameWords, words.count - i), through: 1, by: -1) {
                let run = Array(words[i..<(i + n)])
                let key = n == 1 ? run[0].text : run.map(\.text).joined(separator: " ")
                let hit: (DrugLexicon.Name, Int)?
                if let name = DrugLexicon.byKey[key] { hit = (name, 0) } else { hit = n == 1 ? fuzzy(key) : nil }
                guard let (name, distance) = hit, accept(name) else { continue }
                guard found(name, run, distance) else { return }
                taken = n
                break
            }
            i += max(taken, 1)
        }
    }

    /// The generic or brand name closest to the typed text, for "did you mean": fewest edits, then
    /// the longest shared beginning ("vabs" -> Vabysmo), then brands first.
    public static func closestName(to text: String) -> (name: DrugLexicon.Name, distance: Int)? {
        let candidates = words(Array(text.unicodeScalars)).map(\.text).filter { $0.count >= 3 }
        var best: (name: DrugLexicon.Name, distance: Int, prefix: Int)?
        for w in candidates {
            for name in DrugLexicon.names where DrugLexicon.entries[name.entryIndex].generic != nil {
                let isAbbreviation = name.brand == nil && DrugLexicon.entries[name.entryIndex].generic != name.display
                if isAbbreviation { continue }
                let d = EditDistance.distance(w, name.key)
                let prefix = zip(w.unicodeScalars, name.key.unicodeScalars).prefix { $0 == $1 }.count
                if let b = best, (d, -prefix, name.brand == nil ? 1 : 0) >= (b.distance, -b.prefix, b.name.brand == nil ? 1 : 0) {
                    continue
                }
                best = (name, d, prefix)
            }
        }
        return best.map { ($0.name, $0.distance) }
    }

    /// Edits tolerated between a typed word and a name of the given length.
    static func tolerance(_ length: Int) -> Int {
        switch length {
        case ..<5: return 0
        case 5...6: return 1
        case 7...10: return 2
        default: return 3
        }
    }

    /// A single-word name within tolerance of `word`. Misspellings rarely change the first letter,
    /// so a different first letter is accepted only at one edit.
    static func fuzzy(_ word: String) -> (DrugLexicon.Name, Int)? {
        let scalars = Array(word.unicodeScalars)
        guard word.count >= 4, scalars.allSatisfy({ $0.properties.isAlphabetic }) else { return nil }
        let first = word.first
        var best: (DrugLexicon.Name, Int)?
        for candidate in fuzzyCandidates where abs(candidate.scalars.count - scalars.count) <= candidate.tolerance {
            let d = EditDistance.distance(scalars, candidate.scalars, limit: candidate.tolerance)
            guard d <= candidate.tolerance, d == 1 || first == candidate.first else { continue }
            if best == nil || d < best!.1 { best = (candidate.name, d) }
        }
        return best
    }

    /// The single-word names a misspelling may stand for, with what `fuzzy` compares, worked out once:
    /// every word of every note is compared against them.
    private static let fuzzyCandidates: [(name: DrugLexicon.Name, scalars: [Unicode.Scalar], tolerance: Int, first: Character?)] =
        DrugLexicon.names.compactMap { name in
            guard !name.key.unicodeScalars.contains(" ") else { return nil }
            let tol = tolerance(name.key.count)
            return tol > 0 ? (name, Array(name.key.unicodeScalars), tol, name.key.first) : nil
        }

    static func make(_ name: DrugLexicon.Name, words: [Word], scalars: [Unicode.Scalar], distance: Int,
                     dose: String?, number: Int?) -> DrugMatch {
        let range = (words.first?.range.lowerBound ?? 0)..<max(words.first?.range.lowerBound ?? 0, words.last?.range.upperBound ?? 0)
        var typed = String.UnicodeScalarView()
        typed.append(contentsOf: scalars[range])
        var brand = name.brand
        if brand == "Eylea", let dose, dose.hasPrefix("8") && dose.hasSuffix("mg") { brand = "Eylea HD" }
        return DrugMatch(entry: DrugLexicon.entries[name.entryIndex], name: name, brand: brand,
                         typed: String(typed), typedRange: range, distance: distance, dose: dose,
                         injectionNumber: number)
    }

    /// Lower-cased words: letters and digits, with inner hyphens kept ("anti-vegf", "ziv-aflibercept").
    static func words(_ scalars: [Unicode.Scalar]) -> [Word] {
        var out: [Word] = []
        var i = 0
        func isWordChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ShorthandLexer.isDigit(c) }
        while i < scalars.count {
            guard isWordChar(scalars[i]) else { i += 1; continue }
            let start = i
            while i < scalars.count,
                  isWordChar(scalars[i]) || (scalars[i] == "-" && i + 1 < scalars.count && isWordChar(scalars[i + 1])) {
                i += 1
            }
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars[start..<i])
            out.append(Word(text: String(s).lowercased(), range: start..<i))
        }
        return out
    }

    // A regex literal is parsed and compiled again each time it is evaluated (70% of a note's analysis
    // time); as statics, once. Regex is not Sendable, but matching only reads it and its compiled program
    // is stored atomically on first use.
    nonisolated(unsafe) static let dosePattern = /(?i)(\d+(?:\.\d+)?)\s*(mg|mcg|micrograms?|µg|ug)\b/
    nonisolated(unsafe) static let hashNumberPattern = /#\s*(\d{1,3})\b/
    nonisolated(unsafe) static let wordNumberPattern = /(?i)\b(?:no\.?|number|inj(?:ection)?)\s*(\d{1,3})\b(?!\s*(?:mg|mcg|ug|ml))/

    /// "2mg", "0.5 mg", "8 mg", "400 mcg", "2mg/0.05ml".
    static func dose(in text: String) -> String? {
        guard let m = text.firstMatch(of: dosePattern) else { return nil }
        let unit = m.output.2.lowercased()
        return "\(m.output.1)\(unit.hasPrefix("microgram") || unit == "ug" || unit == "µg" ? "mcg" : unit)"
    }

    /// "#3", "# 3", "no. 3", "inj 3".
    static func injectionNumber(in text: String) -> Int? {
        if let m = text.firstMatch(of: hashNumberPattern) { return Int(m.output.1) }
        if let m = text.firstMatch(of: wordNumberPattern) {
            return Int(m.output.1)
        }
        return nil
    }
}
