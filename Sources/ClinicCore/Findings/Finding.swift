public enum Severity: String, Sendable, Equatable {
    case error, warning, information, hint
}

/// An insertion a quick fix offers. Fixes only ever insert: the clinician's text is never changed.
public struct TextInsertion: Sendable, Equatable {
    public var title: String
    /// Scalar offset into the document.
    public var offset: Int
    public var text: String
    public init(title: String, offset: Int, text: String) {
        self.title = title
        self.offset = offset
        self.text = text
    }
}

/// A warning or remark raised by a plugin or a check. Ranges are Unicode scalar offsets into the document.
public struct ClinicDiagnostic: Sendable, Equatable {
    public var range: Range<Int>
    public var severity: Severity
    /// The field or check id that raised it.
    public var code: String
    public var message: String
    public var fix: TextInsertion?
    public init(range: Range<Int>, severity: Severity, code: String, message: String, fix: TextInsertion? = nil) {
        self.range = range
        self.severity = severity
        self.code = code
        self.message = message
        self.fix = fix
    }
}

/// One value a plugin found in a note.
public struct Finding: Sendable, Equatable {
    /// Field id, e.g. `drug.left`.
    public var field: String
    /// Human label of the field, e.g. "Left eye drug".
    public var label: String
    /// Unicode scalar offsets into the document.
    public var range: Range<Int>
    /// The words as typed.
    public var text: String
    /// What the words mean, typed per kind (drug, acuity, pressure, interval, text). Output reads its
    /// one JSON projection, `normalized` (Rendering/FindingValueJSON.swift).
    public var value: FindingValue
    /// One-line human rendering of the normalised value, e.g. "Eylea (aflibercept)" or "6/9 = logMAR 0.18".
    public var summary: String
    /// Short text for an inlay hint after the span, e.g. "L" or "R logMAR 0.18".
    public var hint: String
    /// Confidence in [0, 1].
    public var score: Double

    public init(field: String, label: String, range: Range<Int>, text: String, value: FindingValue,
                summary: String, hint: String, score: Double) {
        self.field = field
        self.label = label
        self.range = range
        self.text = text
        self.value = value
        self.summary = summary
        self.hint = hint
        self.score = score
    }
}

/// A note: a maximal run of non-blank lines (or one line, if so configured), with the structured
/// summaries written under it.
public struct Note: Sendable, Equatable, Hashable {
    /// 0-based position of the note in its document.
    public var index: Int
    /// Unicode scalar offsets into the document; they cover the note's summaries.
    public var range: Range<Int>
    /// The note as typed, summaries included.
    public var text: String
    /// The lines of `text` that are structured summaries (`WrittenSummary`), as scalar offsets
    /// relative to the note's start, in order.
    public var summaryLines: [Range<Int>]
    /// A later part of a note longer than the model reads (`NoteSplitter.modelPieces`): only the
    /// pattern plugins and checks read it.
    public var pastModelBudget: Bool

    public init(index: Int, range: Range<Int>, text: String, summaryLines: [Range<Int>] = [], pastModelBudget: Bool = false) {
        self.index = index
        self.range = range
        self.text = text
        self.summaryLines = summaryLines
        self.pastModelBudget = pastModelBudget
    }

    /// What the plugins and the model read: `text` with its summaries blanked out (so offsets into
    /// it are offsets into `text`) and cut after the last line that is not a summary, so a note
    /// reads the same with or without the summaries written under it.
    public var analysedText: String {
        guard !summaryLines.isEmpty else { return text }
        var scalars = Array(text.unicodeScalars)
        for line in summaryLines {
            for i in line.clamped(to: 0..<scalars.count) { scalars[i] = " " }
        }
        var end = scalars.count
        while end > 0, scalars[end - 1] == "\n" || scalars[end - 1] == "\r"
            || summaryLines.contains(where: { $0.contains(end - 1) }) {
            end -= 1
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[..<end])
        return String(out)
    }
}

/// Everything the enabled plugins and checks found in one note. `fields` lists every enabled
/// field id in registry order, with nil where the note has no answer.
public struct NoteAnalysis: Sendable, Equatable {
    public var note: Note
    public var fields: [FieldValue]
    public var diagnostics: [ClinicDiagnostic]
    /// The note's own patient header and visit date.
    public var visit: NoteVisit
    /// Whose note it is, assigned over the document (`Patients.assign`, run with the document checks).
    public var patient: PatientRef
    public init(note: Note, fields: [FieldValue], diagnostics: [ClinicDiagnostic], visit: NoteVisit = NoteVisit(),
                patient: PatientRef = .wholeDocument) {
        self.note = note
        self.fields = fields
        self.diagnostics = diagnostics
        self.visit = visit
        self.patient = patient
    }
}

public struct FieldValue: Sendable, Equatable {
    public var id: String
    public var label: String
    public var finding: Finding?
    public init(id: String, label: String, finding: Finding?) {
        self.id = id
        self.label = label
        self.finding = finding
    }
}
