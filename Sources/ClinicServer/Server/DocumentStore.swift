import ClinicCore

/// Results of the analysis of one document version: of all its notes, or (`complete` false) of
/// those analysed so far.
struct CachedAnalysis: Sendable {
    var version: Int
    var analyses: [NoteAnalysis]
    /// Every note of the version.
    var notes: [Note]
    var complete: Bool
}

struct OpenDocument: Sendable {
    var document: TextDocument
    /// The `.clinic-lsp.json` that applies, if any.
    var projectFile: String?
    var analysis: CachedAnalysis?
    /// New on every change; background work for another generation is abandoned.
    var generation = 0
    /// The range (scalar offsets) the client last asked hints for: analysed first.
    var priorityRange: Range<Int>?
    /// For a client that pulls diagnostics but takes no refresh request: the version whose results
    /// a pull last answered, and whether results were pushed since (see ParkedRequests.swift).
    var pulledVersion: Int?
    var pushedToPullClient = false
}

/// The open documents: text, version and line index, the latest analysis of each, and the
/// generation counter that tells background work whether it is still wanted.
struct DocumentStore: Sendable {
    var open: [String: OpenDocument] = [:]
    /// Source of `OpenDocument.generation`, unique across documents and reopenings.
    var lastGeneration = 0

    subscript(uri: String) -> OpenDocument? {
        get { open[uri] }
        set { open[uri] = newValue }
    }
}
