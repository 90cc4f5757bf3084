import ClinicCore
import JSON

/// Params of a request about one open document.
protocol DocumentParams: Sendable {
    var uri: String { get }
}

/// A request about one open document, answered from one snapshot of it: the dispatcher reads the
/// params, takes the snapshot (`documentContext`) and hands both to `answer(_:in:)`. A document that
/// is not open is InvalidParams at `params.textDocument.uri`.
protocol DocumentRequest: LSPRequest where Params: DocumentParams {
    static func answer(_ params: Params, in document: DocumentContext) throws -> Result
}

extension DocumentRequest {
    static func answer(_ params: Params, _ request: RequestContext) throws -> Result {
        guard let document = request.server.documentContext(params.uri, request: request.id) else {
            throw JSONReader(.null, path: "params")["textDocument"]["uri"].fail("document is not open")
        }
        return try answer(params, in: document)
    }
}

/// Everything a document request reads, taken in one step: the document version, its latest
/// results, the configuration that applies and what the client negotiated. Immutable: what the
/// worker lands meanwhile is seen by the next request.
struct DocumentContext: Sendable {
    let server: ClinicLanguageServer
    let request: RequestID
    let snapshot: DocumentSnapshot
    let encoding: PositionEncoding
    let client: ClientCapabilities

    var uri: String { snapshot.document.uri }
    var document: TextDocument { snapshot.document }
    var settings: ServerSettings { snapshot.configuration.settings }

    /// The scalar range of an LSP range, its ends in order.
    func offsets(_ range: (start: TextPosition, end: TextPosition)) -> Range<Int> {
        let a = document.offset(range.start, encoding), b = document.offset(range.end, encoding)
        return min(a, b)..<max(a, b)
    }
}

extension ClinicLanguageServer {
    /// The snapshot a document request answers from, read under the state lock once. Only a
    /// configuration not resolved yet (after a settings change) is built after it, on this queue.
    func documentContext(_ uri: String, request: RequestID) -> DocumentContext? {
        guard let (snapshot, encoding, client) = snapshotWithSession(uri) else { return nil }
        return DocumentContext(server: self, request: request, snapshot: snapshot, encoding: encoding, client: client)
    }

    /// The document's snapshot (see `snapshot(_:)`) with the negotiated encoding and client capabilities,
    /// all read under the state lock once.
    func snapshotWithSession(_ uri: String) -> (DocumentSnapshot, PositionEncoding, ClientCapabilities)? {
        let taken = state.withLock { s -> (OpenDocument, PositionEncoding, ClientCapabilities, ResolvedConfiguration?)? in
            guard let open = s.documents[uri] else { return nil }
            return (open, s.session.encoding, s.session.client, s.config.resolved[open.projectFile ?? ""])
        }
        guard let (open, encoding, client, resolved) = taken else { return nil }
        let configuration = resolved ?? self.configuration(forProjectFile: open.projectFile)
        let snapshot = DocumentSnapshot(document: open.document, configuration: configuration,
                                        generation: open.generation, cached: open.analysis)
        return (snapshot, encoding, client)
    }
}

/// `{textDocument: {uri}}`.
struct TextDocumentParams: DocumentParams {
    var uri: String
    static func read(_ p: JSONReader) throws -> Self { Self(uri: try p["textDocument"]["uri"].string()) }
}

/// `{textDocument, position}`.
struct TextDocumentPositionParams: DocumentParams {
    var uri: String
    var position: TextPosition
    static func read(_ p: JSONReader) throws -> Self {
        Self(uri: try p["textDocument"]["uri"].string(), position: try TextPosition.read(p["position"]))
    }
}

/// `{textDocument, range}`, plus what a request reads besides.
struct TextDocumentRangeParams: DocumentParams {
    var uri: String
    var range: (start: TextPosition, end: TextPosition)
    static func read(_ p: JSONReader) throws -> Self {
        Self(uri: try p["textDocument"]["uri"].string(), range: try LSPRange.read(p["range"]))
    }
}
