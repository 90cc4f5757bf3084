/// Which eye a note ties a mention (a drug's words) to, the way a careful reader decides it: a marker
/// next to it in the same sentence ("R) eylea", "Avastin OD", "into her left eye"), the line's own eye
/// ("L 6/12 eylea"), a heading or table column above it ("RE" / "Right  Left"), a laterality field
/// ("Laterality: Left"), or a note that speaks of one eye only. Markers that belong to a value
/// ("VA R 6/12", "6/9 in the left eye") tie nothing but their value; markers that are no eye
/// ("Dr R Khan", "L. Jones", "Re: Mrs Smith", "then OD" for once daily) are ignored.
public enum LateralityEvidence {
    /// One eye marker in the note, with what it is next to.
    struct Marker {
        var laterality: Laterality
        /// Token indices the marker covers.
        var tokens: Range<Int>
        var line: Int
        /// Next to a value (acuity, pressure): it names that value's eye.
        var marksValue: Bool
        /// Ends in ")" or ":", so it names what follows it only.
        var pointsForward: Bool
    }

    /// The eyes `range` (scalar offsets into `text`) is tied to; empty when the note does not say.
    public static func eyes(for range: Range<Int>, in text: NoteText, tokens: [ShorthandToken]) -> Set<Eye> {
        NoteMarkers(text: text, tokens: tokens).eyes(for: range)
    }

    /// A note's markers and lines, read once for any number of questions about its spans.
    public struct NoteMarkers {
        let text: NoteText
        let tokens: [ShorthandToken]
        /// Line number of each token, and each line's token indices (its break included).
        let lines: [Int]
        let lineTokens: [Range<Int>]
        let markers: [Marker]
        let markersByLine: [Int: [Marker]]

        public init(text: NoteText, tokens: [ShorthandToken]) {
            self.text = text
            self.tokens = tokens
            lines = LateralityEvidence.lineNumbers(tokens)
            var ranges: [Range<Int>] = []
            var start = 0
            for (k, t) in tokens.enumerated() where t.isLineBreak {
                ranges.append(start..<(k + 1))
                start = k + 1
            }
            ranges.append(start..<tokens.count)
            lineTokens = ranges
            markers = LateralityEvidence.markers(tokens, text: text, lines: lines)
            markersByLine = Dictionary(grouping: markers, by: \.line)
        }

        /// The eyes `range` is tied to; empty when the note does not say.
        public func eyes(for range: Range<Int>) -> Set<Eye> {
            Set(markings(for: range).flatMap(\.eyes))
        }

        /// The eyes of the markers next to `range` in its sentence ("L) eylea", "Avastin OD"), the
        /// strongest evidence there is; empty when no marker is.
        public func markedNextTo(_ range: Range<Int>) -> Set<Eye> {
            guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return [] }
            let last = tokens.lastIndex(where: { $0.range.lowerBound < range.upperBound }) ?? first
            let tied = nearestTied(markersByLine[lines[first]] ?? [], span: first...last, tokens: tokens) ?? []
            return Set(tied.flatMap(\.eyes))
        }

        /// The markers' lateralities that tie `range` to its eyes (`[.both]` for "Eylea OU"); empty when none does.
        public func markings(for range: Range<Int>) -> Set<Laterality> {
            guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return [] }
            let last = tokens.lastIndex(where: { $0.range.lowerBound < range.upperBound }) ?? first
            let line = lines[first]
            let onLine = markersByLine[line] ?? []
            if let tied = nearestTied(onLine, span: first...last, tokens: tokens) { return tied }
            if let own = lineOwnEye(onLine, lineStart: lineTokens[line].lowerBound) { return [own] }
            if let above = headingOrColumn(above: line, span: range) { return [above] }
            if let field = lateralityField(tokens, markers: markers, lines: lines) { return [field] }
            // A note about one eye ("L eye nAMD ... Plan: eylea"); a value's marker ("VA R 6/9") says
            // whose value it is, not which eye was treated.
            return noteEye.map { [$0] } ?? []
        }

        /// The one eye a note is about ("L eye nAMD ..."): the laterality of every marker that is not a
        /// value's and not an eye said to be healthy; nil when the note names none or several.
        public var noteEye: Laterality? {
            let all = Set(markers.filter { !$0.marksValue && !saysHealthy($0) }.map(\.laterality))
            return all.count == 1 ? all.first : nil
        }

        /// "left eye normal", "R eye unaffected": the marker names the eye that is not the note's subject.
        func saysHealthy(_ m: Marker) -> Bool {
            var j = m.tokens.upperBound
            if j < tokens.count, tokens[j].word == "eye" { j += 1 }
            while j < tokens.count, tokens[j].isSymbol(":") || tokens[j].isSymbol("-") { j += 1 }
            guard j < tokens.count, lines[j] == m.line, let w = tokens[j].word else { return false }
            return LateralityEvidence.healthyWords.contains(w)
        }

        /// Whose value the span is, when the layout says so: the eye of every marker on its line
        /// ("OBX|1|ST|VA^Right||6/18||", "L 6/12"), or, on a line without markers, its heading or its
        /// column in a table ("VA   6/12   6/9" under "Right   Left"). Nil when the line names both eyes.
        public func valueEye(for range: Range<Int>) -> Eye? {
            guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return nil }
            let line = lines[first]
            let onLine = Set((markersByLine[line] ?? []).map(\.laterality))
            if onLine.isEmpty {
                guard let above = headingOrColumn(above: line, span: range), above != .both else { return nil }
                return above.eyes.first
            }
            guard onLine.count == 1, let only = onLine.first, only != .both else { return nil }
            return only.eyes.first
        }

        /// The eye of the note's one-eye subject for a value on a line the layout says nothing about (no
        /// marker on it, no heading or column above): "R eye nAMD ... VA 6/9" is the right eye's.
        public func subjectEye(for range: Range<Int>) -> Eye? {
            guard let first = tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }) else { return nil }
            let line = lines[first]
            guard (markersByLine[line] ?? []).isEmpty, headingOrColumn(above: line, span: range) == nil,
                  let only = noteEye, only != .both else { return nil }
            return only.eyes.first
        }

        /// The nearest heading above the line ("RE", "Left eye:", "OD -") or table header whose column
        /// holds the span ("        Right    Left").
        func headingOrColumn(above line: Int, span: Range<Int>) -> Laterality? {
            var l = line - 1
            while l >= 0 {
                defer { l -= 1 }
                guard let onLine = markersByLine[l], !onLine.isEmpty else { continue }
                let firstToken = lineTokens[l].lowerBound
                if let m = onLine.first, onLine.count == 1, m.tokens.lowerBound == firstToken, !m.marksValue,
                   isHeading(after: m.tokens.upperBound, line: l, tokens: tokens, lines: lines) {
                    return m.laterality
                }
                // A table's header row names the eyes over their columns; a sentence ("Right eye DMO, left eye
                // normal") is no header.
                if onLine.count >= 2, Set(onLine.map(\.laterality)).count >= 2, !onLine.contains(where: \.marksValue),
                   !tokens[lineTokens[l]].contains(where: { $0.isSymbol(",") || $0.isSymbol(";") }) {
                    return column(of: span, under: onLine, tokens: tokens, text: text)
                }
            }
            return nil
        }
    }

    // MARK: - Markers

    static let healthyWords: Set<String> = ["normal", "healthy", "unaffected", "uninvolved", "untreated", "quiet"]
    static let titles: Set<String> = ["dr", "mr", "mrs", "ms", "miss", "prof", "sister", "nurse", "master", "consultant"]
    static let dosingWords: Set<String> = ["bd", "tds", "qds", "then", "nocte", "mane", "drop", "drops", "gtt", "daily",
                                           "tablet", "tablets", "tab", "tabs", "mg", "once"]
    static let letterHeaderWords: Set<String> = ["dob", "hosp", "nhs", "mrn", "patient", "ref", "referral", "hospital"]
    static let valueWords: Set<String> = ["cf", "hm", "pl", "lp", "npl", "nlp", "counting", "hand", "perception",
                                          "letters", "ltrs", "let", "logmar", "pinhole", "ph", "phni", "iop", "prl"]
    /// Words a value and its eye may have between them ("6/9 in the right eye", "R VA 6/9").
    static let valueFiller: Set<String> = ["in", "the", "on", "of", "for", "va", "bcva", "ucva", "vision", "acuity",
                                           "is", "was", "sees", "eye", "iop", "sc", "cc", "unaided", "aided", "with",
                                           "glasses", "specs"]

    static func markers(_ tokens: [ShorthandToken], text: NoteText, lines: [Int]) -> [Marker] {
        var out: [Marker] = []
        var i = 0
        while i < tokens.count {
            guard let (lat, next) = LateralityMarker.marker(in: tokens, at: i) else { i += 1; continue }
            defer { i = next }
            if isNoEye(at: i, next: next, tokens: tokens, text: text, lines: lines) { continue }
            let pointsForward = next > i + 1 && (tokens[next - 1].isSymbol(")") || tokens[next - 1].isSymbol(":"))
            // "6/9 R" names the value before it; "6/9 R) eylea" names what follows.
            out.append(Marker(laterality: lat, tokens: i..<next, line: lines[i],
                              marksValue: isValue(after: next, tokens) || (!pointsForward && isValue(before: i, tokens)),
                              pointsForward: pointsForward))
        }
        return out
    }

    /// A marker-shaped word that names no eye: an initial after a title ("Dr R Khan"), an initial before
    /// a surname ("L. Jones"), "Re:" in a letter's header, "OD" for once daily.
    static func isNoEye(at i: Int, next: Int, tokens: [ShorthandToken], text: NoteText, lines: [Int]) -> Bool {
        guard let w = tokens[i].word else { return false }
        let previous = i > 0 && lines[i - 1] == lines[i] ? tokens[i - 1].word : nil
        if w.count == 1 {
            if let previous, titles.contains(previous) { return true }
            // "L. Jones" signing a letter, not "Ozurdex L. Discussed ..." or "R. Eylea".
            let startsName = previous == nil || previous.map(titles.contains) == true
            if startsName, i + 2 < tokens.count, tokens[i + 1].isSymbol("."), lines[i + 2] == lines[i],
               let name = tokens[i + 2].word, name.count > 1, isCapitalised(tokens[i + 2], text),
               DrugLexicon.byKey[name] == nil, !NotInjectedLexicon.clinicWords.contains(name) { return true }
        }
        if w == "re" {
            let typed = text[tokens[i].range]
            if typed == "Re" { return true }
            var k = i
            while k > 0, lines[k - 1] == lines[i] { k -= 1 }
            while k < tokens.count, lines[k] == lines[i] {
                if tokens[k].word.map(letterHeaderWords.contains) ?? false { return true }
                k += 1
            }
            if next < tokens.count, lines[next] == lines[i], let after = tokens[next].word, titles.contains(after) { return true }
        }
        // "both unchanged", "nocte both": only "both eyes" names the eyes.
        if w == "both" {
            guard next < tokens.count, let after = tokens[next].word, ["eye", "eyes", "sides"].contains(after) else { return true }
        }
        if w == "od" {
            let from = max(0, i - 3)
            if tokens[from..<i].contains(where: { $0.word.map(dosingWords.contains) ?? false }) { return true }
        }
        return false
    }

    static func isCapitalised(_ token: ShorthandToken, _ text: NoteText) -> Bool {
        guard token.range.lowerBound < text.count else { return false }
        return text.scalars[token.range.lowerBound].properties.isUppercase
    }

    /// Whether a value (a number or an acuity word) follows token `i`, skipping labels and punctuation.
    static func isValue(after i: Int, _ tokens: [ShorthandToken]) -> Bool {
        var j = i
        var skipped = 0
        while j < tokens.count, skipped < 4 {
            let t = tokens[j]
            if t.isLineBreak { return false }
            if t.number != nil { return true }
            if let w = t.word {
                if valueWords.contains(w) { return true }
                guard valueFiller.contains(w) else { return false }
            } else if !(t.isSymbol(":") || t.isSymbol("-") || t.isSymbol("=") || t.isSymbol("(")) {
                return false
            }
            j += 1
            skipped += 1
        }
        return false
    }

    /// Whether a value ends just before token `i` ("6/9 R", "6/12 in the right eye", "CF OD").
    static func isValue(before i: Int, _ tokens: [ShorthandToken]) -> Bool {
        var j = i - 1
        var skipped = 0
        while j >= 0, skipped < 4 {
            let t = tokens[j]
            if t.isLineBreak { return false }
            // "27/03/24 L ranibizumab": a date before the marker is the row's, not a value of that eye.
            if t.number != nil { return !(j >= 4 && VisitCues.startsDate(j - 4, tokens)) }
            if let w = t.word {
                if valueWords.contains(w) { return true }
                guard ["in", "the", "on", "for", "of"].contains(w) else { return false }
            } else if !(t.isSymbol("(") || t.isSymbol("-")) {
                return false
            }
            j -= 1
            skipped += 1
        }
        return false
    }

    // MARK: - Rules

    /// The nearest markers in the same sentence that are not a value's (ties keep every one).
    static func nearestTied(_ onLine: [Marker], span: ClosedRange<Int>, tokens: [ShorthandToken]) -> Set<Laterality>? {
        var best: (distance: Int, eyes: Set<Laterality>)?
        for m in onLine where !m.marksValue {
            let distance: Int?
            if m.tokens.upperBound <= span.lowerBound {
                distance = gap(from: m.tokens.upperBound, to: span.lowerBound, tokens)
            } else if m.tokens.lowerBound > span.upperBound {
                // "R)" names what follows; it names a drug before it ("Iluvien R) inserted") only at a distance.
                distance = gap(from: span.upperBound + 1, to: m.tokens.lowerBound, tokens).map { m.pointsForward ? $0 + 2 : $0 }
            } else {
                distance = nil
            }
            guard let distance else { continue }
            if best == nil || distance < best!.distance {
                best = (distance, [m.laterality])
            } else if distance == best!.distance {
                best!.eyes.insert(m.laterality)
            }
        }
        return best?.eyes
    }

    /// Words and numbers between two token positions; nil when a sentence ends between them.
    static func gap(from lo: Int, to hi: Int, _ tokens: [ShorthandToken]) -> Int? {
        guard lo < hi else { return 0 }
        var n = 0
        for k in lo..<hi {
            let t = tokens[k]
            if t.isLineBreak || t.isSymbol(";") || t.isSymbol("!") || t.isSymbol("?") { return nil }
            if t.isSymbol("."), k + 1 < tokens.count, tokens[k + 1].range.lowerBound > t.range.upperBound { return nil }
            if t.word != nil || t.number != nil { n += 1 }
        }
        return n
    }

    /// A line about one eye: it starts with that eye's marker and names no other ("L 6/12 eylea").
    static func lineOwnEye(_ onLine: [Marker], lineStart: Int) -> Laterality? {
        guard let first = onLine.first, first.tokens.lowerBound == lineStart else { return nil }
        return onLine.allSatisfy({ $0.laterality == first.laterality }) ? first.laterality : nil
    }

    /// Whether what follows a line-initial marker makes it a heading: nothing, or only "eye" and ":"/"-".
    static func isHeading(after i: Int, line: Int, tokens: [ShorthandToken], lines: [Int]) -> Bool {
        var j = i
        while j < tokens.count, lines[j] == line, !tokens[j].isLineBreak {
            let t = tokens[j]
            if t.word == "eye" || t.isSymbol(":") || t.isSymbol("-") || t.isSymbol(")") { j += 1; continue }
            return tokens[i - 1].isSymbol(":") && t.word != nil
        }
        return true
    }

    /// The header marker whose column holds the span: by cell for "|" and tab tables, else by character column.
    static func column(of span: Range<Int>, under header: [Marker], tokens: [ShorthandToken], text: NoteText) -> Laterality? {
        func lineStart(_ offset: Int) -> Int { text.lineRange(containing: offset).lowerBound }
        func cell(_ offset: Int) -> (index: Int, column: Int) {
            let start = lineStart(offset)
            var cells = 0, column = 0
            for k in start..<min(offset, text.count) {
                let c = text.scalars[k]
                if c == "|" || c == "\t" { cells += 1 }
                column += c == "\t" ? 8 - column % 8 : 1
            }
            return (cells, column)
        }
        let target = cell(span.lowerBound)
        let separated = target.index > 0
        var best: (Int, Laterality)?
        for m in header {
            let at = cell(tokens[m.tokens.lowerBound].range.lowerBound)
            let d = separated ? abs(at.index - target.index) * 1000 + abs(at.column - target.column)
                              : abs(at.column - target.column)
            if best == nil || d < best!.0 { best = (d, m.laterality) }
        }
        return best?.1
    }

    static let fieldNames: Set<String> = ["laterality", "eye", "eyes", "side", "site", "treated", "study", "operative"]

    /// The eye a form's laterality field names ("Laterality: Left", "Eye: RIGHT"), when the note has one such eye.
    static func lateralityField(_ tokens: [ShorthandToken], markers: [Marker], lines: [Int]) -> Laterality? {
        var found: Set<Laterality> = []
        for m in markers {
            var j = m.tokens.lowerBound - 1
            if j >= 0, tokens[j].isSymbol(":") || tokens[j].isSymbol("=") || tokens[j].isSymbol("|") { j -= 1 } else { continue }
            if j >= 0, lines[j] == m.line, let w = tokens[j].word, fieldNames.contains(w) { found.insert(m.laterality) }
        }
        return found.count == 1 ? found.first : nil
    }

    // MARK: - Lines

    static func lineNumbers(_ tokens: [ShorthandToken]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(tokens.count)
        var line = 0
        for t in tokens {
            out.append(line)
            if t.isLineBreak { line += 1 }
        }
        return out
    }

}
