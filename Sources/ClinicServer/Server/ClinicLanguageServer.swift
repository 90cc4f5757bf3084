import ClinicCore
import Dispatch
import JSON
import Logging
import Synchronization

/// The clinic language server: LSP 3.17 over any `MessageOutput`. Messages are handled in order on
/// one serial queue; analysis runs on a background worker, debounced and cancelled when superseded.
public final class ClinicLanguageServer: Sendable {
    public struct Options: Sendable {
        /// A model directory given on the command line; wins over settings.
        public var modelPath: String?
        public init(modelPath: String? = nil) { self.modelPath = modelPath }
    }

    let output: any MessageOutput
    let factory: any ClinicEngineFactory
    let options: Options
    let logger: Logger
    let onExit: @Sendable (Int32) -> Void
    let messages = DispatchQueue(label: "clinic-lsp.messages")
    let worker = DispatchQueue(label: "clinic-lsp.analysis", qos: .utility)
    let modelLoader = DispatchQueue(label: "clinic-lsp.model", qos: .userInitiated)
    /// The session, the open documents and the configuration (ServerState.swift).
    let state = Mutex(ServerState())
    /// The worker's analysis jobs (see AnalysisJobs.swift).
    let jobs = Mutex(JobBoard())
    let diagnosticsSerializer = DiagnosticsSerializer()
    /// Requests received and not yet answered, cancelled or parked.
    let requests = Mutex(RequestTracker())

    public init(output: any MessageOutput, factory: any ClinicEngineFactory, options: Options = Options(),
                logger: Logger = Logger(label: "clinic-lsp"), onExit: @escaping @Sendable (Int32) -> Void) {
        self.output = output
        self.factory = factory
        self.options = options
        self.logger = logger
        self.onExit = onExit
    }

    // MARK: Input

    /// Takes one framing event from the transport. A body that does not parse is answered with a
    /// ParseError and dropped whole: nothing inside it is ever read as another message.
    public func receive(_ event: MessageFramer.Event) {
        switch event {
        case .error(let problem):
            logger.warning("framing error: \(problem)")
            output.send(RPCEnvelope.error(id: nil, RPCError(.parseError, "bad message framing: \(problem)")))
        case .message(let body):
            receive(body: body)
        }
    }

    private func receive(body: [UInt8]) {
        let json: JSON
        do {
            json = try JSON.parse(bytes: body)
        } catch {
            logger.warning("unparsable message of \(body.count) bytes: \(error)")
            output.send(RPCEnvelope.error(id: nil, RPCError(.parseError, "\(error)")))
            return
        }
        switch RPCMessage.classify(json) {
        case .failure(let invalid):
            output.send(RPCEnvelope.error(id: invalid.id, invalid.error))
        case .success(.notification(method: "$/cancelRequest", params: let params)):
            if let id = RequestID(params["id"]) {
                let known = requests.withLock { $0.cancel(id) }
                if known { messages.async { self.cancelParked(id) } }
            }
        case .success(let message):
            if case .request(let id, _, _) = message { _ = requests.withLock { $0.inFlight.insert(id) } }
            messages.async { self.dispatch(message) }
        }
    }

    /// Input ended without an `exit` notification: exit as `exit` would.
    public func inputEnded() {
        messages.async { self.exitNow() }
    }

    /// Waits until every message received so far has been handled (tests).
    public func waitUntilIdle() {
        messages.sync {}
    }

    // MARK: Dispatch

    func dispatch(_ message: RPCMessage) {
        switch message {
        case .request(let id, let method, let params):
            handleRequest(id: id, method: method, params: params)
        case .notification(let method, let params):
            handleNotification(method: method, params: params)
        case .response(let id, let result, let error):
            handleResponse(id: id, result: result, error: error)
        }
    }

    /// Answers a request through its entry in `ServerMethods.requests`, or parks it (`ResultsPending`)
    /// until its results land; `parkedUntil` is the deadline of a parked request handled again.
    func handleRequest(id: RequestID, method: String, params: JSON, parkedUntil: DispatchTime? = nil) {
        let phase = state.withLock { $0.session.phase }
        if parkedUntil == nil { traceMessage("request \(method)") }
        var parked = false
        defer {
            if !parked { requests.withLock { $0.finished(id) } }
        }
        if isCancelled(id) {
            output.send(RPCEnvelope.error(id: id, .requestCancelled))
            return
        }
        switch (phase, method) {
        case (.waitingForInitialize, "initialize"): break
        case (.waitingForInitialize, _):
            output.send(RPCEnvelope.error(id: id, RPCError(.serverNotInitialized, "the server is not initialized yet")))
            return
        case (.running, "initialize"):
            output.send(RPCEnvelope.error(id: id, RPCError(.invalidRequest, "initialize was already received")))
            return
        case (.shutDown, _):
            output.send(RPCEnvelope.error(id: id, RPCError(.invalidRequest, "the server is shutting down")))
            return
        default: break
        }
        let p = JSONReader(params, path: "params")
        do {
            guard let entry = ServerMethods.request(method) else {
                throw RPCError(.methodNotFound, "method not found: \(method)")
            }
            let result = try entry.run(p, RequestContext(server: self, id: id))
            if isCancelled(id) {
                output.send(RPCEnvelope.error(id: id, .requestCancelled))
            } else {
                output.send(RPCEnvelope.response(id: id, result: result))
            }
        } catch let error as RPCError {
            output.send(RPCEnvelope.error(id: id, error))
        } catch let error as JSONTypeError {
            output.send(RPCEnvelope.error(id: id, .invalidParams(error)))
        } catch is AnalysisCancelled {
            output.send(RPCEnvelope.error(id: id, .requestCancelled))
        } catch let pending as ResultsPending {
            parked = park(id: id, method: method, params: params, uri: pending.uri, deadline: parkedUntil)
            if !parked { output.send(RPCEnvelope.error(id: id, Self.retriggerError(method))) }
        } catch {
            logger.error("\(method) failed: \(error)")
            output.send(RPCEnvelope.error(id: id, RPCError(.internalError, "\(method) failed: \(error)")))
        }
    }

    /// Handles a notification through its entry in `ServerMethods.notifications`; others are ignored.
    private func handleNotification(method: String, params: JSON) {
        let phase = state.withLock { $0.session.phase }
        traceMessage("notification \(method)")
        guard let entry = ServerMethods.notification(method), entry.inEveryPhase || phase == .running else { return }
        do {
            try entry.run(JSONReader(params, path: "params"), self)
        } catch {
            // Notifications have no response: say what was wrong in the log and go on.
            logger.warning("ignored \(method): \(error)")
        }
    }

    private func handleResponse(id: RequestID, result: JSON?, error: JSON?) {
        guard case .int(let n) = id else { return }
        let method = state.withLock { $0.session.pendingClientRequests.removeValue(forKey: n) }
        if method == "window/workDoneProgress/create" { progressCreated(requestID: n, ok: error == nil) }
        if let error, let method {
            logger.debug("client answered \(method) with an error: \(error["message"].stringValue ?? "")")
            return
        }
        if method == "workspace/configuration", let settings = result?.arrayValue?.first {
            applyClientSettings(settings)
        }
    }

    func isCancelled(_ id: RequestID) -> Bool {
        requests.withLock { $0.cancelled.contains(id) }
    }

    // MARK: Outgoing

    enum MessageType: Int { case error = 1, warning = 2, info = 3, log = 4 }

    func showMessage(_ type: MessageType, _ message: String, once: Bool = true) {
        if once {
            let isNew = state.withLock { $0.session.shownMessages.insert(message).inserted }
            guard isNew else { return }
        }
        output.send(RPCEnvelope.notification("window/showMessage", .obj([
            "type": .int(type.rawValue), "message": .string(message),
        ])))
    }

    @discardableResult
    /// Sends a request to the client; `beforeSending` sees its id first, so what waits for the answer is in
    /// place before the answer can arrive (it is handled on the message queue, which may run at once).
    func sendRequestToClient(_ method: String, _ params: JSON = .null, beforeSending: (Int) -> Void = { _ in }) -> Int {
        let id = state.withLock { s -> Int in
            let id = s.session.nextOutgoingID
            s.session.nextOutgoingID += 1
            s.session.pendingClientRequests[id] = method
            return id
        }
        beforeSending(id)
        output.send(RPCEnvelope.request(id: id, method, params))
        return id
    }

    /// The trace level in force: the client's `$/setTrace` or the `trace` setting, whichever says more.
    /// Tracing is the only way note text reaches a log (verbose level).
    func traceLevel(projectFile: String? = nil) -> TraceLevel {
        let (client, configured) = state.withLock { ($0.session.clientTrace, $0.config.resolved[projectFile ?? ""]?.settings.trace) }
        return max(client, configured ?? .off)
    }

    func traceMessage(_ message: @autoclosure () -> String, verbose: @autoclosure () -> String? = nil) {
        let level = traceLevel()
        guard level > .off else { return }
        let text = message()
        var params: JSON = .obj(["message": .string(text)])
        logger.info("trace: \(text)")
        if level == .verbose, let detail = verbose() {
            params["verbose"] = .string(detail)
            logger.info("trace detail:\n\(detail)")
        }
        output.send(RPCEnvelope.notification("$/logTrace", params))
    }
}
