/// Which patient a note belongs to in its document, assigned over the document's notes in order
/// (`Patients.assign`): a note belongs to the patient of the nearest header at or above it.
public struct PatientRef: Sendable, Hashable {
    public enum Identity: Sendable, Hashable {
        /// The one patient of a document without any header (a single-patient file).
        case wholeDocument
        /// The n-th patient (1-based) of the document, in order of first header; a later header with the
        /// same key is the same patient.
        case numbered(Int32)
        /// A note above the first header of a document that has headers: its patient is not known, so it
        /// is compared with no other note.
        case unknown
    }
    public var identity: Identity
    /// The header at or above the note that names the patient (the nearest one), in document offsets.
    public var header: PatientHeader?

    public init(identity: Identity, header: PatientHeader? = nil) {
        self.identity = identity
        self.header = header
    }

    public static let wholeDocument = PatientRef(identity: .wholeDocument)

    /// Whether notes of `self` and `other` are of one patient, so trends and checks may compare them.
    public func isSamePatient(as other: PatientRef) -> Bool {
        identity != .unknown && identity == other.identity
    }

    /// 1, 2, ... for a numbered patient.
    public var number: Int? { if case .numbered(let n) = identity { return Int(n) } else { return nil } }
}

public enum Patients {
    /// Gives each analysis (in document order) its patient: one linear pass, each note's patient
    /// depending only on the headers at or above it (and on whether the document has any header).
    /// Analyses whose patient is already right are not written to, so a document without headers
    /// costs one read per note.
    public static func assign(_ analyses: inout [NoteAnalysis]) {
        guard analyses.contains(where: { $0.visit.header != nil }) else {
            for i in analyses.indices where analyses[i].patient != .wholeDocument { analyses[i].patient = .wholeDocument }
            return
        }
        var numbers: [String: Int32] = [:]
        var current = PatientRef(identity: .unknown)
        for i in analyses.indices {
            if let header = analyses[i].visit.header {
                let n = numbers[header.key] ?? Int32(clamping: numbers.count + 1)
                numbers[header.key] = n
                current = PatientRef(identity: .numbered(n), header: header)
            }
            if analyses[i].patient != current { analyses[i].patient = current }
        }
    }
}
