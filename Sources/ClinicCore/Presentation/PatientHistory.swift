/// The hover's patient panel: whose note it is (the header line) and, for each eye, the acuities and
/// injections at the patient's visits up to the hovered note, with the injection count and the interval
/// since the last injection. Plain values; the server renders them.
public struct PatientHistory: Sendable, Equatable {
    public struct Visit: Sendable, Equatable {
        /// 1-based note number.
        public var note: Int
        /// "12/03/2024", when the note gives its visit date.
        public var date: String?
        public var acuity: String?
        public var injection: String?
        public init(note: Int, date: String?, acuity: String?, injection: String?) {
            self.note = note
            self.date = date
            self.acuity = acuity
            self.injection = injection
        }
    }
    public struct EyeHistory: Sendable, Equatable {
        public var eye: Eye
        /// The latest visits that recorded this eye's acuity or an injection into it (at most `PatientHistory.visits`).
        public var visits: [Visit]
        /// Injections into this eye at the patient's visits up to the hovered one, the hovered one included.
        public var injections: Int
        /// The last injection before the hovered visit: its note and date.
        public var lastInjection: Visit?
        /// Days from the last injection to the hovered visit, when both give their dates.
        public var daysSinceLastInjection: Int?
        public init(eye: Eye, visits: [Visit], injections: Int, lastInjection: Visit?, daysSinceLastInjection: Int?) {
            self.eye = eye
            self.visits = visits
            self.injections = injections
            self.lastInjection = lastInjection
            self.daysSinceLastInjection = daysSinceLastInjection
        }
    }
    /// 1-based, for a patient named by a header; nil for the one patient of a document without headers.
    public var number: Int?
    /// The header line(s) as typed.
    public var header: String?
    public var eyes: [EyeHistory]

    public init(number: Int?, header: String?, eyes: [EyeHistory]) {
        self.number = number
        self.header = header
        self.eyes = eyes
    }

    /// Visit rows shown per eye at most.
    public static let visits = 8

    public static func of(_ hovered: NoteAnalysis, in analyses: [NoteAnalysis]) -> PatientHistory? {
        of(hovered, visits: PatientVisits.upTo(hovered, in: analyses))
    }

    /// The history over `visits`, the patient's visits up to `hovered` (`PatientVisits.upTo`).
    public static func of(_ hovered: NoteAnalysis, visits: [NoteAnalysis]) -> PatientHistory? {
        guard hovered.patient.identity != .unknown else { return nil }
        var eyes: [EyeHistory] = []
        for eye in Eye.allCases {
            var rows: [Visit] = []
            var injections = 0
            var last: (visit: Visit, date: VisitDate?)?
            for (k, a) in visits.enumerated() {
                var acuity: String?, injection: String?
                for case let f? in a.fields.map(\.finding) where f.value.eye == eye {
                    switch f.value {
                    case .acuity: acuity = acuity ?? f.summary
                    case .drug: injection = injection ?? f.summary
                    default: break
                    }
                }
                guard acuity != nil || injection != nil else { continue }
                let row = Visit(note: a.note.index + 1, date: a.visit.date?.display, acuity: acuity, injection: injection)
                rows.append(row)
                guard injection != nil else { continue }
                injections += 1
                if k < visits.count - 1 { last = (row, a.visit.date) }
            }
            guard !rows.isEmpty else { continue }
            let days: Int? = {
                guard let from = last?.date, let to = hovered.visit.date else { return nil }
                return from.days(until: to)
            }()
            eyes.append(EyeHistory(eye: eye, visits: Array(rows.suffix(Self.visits)), injections: injections,
                                   lastInjection: last?.visit, daysSinceLastInjection: days))
        }
        guard !eyes.isEmpty || hovered.patient.header != nil else { return nil }
        return PatientHistory(number: hovered.patient.number, header: hovered.patient.header?.text, eyes: eyes)
    }

    /// "28 days (4 weeks)", "3 days".
    public static func interval(days: Int) -> String {
        let plural = days == 1 || days == -1 ? "day" : "days"
        guard days >= 7, days % 7 == 0 else { return "\(days) \(plural)" }
        let weeks = days / 7
        return "\(days) days (\(weeks) week\(weeks == 1 ? "" : "s"))"
    }
}
