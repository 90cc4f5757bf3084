/// The hover's trend: for each field with a comparable measure (an acuity's logMAR), its values at the
/// patient's visits up to the hovered note, in visit order. Plain values; the server renders them.
public struct NoteTrend: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// 1-based note number.
        public var note: Int
        public var value: Double
        public var summary: String
    }
    public struct Row: Sendable, Equatable {
        public var label: String
        public var points: [Point]
    }
    /// The notes compared (1-based, in visit order).
    public var notes: [Int]
    public var rows: [Row]

    /// Visits shown at most.
    public static let visits = 8

    /// The trend up to `hovered` over the notes of its patient among `analyses` (document order, patients
    /// assigned); nil when no field has a measure there.
    public static func of(_ hovered: NoteAnalysis, in analyses: [NoteAnalysis]) -> NoteTrend? {
        of(hovered, visits: PatientVisits.upTo(hovered, in: analyses))
    }

    /// The trend over `visits`, the patient's visits up to `hovered` (`PatientVisits.upTo`).
    public static func of(_ hovered: NoteAnalysis, visits patientVisits: [NoteAnalysis]) -> NoteTrend? {
        let window = patientVisits.suffix(visits)
        var rows: [Row] = []
        for (column, field) in hovered.fields.enumerated() {
            var points: [Point] = []
            for a in window where column < a.fields.count && a.fields[column].id == field.id {
                guard let f = a.fields[column].finding, let v = f.value.trendMeasure else { continue }
                points.append(Point(note: a.note.index + 1, value: v, summary: f.summary))
            }
            if !points.isEmpty { rows.append(Row(label: field.label, points: points)) }
        }
        return rows.isEmpty ? nil : NoteTrend(notes: window.map { $0.note.index + 1 }, rows: rows)
    }
}

extension FindingValue {
    /// The measure a trend compares across visits: an acuity's logMAR (higher is worse).
    public var trendMeasure: Double? { acuity?.logMAR }
}

/// The notes of one patient, in visit order.
public enum PatientVisits {
    /// The visits of `hovered`'s patient among `analyses` up to and including `hovered` (the hovered note
    /// alone when its patient is not known, or it is not among them). One pass over `analyses`: work it
    /// out once per hover for both `PatientHistory` and `NoteTrend`.
    public static func upTo(_ hovered: NoteAnalysis, in analyses: [NoteAnalysis]) -> [NoteAnalysis] {
        let who = hovered.patient
        let timelines = VisitOrder.timelines(analyses) { $0.patient.isSamePatient(as: who) }
        guard let visits = timelines[who.identity],
              let at = visits.firstIndex(where: { analyses[$0.position].note.range == hovered.note.range }) else { return [hovered] }
        return visits[...at].map { analyses[$0.position] }
    }
}
