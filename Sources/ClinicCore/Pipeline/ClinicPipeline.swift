import QAEngine

/// Notes -> plugins -> findings and diagnostics: what the server and the `extract` command share.
public final class ClinicPipeline: Sendable {
    public let configuration: ClinicConfiguration
    let answerer: (any QuestionAnswering)?
    let plugins: [any ClinicPlugin]
    /// Every enabled field, in registry order.
    public let fields: [FieldSpec]
    let cache: NoteCache
    let headerReader: PatientHeaderReader

    /// `answerer` nil: model-backed fields yield nothing; pattern plugins and checks still work.
    public init(configuration: ClinicConfiguration, answerer: (any QuestionAnswering)?, cacheCapacity: Int = 4096) {
        self.configuration = configuration
        self.answerer = answerer
        plugins = PluginRegistry.plugins(for: configuration)
        fields = plugins.flatMap(\.fields)
        cache = NoteCache(capacity: cacheCapacity)
        headerReader = PatientHeaderReader(configured: configuration.patientHeader)
    }

    public var fieldIDs: [String] { fields.map(\.id) }
    /// The questions each note puts to the model, in one batch, in field order.
    public var modelQuestions: [String] { fields.filter(\.isModelBacked).compactMap(\.question) }
    /// Whether any enabled field needs the model.
    public var needsModel: Bool { fields.contains(where: \.isModelBacked) }

    public func notes(in text: String) -> [Note] {
        NoteSplitter.notes(in: text, separator: configuration.noteSeparator)
    }

    public func notes(in lines: LineIndex, reusing previous: [Note], changed: Range<Int>, delta: Int) -> [Note] {
        NoteSplitter.notes(in: lines, separator: configuration.noteSeparator, reusing: previous, changed: changed, delta: delta)
    }

    /// Analyses the given notes of `text` (all notes when nil), caching per note by content so an
    /// edit re-runs only the notes it touched; polls `isCancelled` between notes and throws
    /// `AnalysisCancelled` when it returns true. Document-level checks (acuity drop against the
    /// patient's previous visit, which by date may be a note below) read every note of the document,
    /// analysing them first when not cached.
    public func analyze(text: String, notes requested: [Note]? = nil, isCancelled: () -> Bool = { false }) throws -> [NoteAnalysis] {
        let readsOthers = plugins.contains(where: \.usesOtherNotes)
        let targets = requested ?? notes(in: text)
        guard !targets.isEmpty else { return [] }
        guard readsOthers else { return try analyzeNotes(targets, isCancelled: isCancelled) }
        let all = requested == nil ? targets : notes(in: text)
        let ordered = withDocumentChecks(try analyzeNotes(all, isCancelled: isCancelled))
        return targets.compactMap { note in
            let i = Self.firstIndex(in: ordered, startingAtOrAfter: note.range.lowerBound)
            guard i < ordered.count, ordered[i].note.range.lowerBound == note.range.lowerBound else { return nil }
            return ordered[i]
        }
    }

    /// Note-level analyses of `notes` (without the checks that read other notes), each from the
    /// cache when its text was seen before; polls `isCancelled` between notes.
    public func analyzeNotes(_ notes: [Note], isCancelled: () -> Bool = { false }) throws -> [NoteAnalysis] {
        try notes.map { note in
            if isCancelled() { throw AnalysisCancelled() }
            return try analyzeNote(note)
        }
    }

    /// Note-level `analyses`, in document order, with their patients assigned (`Patients.assign`) and
    /// the checks that read other notes of the same patient added. Linear in the notes, but for the
    /// checks' own ordering of each patient's visits.
    public func withDocumentChecks(_ analyses: [NoteAnalysis]) -> [NoteAnalysis] {
        var out = analyses
        Patients.assign(&out)
        let documentPlugins = plugins.filter(\.usesOtherNotes)
        guard !documentPlugins.isEmpty else { return out }
        var touched = Set<Int>()
        for p in documentPlugins {
            for (i, d) in p.analyzeDocument(out) where out.indices.contains(i) {
                out[i].diagnostics.append(d)
                touched.insert(i)
            }
        }
        for i in touched { out[i].diagnostics.sort { $0.range.lowerBound < $1.range.lowerBound } }
        return out
    }

    /// The index of the first analysis in `ordered` (sorted by position) that starts at or after `offset`.
    public static func firstIndex(in ordered: [NoteAnalysis], startingAtOrAfter offset: Int) -> Int {
        var lo = 0, hi = ordered.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ordered[mid].note.range.lowerBound < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// One note's field values and note-level diagnostics, from the cache when its text was seen
    /// before. The plugins read the note without its summaries, so writing one changes nothing.
    public func analyzeNote(_ note: Note) throws -> NoteAnalysis {
        let content = note.analysedText
        let relative: NoteAnalysis
        let key = note.pastModelBudget ? "\u{0}" + content : content
        if let cached = cache.get(key) {
            relative = cached
        } else {
            relative = try analyzeContent(content, model: !note.pastModelBudget)
            cache.put(key, relative)
        }
        return relative.placed(as: note)
    }

    /// Runs the plugins on a note's text; offsets relative to the note.
    func analyzeContent(_ content: String, model: Bool = true) throws -> NoteAnalysis {
        let text = NoteText(content)
        let asked = fields.filter { $0.isModelBacked && $0.question != nil }
        var answers: [String: QAResult] = [:]
        var modelFailure: (any Error)?
        if let answerer, !asked.isEmpty, model {
            // Every question for the note goes to the engine in one batched call. A failure (a corrupt weight
            // row only this note's words reach) leaves the note to the pattern fields, with the error on it.
            do {
                let results = try answerer.answer(questions: asked.compactMap(\.question), context: content,
                                                  options: configuration.decode)
                for (field, result) in zip(asked, results) { answers[field.id] = result }
            } catch {
                modelFailure = error
            }
        }
        let tokens = ShorthandLexer.tokens(text.scalars)
        var findings: [Finding] = []
        var diagnostics: [ClinicDiagnostic] = []
        for plugin in plugins {
            let context = NoteContext(text: text, tokens: tokens, answers: answers, findings: findings, fields: fields)
            let output = plugin.analyze(context: context)
            let own = Set(plugin.fields.map(\.id))
            findings += output.findings.filter { own.contains($0.field) && !$0.range.isEmpty && $0.range.upperBound <= text.count }
            diagnostics += output.diagnostics
        }
        let values = fields.map { f in FieldValue(id: f.id, label: f.label, finding: findings.first { $0.field == f.id }) }
        if !model, answerer != nil, !asked.isEmpty {
            diagnostics.append(ClinicDiagnostic(
                range: 0..<min(text.count, 1), severity: .information, code: "note-length",
                message: "This part of a long note is past the first \(NoteSplitter.modelPieces * NoteSplitter.maxNoteScalars) "
                    + "characters the model reads: only the pattern fields and checks read it"))
        }
        if let modelFailure {
            diagnostics.append(ClinicDiagnostic(
                range: 0..<min(text.count, 1), severity: .error, code: "model-failed",
                message: "The model could not read this note (\(modelFailure)): only the pattern fields and checks read it"))
        }
        diagnostics.sort { $0.range.lowerBound < $1.range.lowerBound }
        return NoteAnalysis(note: Note(index: 0, range: 0..<text.count, text: content), fields: values, diagnostics: diagnostics,
                            visit: headerReader.visit(in: text, tokens: tokens))
    }
}

extension NoteAnalysis {
    /// Whether `other`, moved by `delta`, equals this analysis: `placed(as:)` and `==` without building the copy
    /// (the patient compared by who it is, not by where its header stands).
    public func isSame(as other: NoteAnalysis, shiftedBy delta: Int) -> Bool {
        func moved(_ r: Range<Int>) -> Range<Int> { (r.lowerBound + delta)..<(r.upperBound + delta) }
        guard note.text == other.note.text, note.range == moved(other.note.range), note.summaryLines == other.note.summaryLines,
              note.pastModelBudget == other.note.pastModelBudget, visit.isSame(as: other.visit, shiftedBy: delta),
              // Whose note it is; where that patient's header stands may move with an edit between them.
              patient.identity == other.patient.identity, patient.header?.key == other.patient.header?.key,
              fields.count == other.fields.count, diagnostics.count == other.diagnostics.count else { return false }
        for (a, b) in zip(fields, other.fields) {
            guard a.id == b.id, a.label == b.label else { return false }
            switch (a.finding, b.finding) {
            case (nil, nil): continue
            case (let x?, var y?):
                y.range = moved(y.range)
                guard x == y else { return false }
            default: return false
            }
        }
        for (a, b) in zip(diagnostics, other.diagnostics) {
            guard a.range == moved(b.range), a.severity == b.severity, a.code == b.code, a.message == b.message,
                  a.fix?.offset == b.fix.map({ $0.offset + delta }), a.fix?.title == b.fix?.title, a.fix?.text == b.fix?.text
            else { return false }
        }
        return true
    }

    /// This analysis (offsets relative to its note's start) moved onto `note` in its document.
    public func placed(as note: Note) -> NoteAnalysis {
        let shift = note.range.lowerBound - self.note.range.lowerBound
        if shift == 0 {
            var same = self
            same.note = note
            return same
        }
        func move(_ r: Range<Int>) -> Range<Int> { (r.lowerBound + shift)..<(r.upperBound + shift) }
        return NoteAnalysis(
            note: note,
            fields: fields.map { v in
                var v = v
                if let r = v.finding?.range { v.finding?.range = move(r) }
                return v
            },
            diagnostics: diagnostics.map { d in
                var d = d
                d.range = move(d.range)
                d.fix?.offset += shift
                return d
            },
            visit: visit.shifted(by: shift),
            patient: PatientRef(identity: patient.identity, header: patient.header?.shifted(by: shift)))
    }
}

/// Thrown by an analysis (the pipeline, or any `ClinicEngine`) when its `isCancelled` poll returned true.
public struct AnalysisCancelled: Error, Sendable {
    public init() {}
}
