import ClinicCore
import JSON

extension ClinicLanguageServer {
    func didOpen(_ p: JSONReader) throws {
        let item = p["textDocument"]
        let uri = try item["uri"].string()
        let version = try item["version"].int()
        let text = try item["text"].string()
        _ = try item["languageId"].optionalString()
        let projectFile = ProjectSettings.path(ofFileURI: uri).flatMap(ProjectSettings.findFile(forDocumentPath:))
        if let projectFile, projectFileChanged(forDocument: uri, current: projectFile) { projectFilesChanged() }
        let config = configuration(forProjectFile: projectFile)
        state.withLock {
            $0.documents[uri] = OpenDocument(
                document: TextDocument(uri: uri, version: version, text: text), projectFile: projectFile)
        }
        // A short wait lets the editor's first inlay hint request (sent right after didOpen) set the
        // range to analyse first; a large document's visible notes then come before the rest.
        scheduleAnalysis(uri, delayMilliseconds: min(config.settings.debounceMilliseconds, Self.openDelayMilliseconds))
    }

    static let openDelayMilliseconds = 20

    func didChange(_ p: JSONReader) throws {
        let uri = try p["textDocument"]["uri"].string()
        let version = try p["textDocument"]["version"].int()
        var changes: [TextDocument.Change] = []
        for change in try p["contentChanges"].array() {
            let text = try change["text"].string()
            let range = change["range"].isMissing ? nil : try LSPRange.read(change["range"])
            changes.append(TextDocument.Change(range: range, text: text))
        }
        let (known, projectFile) = state.withLock { s -> (Bool, String?) in
            guard var open = s.documents[uri] else { return (false, nil) }
            open.document.apply(changes, version: version, encoding: s.session.encoding)
            s.documents[uri] = open
            return (true, open.projectFile)
        }
        guard known else { throw p["textDocument"]["uri"].fail("document is not open") }
        let config = configuration(forProjectFile: projectFile)
        scheduleAnalysis(uri, delayMilliseconds: config.settings.debounceMilliseconds)
    }

    func didClose(_ p: JSONReader) throws {
        let uri = try p["textDocument"]["uri"].string()
        let (closed, pull) = state.withLock { s in
            (s.documents.open.removeValue(forKey: uri), s.session.client.pullDiagnostics)
        }
        diagnosticsSerializer.forget(uri: uri)
        if let job = jobs.withLock({ $0.remove(uri) }) { endProgress(job, message: "closed") }
        messages.async { self.retryParked(uri: uri) }
        if let closed, !pull || closed.pushedToPullClient {
            output.send(RPCEnvelope.notification("textDocument/publishDiagnostics",
                                                 .obj(["uri": .string(uri), "diagnostics": []])))
        }
    }

    func didSave(_ p: JSONReader) throws {
        let uri = try p["textDocument"]["uri"].string()
        let current = state.withLock { $0.documents[uri]?.projectFile }
        if uri.hasSuffix("/" + ProjectSettings.fileName) || projectFileChanged(forDocument: uri, current: current) {
            projectFilesChanged()
        }
    }
}

// Text synchronisation: incremental changes, open/close and save (without text) advertised in
// `textDocumentSync` through the table.

struct DidOpenNotification: LSPNotification {
    static let method = "textDocument/didOpen"
    static let capabilities: JSON = ["textDocumentSync": ["openClose": true]]
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { try server.didOpen(p) }
}

struct DidChangeNotification: LSPNotification {
    static let method = "textDocument/didChange"
    /// 2: incremental.
    static let capabilities: JSON = ["textDocumentSync": ["change": 2]]
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { try server.didChange(p) }
}

struct DidCloseNotification: LSPNotification {
    static let method = "textDocument/didClose"
    static let capabilities: JSON = ["textDocumentSync": ["openClose": true]]
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { try server.didClose(p) }
}

struct DidSaveNotification: LSPNotification {
    static let method = "textDocument/didSave"
    static let capabilities: JSON = ["textDocumentSync": ["save": ["includeText": false]]]
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { try server.didSave(p) }
}
