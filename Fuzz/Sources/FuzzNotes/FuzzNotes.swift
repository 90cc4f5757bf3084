import ClinicCore
import ExtractOutput
import JSON
import QAEngine

/// A document of notes through the splitter, the lexer and every plugin, as the server and `extract` run
/// them, with a stand-in for the model whose answers the input chooses (any span of the note, any score).
/// Input: one byte of options, eight bytes choosing the answers, then the document as UTF-8.
/// Nothing may trap, every range must lie inside the document, the notes must be ordered and disjoint,
/// and every rendering must be producible.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard size >= 9 else { return 0 }
    let options = bytes[0]
    let text = String(decoding: bytes[9...], as: UTF8.self)
    var configuration = ClinicConfiguration()
    configuration.noteSeparator = options & 1 == 0 ? .blankLine : .line
    let pipeline = ClinicPipeline(configuration: configuration,
                                  answerer: options & 2 == 0 ? ChosenAnswers(Array(bytes[1..<9])) : nil)
    let scalarCount = text.unicodeScalars.count
    guard let analyses = try? pipeline.analyze(text: text) else { fatalError("analysis threw") }

    var previousEnd = 0
    for a in analyses {
        let r = a.note.range
        guard r.lowerBound >= previousEnd, r.upperBound <= scalarCount, !r.isEmpty else {
            fatalError("note range \(r) out of order or outside the \(scalarCount)-scalar document")
        }
        previousEnd = r.upperBound
        for v in a.fields {
            if let f = v.finding, !(r.lowerBound <= f.range.lowerBound && f.range.upperBound <= r.upperBound) {
                fatalError("finding \(f.field) at \(f.range) outside its note \(r)")
            }
        }
        for d in a.diagnostics {
            guard d.range.lowerBound >= 0, d.range.upperBound <= scalarCount else {
                fatalError("diagnostic \(d.code) at \(d.range) outside the document")
            }
            if let fix = d.fix, !(0...scalarCount).contains(fix.offset) { fatalError("fix at \(fix.offset) outside the document") }
        }
        for format in SummaryFormat.allCases { _ = a.summary(format: format) }
    }
    // The last note asked for alone (as the server asks for the visible range) gives what it gave in the
    // whole document.
    if let last = analyses.last, options & 4 != 0 {
        guard let alone = try? pipeline.analyze(text: text, notes: [last.note]), alone == [last] else {
            fatalError("note analysed alone differs from the same note in the document")
        }
    }
    let index = LineIndex(text)
    for a in analyses {
        for o in [a.note.range.lowerBound, a.note.range.upperBound] {
            let p = index.position(of: o)
            guard index.offset(of: p) == o else { fatalError("offset \(o) -> \(p) -> \(index.offset(of: p))") }
        }
    }
    for format in ExtractFormat.allCases {
        var renderer = ExtractRenderer(format: format, fields: pipeline.fields)
        _ = renderer.render(file: "fuzz.clinic", text: text, analyses: analyses)
        _ = renderer.finish()
    }
    return 0
}

/// Answers each question with the span and score two of the eight choice bytes give: the first byte
/// (0: no answer) places the start in the note, the second gives the length (0 to 15 scalars) and score.
final class ChosenAnswers: QuestionAnswering {
    let choices: [UInt8]
    init(_ choices: [UInt8]) { self.choices = choices }

    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        let scalars = Array(context.unicodeScalars)
        return questions.indices.map { k in
            let place = Int(choices[(2 * k) % 8]), span = Int(choices[(2 * k + 1) % 8])
            let start = place * scalars.count / 256, end = min(scalars.count, start + span % 16)
            guard place != 0, start < end else { return QAResult(best: nil, nullScore: 0.9, answer: nil) }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<end])
            let answer = QAAnswer(text: String(text), start: start, end: end, score: Float(span) / 255)
            return QAResult(best: answer, nullScore: 1 - answer.score, answer: span >= 128 ? answer : nil)
        }
    }
}
