import ClinicCore
import ExtractOutput
import QAEngine
import JSON
import Testing

@Suite struct PipelineTests {
    let rules = [
        rule(FakeAnswerer.drugRight, "R) eylea", "eylea"), rule(FakeAnswerer.acuityRight, "R) eylea", "6/9"),
        rule(FakeAnswerer.drugLeft, "L) lucentis", "lucentis"),
    ]

    @Test func allQuestionsForANoteGoInOneBatchedCall() throws {
        let fake = FakeAnswerer(rules)
        _ = try ClinicPipeline(configuration: .default, answerer: fake).analyze(text: "R) eylea 6/9\n\nL) lucentis")
        #expect(fake.calls.count == 2)
        #expect(fake.calls.map(\.questions.count) == [4, 4])
        #expect(fake.calls.map(\.context) == ["R) eylea 6/9", "L) lucentis"])
    }

    /// A model that fails on one note (a corrupt embedding row only its words reach) leaves that note to the
    /// pattern fields, with the error on it, and the other notes are answered as before.
    @Test func aNoteTheModelFailsOnKeepsItsPatternFieldsAndSaysWhy() throws {
        struct Failing: QuestionAnswering {
            let fake: FakeAnswerer
            func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
                if context.contains("eylea") { throw QAEngineError.invalidWeights(path: "/m/model.safetensors", reason: "tensor t holds NaN") }
                return try fake.answer(questions: questions, context: context, options: options)
            }
        }
        let pipeline = ClinicPipeline(configuration: .default, answerer: Failing(fake: FakeAnswerer(rules)))
        let notes = try pipeline.analyze(text: "R) eylea 6/9, IOP 14/16\n\nL) lucentis")
        #expect(notes[0].finding("drug.right") == nil)
        #expect(notes[0].finding("iop.right")?.summary == "14 mmHg")
        let failure = try #require(notes[0].diagnostics.first { $0.code == "model-failed" })
        #expect(failure.severity == .error)
        #expect(failure.message == "The model could not read this note (/m/model.safetensors: tensor t holds NaN): only the pattern fields and checks read it")
        #expect(notes[1].finding("drug.left")?.text == "lucentis")
        #expect(notes[1].diagnostics.allSatisfy { $0.code != "model-failed" })
    }

    @Test func editsRerunOnlyTheNotesTheyTouchAndResultsMoveWithTheirNote() throws {
        let fake = FakeAnswerer(rules)
        let pipeline = ClinicPipeline(configuration: .default, answerer: fake)
        let first = try pipeline.analyze(text: "R) eylea 6/9\n\nL) lucentis")
        #expect(first[1].finding("drug.left")?.range == 17..<25)
        let second = try pipeline.analyze(text: "new note\n\nR) eylea 6/9\n\nL) lucentis")
        #expect(fake.calls.count == 3)
        #expect(fake.calls.last?.context == "new note")
        #expect(second[2].finding("drug.left")?.range == 27..<35)
        #expect(second[2].note.index == 2)
        #expect(second[1].finding("acuity.right")?.range == 19..<22)
    }

    @Test func diagnosticsAndFixesMoveWithTheirNote() throws {
        let fake = FakeAnswerer([rule(FakeAnswerer.drugLeft, "vabs", "vabs")])
        let pipeline = ClinicPipeline(configuration: .default, answerer: fake)
        _ = try pipeline.analyze(text: "L) vabs")
        let moved = try pipeline.analyze(text: "hello\n\nL) vabs")
        let d = try #require(moved[1].diagnostics.first { $0.code == "check.unknown-drug" })
        #expect(d.range == 10..<14)
        #expect(d.fix?.offset == 14)
    }

    @Test func requestedNotesOnly() throws {
        let fake = FakeAnswerer(rules)
        let pipeline = ClinicPipeline(configuration: .default, answerer: fake)
        let text = "R) eylea 6/9\n\nL) lucentis"
        let notes = pipeline.notes(in: text)
        let a = try pipeline.analyze(text: text, notes: [notes[1]])
        #expect(a.count == 1)
        #expect(a[0].note == notes[1])
        // The earlier note is analysed too, for the acuity-drop check.
        #expect(fake.calls.count == 2)
    }

    @Test func cancellationIsPolledBetweenNotes() throws {
        let fake = FakeAnswerer(rules)
        let pipeline = ClinicPipeline(configuration: .default, answerer: fake)
        var polls = 0
        #expect(throws: AnalysisCancelled.self) {
            _ = try pipeline.analyze(text: "a\n\nb\n\nc") {
                polls += 1
                return polls > 1
            }
        }
        #expect(fake.calls.count == 1)
    }

    @Test func everyEnabledFieldIsPresentInOrder() throws {
        let a = try ClinicPipeline(configuration: .default, answerer: FakeAnswerer(rules)).analyze(text: "R) eylea")
        #expect(a[0].fields.map(\.id) == ["drug.right", "drug.left", "acuity.right", "acuity.left", "iop.right", "iop.left", "review"])
    }

    @Test func crlfDocumentsKeepOffsetsAndPositions() throws {
        let text = "x\r\n\r\nIOP 14/16\r\nR) eylea\r\n"
        let a = try ClinicPipeline(configuration: .default, answerer: FakeAnswerer(rules)).analyze(text: text)
        #expect(a.count == 2)
        let f = try #require(a[1].finding("iop.left"))
        #expect(f.range == 12..<14)
        let json = a[1].fieldsJSON(lineIndex: LineIndex(text))
        #expect(json["iop.left"]["range"] == ["start": ["line": 2, "character": 7], "end": ["line": 2, "character": 9]])
        #expect(a[1].finding("drug.right")?.range == 19..<24)
    }

    @Test func positionsCountUTF16AfterAstralCharacters() throws {
        let text = "🙂 IOP 14/16"
        let a = try ClinicPipeline(configuration: .default, answerer: nil).analyze(text: text)
        let json = a[0].fieldsJSON(lineIndex: LineIndex(text))
        #expect(json["iop.right"]["range"]["start"] == ["line": 0, "character": 7])
        #expect(a[0].fieldsJSON(lineIndex: LineIndex(text), encoding: .utf8)["iop.right"]["range"]["start"]["character"] == 9)
    }

    @Test func oneNotePerLineWhenConfigured() throws {
        let (c, _) = ClinicConfiguration.parse(["noteSeparator": "line"])
        let a = try ClinicPipeline(configuration: c, answerer: nil).analyze(text: "IOP 14/16\nrev 4/52")
        #expect(a.count == 2)
        #expect(a[1].finding("review")?.summary == "4 weeks")
    }
}

@Suite struct SummaryTests {
    @Test func lineAndJSONSummaries() throws {
        let a = try analyzeOne("R) eylea, IOP 14/16", rules: [rule(FakeAnswerer.drugRight, "eylea", "eylea")])
        #expect(a.summary(format: .line) == "[Summary] Right eye drug: Eylea (aflibercept); Left eye drug: none; "
            + "Right eye visual acuity: none; Left eye visual acuity: none; Right eye IOP: 14 mmHg; Left eye IOP: 16 mmHg; Review in: none")
        let json = try JSON.parse(a.summary(format: .json))
        #expect(json["drug.right"]["summary"] == "Eylea (aflibercept)")
        #expect(json["drug.right"]["normalized"]["generic"] == "aflibercept")
        #expect(json["drug.left"] == .null)
        #expect(json.objectValue?.keys.count == 7)
    }

    @Test func fieldsJSONHasEveryFieldAndTheAgreedMembers() throws {
        let a = try analyzeOne("R) eylea", rules: [rule(FakeAnswerer.drugRight, "eylea", "eylea", 0.87654)])
        let json = a.fieldsJSON(lineIndex: LineIndex("R) eylea"))
        let f = try #require(json["drug.right"].objectValue)
        #expect(f.keys == ["text", "range", "score", "normalized"])
        #expect(json["drug.right"]["score"] == .double(0.8765))
        #expect(json["drug.left"] == .null)
    }
}

/// Summaries the code action writes under a note must not change what the note says. The fake model
/// here answers from summary text when it sees it, as the real one did ("Left eye drug: aflibercept"
/// for a right-eye injection, acuities taken from the summary).
@Suite struct WrittenSummaryTests {
    let note = "R) eylea 2mg. VA R 6/9 L 6/12"
    let rules = [
        rule(FakeAnswerer.drugRight, "R) eylea", "eylea"),
        rule(FakeAnswerer.acuityRight, "VA R 6/9", "6/9"),
        rule(FakeAnswerer.acuityLeft, "L 6/12", "6/12"),
        rule(FakeAnswerer.drugLeft, "Left eye drug", "aflibercept"),
    ]

    func plain() throws -> NoteAnalysis {
        try ClinicPipeline(configuration: .default, answerer: FakeAnswerer(rules)).analyze(text: note)[0]
    }

    @Test func insertingSummariesDoesNotChangeANotesFindings() throws {
        let before = try plain()
        #expect(before.finding("drug.left") == nil)
        let text = note + "\n" + before.summary(format: .line) + "\n" + before.summary(format: .json)
        let fake = FakeAnswerer(rules)
        let after = try ClinicPipeline(configuration: .default, answerer: fake).analyze(text: text)
        #expect(after.count == 1)
        #expect(fake.calls.map(\.context) == [note], "the model reads the note without its summaries")
        #expect(after[0].fields == before.fields)
        #expect(after[0].diagnostics == before.diagnostics)
        #expect(after[0].note.range == 0..<text.unicodeScalars.count, "the note covers its summaries")
        #expect(after[0].summary(format: .json) == before.summary(format: .json), "so none is offered again")
    }

    @Test func summariesAreSkippedWhereverTheyAreInTheNote() throws {
        let before = try plain()
        let pretty = try JSON.parse(before.summary(format: .json)).serialized(pretty: true)
        let text = note + "\n" + before.summary(format: .line) + "\n" + pretty + "\nplan: continue"
        let fake = FakeAnswerer(rules)
        let after = try ClinicPipeline(configuration: .default, answerer: fake).analyze(text: text)
        #expect(fake.calls.count == 1)
        let context = fake.calls.first?.context ?? ""
        #expect(!context.contains("Summary") && !context.contains("{") && context.hasSuffix("\nplan: continue"), "\(context)")
        #expect(after[0].fields == before.fields)
    }

    @Test func writingASummaryRerunsNoModel() throws {
        let fake = FakeAnswerer(rules)
        let pipeline = ClinicPipeline(configuration: .default, answerer: fake)
        let before = try pipeline.analyze(text: note)[0]
        _ = try pipeline.analyze(text: note + "\r\n" + before.summary(format: .line))
        #expect(fake.calls.count == 1)
    }
}

/// An engine that reports offsets outside the note must not crash the pipeline.
struct OutOfRangeAnswerer: QuestionAnswering {
    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        let spans = [(5, 2), (-3, 2), (0, 10_000), (2, 2)]
        return questions.enumerated().map { i, _ in
            let (s, e) = spans[i % spans.count]
            let a = QAAnswer(text: "x", start: s, end: e, score: 0.9)
            return QAResult(best: a, nullScore: 0, answer: a)
        }
    }
}

@Suite struct EngineOffsetTests {
    @Test func offsetsOutsideTheNoteAreIgnored() throws {
        let a = try ClinicPipeline(configuration: .default, answerer: OutOfRangeAnswerer()).analyze(text: "R) eylea")
        #expect(a[0].fields.allSatisfy { $0.finding == nil })
    }
}
