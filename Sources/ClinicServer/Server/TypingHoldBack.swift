import ClinicCore

/// While a word is being typed, what the analysis found on it is not shown: "R) eyl" on the way to
/// "R) eylea" would otherwise flash "R ?" in the hints and an unknown-drug warning, and "6/1" on the way to
/// "6/12" a logMAR of -0.78. A finding or diagnostic that touches the cursor is held back while the last
/// edit left the cursor right after a word character, until a space or punctuation is typed or the user
/// pauses for `idle`; then the server publishes again.
enum TypingHoldBack {
    static let idle: Duration = .milliseconds(500)

    /// The cursor position to hold back around, or nil when nothing is held back.
    static func point(_ document: TextDocument, _ settings: ServerSettings,
                      now: ContinuousClock.Instant = .now) -> Int? {
        guard settings.holdBackWhileTyping, let typing = document.typing, typing.midWord,
              now - typing.at < idle else { return nil }
        return typing.offset
    }

    /// When a hold-back on `document` ends, if one is in force.
    static func releaseTime(_ document: TextDocument, _ settings: ServerSettings) -> ContinuousClock.Instant? {
        guard point(document, settings) != nil, let typing = document.typing else { return nil }
        return typing.at + idle
    }

    /// `analyses` without what touches `point`: only the note(s) at the cursor change.
    static func shown(_ analyses: [NoteAnalysis], around point: Int?) -> [NoteAnalysis] {
        guard let point else { return analyses }
        var out = analyses
        for i in notes(at: point, in: analyses) {
            for k in out[i].fields.indices where out[i].fields[k].finding.map({ touches($0.range, point) }) ?? false {
                out[i].fields[k].finding = nil
            }
            out[i].diagnostics.removeAll { touches($0.range, point) }
        }
        return out
    }

    /// Whether anything in `analyses` touches `point`, so that `shown` leaves something out.
    static func holdsBack(_ analyses: [NoteAnalysis], around point: Int) -> Bool {
        notes(at: point, in: analyses).contains { i in
            analyses[i].fields.contains { $0.finding.map { touches($0.range, point) } ?? false }
                || analyses[i].diagnostics.contains { touches($0.range, point) }
        }
    }

    private static func touches(_ r: Range<Int>, _ point: Int) -> Bool { r.lowerBound <= point && point <= r.upperBound }

    /// Indices of the analyses (in document order) whose note touches `point`.
    private static func notes(at point: Int, in analyses: [NoteAnalysis]) -> [Int] {
        var i = ClinicPipeline.firstIndex(in: analyses, startingAtOrAfter: point)
        if i > 0 { i -= 1 }
        var out: [Int] = []
        while i < analyses.count, analyses[i].note.range.lowerBound <= point {
            if touches(analyses[i].note.range, point) { out.append(i) }
            i += 1
        }
        return out
    }
}
