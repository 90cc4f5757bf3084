import ClinicCore
import QAEngine
import Testing

/// An engine that answers each question with a first span and runners-up, all looked up in the note.
struct RankedAnswerer: QuestionAnswering {
    /// Per question: the answer's text, then the runners-up's, each with its score.
    var spans: [String: [(text: String, score: Float)]]
    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        questions.map { q in
            let found = (spans[q] ?? []).compactMap { FakeAnswerer.locate($0.text, after: $0.text, in: context, score: $0.score) }
            guard let first = found.first else { return QAResult(best: nil, nullScore: 0.9, answer: nil) }
            return QAResult(best: first, nullScore: 0.01, answer: first, alternatives: Array(found.dropFirst()))
        }
    }
}

func analyzeRanked(_ note: String, _ spans: [String: [(text: String, score: Float)]],
                   configuration: ClinicConfiguration = .default) throws -> NoteAnalysis {
    try ClinicPipeline(configuration: configuration, answerer: RankedAnswerer(spans: spans)).analyze(text: note)[0]
}

@Suite struct DrugRunnerUpTests {
    static let history = "L eye only - PCV\nTreated with PDT + Eylea 2021, then Eylea alone\nBeovu #4 given today\nPlan: rev 8/52"

    @Test func aRunnerUpReplacesAHistoryRow() throws {
        let a = try analyzeRanked(Self.history, [FakeAnswerer.drugLeft: [("Eylea", 0.6), ("Beovu", 0.2)]])
        #expect(a.finding("drug.left")?.text == "Beovu")
        #expect(a.finding("drug.right") == nil)
    }

    @Test func aRunnerUpBelowTheFloorOrSwitchedOffIsNotTaken() throws {
        let low = try analyzeRanked(Self.history, [FakeAnswerer.drugLeft: [("Eylea", 0.6), ("Beovu", 0.0005)]])
        #expect(low.finding("drug.left") == nil)
        let (off, problems) = ClinicConfiguration.parse(["plugins": ["drug": ["alternativeMinScore": 1]]])
        #expect(problems.isEmpty)
        let a = try analyzeRanked(Self.history, [FakeAnswerer.drugLeft: [("Eylea", 0.6), ("Beovu", 0.2)]], configuration: off)
        #expect(a.finding("drug.left") == nil)
    }

    @Test func aRunnerUpMustNameAnAgentOnItsOwnAndTheEye() throws {
        let note = "VA R 6/6 L 6/9\n03/24 L Eylea #3\nR) Vabysmo today\nL) macular oedema today"
        let a = try analyzeRanked(note, [FakeAnswerer.drugLeft: [("Eylea", 0.6), ("Vabysmo", 0.3), ("macular oedema", 0.2)]])
        #expect(a.finding("drug.left") == nil)
        let long = try analyzeRanked("Avasitn r) for NVD, pt anxiuos++\n03/24 R eylea\nseen today",
                                     [FakeAnswerer.drugRight: [("eylea", 0.6), ("Avasitn r) for NVD, pt anxiuos", 0.3)]])
        #expect(long.finding("drug.right") == nil)
    }

    @Test func anUnrejectedAnswerIsKeptOverItsRunnersUp() throws {
        let a = try analyzeRanked("L) Beovu today, prev Eylea", [FakeAnswerer.drugLeft: [("Beovu", 0.6), ("Eylea", 0.3)]])
        #expect(a.finding("drug.left")?.text == "Beovu")
    }

    @Test func aLogRowsDateIsNotAValueOfItsEye() throws {
        let note = "Injection record\n28/02/24 L ranibizumab #1\n27/03/24 L ranibizumab #2  <- today\nVA R 6/36 L 6/24"
        let a = try analyzeRanked(note, [FakeAnswerer.drugLeft: [("ranibizumab #2", 0.6)]])
        #expect(a.finding("drug.left")?.text == "ranibizumab #2")
    }

    @Test func aHealthyFellowEyeLeavesTheNoteAboutOneEye() throws {
        let note = "Right eye DMO, left eye normal\nRestarted anti-VEGF today with faricimab (#1)"
        let a = try analyzeRanked(note, [FakeAnswerer.drugRight: [("faricimab", 0.6)], FakeAnswerer.drugLeft: [("faricimab", 0.6)]])
        #expect(a.finding("drug.right")?.text == "faricimab")
        #expect(a.finding("drug.left") == nil)
    }
}

@Suite struct AcuityVisitTests {
    @Test func aRunnerUpReplacesAnEarlierRowsValue() throws {
        let note = "Date       Eye  Agent          VA\n09/07/24   L    Eylea 2mg      6/9\n29/10/24   L    Pavblu 2mg     6/7.5  <- today"
        let a = try analyzeRanked(note, [FakeAnswerer.acuityLeft: [("6/9", 0.5), ("6/7.5", 0.3)]])
        #expect(a.finding("acuity.left")?.text == "6/7.5")
    }

    @Test func aPatientWhoDidNotAttendHasNoAcuity() throws {
        let a = try analyzeRanked("DNA. Last seen 14/02/25: VA R 6/18 L 6/9, R) eylea #4. Rebook",
                                  [FakeAnswerer.acuityRight: [("6/18", 0.9)], FakeAnswerer.acuityLeft: [("6/9", 0.9)]])
        #expect(a.finding("acuity.right") == nil && a.finding("acuity.left") == nil)
        let back = try analyzeRanked("DNA'd appt 2/52 ago. Attends today: VA R 6/36 L 6/6",
                                     [FakeAnswerer.acuityRight: [("6/36", 0.9)], FakeAnswerer.acuityLeft: [("6/6", 0.9)]])
        #expect(back.finding("acuity.right")?.text == "6/36" && back.finding("acuity.left")?.text == "6/6")
    }

    @Test func anUnmarkedValueInAOneEyeNoteIsThatEyes() throws {
        let a = try analyzeRanked("R eye nAMD, T&E\nNo injection today, dry on OCT\nVA 6/9",
                                  [FakeAnswerer.acuityRight: [("6/9", 0.9)], FakeAnswerer.acuityLeft: [("6/9", 0.8)]])
        #expect(a.finding("acuity.right")?.text == "6/9")
        #expect(a.finding("acuity.left") == nil)
    }

    @Test(arguments: [("Eye\tVA\tIOP\nR\t0.40\t14\nL\t0.16\t15", "0.40\t14", "0.40"),
                      ("VA L CF (was HM), R 6/9", "CF (was HM", "CF")])
    func aValueStopsAtItsCell(note: String, span: String, expected: String) throws {
        let question = note.contains("R\t") ? FakeAnswerer.acuityRight : FakeAnswerer.acuityLeft
        let a = try analyzeRanked(note, [question: [(span, 0.9)]])
        #expect(a.fields.compactMap(\.finding).first?.text == expected)
    }

    @Test func theNotationNamedBeforeWasIsTodays() throws {
        let a = try analyzeRanked("Visual acuity (decimal) was 0.8 in the right eye and 0.3 in the left.",
                                  [FakeAnswerer.acuityRight: [("0.8", 0.9)]])
        #expect(a.finding("acuity.right")?.text == "0.8")
    }

    @Test func theNumberOfRunnersUpIsASetting() {
        let (config, problems) = ClinicConfiguration.parse(["decode": ["alternatives": 0]])
        #expect(problems.isEmpty && config.decode.alternatives == 0)
        let (_, bad) = ClinicConfiguration.parse(["decode": ["alternatives": 99]])
        #expect(bad.count == 1)
    }
}
