import JSON

/// Every method the server takes, in one place: the dispatcher looks methods up here and
/// `initialize` advertises what these entries declare, so a method is offered exactly when it is
/// handled. To add a request, see "Add an LSP request" in ARCHITECTURE.md.
enum ServerMethods {
    static let requests: [RequestEntry] = [
        RequestEntry(InitializeRequest.self),
        RequestEntry(ShutdownRequest.self),
        RequestEntry(HoverRequest.self),
        RequestEntry(InlayHintRequest.self),
        RequestEntry(CodeActionRequest.self),
        RequestEntry(PullDiagnosticsRequest.self),
        RequestEntry(DocumentSymbolRequest.self),
    ]

    /// `$/cancelRequest` is not here: it is read on the input thread, before the messages queued
    /// ahead of it (`ClinicLanguageServer.receive`).
    static let notifications: [NotificationEntry] = [
        NotificationEntry(InitializedNotification.self),
        NotificationEntry(ExitNotification.self),
        NotificationEntry(SetTraceNotification.self),
        NotificationEntry(DidOpenNotification.self),
        NotificationEntry(DidChangeNotification.self),
        NotificationEntry(DidCloseNotification.self),
        NotificationEntry(DidSaveNotification.self),
        NotificationEntry(DidChangeConfigurationNotification.self),
        NotificationEntry(DidChangeWatchedFilesNotification.self),
    ]

    private static let requestsByMethod = Dictionary(requests.map { ($0.method, $0) }, uniquingKeysWith: { first, _ in first })
    private static let notificationsByMethod = Dictionary(notifications.map { ($0.method, $0) },
                                                          uniquingKeysWith: { first, _ in first })

    static func request(_ method: String) -> RequestEntry? { requestsByMethod[method] }
    static func notification(_ method: String) -> NotificationEntry? { notificationsByMethod[method] }

    /// The server capabilities every entry declares, merged in table order (notifications first:
    /// `textDocumentSync` leads, as clients list it).
    static let capabilities: JSONObject = {
        var merged: JSON = .object(JSONObject())
        for c in notifications.map(\.capabilities) + requests.map(\.capabilities) {
            merged = SettingsJSON.merge(merged, c)
        }
        return merged.objectValue ?? JSONObject()
    }()
}
