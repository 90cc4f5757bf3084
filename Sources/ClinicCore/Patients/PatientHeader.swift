/// The line or lines of a note that say whose note it is: an NHS number, a hospital number or MRN, a
/// `Name:` / `Patient:` line, a date of birth, or a heading the settings configure (`patientHeader`).
/// Offsets are scalar offsets (relative to the note until the analysis is placed in its document).
///
/// A class, so that the analysis of each note (a hundred thousand of them in a big document, several
/// copies each) carries one reference instead of the header's strings and range.
public final class PatientHeader: Sendable, Hashable, CustomStringConvertible {
    /// The header lines as typed.
    public let text: String
    public let range: Range<Int>
    /// What identifies the patient, most specific first: "nhs:9432187765", "hosp:rx448213",
    /// "mrn:4471902", "name:joan whitfield|dob:1941-07-14", "name:...", "dob:...", "heading:...".
    /// Two headers with the same key are the same patient.
    public let key: String

    public init(text: String, range: Range<Int>, key: String) {
        self.text = text
        self.range = range
        self.key = key
    }

    /// This header moved by `delta` scalars.
    func shifted(by delta: Int) -> PatientHeader {
        delta == 0 ? self : PatientHeader(text: text, range: (range.lowerBound + delta)..<(range.upperBound + delta), key: key)
    }

    public static func == (a: PatientHeader, b: PatientHeader) -> Bool {
        a === b || (a.range == b.range && a.key == b.key && a.text == b.text)
    }

    public func hash(into h: inout Hasher) {
        h.combine(range.lowerBound)
        h.combine(key)
    }

    public var description: String { "PatientHeader(\(range), \(key))" }
}

/// Reads patient headers and visit dates from a note's text. Built from the configuration once per
/// pipeline; reading is linear in the note.
public struct PatientHeaderReader: Sendable {
    /// A heading the settings configure, matched against each line.
    let configured: BoundedRegex?

    public init(configured: BoundedRegex?) {
        self.configured = configured
    }

    /// What one line says about the patient.
    struct LineIdentity {
        var nhs: String?
        var hospital: String?
        var mrn: String?
        var name: String?
        var birth: VisitDate?
        var heading: String?
        var isHeader: Bool { nhs != nil || hospital != nil || mrn != nil || name != nil || birth != nil || heading != nil }

        mutating func merge(_ o: LineIdentity) {
            nhs = nhs ?? o.nhs
            hospital = hospital ?? o.hospital
            mrn = mrn ?? o.mrn
            name = name ?? o.name
            birth = birth ?? o.birth
            heading = heading ?? o.heading
        }

        var key: String {
            if let nhs { return "nhs:\(nhs)" }
            if let hospital { return "hosp:\(hospital)" }
            if let mrn { return "mrn:\(mrn)" }
            if let name { return "name:\(name)" + (birth.map { "|dob:\($0)" } ?? "") }
            if let birth { return "dob:\(birth)" }
            return "heading:\(heading ?? "")"
        }
    }

    static let birthWords: Set<String> = ["dob", "born"]
    static let numberWords: Set<String> = ["no", "number", "num", "nr"]
    static let hospitalWords: Set<String> = ["hospital", "hosp", "unit"]
    static let nameWords: Set<String> = ["name", "patient"]
    /// Words that end a name on a `Name:` line ("Name: Joan Whitfield DOB ...").
    static let nameStops: Set<String> = ["dob", "born", "nhs", "mrn", "hospital", "hosp", "unit", "age", "date", "d"]
    /// Longest identifier read after "MRN" or "Hosp no".
    static let maxIdentifier = 24

    /// The first run of consecutive header lines in the note, nil when it has none.
    public func header(in text: NoteText, tokens: [ShorthandToken]) -> PatientHeader? {
        var run: (identity: LineIdentity, range: Range<Int>)?
        for line in Self.lines(tokens) {
            let identity = lineIdentity(line, text: text, tokens: tokens)
            if identity.isHeader {
                let lineRange = tokens[line.lowerBound].range.lowerBound..<tokens[line.upperBound - 1].range.upperBound
                if var r = run {
                    r.identity.merge(identity)
                    r.range = r.range.lowerBound..<lineRange.upperBound
                    run = r
                } else {
                    run = (identity, lineRange)
                }
            } else if run != nil {
                break
            }
        }
        guard let run else { return nil }
        return PatientHeader(text: text[run.range], range: run.range, key: run.identity.key)
    }

    /// Token index ranges of the note's non-empty lines, without their breaks.
    static func lines(_ t: [ShorthandToken]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0
        for (i, token) in t.enumerated() where token.isLineBreak {
            if i > start { out.append(start..<i) }
            start = i + 1
        }
        if start < t.count { out.append(start..<t.count) }
        return out
    }

    func lineIdentity(_ line: Range<Int>, text: NoteText, tokens t: [ShorthandToken]) -> LineIdentity {
        var id = LineIdentity()
        let lineRange = t[line.lowerBound].range.lowerBound..<t[line.upperBound - 1].range.upperBound
        var j = line.lowerBound
        while j < line.upperBound {
            guard let w = t[j].word else { j += 1; continue }
            if w == "nhs", id.nhs == nil {
                id.nhs = Self.nhsNumber(after: j + 1, line, text, t)
            } else if w == "mrn", id.mrn == nil {
                id.mrn = Self.identifier(after: j + 1, line, text, t)
            } else if Self.hospitalWords.contains(w), j + 1 < line.upperBound,
                      t[j + 1].word.map(Self.numberWords.contains) == true || t[j + 1].isSymbol("#"), id.hospital == nil {
                id.hospital = Self.identifier(after: j + 1, line, text, t)
            } else if Self.birthWords.contains(w) || Self.spellsDOB(j, line, t) || Self.spellsDateOfBirth(j, line, t), id.birth == nil {
                let from = t[j].range.upperBound
                id.birth = VisitDate.dates(in: text.scalars, from..<min(lineRange.upperBound, from + 24)).first?.date
            }
            j += 1
        }
        if let name = Self.name(line, text, t) { id.name = name }
        if let configured, Self.matches(configured, text[lineRange]) {
            id.heading = Self.words(text[lineRange])
        }
        return id
    }

    /// Ten digits after "NHS" ("NHS no 943 218 7765", "NHS: 9432187765", "NHS number 943-218-7765"),
    /// without the spaces or hyphens between their groups.
    static func nhsNumber(after start: Int, _ line: Range<Int>, _ text: NoteText, _ t: [ShorthandToken]) -> String? {
        var k = start
        while k < line.upperBound, t[k].word.map(numberWords.contains) == true || t[k].isSymbol(":") || t[k].isSymbol(".") || t[k].isSymbol("#") {
            k += 1
        }
        var digits = ""
        while k < line.upperBound, digits.count < 10 {
            if t[k].number != nil {
                let group = text[t[k].range]
                guard group.unicodeScalars.allSatisfy(VisitDate.isDigit), group.count <= 10 - digits.count else { return nil }
                digits += group
            } else if !(t[k].isSymbol("-") && !digits.isEmpty) {
                break
            }
            k += 1
        }
        return digits.count == 10 ? digits : nil
    }

    /// The identifier after "MRN" or "Hosp no": letters and digits up to a space, comma or bracket,
    /// with at least one digit, lower-cased.
    static func identifier(after start: Int, _ line: Range<Int>, _ text: NoteText, _ t: [ShorthandToken]) -> String? {
        var k = start
        while k < line.upperBound, t[k].word.map(numberWords.contains) == true || t[k].isSymbol(":") || t[k].isSymbol(".")
            || t[k].isSymbol("#") || t[k].isSymbol("-") {
            k += 1
        }
        guard k < line.upperBound else { return nil }
        let s = text.scalars
        var e = t[k].range.lowerBound
        let lineEnd = t[line.upperBound - 1].range.upperBound
        while e < lineEnd, s[e].properties.isAlphabetic || VisitDate.isDigit(s[e]) || s[e] == "-" || s[e] == "/" {
            guard e - t[k].range.lowerBound < maxIdentifier else { return nil }
            e += 1
        }
        let id = text[t[k].range.lowerBound..<e].lowercased()
        return id.unicodeScalars.contains(where: VisitDate.isDigit) ? id : nil
    }

    /// "D.O.B." at `j`.
    static func spellsDOB(_ j: Int, _ line: Range<Int>, _ t: [ShorthandToken]) -> Bool {
        j + 4 < line.upperBound && t[j].word == "d" && t[j + 1].isSymbol(".") && t[j + 2].word == "o"
            && t[j + 3].isSymbol(".") && t[j + 4].word == "b"
    }

    /// "date of birth" at `j`.
    static func spellsDateOfBirth(_ j: Int, _ line: Range<Int>, _ t: [ShorthandToken]) -> Bool {
        j + 2 < line.upperBound && t[j].word == "date" && t[j + 1].word == "of" && t[j + 2].word == "birth"
    }

    /// The name on a line that starts "Name:", "Patient:" or "Patient name:", lower-cased, its
    /// words up to the next identifier ("Name: Joan Whitfield, DOB ...": "joan whitfield").
    static func name(_ line: Range<Int>, _ text: NoteText, _ t: [ShorthandToken]) -> String? {
        var k = line.lowerBound
        var labelled = false
        while k < line.upperBound, k < line.lowerBound + 2, let w = t[k].word, nameWords.contains(w) { k += 1; labelled = true }
        guard labelled, k < line.upperBound, t[k].isSymbol(":") else { return nil }
        var words: [String] = []
        for i in (k + 1)..<line.upperBound {
            if let w = t[i].word {
                if nameStops.contains(w) { break }
                words.append(w)
            } else if t[i].number != nil {
                break
            }
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    static func matches(_ regex: BoundedRegex, _ line: String) -> Bool {
        // A heading pattern that reaches PCRE2's limits on a line is no match: the line stays a note line.
        ((try? regex.firstMatch(in: Array(line.utf8))) ?? nil) != nil
    }

    /// Lower-cased words and numbers of a line, single-spaced: the key of a configured heading.
    static func words(_ line: String) -> String {
        line.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: " ")
    }
}
