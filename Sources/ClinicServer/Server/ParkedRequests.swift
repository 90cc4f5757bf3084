import ClinicCore
import Dispatch
import JSON

/// Thrown by a request handler when the results it needs (the current version's analysis, or any
/// engine at all while the model loads) are not there yet and the client cannot be told later
/// with a refresh request: the request waits for them instead of being answered with nothing.
struct ResultsPending: Error {
    var uri: String
}

/// A request waiting for the analysis of its document's current version.
struct ParkedRequest: Sendable {
    var id: RequestID
    var method: String
    var params: JSON
    var uri: String
    var deadline: DispatchTime
}

// LSP 3.17: a server that cannot compute a pulled result yet may answer ServerCancelled with
// `retriggerRequest`; answering an empty list instead is final for clients that take no refresh.
// Waiting is better still (one answer, with the findings), but bounded: yegappan/lsp asks
// synchronously with Vim's 2 s channel timeout, and retries after ServerCancelled.
extension ClinicLanguageServer {
    static let parkedRequestTimeoutMilliseconds = 1500
    /// How long results that no pull took wait for one before they are pushed.
    static let pushFallbackDelayMilliseconds = 1000

    /// Keeps a request until its document's results land (`resultsLandedForPullClient`), until
    /// `deadline` (then ServerCancelled, retrigger), or until the client cancels it. Returns false when
    /// the deadline has passed already.
    func park(id: RequestID, method: String, params: JSON, uri: String, deadline: DispatchTime?) -> Bool {
        let until = deadline ?? .now() + .milliseconds(Self.parkedRequestTimeoutMilliseconds)
        guard DispatchTime.now() < until else { return false }
        requests.withLock { $0.parked[id] = ParkedRequest(id: id, method: method, params: params, uri: uri, deadline: until) }
        if deadline == nil {
            messages.asyncAfter(deadline: until) { self.expireParked(id) }
        }
        return true
    }

    static func retriggerError(_ what: String) -> RPCError {
        RPCError(.serverCancelled, "\(what) not ready yet; ask again", data: .obj(["retriggerRequest": true]))
    }

    private func expireParked(_ id: RequestID) {
        guard let parked = requests.withLock({ $0.parked.removeValue(forKey: id) }) else { return }
        finish(id, RPCEnvelope.error(id: id, Self.retriggerError(parked.method)))
    }

    /// Answers a parked request the client cancelled.
    func cancelParked(_ id: RequestID) {
        guard isCancelled(id), requests.withLock({ $0.parked.removeValue(forKey: id) }) != nil else { return }
        finish(id, RPCEnvelope.error(id: id, .requestCancelled))
    }

    private func finish(_ id: RequestID, _ message: JSON) {
        output.send(message)
        requests.withLock { $0.finished(id) }
    }

    /// Handles again the requests parked for `uri` (all of them when nil): each is answered now, or
    /// parked again with its first deadline if its results are still not there.
    func retryParked(uri: String?) {
        let due = requests.withLock { s -> [ParkedRequest] in
            let due = s.parked.values.filter { uri == nil || $0.uri == uri }.sorted { $0.deadline < $1.deadline }
            for p in due { s.parked.removeValue(forKey: p.id) }
            return due
        }
        for p in due { handleRequest(id: p.id, method: p.method, params: p.params, parkedUntil: p.deadline) }
    }

    /// On the message queue, when the analysis of `version` landed for a client that pulls
    /// diagnostics but takes no refresh request: answers the requests waiting for it; if no pull
    /// took these results, pushes them after a while, so that what the server re-analysed on its own
    /// (model loaded, settings changed) still reaches the client.
    func resultsLandedForPullClient(uri: String, version: Int) {
        retryParked(uri: uri)
        guard state.withLock({ $0.documents[uri]?.pulledVersion }) != version else { return }
        messages.asyncAfter(deadline: .now() + .milliseconds(Self.pushFallbackDelayMilliseconds)) {
            self.pushUnpulledResults(uri: uri, version: version)
        }
    }

    private func pushUnpulledResults(uri: String, version: Int) {
        let pending = state.withLock { s -> (TextDocument, [NoteAnalysis])? in
            guard let open = s.documents[uri], open.document.version == version, open.pulledVersion != version,
                  let cached = open.analysis, cached.version == version
            else { return nil }
            s.documents[uri]!.pushedToPullClient = true
            return (open.document, cached.analyses)
        }
        guard let (document, analyses) = pending else { return }
        publishDiagnostics(uri: uri, document: document, analyses: analyses)
    }

    /// A pull answered with the current version's results: the pushed copy, if any, is stale and
    /// would show each finding twice (clients keep pushed and pulled diagnostics apart), so it is
    /// cleared once the answer has gone.
    func diagnosticsPulled(uri: String, version: Int) {
        let clear = state.withLock { s -> Bool in
            guard s.documents[uri] != nil else { return false }
            s.documents[uri]!.pulledVersion = version
            defer { s.documents[uri]!.pushedToPullClient = false }
            return s.documents[uri]!.pushedToPullClient
        }
        if clear {
            messages.async {
                self.output.send(RPCEnvelope.notification("textDocument/publishDiagnostics",
                                                          .obj(["uri": .string(uri), "diagnostics": []])))
            }
        }
    }
}
