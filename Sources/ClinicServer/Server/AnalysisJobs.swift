import ClinicCore
import Dispatch

/// One document version being analysed, note by note, on the worker.
struct AnalysisJob: Sendable {
    var uri: String
    var generation: Int
    var document: TextDocument
    var settings: ServerSettings
    var engine: any ClinicEngine
    var notes: [Note]
    /// Note-level results (no checks that read earlier notes) by note index; nil: not analysed yet.
    var results: [NoteAnalysis?]
    /// Indices of the notes still to analyse, the next one last.
    var pending: [Int]
    /// How many notes of the part to show first (the visible range, else the edited notes) are pending.
    var firstPartLeft: Int
    var publishAt: DispatchTime
    var started: ContinuousClock.Instant
    /// Results were published since the last note was analysed.
    var landedSince = false
    var lastLanded: ContinuousClock.Instant?
    /// What publishing the results so far cost last time: partial results are published at most
    /// every four times that, so publishing a growing document stays a fraction of the work.
    var landCost: Duration = .zero
    var progress: ProgressReport?
    /// The settings epoch (`JobBoard.epoch`) the job's engine belongs to.
    var epoch: Int

    var isDone: Bool { pending.isEmpty }
    var analysedCount: Int { notes.count - pending.count }

    /// Notes a waiting request asked for that are still pending: results land once they are done.
    var askedLeft: Int?

    /// Moves the pending notes that overlap `range` to the front of the queue, to land once done.
    mutating func prioritise(_ range: Range<Int>) {
        let (hit, rest) = pending.reduce(into: ([Int](), [Int]())) { acc, i in
            if Self.overlaps(notes[i].range, range) { acc.0.append(i) } else { acc.1.append(i) }
        }
        pending = rest + hit.reversed()
        if !hit.isEmpty { askedLeft = hit.count }
    }

    static func overlaps(_ note: Range<Int>, _ range: Range<Int>) -> Bool {
        note.overlaps(range) || note.contains(range.lowerBound) || note.upperBound == range.lowerBound
    }
}

/// A document version's notes, as the engine of a settings epoch split them.
struct SplitNotes: Sendable {
    var version: Int
    var textIdentity: Int
    var epoch: Int
    var notes: [Note]
}

/// A `$/progress` token for one job: created by the client (`window/workDoneProgress/create`
/// answered), then begun, reported and ended.
struct ProgressReport: Sendable {
    var token: String
    var created = false
    var begun = false
    var lastReport: ContinuousClock.Instant?
}

/// The worker's jobs, one per open document, served round-robin a slice at a time so that no
/// document's analysis holds up another's.
struct JobBoard: Sendable {
    var jobs: [String: AnalysisJob] = [:]
    /// The last note-level results per document (its latest job's, finished or not), reused by
    /// note text when the next version is analysed.
    var noteResults: [String: [NoteAnalysis]] = [:]
    /// The notes of the version each document's last job split, for splitting the next version around its edits.
    var splitNotes: [String: SplitNotes] = [:]
    /// Ranges a request asked for before the job that analyses them started.
    var wanted: [String: Range<Int>] = [:]
    var turn: [String] = []
    var pumping = false
    /// Raised when settings change: results of an older epoch came from another engine.
    var epoch = 0
    /// Outgoing `window/workDoneProgress/create` requests by id, and the tokens they create.
    var progressRequests: [Int: String] = [:]
    /// Tokens whose job ended before the client answered their create request, with the end message.
    var endedBeforeCreated: [String: String] = [:]

    /// The next document to give a slice to, round-robin.
    mutating func nextURI() -> String? {
        turn.removeAll { jobs[$0]?.isDone ?? true }
        guard let uri = turn.first else { return nil }
        turn.removeFirst()
        turn.append(uri)
        return uri
    }

    /// Drops a document's job and what it learned, returning the job (its progress may need ending).
    mutating func remove(_ uri: String) -> AnalysisJob? {
        noteResults.removeValue(forKey: uri)
        splitNotes.removeValue(forKey: uri)
        wanted.removeValue(forKey: uri)
        turn.removeAll { $0 == uri }
        return jobs.removeValue(forKey: uri)
    }
}
