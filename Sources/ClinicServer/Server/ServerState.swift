import ClinicCore
import JSON

/// What the client said it supports, read from `initialize`.
struct ClientCapabilities: Sendable {
    var positionEncodings: [String] = []
    var inlayHintRefresh = false
    var diagnosticRefresh = false
    var pullDiagnostics = false
    var configuration = false
    var documentChanges = false
    var watchedFilesRegistration = false
    var hoverMarkdown = true
    var diagnosticVersions = false
    var workDoneProgress = false

    init() {}

    init(_ caps: JSON) {
        positionEncodings = caps["general"]["positionEncodings"].arrayValue?.compactMap(\.stringValue) ?? []
        inlayHintRefresh = caps["workspace"]["inlayHint"]["refreshSupport"].boolValue ?? false
        diagnosticRefresh = caps["workspace"]["diagnostics"]["refreshSupport"].boolValue ?? false
        pullDiagnostics = caps["textDocument"]["diagnostic"].objectValue != nil
        configuration = caps["workspace"]["configuration"].boolValue ?? false
        documentChanges = caps["workspace"]["workspaceEdit"]["documentChanges"].boolValue ?? false
        watchedFilesRegistration = caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"].boolValue ?? false
        if let formats = caps["textDocument"]["hover"]["contentFormat"].arrayValue?.compactMap(\.stringValue),
           !formats.isEmpty {
            hoverMarkdown = formats.contains("markdown")
        }
        diagnosticVersions = caps["textDocument"]["publishDiagnostics"]["versionSupport"].boolValue ?? false
        workDoneProgress = caps["window"]["workDoneProgress"].boolValue ?? false
    }
}

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

/// The configuration that applies to a set of documents (those sharing a project file).
struct ResolvedConfiguration: Sendable {
    var settings: ServerSettings
    /// nil while the model it needs is still loading.
    var engine: (any ClinicEngine)?
}

enum ModelState: Sendable {
    case loading
    case loaded(any ModelHandle)
    case failed
}

enum Phase: Sendable {
    case waitingForInitialize, running, shutDown
}

struct ServerState: Sendable {
    var phase = Phase.waitingForInitialize
    var encoding = PositionEncoding.utf16
    var client = ClientCapabilities()
    var documents: [String: OpenDocument] = [:]
    /// initializationOptions, overlaid by the latest workspace/didChangeConfiguration settings.
    var initializationSettings: JSON = .object(JSONObject())
    var changedSettings: JSON = .object(JSONObject())
    /// Project files read so far, by path.
    var projectFiles: [String: ProjectFileEntry] = [:]
    /// Keyed by project file path ("" for none).
    var configurations: [String: ResolvedConfiguration] = [:]
    var models: [String: ModelState] = [:]
    /// Messages already shown with window/showMessage (each is shown once).
    var shownMessages: Set<String> = []
    var clientTrace = TraceLevel.off
    var nextOutgoingID = 1
    /// Source of `OpenDocument.generation`, unique across documents and reopenings.
    var lastGeneration = 0
    var pendingClientRequests: [Int: String] = [:]
    /// Requests waiting for the analysis of their document's current version.
    var parked: [RequestID: ParkedRequest] = [:]
}
