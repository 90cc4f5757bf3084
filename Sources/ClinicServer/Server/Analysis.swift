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
            s.documents.lastGeneration += 1
            s.documents[uri]!.generation = s.documents.lastGeneration
            return s.documents.lastGeneration
        }
        guard let generation else { return }
        let now = DispatchTime.now()
        let publishAt = now + .milliseconds(delayMilliseconds)
        let startAt = now + .milliseconds(min(delayMilliseconds, Self.quietBeforeWorkMilliseconds))
        worker.asyncAfter(deadline: startAt) {
            self.startJob(uri, generation: generation, publishAt: publishAt)
        }
    }

    static let quietBeforeWorkMilliseconds = 25

    func snapshot(_ uri: String) -> DocumentSnapshot? {
        snapshotWithSession(uri)?.0
    }

    func isCurrent(_ uri: String, _ generation: Int) -> Bool {
        state.withLock { $0.documents[uri]?.generation == generation }
    }

    /// Longest stretch of one document's notes before the worker turns to another document's.
    static let sliceMilliseconds = 50
    /// How often a long analysis publishes what it has so far.
    static let partialLandMilliseconds = 3000
    /// Jobs with more notes than this to analyse (a 130 KB note or more) report `$/progress`.
    static let progressMinimumNotes = 16

    /// Sets up the job for `generation` on the worker: the notes of the version, with the results of
    /// notes whose text the last analysis saw already in place, the rest queued the part the user
    /// looks at (the range hints were last asked for, else the edited notes, else the top) first.
    private func startJob(_ uri: String, generation: Int, publishAt: DispatchTime) {
        guard isCurrent(uri, generation) else { return }
        guard let snap = messages.sync(execute: { snapshot(uri) }), snap.generation == generation else { return }
        guard let engine = snap.configuration.engine else { return }  // the model is loading; it reschedules
        let visible = state.withLock { $0.documents[uri]?.priorityRange }
        let (previous, epoch, asked, split) = jobs.withLock { b -> ([NoteAnalysis], Int, Range<Int>?, SplitNotes?) in
            if let old = b.jobs[uri], old.epoch == b.epoch { b.noteResults[uri] = old.results.compactMap { $0 } }
            return (b.noteResults[uri] ?? [], b.epoch, b.wanted.removeValue(forKey: uri), b.splitNotes[uri])
        }
        let notes = Self.notes(of: snap.document, engine: engine, from: split?.epoch == epoch ? split : nil)
        jobs.withLock { $0.splitNotes[uri] = SplitNotes(version: snap.document.version, textIdentity: snap.document.textIdentity,
                                                          epoch: epoch, notes: notes) }
        func key(_ note: Note) -> String { note.pastModelBudget ? "\u{0}" + note.text : note.text }
        var lookup = AlignedLookup(keys: previous.map { key($0.note) })
        var results: [NoteAnalysis?] = []
        results.reserveCapacity(notes.count)
        var todo: [Int] = []
        for note in notes {
            if let k = lookup.find(key(note)) { results.append(previous[k].placed(as: note)) } else {
                results.append(nil)
                todo.append(note.index)
            }
        }
        // The notes the edits since the last results touched come first (while the first analysis of a
        // document is still running, they are not all that needs work), then those in the visible range.
        let edited = snap.cached.flatMap { snap.document.edits(since: $0.version) }.map(TextDocument.editedRanges) ?? []
        let touched = edited.isEmpty ? [] : todo.filter { i in edited.contains { AnalysisJob.overlaps(notes[i].range, $0) } }
        let touchedSet = Set(touched)
        let focus = touched + (visible.map { v in todo.filter { !touchedSet.contains($0) && AnalysisJob.overlaps(notes[$0].range, v) } } ?? [])
        let firstPart = focus.isEmpty ? Array(todo.prefix(Self.firstPartWithoutRange)) : focus
        let firstSet = Set(firstPart)
        let anchor = visible?.lowerBound ?? 0
        let rest = todo.filter { !firstSet.contains($0) }
            .sorted { abs(notes[$0].range.lowerBound - anchor) < abs(notes[$1].range.lowerBound - anchor) }
        var job = AnalysisJob(uri: uri, generation: generation, document: snap.document, settings: snap.configuration.settings,
                              engine: engine, notes: notes, results: results, pending: (firstPart + rest).reversed(),
                              firstPartLeft: firstPart.count, publishAt: publishAt, started: .now, epoch: epoch)
        if let asked { job.prioritise(asked) }
        let wantsProgress = todo.count > Self.progressMinimumNotes && state.withLock { $0.session.client.workDoneProgress }
        let (superseded, start) = jobs.withLock { b -> (AnalysisJob?, Bool) in
            let old = b.jobs[uri]
            b.jobs[uri] = job
            if !b.turn.contains(uri) { b.turn.append(uri) }
            defer { b.pumping = true }
            return (old, !b.pumping)
        }
        if let superseded { endProgress(superseded, message: "superseded by an edit") }
        if job.isDone {
            landJob(uri, generation: generation)
        } else if wantsProgress {
            createProgress(uri: uri, generation: generation)
        }
        if start { worker.async { self.pump() } }
    }

    /// The document's notes: split again only around the edits since `split`'s version when they are known.
    static func notes(of document: TextDocument, engine: any ClinicEngine, from split: SplitNotes?) -> [Note] {
        guard let split, split.textIdentity == document.textIdentity, let edits = document.edits(since: split.version) else {
            return engine.notes(in: document.text)
        }
        let spans = TextDocument.editedRanges(edits)
        guard let low = spans.map(\.lowerBound).min(), let high = spans.map(\.upperBound).max() else { return split.notes }
        let delta = edits.reduce(0) { $0 + $1.inserted - $1.removed }
        return engine.notes(in: document.lines, reusing: split.notes, changed: low..<high, delta: delta)
    }

    /// Notes analysed before the first results are shown when the client gave no visible range.
    static let firstPartWithoutRange = 64

    /// Gives the next document a slice of work, lands what is due, and queues itself again while
    /// work remains (other work on the worker, such as another document's job starting, runs between).
    func pump() {
        guard let uri = jobs.withLock({ b -> String? in
            let next = b.nextURI()
            if next == nil { b.pumping = false }
            return next
        }) else { return }
        let sliceEnd = ContinuousClock.now + .milliseconds(Self.sliceMilliseconds)
        while true {
            // Only what this note needs leaves the lock: a copy of the job would make every update
            // below copy its arrays (quadratic in the notes of the document).
            guard let (engine, note, generation) = jobs.withLock({ b -> ((any ClinicEngine), Note, Int)? in
                guard let job = b.jobs[uri], let i = job.pending.last else { return nil }
                return (job.engine, job.notes[i], job.generation)
            }), isCurrent(uri, generation) else { break }
            let result: NoteAnalysis?
            do {
                result = try engine.analyzeNotes([note], isCancelled: { !self.isCurrent(uri, generation) }).first
            } catch {
                if !(error is AnalysisCancelled) { logger.error("analysis failed: \(error)") }
                _ = jobs.withLock { $0.remove(uri) }
                break
            }
            let (landNow, done) = jobs.withLock { b -> (Bool, Bool) in
                guard b.jobs[uri]?.generation == generation, b.jobs[uri]?.pending.last == note.index else { return (false, true) }
                b.jobs[uri]!.pending.removeLast()
                b.jobs[uri]!.results[note.index] = result
                b.jobs[uri]!.landedSince = false
                if b.jobs[uri]!.firstPartLeft > 0 { b.jobs[uri]!.firstPartLeft -= 1 }
                if let left = b.jobs[uri]!.askedLeft, left > 0 { b.jobs[uri]!.askedLeft = left - 1 }
                guard let j = b.jobs[uri] else { return (false, true) }
                return (landIsDue(j), j.isDone)
            }
            if landNow || done { landJob(uri, generation: generation) }
            if done || ContinuousClock.now >= sliceEnd { break }
        }
        worker.async { self.pump() }
    }

    /// Whether a job that has not finished should publish what it has: once the first part is done
    /// (and the debounce has run out), then every `partialLandMilliseconds`.
    private func landIsDue(_ job: AnalysisJob) -> Bool {
        guard !job.landedSince, DispatchTime.now() >= job.publishAt else { return false }
        if job.askedLeft == 0 { return true }
        guard let last = job.lastLanded else { return job.firstPartLeft == 0 || job.isDone }
        return job.isDone || ContinuousClock.now - last >= max(.milliseconds(Self.partialLandMilliseconds), job.landCost * 4)
    }

    /// Publishes a job's results so far: all of them when it is done, else those analysed (in
    /// document order, the checks that read earlier notes over the notes analysed before each).
    private func landJob(_ uri: String, generation: Int) {
        guard let job = jobs.withLock({ b -> AnalysisJob? in
            guard b.jobs[uri]?.generation == generation else { return nil }
            b.jobs[uri]!.landedSince = true
            b.jobs[uri]!.lastLanded = .now
            if b.jobs[uri]!.askedLeft == 0 { b.jobs[uri]!.askedLeft = nil }
            guard let j = b.jobs[uri] else { return nil }
            if j.isDone { b.noteResults[uri] = j.results.compactMap { $0 } }
            return j
        }) else { return }
        if job.isDone, DispatchTime.now() < job.publishAt {
            worker.asyncAfter(deadline: job.publishAt) { self.landJob(uri, generation: generation) }
            return
        }
        let landStarted = ContinuousClock.now
        let analyses = job.engine.withDocumentChecks(job.results.compactMap { $0 })
        let prepared = prepareResults(uri: uri, document: job.document, analyses: analyses, settings: job.settings, epoch: job.epoch)
        let cached = CachedAnalysis(version: job.document.version, analyses: analyses, notes: job.notes, complete: job.isDone)
        land(prepared, cached: cached, uri: uri, generation: generation, settings: job.settings,
             analysed: ContinuousClock.now - job.started)
        if prepared.heldAt != nil, let release = TypingHoldBack.releaseTime(job.document, job.settings) {
            let wait = max(0, (release - .now) / .milliseconds(1))
            worker.asyncAfter(deadline: .now() + .milliseconds(Int(wait.rounded(.up)))) {
                self.releaseHoldBack(uri, generation: generation)
            }
        }
        if job.isDone {
            jobs.withLock { b in
                if b.jobs[uri]?.generation == generation { b.jobs.removeValue(forKey: uri) }
            }
            endProgress(job, message: "\(job.notes.count) notes")
        } else {
            let cost = ContinuousClock.now - landStarted
            jobs.withLock { b in
                if var job = b.jobs[uri], job.generation == generation {
                    job.landCost = cost
                    b.jobs[uri] = job
                }
            }
            reportProgress(uri: uri, generation: generation)
        }
    }

    /// Results of one analysis, with the diagnostics notification already serialised for push clients.
    struct PreparedResults: Sendable {
        var document: TextDocument
        var analyses: [NoteAnalysis]
        /// Where findings are held back from the diagnostics (`TypingHoldBack`).
        var heldAt: Int?
        var diagnostics: PreparedMessage?
    }

    private func prepareResults(uri: String, document: TextDocument, analyses: [NoteAnalysis],
                                settings: ServerSettings, epoch: Int) -> PreparedResults {
        let pull = state.withLock { $0.session.client.pullDiagnostics }
        // Only a hold-back that leaves something out needs publishing again after the pause.
        let held = TypingHoldBack.point(document, settings).flatMap { TypingHoldBack.holdsBack(analyses, around: $0) ? $0 : nil }
        return PreparedResults(document: document, analyses: analyses, heldAt: held,
                               diagnostics: pull ? nil : diagnosticsNotification(uri: uri, document: document, analyses: analyses,
                                                                                 heldAt: held, epoch: epoch))
    }

    /// Publishes again, with nothing held back, once the user has paused on a half-typed word
    /// (`TypingHoldBack`), unless the document changed meanwhile.
    private func releaseHoldBack(_ uri: String, generation: Int) {
        guard isCurrent(uri, generation), let snap = messages.sync(execute: { snapshot(uri) }), snap.generation == generation,
              let cached = snap.cached, cached.version == snap.document.version,
              TypingHoldBack.point(snap.document, snap.configuration.settings) == nil else { return }
        let results = PreparedResults(document: snap.document, analyses: cached.analyses, heldAt: nil, diagnostics: nil)
        resultsLanded(uri: uri, results: results, settings: snap.configuration.settings)
    }

    /// Stores and publishes results unless the document changed since they were computed.
    private func land(_ results: PreparedResults, cached: CachedAnalysis, uri: String, generation: Int,
                      settings: ServerSettings, analysed elapsed: Duration) {
        let version = results.document.version
        let (stored, isOpen) = state.withLock { s -> (Bool, Bool) in
            guard s.documents[uri]?.generation == generation else { return (false, s.documents[uri] != nil) }
            s.documents[uri]!.analysis = cached
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
        let client = state.withLock { $0.session.client }
        if client.pullDiagnostics {
            if client.diagnosticRefresh { sendRequestToClient("workspace/diagnostic/refresh") }
        } else {
            output.send(results.diagnostics
                ?? diagnosticsNotification(uri: uri, document: results.document, analyses: results.analyses, heldAt: results.heldAt))
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

    /// `epoch`: the settings epoch of the engine that produced `analyses` (the current one when nil).
    func diagnosticsNotification(uri: String, document: TextDocument, analyses: [NoteAnalysis], heldAt: Int? = nil,
                                 epoch: Int? = nil) -> PreparedMessage {
        let encoding = state.withLock { $0.session.encoding }
        let epoch = epoch ?? jobs.withLock { $0.epoch }
        let started = ContinuousClock.now
        let message = diagnosticsSerializer.notification(uri: uri, document: document, analyses: analyses, encoding: encoding,
                                                         epoch: epoch, heldAt: heldAt)
        traceMessage("prepared the diagnostics of version \(document.version) in \(ContinuousClock.now - started)")
        return message
    }

    static func traceDetail(_ analyses: [NoteAnalysis]) -> String {
        analyses.flatMap { a in
            a.fields.compactMap { f in f.finding.map { "note \(a.note.index) \(f.id): \"\($0.text)\" -> \($0.summary)" } }
        }.joined(separator: "\n")
    }

    /// Analyses for the notes of the current version that overlap `range` (all notes when nil), from
    /// the latest results when they are of this version and hold those notes. Nothing is analysed
    /// here, on the message queue: otherwise the notes go to the front of the worker's queue and
    /// `ResultsPending` parks the request until they land. nil while the engine is not ready.
    func currentAnalyses(_ snap: DocumentSnapshot, range: Range<Int>?, request: RequestID) throws -> [NoteAnalysis]? {
        func wanted(_ note: Note) -> Bool {
            guard let range else { return true }
            return AnalysisJob.overlaps(note.range, range)
        }
        if let cached = snap.cached, cached.version == snap.document.version {
            let found = cached.analyses.filter { wanted($0.note) }
            if cached.complete || found.count == cached.notes.lazy.filter(wanted).count { return found }
        }
        guard snap.configuration.engine != nil else { return nil }
        analyseFirst(snap.document.uri, range ?? 0..<Int.max)
        throw ResultsPending(uri: snap.document.uri)
    }

    /// The notes of the current version, when an analysis of it has started landing.
    func currentNotes(_ snap: DocumentSnapshot) -> [Note]? {
        guard let cached = snap.cached, cached.version == snap.document.version else { return nil }
        return cached.notes
    }

    /// Puts the notes overlapping `range` first in the document's analysis (now, or when it starts).
    func analyseFirst(_ uri: String, _ range: Range<Int>) {
        let generation = state.withLock { $0.documents[uri]?.generation }
        jobs.withLock { b in
            if b.jobs[uri]?.generation == generation {
                b.jobs[uri]!.prioritise(range)
            } else {
                b.wanted[uri] = range
            }
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
