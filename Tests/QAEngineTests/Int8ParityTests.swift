import Foundation
import JSON
import Testing
@testable import QAEngine

/// The int8 engine against the fp32 engine (itself within 1e-4 of PyTorch) on the tiny parity fixtures, through
/// every kernel this CPU runs. The tiny models have random weights, so their logits are spread wider than a
/// trained model's, and hidden size 32 leaves few values per quantised row: the tolerance is on the logit
/// difference relative to the largest logit of the window (observed 0.13 BERT, 0.15 DistilBERT).
@Suite struct Int8ParityTests {
    static let relativeTolerance: Float = 0.2

    static func int8Model(_ name: String, _ kernel: Int8Kernel) throws -> QAModel {
        try QAModel(directory: Fixtures.path(name), threads: 2, precision: .int8, int8Kernel: kernel)
    }

    @Test(arguments: QAParityTests.models)
    func logitsStayCloseToFP32OnEveryKernel(_ name: String) throws {
        let reference = try QAParityTests.model(name)
        let cases = try QAParityTests.cases().filter { $0.model == name }
        var first: [[Float]] = []
        for kernel in Int8Kernel.supported {
            let model = try Self.int8Model(name, kernel)
            #expect(model.precision == .int8 && model.int8Kernel == kernel)
            var worst: Float = 0, all: [[Float]] = []
            for c in cases {
                let windows = try reference.encode(questions: c.questions.map(\.question), context: c.context,
                                                   options: c.options).encodings.flatMap(\.windows)
                let exact = try reference.run(windows, allPositions: true), quantized = try model.run(windows, allPositions: true)
                all.append(quantized.start + quantized.end)
                for w in 0..<windows.count {
                    let e = Array(exact.start(window: w)) + Array(exact.end(window: w))
                    let q = Array(quantized.start(window: w)) + Array(quantized.end(window: w))
                    let scale = max(1, e.map(abs).max() ?? 1)
                    for (a, b) in zip(e, q) where !(abs(a - b) / scale <= worst) { worst = abs(a - b) / scale }
                }
            }
            #expect(worst <= Self.relativeTolerance, "\(name) \(kernel.rawValue): largest relative logit difference \(worst)")
            if first.isEmpty { first = all } else { #expect(all == first, "\(kernel.rawValue) differs from \(Int8Kernel.supported[0].rawValue)") }
        }
    }

    @Test(arguments: QAParityTests.models)
    func answersMostlyMatchFP32(_ name: String) throws {
        let reference = try QAParityTests.model(name)
        let model = try Self.int8Model(name, .best)
        var same = 0, total = 0
        for c in try QAParityTests.cases().filter({ $0.model == name }) {
            let questions = c.questions.map(\.question)
            let a = try reference.answer(questions: questions, context: c.context, options: c.options)
            let b = try model.answer(questions: questions, context: c.context, options: c.options)
            for (x, y) in zip(a, b) {
                total += 1
                if x.answer?.start == y.answer?.start && x.answer?.end == y.answer?.end { same += 1 }
            }
        }
        print("int8 parity \(name): \(same)/\(total) answers unchanged")
        #expect(total >= 48 && same * 10 >= total * 8, "\(name): \(same) of \(total) answers unchanged")
    }
}

/// The int8 engine against PyTorch's own int8 model: `quantize_dynamic` with per-channel weights on the same tiny
/// models (Fixtures/qa-*-int8.json, written by training/make_int8_fixtures.py). The two schemes differ in the
/// activations (per row here, per tensor with 7-bit fbgemm ranges there), so each is its own approximation of
/// fp32: PyTorch's is 0.24 (BERT) and 0.27 (DistilBERT) from fp32 at worst, relative to the window's largest
/// logit, and this engine's must stay within `tolerance` of it and no further from fp32 than PyTorch's is.
@Suite struct PyTorchDynamicInt8ParityTests {
    static let tolerance: Float = 0.35

    @Test(arguments: QAParityTests.models)
    func logitsStayCloseToPyTorchDynamicInt8(_ name: String) throws {
        let reference = try QAParityTests.model(name)
        let model = try Int8ParityTests.int8Model(name, .best)
        let torchCases = try JSONReader(Fixtures.json("qa-\(name)-int8.json"))["cases"].array()
        let cases = try QAParityTests.cases().filter { $0.model == name }
        try #require(torchCases.count == cases.count)
        var fromTorch: Float = 0, oursFromFP32: Float = 0, torchFromFP32: Float = 0, windows = 0
        for (c, t) in zip(cases, torchCases) {
            let torchQuestions = try t["questions"].array()
            try #require(torchQuestions.count == c.questions.count)
            for (q, tq) in zip(c.questions, torchQuestions) {
                let encoded = try reference.encode(questions: [q.question], context: c.context, options: c.options)
                    .encodings.flatMap(\.windows)
                let torchWindows = try tq["windows"].array()
                try #require(encoded.count == torchWindows.count && encoded.count == q.windows.count)
                let ours = try model.run(encoded, allPositions: true)
                for w in 0..<encoded.count {
                    let mine = Array(ours.start(window: w)) + Array(ours.end(window: w))
                    let torch = try torchWindows[w]["start_logits"].floats() + torchWindows[w]["end_logits"].floats()
                    let exact = q.windows[w].startLogits + q.windows[w].endLogits
                    try #require(mine.count == torch.count && torch.count == exact.count)
                    let scale = max(1, exact.map(abs).max() ?? 1)
                    for k in mine.indices {
                        fromTorch = max(fromTorch, abs(mine[k] - torch[k]) / scale)
                        oursFromFP32 = max(oursFromFP32, abs(mine[k] - exact[k]) / scale)
                        torchFromFP32 = max(torchFromFP32, abs(torch[k] - exact[k]) / scale)
                    }
                    windows += 1
                }
            }
        }
        print("int8 vs PyTorch dynamic int8 \(name): \(windows) windows, largest relative difference \(fromTorch); "
              + "from fp32: ours \(oursFromFP32), PyTorch's \(torchFromFP32)")
        #expect(windows >= 48)
        #expect(fromTorch <= Self.tolerance, "\(name): \(fromTorch) from PyTorch's int8 logits")
        #expect(oursFromFP32 <= torchFromFP32, "\(name): ours \(oursFromFP32) from fp32, PyTorch's int8 \(torchFromFP32)")
    }
}

/// The shipped model (MiniLM-L6, trained) on the bench notes: int8 against fp32.
@Suite struct ShippedModelInt8Tests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let questions = ["What drug was injected into the right eye?", "What drug was injected into the left eye?",
                            "What is the visual acuity of the right eye?", "What is the visual acuity of the left eye?"]

    static func notes(_ count: Int) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("bench/notes.txt"), encoding: .utf8)
        return Array(text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }.prefix(count))
    }

    @Test func int8LogitsAndAnswersFollowFP32() throws {
        let directory = Self.root.appendingPathComponent("model").path
        let fp32 = try QAModel(directory: directory, threads: 2)
        let int8 = try QAModel(directory: directory, threads: 2, precision: .int8)
        var worst: Float = 0, changed: [String] = []
        let notes = try Self.notes(16)
        try #require(notes.count == 16)
        for note in notes {
            let windows = try fp32.encode(questions: Self.questions, context: note, options: DecodeOptions()).encodings
                .flatMap(\.windows)
            let a = try fp32.run(windows), b = try int8.run(windows)
            for (x, y) in zip(a.start + a.end, b.start + b.end) where !x.isNaN && !(abs(x - y) <= worst) { worst = abs(x - y) }
            let ra = try fp32.answer(questions: Self.questions, context: note, options: DecodeOptions())
            let rb = try int8.answer(questions: Self.questions, context: note, options: DecodeOptions())
            for (x, y) in zip(ra, rb) where x.answer?.text != y.answer?.text {
                changed.append("\(x.answer?.text ?? "-") -> \(y.answer?.text ?? "-")")
            }
        }
        print("int8 shipped model: largest logit difference \(worst), changed answers \(changed)")
        #expect(worst <= 1.0, "largest logit difference \(worst)")
        #expect(changed.count <= 1, "changed answers: \(changed)")
    }
}
