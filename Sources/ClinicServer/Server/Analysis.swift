import ClinicCore
import Dispatch
import JSON

/// A document version and what is known about it, as request handlers and the worker see it.
struct DocumentSnapshot: Sendable {
    var document: TextDocument
    var configuration: ResolvedConfiguration
    var generation: Int
    var cached: CachedAnalysis?
}

extension ClinicLanguageServer {
    /// Analyses the document and publishes the results once it has been left unchanged for
    /// `delayMilliseconds` (the debounce). The work itself starts after a shorter quiet gap, so the
    /// model runs while the debounce runs out instead of after it; keys typed faster than that gap
    /// start nothing, and work a newer edit supersedes is dropped.
    func scheduleAnalysis(_ uri: String, delayMilliseconds: Int) {
        let generation = state.withLock { s -> Int? in
            guard s.documents[uri] != nil else { return nil }
            s.lastGeneration += 1
            s.documents[uri]!.generation = s.lastGeneration
            return s.lastGeneration
        }
        guard let generation else { return }
        let now = DispatchTime.now()
        let publishAt = now + .milliseconds(delayMilliseconds)
        let startAt = now + .milliseconds(min(delayMilliseconds, Self.quietBeforeWorkMilliseconds))
        worker.asyncAfter(deadline: startAt) {
            self.analyseInBackground(uri, generation: generation, publishAt: publishAt)
        }
    }

    static let quietBeforeWorkMilliseconds = 25

    func snapshot(_ uri: String) -> DocumentSnapshot? {
        guard let open = state.withLock({ $0.documents[uri] }) else { return nil }
        let config = configuration(forProjectFile: open.projectFile)
        return DocumentSnapshot(document: open.document, configuration: config,
                                generation: open.generation, cached: open.analysis)
    }

    private func isCurrent(_ uri: String, _ generation: Int) -> Bool {
        state.withLock { $0.documents[uri]?.generation == generation }
    }

    private func analyseInBackground(_ uri: String, generation: Int, publishAt: DispatchTime) {
        guard isCurrent(uri, generation) else { return }
        guard let snap = messages.sync(execute: { snapshot(uri) }), snap.generation == generation else { return }
        guard let engine = snap.configuration.engine else { return }  // the model is loading; it reschedules
        let priority = state.withLock { $0.documents[uri]?.priorityRange }
        let started = ContinuousClock.now
        let analyses: [NoteAnalysis]
        do {
            let text = snap.document.text
            let cancelled = { !self.isCurrent(uri, generation) }
            // Without earlier results (just opened, or new settings) most notes need the model: the
            // range the editor last showed goes first. Otherwise only edited notes do; one pass.
            let (first, rest) = snap.cached == nil ? Self.split(engine.notes(in: text), priority: priority) : ([], [])
            if first.isEmpty || rest.isEmpty {
                analyses = try engine.analyze(text: text, notes: nil, isCancelled: cancelled)
            } else {
                analyses = try (engine.analyze(text: text, notes: first, isCancelled: cancelled)
                    + engine.analyze(text: text, notes: rest, isCancelled: cancelled))
                    .sorted { $0.note.index < $1.note.index }
            }
        } catch {
            if isCurrent(uri, generation) { logger.error("analysis failed: \(error)") }
            return
        }
        let elapsed = ContinuousClock.now - started
        let prepared = prepareResults(uri: uri, document: snap.document, analyses: analyses)
        let land: @Sendable () -> Void = {
            self.land(prepared, uri: uri, generation: generation, settings: snap.configuration.settings, analysed: elapsed)
        }
        if DispatchTime.now() < publishAt {
            worker.asyncAfter(deadline: publishAt, execute: land)
        } else {
            land()
        }
    }

    /// Results of one analysis, with the diagnostics notification already serialised for push clients.
    struct PreparedResults: Sendable {
        var document: TextDocument
        var analyses: [NoteAnalysis]
        var diagnostics: PreparedMessage?
    }

    private func prepareResults(uri: String, document: TextDocument, analyses: [NoteAnalysis]) -> PreparedResults {
        let pull = state.withLock { $0.client.pullDiagnostics }
        return PreparedResults(document: document, analyses: analyses,
                               diagnostics: pull ? nil : diagnosticsNotification(uri: uri, document: document, analyses: analyses))
    }

    /// Stores and publishes results unless the document changed since they were computed.
    private func land(_ results: PreparedResults, uri: String, generation: Int, settings: ServerSettings,
                      analysed elapsed: Duration) {
        let version = results.document.version
        let (stored, isOpen) = state.withLock { s -> (Bool, Bool) in
            guard s.documents[uri]?.generation == generation else { return (false, s.documents[uri] != nil) }
            s.documents[uri]!.analysis = CachedAnalysis(version: version, analyses: results.analyses)
            s.documents[uri]!.document.forgetEdits(through: version)
            return (true, true)
        }
        if !isOpen { diagnosticsSerializer.forget(uri: uri) }  // closed while these were prepared
        guard stored else { return }
        traceMessage("analysed \(uri) version \(version): \(results.analyses.count) notes in \(elapsed)",
                     verbose: Self.traceDetail(results.analyses))
        resultsLanded(uri: uri, results: results, settings: settings)
    }

    private func resultsLanded(uri: String, results: PreparedResults, settings: ServerSettings) {
        let client = state.withLock { $0.client }
        if client.pullDiagnostics {
            if client.diagnosticRefresh { sendRequestToClient("workspace/diagnostic/refresh") }
        } else {
            output.send(results.diagnostics
                ?? diagnosticsNotification(uri: uri, document: results.document, analyses: results.analyses))
            traceMessage("published diagnostics for version \(results.document.version)")
        }
        if client.inlayHintRefresh && settings.hintStyle != .off {
            sendRequestToClient("workspace/inlayHint/refresh")
        }
        // Requests that waited for these results (clients without refresh) are answered now.
        let version = results.document.version
        if client.pullDiagnostics && !client.diagnosticRefresh {
            messages.async { self.resultsLandedForPullClient(uri: uri, version: version) }
        } else {
            messages.async { self.retryParked(uri: uri) }
        }
    }

    func publishDiagnostics(uri: String, document: TextDocument, analyses: [NoteAnalysis]) {
        output.send(diagnosticsNotification(uri: uri, document: document, analyses: analyses))
    }

    func diagnosticsNotification(uri: String, document: TextDocument, analyses: [NoteAnalysis]) -> PreparedMessage {
        let encoding = state.withLock { $0.encoding }
        let started = ContinuousClock.now
        let message = diagnosticsSerializer.notification(uri: uri, document: document, analyses: analyses, encoding: encoding)
        traceMessage("prepared the diagnostics of version \(document.version) in \(ContinuousClock.now - started)")
        return message
    }

    static func split(_ notes: [Note], priority: Range<Int>?) -> ([Note], [Note]) {
        guard let priority else { return ([], notes) }  // nothing to put first
        var first: [Note] = [], rest: [Note] = []
        for note in notes {
            if note.range.overlaps(priority) || note.range.contains(priority.lowerBound) { first.append(note) }
            else { rest.append(note) }
        }
        return (first, rest)
    }

    static func traceDetail(_ analyses: [NoteAnalysis]) -> String {
        analyses.flatMap { a in
            a.fields.compactMap { f in f.finding.map { "note \(a.note.index) \(f.id): \"\($0.text)\" -> \($0.summary)" } }
        }.joined(separator: "\n")
    }

    /// Analyses for the notes of the current version that overlap `range` (all notes when nil), from
    /// the cache when it is current, else computed now (the engine's note cache makes that cheap for
    /// notes that did not change). nil while the engine is not ready.
    func currentAnalyses(_ snap: DocumentSnapshot, range: Range<Int>?, request: RequestID) throws -> [NoteAnalysis]? {
        func wanted(_ note: Note) -> Bool {
            guard let range else { return true }
            return note.range.overlaps(range) || note.range.contains(range.lowerBound)
                || note.range.upperBound == range.lowerBound
        }
        if let cached = snap.cached, cached.version == snap.document.version {
            return cached.analyses.filter { wanted($0.note) }
        }
        guard let engine = snap.configuration.engine else { return nil }
        let notes = engine.notes(in: snap.document.text).filter(wanted)
        do {
            return try engine.analyze(text: snap.document.text, notes: notes, isCancelled: { self.isCancelled(request) })
                .sorted { $0.note.index < $1.note.index }
        } catch where isCancelled(request) {
            throw AnalysisCancelled()
        }
    }

    /// The last analysis moved onto the current text through the edits since: findings an edit
    /// touched are left out until the next analysis (so the word being typed shows nothing rather
    /// than a guess at half a word), the rest keep their place. nil when the edits are not known.
    func mappedAnalyses(_ snap: DocumentSnapshot) -> [NoteAnalysis]? {
        guard let cached = snap.cached, let edits = snap.document.edits(since: cached.version) else { return nil }
        return cached.analyses.map { analysis in
            var moved = analysis
            for i in moved.fields.indices {
                guard let finding = moved.fields[i].finding else { continue }
                if let r = TextDocument.map(finding.range, through: edits) {
                    moved.fields[i].finding?.range = r
                } else {
                    moved.fields[i].finding = nil
                }
            }
            moved.diagnostics = analysis.diagnostics.compactMap { d in
                guard let r = TextDocument.map(d.range, through: edits) else { return nil }
                var d = d
                d.range = r
                if let fix = d.fix {
                    guard let at = TextDocument.map(fix.offset..<fix.offset, through: edits) else { return nil }
                    d.fix?.offset = at.lowerBound
                }
                return d
            }
            return moved
        }
    }
}
