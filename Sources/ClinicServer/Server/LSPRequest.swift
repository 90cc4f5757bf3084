import JSON

/// A request method the server answers: its name, how its params are read, what it answers and what
/// `initialize` advertises for it. Each is registered once, in `ServerMethods.requests`; the
/// dispatcher (`handleRequest`) finds it there and does the rest: lifecycle checks, cancellation,
/// errors, parking.
protocol LSPRequest: Sendable {
    associatedtype Params: Sendable
    associatedtype Result: LSPResult = JSON
    static var method: String { get }
    /// Members this request adds to the `capabilities` of the initialize result (merged recursively
    /// with the others'); empty for none.
    static var capabilities: JSON { get }
    /// Reads the params; a `JSONTypeError` is answered InvalidParams with its path.
    static func decode(_ params: JSONReader) throws -> Params
    /// Answers on the message queue. Throws `ResultsPending` to wait for the worker's results; never
    /// runs the model itself.
    static func answer(_ params: Params, _ request: RequestContext) throws -> Result
}

extension LSPRequest {
    static var capabilities: JSON { .object(JSONObject()) }
}

/// What an answer is on the wire.
protocol LSPResult: Sendable {
    var json: JSON { get }
}

extension JSON: LSPResult {
    var json: JSON { self }
}

/// The request being answered.
struct RequestContext: Sendable {
    let server: ClinicLanguageServer
    let id: RequestID
}

/// A notification method: like `LSPRequest`, without an answer. Problems are logged, never answered.
protocol LSPNotification: Sendable {
    static var method: String { get }
    static var capabilities: JSON { get }
    /// Handled before `initialize` and after `shutdown` too (only `exit`).
    static var inEveryPhase: Bool { get }
    static func handle(_ params: JSONReader, _ server: ClinicLanguageServer) throws
}

extension LSPNotification {
    static var capabilities: JSON { .object(JSONObject()) }
    static var inEveryPhase: Bool { false }
}

/// A registered request with its types erased, as the table holds it.
struct RequestEntry: Sendable {
    let method: String
    let capabilities: JSON
    let run: @Sendable (JSONReader, RequestContext) throws -> JSON

    init<R: LSPRequest>(_ type: R.Type) {
        method = R.method
        capabilities = R.capabilities
        run = { params, request in try R.answer(R.decode(params), request).json }
    }
}

struct NotificationEntry: Sendable {
    let method: String
    let capabilities: JSON
    let inEveryPhase: Bool
    let run: @Sendable (JSONReader, ClinicLanguageServer) throws -> Void

    init<N: LSPNotification>(_ type: N.Type) {
        method = N.method
        capabilities = N.capabilities
        inEveryPhase = N.inEveryPhase
        run = { params, server in try N.handle(params, server) }
    }
}
