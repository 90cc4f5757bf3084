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

    /// The history over `visits`, the patient's visits up to `hovered` (`PatientVisits.upTo`): one pass over
    /// them for every eye, keeping the last `visits` rows of each (a one-patient document may have thousands).
    public static func of(_ hovered: NoteAnalysis, visits: [NoteAnalysis]) -> PatientHistory? {
        guard hovered.patient.identity != .unknown else { return nil }
        struct Tally {
            var rows: [Visit] = []
            var injections = 0
            var last: (visit: Visit, date: VisitDate?)?
        }
        let eyeList = Eye.allCases
        var tallies = [Tally](repeating: Tally(), count: eyeList.count)
        var acuity = [String?](repeating: nil, count: eyeList.count), injection = acuity
        for (k, a) in visits.enumerated() {
            for e in eyeList.indices {
                acuity[e] = nil
                injection[e] = nil
            }
            for field in a.fields {
                guard let f = field.finding, let eye = f.value.eye, let e = eyeList.firstIndex(of: eye) else { continue }
                switch f.value {
                case .acuity: acuity[e] = acuity[e] ?? f.summary
                case .drug: injection[e] = injection[e] ?? f.summary
                default: break
                }
            }
            for e in eyeList.indices where acuity[e] != nil || injection[e] != nil {
                let row = Visit(note: a.note.index + 1, date: a.visit.date?.display, acuity: acuity[e], injection: injection[e])
                tallies[e].rows.append(row)
                if tallies[e].rows.count > Self.visits { tallies[e].rows.removeFirst() }
                guard injection[e] != nil else { continue }
                tallies[e].injections += 1
                if k < visits.count - 1 { tallies[e].last = (row, a.visit.date) }
            }
        }
        var eyes: [EyeHistory] = []
        for (e, eye) in eyeList.enumerated() where !tallies[e].rows.isEmpty {
            let t = tallies[e]
            let days: Int? = {
                guard let from = t.last?.date, let to = hovered.visit.date else { return nil }
                return from.days(until: to)
            }()
            eyes.append(EyeHistory(eye: eye, visits: t.rows, injections: t.injections, lastInjection: t.last?.visit,
                                   daysSinceLastInjection: days))
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
