import ClinicCore
import ClinicServer
import Foundation
import JSON
import Synchronization

/// A small, deterministic engine for protocol tests: notes are runs of non-blank lines; the field
/// `drug` finds "eylea"/"lucentis", `pressure` finds "iop NN"; the check `review` warns on a bare
/// "rev" and offers to insert " 4/52".
final class FakeEngine: ClinicEngine {
    let analysedNotes = Mutex<[String]>([])
    let delayPerNote: Double

    init(delayPerNote: Double = 0) { self.delayPerNote = delayPerNote }

    func notes(in text: String) -> [Note] {
        let scalars = Array(text.unicodeScalars)
        var notes: [Note] = []
        var open: (start: Int, end: Int)?
        var i = 0
        while i < scalars.count {
            var lineEnd = i
            while lineEnd < scalars.count, scalars[lineEnd] != "\n", scalars[lineEnd] != "\r" { lineEnd += 1 }
            if scalars[i..<lineEnd].allSatisfy({ $0 == " " || $0 == "\t" }) {
                if let o = open { notes.append(note(notes.count, o.start, o.end, scalars)) }
                open = nil
            } else {
                open = (open?.start ?? i, lineEnd)
            }
            i = lineEnd
            if i < scalars.count, scalars[i] == "\r" { i += 1 }
            if i < scalars.count, scalars[i] == "\n" { i += 1 }
        }
        if let o = open { notes.append(note(notes.count, o.start, o.end, scalars)) }
        return notes
    }

    private func note(_ index: Int, _ a: Int, _ b: Int, _ s: [Unicode.Scalar]) -> Note {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: s[a..<b])
        return Note(index: index, range: a..<b, text: String(view))
    }

    func analyze(text: String, notes: [Note]?, isCancelled: () -> Bool) throws -> [NoteAnalysis] {
        var out: [NoteAnalysis] = []
        for note in notes ?? self.notes(in: text) {
            if isCancelled() { throw AnalysisCancelled() }
            if delayPerNote > 0 { Thread.sleep(forTimeInterval: delayPerNote) }
            analysedNotes.withLock { $0.append(note.text) }
            out.append(analyse(note))
        }
        return out
    }

    func analyzeNotes(_ notes: [Note], isCancelled: () -> Bool) throws -> [NoteAnalysis] {
        try analyze(text: "", notes: notes, isCancelled: isCancelled)
    }

    func withDocumentChecks(_ analyses: [NoteAnalysis]) -> [NoteAnalysis] { analyses }

    private func analyse(_ note: Note) -> NoteAnalysis {
        let lower = Array(note.text.lowercased().unicodeScalars)
        func find(_ word: String) -> Range<Int>? {
            let w = Array(word.unicodeScalars)
            guard lower.count >= w.count else { return nil }
            for i in 0...(lower.count - w.count) where Array(lower[i..<i + w.count]) == w { return i..<i + w.count }
            return nil
        }
        var drug: Finding?
        for (word, brand) in [("eylea", "Eylea (aflibercept)"), ("lucentis", "Lucentis (ranibizumab)")] {
            if let r = find(word) {
                drug = Finding(field: "drug", label: "Drug", range: shift(r, note), text: word,
                               value: .drug(DrugValue(eye: .right, match: DrugNormalizer.match(word))), summary: brand, hint: "drug", score: 0.9)
                break
            }
        }
        var pressure: Finding?
        if let r = find("iop "), let digits = digitsAfter(r.upperBound, lower) {
            let span = r.lowerBound..<digits.upperBound
            let value = Int(String(String.UnicodeScalarView(lower[digits])))!
            pressure = Finding(field: "pressure", label: "Pressure", range: shift(span, note), text: "iop \(value)",
                               // A trend measure for the hover: the value as a logMAR.
                               value: .acuity(AcuityValue(eye: .right, reading: AcuityParser.parse("\(Double(value) / 100) logMAR"))),
                               summary: "\(value) mmHg", hint: "\(value) mmHg", score: 1)
        }
        var diagnostics: [ClinicDiagnostic] = []
        if let r = find("rev"), digitsAfter(r.upperBound + 1, lower) == nil {
            let range = shift(r, note)
            diagnostics.append(ClinicDiagnostic(
                range: range, severity: .warning, code: "review", message: "Review without an interval",
                fix: TextInsertion(title: "Add interval 4/52", offset: range.upperBound, text: " 4/52")))
        }
        return NoteAnalysis(note: note, fields: [
            FieldValue(id: "drug", label: "Drug", finding: drug),
            FieldValue(id: "pressure", label: "Pressure", finding: pressure),
        ], diagnostics: diagnostics)
    }

    private func digitsAfter(_ i: Int, _ s: [Unicode.Scalar]) -> Range<Int>? {
        var j = i
        while j < s.count, ("0"..."9").contains(s[j]) { j += 1 }
        return j > i ? i..<j : nil
    }

    private func shift(_ r: Range<Int>, _ note: Note) -> Range<Int> {
        (r.lowerBound + note.range.lowerBound)..<(r.upperBound + note.range.lowerBound)
    }

    func summary(of analysis: NoteAnalysis, format: SummaryFormat) -> String {
        let parts = analysis.fields.map { "\($0.id)=\($0.finding?.summary ?? "none")" }
        switch format {
        case .line: return "[summary] " + parts.joined(separator: "; ")
        case .json: return "{\n  \"note\": \(analysis.note.index)\n}"
        }
    }
}

struct FakeModel: ModelHandle {}

/// Builds FakeEngines; a model path of "missing" is not found, "broken" fails to load.
final class FakeFactory: ClinicEngineFactory {
    let engine: FakeEngine
    let loads = Mutex(0)
    let loadDelay: Double
    init(engine: FakeEngine = FakeEngine(), loadDelay: Double = 0) {
        self.engine = engine
        self.loadDelay = loadDelay
    }

    /// Only `model` (kept as given) and `threshold` (a number) are read.
    func read(settings: JSON) -> EngineSettings {
        var configuration = ClinicConfiguration.default
        configuration.modelPath = settings["model"].stringValue
        var problems: [String] = []
        if let t = settings["threshold"].value(ifNot: \.doubleValue) { problems.append("clinic.threshold: expected number, found \(t.typeName)") }
        return EngineSettings(configuration: configuration, problems: problems)
    }

    func modelPath(explicit: String?, settings: EngineSettings, settingsFile: String?) -> String? {
        if let explicit { return explicit }
        let path = settings.configuration.modelPath ?? "good"
        return path == "missing" ? nil : path
    }

    func loadModel(at path: String, settings: EngineSettings) throws -> any ModelHandle {
        loads.withLock { $0 += 1 }
        if loadDelay > 0 { Thread.sleep(forTimeInterval: loadDelay) }
        if path == "broken" { throw SettingsError(message: "weights file is truncated") }
        return FakeModel()
    }

    func makeEngine(settings: EngineSettings, model: (any ModelHandle)?) -> any ClinicEngine {
        engine
    }
}

struct SettingsError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension JSON {
    /// self when present and `check` finds no value of the wanted type.
    func value<T>(ifNot check: (JSON) -> T?) -> JSON? {
        isNull || check(self) != nil ? nil : self
    }
}
