import ClinicCore
import ExtractOutput
import Foundation
import JSON
import QAEngine
import Testing

/// Answers the acuity questions with the value after "VA R " / " L " and the drug questions with the
/// word after "R) " / "L) ", wherever the note has them: a stand-in model for documents of many notes.
struct LayoutAnswerer: QuestionAnswering {
    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        questions.map { q in
            let pattern: String
            switch q {
            case FakeAnswerer.acuityRight: pattern = "VA R (\\S+)"
            case FakeAnswerer.acuityLeft: pattern = "VA R \\S+ L (\\S+)"
            case FakeAnswerer.drugRight: pattern = "R\\) (\\w+)"
            case FakeAnswerer.drugLeft: pattern = "L\\) (\\w+)"
            default: return QAResult(best: nil, nullScore: 0.9, answer: nil)
            }
            guard let re = try? NSRegularExpression(pattern: pattern),
                  let m = re.firstMatch(in: context, range: NSRange(context.startIndex..., in: context)),
                  let r = Range(m.range(at: 1), in: context) else { return QAResult(best: nil, nullScore: 0.9, answer: nil) }
            let u = context.unicodeScalars
            let start = u.distance(from: u.startIndex, to: r.lowerBound)
            let answer = QAAnswer(text: String(context[r]), start: start, end: start + u.distance(from: r.lowerBound, to: r.upperBound), score: 0.95)
            return QAResult(best: answer, nullScore: 0.01, answer: answer)
        }
    }
}

@Suite struct PatientDocumentTests {
    func analyze(_ text: String, configuration: ClinicConfiguration = .default) throws -> [NoteAnalysis] {
        try ClinicPipeline(configuration: configuration, answerer: LayoutAnswerer()).analyze(text: text)
    }

    func drops(_ a: NoteAnalysis) -> [String] { a.diagnostics.filter { $0.code == "check.acuity-drop" }.map(\.message) }

    @Test func twoPatientsAreNotCompared() throws {
        let text = """
            Name: Joan Whitfield
            VA R 6/9 L 6/9

            VA R 6/9 L 6/12

            Name: Raymond Fitch
            VA R CF L 6/60
            """
        let a = try analyze(text)
        #expect(a.map { $0.patient.number } == [1, 1, 2])
        #expect(a[2].patient.header?.text == "Name: Raymond Fitch")
        #expect(drops(a[2]).isEmpty, "Fitch's first visit has nothing to compare with")
        #expect(a.allSatisfy { drops($0).isEmpty })
    }

    @Test func threePatientsAndAReturningHeader() throws {
        let text = """
            NHS 943 218 7765
            VA R 6/9 L 6/9

            MRN 4471902
            VA R 6/6 L 6/6

            DOB 22/01/1948
            VA R 6/12 L 6/12

            NHS 9432187765
            VA R 6/24 L 6/9
            """
        let a = try analyze(text)
        #expect(a.map { $0.patient.number } == [1, 2, 3, 1], "the same NHS number is the same patient")
        #expect(drops(a[3]) == ["Right eye acuity 6/24 (logMAR 0.60) is 0.42 logMAR worse than 6/9 (logMAR 0.18) in note 1"])
        #expect(a[0...2].allSatisfy { drops($0).isEmpty })
    }

    @Test func aSinglePatientFileKeepsItsTrend() throws {
        let a = try analyze("VA R 6/9 L 6/9\n\nVA R 6/9 L 6/9\n\nVA R 6/24 L 6/9")
        #expect(a.allSatisfy { $0.patient == .wholeDocument })
        #expect(drops(a[2]) == ["Right eye acuity 6/24 (logMAR 0.60) is 0.42 logMAR worse than 6/9 (logMAR 0.18) in note 2"])
    }

    @Test func notesAboveTheFirstHeaderAreNobodysAndNeverCompared() throws {
        let a = try analyze("VA R 6/6 L 6/6\n\nVA R 6/60 L 6/6\n\nName: Joan Whitfield\nVA R 6/60 L 6/60")
        #expect(a[0].patient.identity == .unknown)
        #expect(a[1].patient.identity == .unknown)
        #expect(a.allSatisfy { drops($0).isEmpty })
        #expect(a[2].patientJSON(lineIndex: LineIndex("x")) != .null)
        #expect(a[0].patientJSON(lineIndex: LineIndex("x")) == .null)
    }

    @Test func datesOrderTheVisitsAndTheDropIsAgainstTheLatestEarlierOne() throws {
        // Newest first, as an export lists them: note 1 is the latest visit, note 3 the earliest.
        let text = """
            Name: Joan Whitfield
            12/03/24 VA R 6/24 L 6/9

            2024-02-01 VA R 6/12 L 6/9

            05/01/24 VA R 6/6 L 6/24
            """
        let a = try analyze(text)
        #expect(a.map { $0.visit.date?.description } == ["2024-03-12", "2024-02-01", "2024-01-05"])
        #expect(drops(a[0]) == ["Right eye acuity 6/24 (logMAR 0.60) is 0.30 logMAR worse than 6/12 (logMAR 0.30) in note 2, on 01/02/2024"])
        #expect(drops(a[1]) == ["Right eye acuity 6/12 (logMAR 0.30) is 0.30 logMAR worse than 6/6 (logMAR 0.00) in note 3, on 05/01/2024"])
        #expect(drops(a[2]).isEmpty, "the earliest visit: left 6/24 is compared with nothing")
    }

    @Test func undatedNotesKeepDocumentOrderAfterTheDatedNoteAbove() throws {
        let a = try analyze("12/03/24 VA R 6/6 L 6/6\n\nVA R 6/12 L 6/6\n\n01/01/24 VA R 6/60 L 6/60")
        // Visit order: 01/01/24 (note 3), 12/03/24 (note 1), then the undated note 2.
        #expect(drops(a[0]).isEmpty, "6/6 is better than 6/60 on 01/01/24")
        #expect(drops(a[1]) == ["Right eye acuity 6/12 (logMAR 0.30) is 0.30 logMAR worse than 6/6 (logMAR 0.00) in note 1, on 12/03/2024"])
        #expect(drops(a[2]).isEmpty)
    }

    @Test func twoNotesOfOneDateAreOneVisitAndNotCompared() throws {
        let a = try analyze("01/02/24 VA R 6/6 L 6/6\n\n12/03/24 VA R 6/6 L 6/6\n\n12/03/24 VA R 6/60 L 6/6")
        #expect(drops(a[2]) == ["Right eye acuity 6/60 (logMAR 1.00) is 1.00 logMAR worse than 6/6 (logMAR 0.00) in note 1, on 01/02/2024"])
    }

    @Test func aConfiguredHeadingStartsAPatient() throws {
        let (config, problems) = ClinicConfiguration.parse(["patientHeader": "^Bay \\d+"])
        #expect(problems.isEmpty)
        let text = "Bay 1 Mrs Smith\nVA R 6/6 L 6/6\n\nBay 2 Mr Jones\nVA R 6/60 L 6/60"
        let a = try analyze(text, configuration: config)
        #expect(a.map { $0.patient.number } == [1, 2])
        #expect(a.allSatisfy { drops($0).isEmpty })
        let without = try analyze(text)
        #expect(drops(without[1]).count == 2, "without the heading it is one patient's file")
    }

    @Test func extractWritesThePatientInEveryFormat() throws {
        let text = "Name: Joan Whitfield\nVA R 6/9 L 6/9\n\nVA R 6/9 L 6/12"
        let pipeline = ClinicPipeline(configuration: .default, answerer: LayoutAnswerer())
        let a = try pipeline.analyze(text: text)
        let record = a[1].extractJSON(file: "f", lineIndex: LineIndex(text))
        #expect(record["patient"] == .obj(["number": 1, "header": "Name: Joan Whitfield",
                                           "range": .obj(["start": .obj(["line": 0, "character": 0]),
                                                          "end": .obj(["line": 0, "character": 20])])]))
        var csv = ExtractRenderer(format: .csv, fields: pipeline.fields)
        let rows = csv.render(file: "f", text: text, analyses: a).split(separator: "\r\n")
        #expect(rows.first?.hasSuffix(",diagnostics,patient") == true)
        #expect(rows.dropFirst().allSatisfy { $0.hasSuffix(",Name: Joan Whitfield") })
        var plain = ExtractRenderer(format: .text, fields: pipeline.fields)
        #expect(plain.render(file: "f", text: text, analyses: a).contains("  Patient 1: Name: Joan Whitfield\n"))
    }

    @Test func historyCountsInjectionsAndTheIntervalPerEye() throws {
        let text = """
            Name: Joan Whitfield
            01/02/24 VA R 6/9 L 6/6 R) eylea

            29/02/24 VA R 6/12 L 6/6 R) eylea

            Name: Raymond Fitch
            28/03/24 VA R 6/6 L 6/6 R) lucentis

            Name: Joan Whitfield
            28/03/24 VA R 6/9 L 6/6 R) vabysmo
            """
        let a = try analyze(text)
        let history = try #require(PatientHistory.of(a[3], in: a))
        #expect(history.number == 1)
        #expect(history.header == "Name: Joan Whitfield")
        let right = try #require(history.eyes.first { $0.eye == .right })
        #expect(right.injections == 3)
        #expect(right.visits.map(\.note) == [1, 2, 4])
        #expect(right.visits.map(\.date) == ["01/02/2024", "29/02/2024", "28/03/2024"])
        #expect(right.visits.last?.injection == "Vabysmo (faricimab)")
        #expect(right.lastInjection?.note == 2)
        #expect(right.daysSinceLastInjection == 28)
        let left = try #require(history.eyes.first { $0.eye == .left })
        #expect(left.injections == 0)
        #expect(left.lastInjection == nil)
        #expect(PatientHistory.interval(days: 28) == "28 days (4 weeks)")
        let trend = try #require(NoteTrend.of(a[3], in: a))
        #expect(trend.notes == [1, 2, 4], "Raymond Fitch's note is not in Joan Whitfield's trend")
    }

    @Test func anAnalysisMovedByAnEditAboveItIsTheSame() throws {
        let text = "Name: Joan Whitfield\nVA R 6/9 L 6/9\n\nVA R 6/9 L 6/12"
        let a = try analyze(text)
        let moved = try analyze("\n\n" + text)
        #expect(moved[1].isSame(as: a[1], shiftedBy: 2))
        #expect(moved[0].isSame(as: a[0], shiftedBy: 2))
        // Typing between the header and the note: the note moves, its patient's header does not.
        let typed = try analyze(text.replacingOccurrences(of: "L 6/9\n", with: "L 6/9 \n"))
        #expect(typed[1].isSame(as: a[1], shiftedBy: 1))
        #expect(!typed[1].isSame(as: a[1], shiftedBy: 0))
        let otherPatient = try analyze(text.replacingOccurrences(of: "Joan", with: "Jean"))
        #expect(!otherPatient[1].isSame(as: a[1], shiftedBy: 0))
    }

    @Test func patientsDependOnlyOnHeadersAboveAndAreLinear() throws {
        // Appending notes below changes nothing above; a long document of one patient is assigned in one pass.
        let head = "Name: Joan Whitfield\nVA R 6/9 L 6/9\n\nVA R 6/9 L 6/9"
        let before = try analyze(head)
        let after = try analyze(head + "\n\nName: Raymond Fitch\nVA R 6/60 L 6/60")
        #expect(Array(after.prefix(2)) == before)
        var many = (0..<20_000).map { i in
            NoteAnalysis(note: Note(index: i, range: i..<(i + 1), text: "x"), fields: [], diagnostics: [],
                         visit: NoteVisit(header: i % 1000 == 0 ? PatientHeader(text: "h", range: i..<(i + 1), key: "k\(i / 2000)") : nil))
        }
        Patients.assign(&many)
        #expect(many[1999].patient.number == 1 && many[2000].patient.number == 2 && many[19_999].patient.number == 10)
    }
}
