import ClinicCore
import Foundation
import QAEngine

/// A deterministic stand-in for the model: a table from (question, a piece of the note) to the
/// answer span. The answer is looked for from where the piece starts, so "l) eylea" picks the
/// left eye's "eylea". Questions without a rule get no answer. Counts calls, to check batching.
final class FakeAnswerer: QuestionAnswering, @unchecked Sendable {
    struct Rule {
        var question: String
        var noteContains: String
        var answer: String
        var score: Float
    }

    static let drugRight = DrugPlugin.defaultQuestions[.right]!
    static let drugLeft = DrugPlugin.defaultQuestions[.left]!
    static let acuityRight = AcuityPlugin.defaultQuestions[.right]!
    static let acuityLeft = AcuityPlugin.defaultQuestions[.left]!

    let rules: [Rule]
    private let lock = NSLock()
    private var _calls: [(questions: [String], context: String)] = []

    init(_ rules: [Rule]) { self.rules = rules }

    var calls: [(questions: [String], context: String)] { lock.withLock { _calls } }

    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        lock.withLock { _calls.append((questions, context)) }
        return questions.map { q in
            guard let rule = rules.first(where: { $0.question == q && context.contains($0.noteContains) }),
                  let answer = Self.locate(rule.answer, after: rule.noteContains, in: context, score: rule.score) else {
                return QAResult(best: nil, nullScore: 0.9, answer: nil)
            }
            return QAResult(best: answer, nullScore: 0.01, answer: answer)
        }
    }

    static func locate(_ answer: String, after key: String, in context: String, score: Float) -> QAAnswer? {
        let from = context.range(of: key)?.lowerBound ?? context.startIndex
        guard let r = context.range(of: answer, range: from..<context.endIndex) ?? context.range(of: answer) else { return nil }
        let u = context.unicodeScalars
        let start = u.distance(from: u.startIndex, to: r.lowerBound)
        return QAAnswer(text: answer, start: start, end: start + u.distance(from: r.lowerBound, to: r.upperBound), score: score)
    }
}

func rule(_ question: String, _ noteContains: String, _ answer: String, _ score: Float = 0.95) -> FakeAnswerer.Rule {
    FakeAnswerer.Rule(question: question, noteContains: noteContains, answer: answer, score: score)
}

/// Runs one note through a pipeline and returns its analysis.
func analyzeOne(_ text: String, rules: [FakeAnswerer.Rule] = [], configuration: ClinicConfiguration = .default) throws -> NoteAnalysis {
    let pipeline = ClinicPipeline(configuration: configuration, answerer: FakeAnswerer(rules))
    let analyses = try pipeline.analyze(text: text)
    guard analyses.count == 1 else { throw TestFailure("expected one note, got \(analyses.count)") }
    return analyses[0]
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension NoteAnalysis {
    func finding(_ id: String) -> Finding? { fields.first { $0.id == id }?.finding }
    func codes() -> [String] { diagnostics.map(\.code) }
}
