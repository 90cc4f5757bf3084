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
    /// The whole `capabilities` object, for what a single request reads in its own file (see
    /// DocumentSymbolFeature.swift) rather than as a member here.
    var raw: JSON = .null

    init() {}

    init(_ caps: JSON) {
        raw = caps
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

enum Phase: Sendable {
    case waitingForInitialize, running, shutDown
}

/// The connection with the client: where the lifecycle stands, what was negotiated in `initialize`,
/// and what the server sent the client (messages shown, requests awaiting an answer).
struct ClientSession: Sendable {
    var phase = Phase.waitingForInitialize
    var encoding = PositionEncoding.utf16
    var client = ClientCapabilities()
    var clientTrace = TraceLevel.off
    /// Messages already shown with window/showMessage (each is shown once).
    var shownMessages: Set<String> = []
    var nextOutgoingID = 1
    /// Requests sent to the client and not answered yet: their methods by id.
    var pendingClientRequests: [Int: String] = [:]
}
