import JSON
import Testing
@testable import QAEngine

/// The Swift engine against PyTorch and transformers' QuestionAnsweringPipeline on tiny random-weight models.
@Suite struct QAParityTests {
    static let models = ["tiny-bert", "tiny-distilbert"]
    static let logitTolerance: Float = 1e-4

    struct Expected {
        var answer: QAAnswer?
        var best: QAAnswer?
        var nullScore: Float
    }

    struct Window {
        var inputIDs: [Int32]
        var tokenTypeIDs: [Int32]
        var contextOffsets: [Range<Int>]
        var startLogits: [Float]
        var endLogits: [Float]
    }

    struct Question {
        var question: String
        var windows: [Window]
        var expected: Expected
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var model: String
        var name: String
        var context: String
        var options: DecodeOptions
        var questions: [Question]
        var testDescription: String { "\(model): \(name)" }
    }

    static func answer(_ r: JSONReader) throws -> QAAnswer? {
        if r.isMissing { return nil }
        return QAAnswer(text: try r["text"].string(), start: try r["start"].int(), end: try r["end"].int(),
                        score: Float(try r["score"].double()))
    }

    static func cases() throws -> [Case] {
        try models.flatMap { model in
            try JSONReader(Fixtures.json("qa-\(model).json"))["cases"].array().map { c in
                var options = DecodeOptions()
                options.maxSequenceLength = try c["options"]["max_seq_len"].int()
                options.docStride = try c["options"]["doc_stride"].int()
                options.maxAnswerLength = try c["options"]["max_answer_len"].int()
                let questions = try c["questions"].array().map { q in
                    Question(
                        question: try q["question"].string(),
                        windows: try q["windows"].array().map { w in
                            Window(inputIDs: try w["input_ids"].ints().map(Int32.init),
                                   tokenTypeIDs: try w["token_type_ids"].ints().map(Int32.init),
                                   contextOffsets: try w["context_offsets"].ranges(),
                                   startLogits: try w["start_logits"].floats(), endLogits: try w["end_logits"].floats())
                        },
                        expected: Expected(answer: try answer(q["answer"]), best: try answer(q["best"]),
                                           nullScore: Float(try q["null_score"].double())))
                }
                return Case(model: model, name: try c["name"].string(), context: try c["context"].string(),
                            options: options, questions: questions)
            }
        }
    }

    static let loaded = models.map { name in Result(catching: { try QAModel(directory: Fixtures.path(name), threads: 1) }) }

    static func model(_ name: String) throws -> QAModel { try loaded[models.firstIndex(of: name)!].get() }

    @Test func fixturesCoverWindowsAndNullAnswers() throws {
        let all = try Self.cases()
        #expect(all.flatMap(\.questions).contains { $0.windows.count >= 3 })
        #expect(all.flatMap(\.questions).contains { $0.expected.answer == nil })
        #expect(all.flatMap(\.questions).count >= 48)
    }

    @Test(arguments: try cases())
    func encodingMatchesTokenizer(_ c: Case) throws {
        let model = try Self.model(c.model)
        let (encodings, context) = try model.encode(questions: c.questions.map(\.question), context: c.context, options: c.options)
        for (encoding, q) in zip(encodings, c.questions) {
            try #require(encoding.windows.count == q.windows.count)
            for (mine, theirs) in zip(encoding.windows, q.windows) {
                #expect(mine.inputIDs == theirs.inputIDs)
                #expect(mine.tokenTypeIDs == theirs.tokenTypeIDs)
                #expect(context[mine.contextTokens].map { $0.start..<$0.end } == theirs.contextOffsets)
            }
        }
    }

    @Test(arguments: try cases())
    func logitsMatchPyTorch(_ c: Case) throws {
        let model = try Self.model(c.model)
        let (encodings, _) = try model.encode(questions: c.questions.map(\.question), context: c.context, options: c.options)
        let windows = encodings.flatMap(\.windows)
        let full = try model.run(windows, allPositions: true)
        let pruned = try model.run(windows)
        let expected = c.questions.flatMap(\.windows)
        try #require(full.windowOffsets.count == expected.count + 1)
        var worst: Float = 0
        for (w, window) in expected.enumerated() {
            let start = Array(full.start(window: w)), end = Array(full.end(window: w))
            let prunedStart = Array(pruned.start(window: w)), prunedEnd = Array(pruned.end(window: w))
            try #require(start.count == window.startLogits.count)
            let selectable = Set(TransformerEncoder.answerPositions([windows[w]], offsets: [0], clsID: model.tokenizer.clsID))
            for i in start.indices {
                var diffs = [abs(start[i] - window.startLogits[i]), abs(end[i] - window.endLogits[i])]
                if selectable.contains(i) {
                    diffs += [abs(prunedStart[i] - window.startLogits[i]), abs(prunedEnd[i] - window.endLogits[i])]
                } else {
                    #expect(prunedStart[i].isNaN && prunedEnd[i].isNaN)
                }
                // Written so that a NaN logit makes `worst` NaN and fails the check.
                for diff in diffs where !(diff <= worst) { worst = diff }
            }
        }
        #expect(worst <= Self.logitTolerance, "largest logit difference \(worst)")
    }

    @Test(arguments: try cases())
    func answersMatchPipeline(_ c: Case) throws {
        let model = try Self.model(c.model)
        let results = try model.answer(questions: c.questions.map(\.question), context: c.context, options: c.options)
        for (result, q) in zip(results, c.questions) {
            Self.expectSame(result.answer, q.expected.answer, q.question)
            Self.expectSame(result.best, q.expected.best, q.question)
            #expect(abs(result.nullScore - q.expected.nullScore) <= 1e-5 + 1e-4 * q.expected.nullScore, "\(q.question)")
        }
    }

    static func expectSame(_ mine: QAAnswer?, _ theirs: QAAnswer?, _ question: String) {
        #expect(mine?.text == theirs?.text, "\(question)")
        #expect(mine?.start == theirs?.start && mine?.end == theirs?.end, "\(question)")
        if let mine, let theirs {
            #expect(abs(mine.score - theirs.score) <= 1e-5 + 1e-4 * theirs.score, "\(question): \(mine.score) vs \(theirs.score)")
        }
    }

    @Test func batchedQuestionsMatchOneAtATime() throws {
        let model = try Self.model("tiny-bert")
        let c = try #require(try Self.cases().first { $0.name == "long note with small windows" })
        let questions = c.questions.map(\.question)
        let together = try model.answer(questions: questions, context: c.context, options: c.options)
        let alone = try questions.map { try model.answer(questions: [$0], context: c.context, options: c.options)[0] }
        for (a, b) in zip(together, alone) {
            #expect(a.answer?.text == b.answer?.text && a.answer?.start == b.answer?.start)
            #expect(abs(a.nullScore - b.nullScore) <= 1e-6)
        }
    }

    @Test func emptyContextHasOnlyTheNullAnswer() throws {
        let results = try Self.model("tiny-bert").answer(questions: ["What drug?"], context: " \n ", options: DecodeOptions())
        #expect(results == [QAResult(best: nil, nullScore: 1, answer: nil)])
    }

    @Test func questionTooLongForTheWindowIsAnError() throws {
        var options = DecodeOptions()
        options.maxSequenceLength = 16
        let question = String(repeating: "eye ", count: 20)
        #expect(throws: QAEngineError.self) {
            try Self.model("tiny-bert").answer(questions: [question], context: String(repeating: "word ", count: 30), options: options)
        }
    }
}

@Suite struct ThreadingTests {
    @Test func threadCountDoesNotChangeResults() throws {
        let single = try QAModel(directory: Fixtures.path("tiny-bert"), threads: 1)
        let three = try QAModel(directory: Fixtures.path("tiny-bert"), threads: 3)
        let c = try #require(try QAParityTests.cases().first { $0.name == "long note with small windows" })
        let questions = c.questions.map(\.question)
        let windows = try single.encode(questions: questions, context: c.context, options: c.options).encodings.flatMap(\.windows)
        let a = try single.run(windows, allPositions: true), b = try three.run(windows, allPositions: true)
        #expect(zip(a.start + a.end, b.start + b.end).allSatisfy { abs($0 - $1) <= 1e-5 })
        let one = try single.answer(questions: questions, context: c.context, options: c.options)
        let many = try three.answer(questions: questions, context: c.context, options: c.options)
        for (x, y) in zip(one, many) {
            #expect(x.answer?.text == y.answer?.text && x.answer?.start == y.answer?.start && x.answer?.end == y.answer?.end)
            #expect(abs((x.answer?.score ?? 0) - (y.answer?.score ?? 0)) <= 1e-5 && abs(x.nullScore - y.nullScore) <= 1e-5)
        }
    }
}

@Suite struct BatchingTests {
    @Test func longDocumentsRunInSeveralPassesWithTheSameResults() throws {
        let model = try QAModel(directory: Fixtures.path("tiny-bert"), threads: 2)
        let c = try #require(try QAParityTests.cases().first { $0.name == "long note with small windows" })
        let questions = c.questions.map(\.question)
        let windows = try model.encode(questions: questions, context: c.context, options: c.options).encodings.flatMap(\.windows)
        let whole = try model.run(windows, allPositions: true)
        model.maxBatchTokens = 100
        let split = try model.run(windows, allPositions: true)
        #expect(split.windowOffsets == whole.windowOffsets)
        #expect(zip(split.start + split.end, whole.start + whole.end).allSatisfy { abs($0 - $1) <= 1e-5 })
        #expect(try model.answer(questions: questions, context: c.context, options: c.options).map(\.answer?.text)
                == c.questions.map(\.expected.answer?.text))
    }
}
