/// What a note says about whom it is for and when: its patient header and its visit date. Read once
/// per note text with the rest of its analysis (and cached with it); offsets relative to the note
/// until the analysis is placed in its document.
public struct NoteVisit: Sendable, Equatable {
    public var header: PatientHeader?
    public var date: VisitDate?

    public init(header: PatientHeader? = nil, date: VisitDate? = nil) {
        self.header = header
        self.date = date
    }

    /// `self == other.shifted(by: delta)` without building the copy.
    func isSame(as other: NoteVisit, shiftedBy delta: Int) -> Bool {
        guard date == other.date else { return false }
        switch (header, other.header) {
        case (nil, nil): return true
        case let (a?, b?):
            return a.range.lowerBound == b.range.lowerBound + delta && a.range.count == b.range.count && a.key == b.key && a.text == b.text
        default: return false
        }
    }

    func shifted(by delta: Int) -> NoteVisit {
        guard delta != 0, let header else { return self }
        return NoteVisit(header: header.shifted(by: delta), date: date)
    }
}

extension PatientHeaderReader {
    /// Words that may come before a visit date at the start of a line ("Date of visit: 12/03/24",
    /// "Seen 12/03/24", "Clinic - 2024-03-12").
    static let dateLabels: Set<String> = ["date", "of", "seen", "visit", "clinic", "attended", "on", "dated", "today"]

    /// The note's header and visit date. The visit date is the date on a line that says "today"
    /// ("12/03/24 (today)", "Today 12/03/24"), else the latest date that starts a line (a dated heading
    /// or log row, "12/03/24 R) eylea"); a date of birth or a date later in a sentence is none.
    public func visit(in text: NoteText, tokens: [ShorthandToken]) -> NoteVisit {
        var visit = NoteVisit(header: header(in: text, tokens: tokens))
        var latest: VisitDate?
        for line in Self.lines(tokens) {
            let lineRange = tokens[line.lowerBound].range.lowerBound..<tokens[line.upperBound - 1].range.upperBound
            if tokens[line].contains(where: { $0.word == "today" }),
               let first = VisitDate.dates(in: text.scalars, lineRange).first {
                visit.date = first.date
                return visit
            }
            var k = line.lowerBound
            while k < line.upperBound, k < line.lowerBound + 4,
                  tokens[k].word.map(Self.dateLabels.contains) == true || tokens[k].isSymbol(":") || tokens[k].isSymbol("-") {
                k += 1
            }
            guard k < line.upperBound, tokens[k].number != nil,
                  let (date, _) = VisitDate.date(at: tokens[k].range.lowerBound, text.scalars, limit: lineRange.upperBound)
            else { continue }
            if latest.map({ $0 < date }) ?? true { latest = date }
        }
        visit.date = latest
        return visit
    }
}
