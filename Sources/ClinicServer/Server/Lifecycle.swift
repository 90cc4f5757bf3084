import ClinicCore
import JSON

// initialize, initialized, shutdown, exit and $/setTrace. Which phase takes which message is the
// dispatcher's (`handleRequest`): requests before `initialize` are ServerNotInitialized, after
// `shutdown` InvalidRequest.

struct InitializeRequest: LSPRequest {
    static let method = "initialize"

    struct Params: Sendable {
        var capabilities: ClientCapabilities
        var trace: TraceLevel
        var initializationOptions: JSON
    }

    static func decode(_ p: JSONReader) throws -> Params {
        let caps = ClientCapabilities(p["capabilities"].value)
        if !p["capabilities"].isMissing { _ = try p["capabilities"].object() }
        let trace = try p["trace"].optionalString().flatMap(TraceLevel.init(rawValue:)) ?? .off
        return Params(capabilities: caps, trace: trace, initializationOptions: p["initializationOptions"].value)
    }

    static func answer(_ params: Params, _ request: RequestContext) throws -> JSON {
        let caps = params.capabilities
        let encoding: PositionEncoding = caps.positionEncodings.contains("utf-8") ? .utf8 : .utf16
        let server = request.server
        server.state.withLock {
            $0.session.phase = .running
            $0.session.client = caps
            $0.session.encoding = encoding
            $0.session.clientTrace = params.trace
            $0.config.initializationSettings = SettingsJSON.section(params.initializationOptions)
        }
        _ = server.configuration(forProjectFile: nil)
        var capabilities = JSONObject()
        capabilities["positionEncoding"] = .string(encoding.rawValue)
        for (key, value) in ServerMethods.capabilities { capabilities[key] = value }
        return .obj([
            "capabilities": .object(capabilities),
            "serverInfo": .obj(["name": .string(ServerInfo.name), "version": .string(ServerInfo.version)]),
        ])
    }
}

struct ShutdownRequest: LSPRequest {
    static let method = "shutdown"
    static func decode(_ p: JSONReader) throws {}
    static func answer(_ params: Void, _ request: RequestContext) throws -> JSON {
        let server = request.server
        server.state.withLock { $0.session.phase = .shutDown }
        server.messages.async { server.retryParked(uri: nil) }
        return .null
    }
}

struct InitializedNotification: LSPNotification {
    static let method = "initialized"
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws {
        let client = server.state.withLock { $0.session.client }
        if client.configuration { server.requestConfiguration() }
        if client.watchedFilesRegistration { server.watchProjectFiles() }
    }
}

struct ExitNotification: LSPNotification {
    static let method = "exit"
    static let inEveryPhase = true
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws { server.exitNow() }
}

struct SetTraceNotification: LSPNotification {
    static let method = "$/setTrace"
    static func handle(_ p: JSONReader, _ server: ClinicLanguageServer) throws {
        let raw = try p["value"].string()
        guard let level = TraceLevel(rawValue: raw) else {
            throw p["value"].fail("expected \"off\", \"messages\" or \"verbose\", found \"\(raw)\"")
        }
        server.state.withLock { $0.session.clientTrace = level }
    }
}

extension ClinicLanguageServer {
    func exitNow() {
        let code: Int32 = state.withLock { $0.session.phase == .shutDown } ? 0 : 1
        logger.info("exiting with status \(code)")
        onExit(code)
    }
}
