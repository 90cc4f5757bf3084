import JSON

/// JSON-RPC and LSP error codes the server answers with.
public enum RPCErrorCode: Int, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestCancelled = -32800
    case contentModified = -32801
    case serverCancelled = -32802
}

public struct RPCError: Error, Sendable, Equatable {
    public var code: RPCErrorCode
    public var message: String
    public var data: JSON?
    public init(_ code: RPCErrorCode, _ message: String, data: JSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }
    /// The answer to a request the client cancelled (or whose analysis was, `AnalysisCancelled`).
    public static let requestCancelled = RPCError(.requestCancelled, "request cancelled")
    public static func invalidParams(_ error: JSONTypeError) -> RPCError {
        RPCError(.invalidParams, "invalid params: \(error.description)")
    }
    var json: JSON {
        var o: JSON = .obj(["code": .int(code.rawValue), "message": .string(message)])
        if let data { o["data"] = data }
        return o
    }
}

/// A request id: JSON-RPC allows integers and strings.
public enum RequestID: Hashable, Sendable {
    case int(Int)
    case string(String)

    init?(_ json: JSON) {
        switch json {
        case .int(let i): self = .int(i)
        case .string(let s): self = .string(s)
        default:
            guard let i = json.intValue else { return nil }
            self = .int(i)
        }
    }

    var json: JSON {
        switch self {
        case .int(let i): return .int(i)
        case .string(let s): return .string(s)
        }
    }
}

/// One incoming JSON-RPC message, classified.
public enum RPCMessage: Sendable {
    case request(id: RequestID, method: String, params: JSON)
    case notification(method: String, params: JSON)
    case response(id: RequestID, result: JSON?, error: JSON?)

    /// Classifies a parsed message, or says why it is not a valid JSON-RPC message (with the id
    /// to answer, when one could be read).
    public static func classify(_ json: JSON) -> Result<RPCMessage, InvalidMessage> {
        guard case .object(let o) = json else {
            let what = json.arrayValue != nil ? "batches are not supported" : "a message must be a JSON object"
            return .failure(InvalidMessage(id: nil, error: RPCError(.invalidRequest, what)))
        }
        let rawID = o["id"]
        var id: RequestID?
        if let rawID, !rawID.isNull {
            guard let parsed = RequestID(rawID) else {
                return .failure(InvalidMessage(id: nil, error: RPCError(.invalidRequest, "id must be an integer or a string")))
            }
            id = parsed
        }
        if let version = o["jsonrpc"], version != .string("2.0") {
            return .failure(InvalidMessage(id: id, error: RPCError(.invalidRequest, "jsonrpc must be \"2.0\"")))
        }
        if let method = o["method"] {
            guard let name = method.stringValue else {
                return .failure(InvalidMessage(id: id, error: RPCError(.invalidRequest, "method must be a string")))
            }
            let params = o["params"] ?? .null
            switch params {
            case .null, .object, .array: break
            default: return .failure(InvalidMessage(id: id, error: RPCError(.invalidRequest, "params must be an object or an array")))
            }
            if let id { return .success(.request(id: id, method: name, params: params)) }
            return .success(.notification(method: name, params: params))
        }
        if let id, o["result"] != nil || o["error"] != nil {
            return .success(.response(id: id, result: o["result"], error: o["error"]))
        }
        return .failure(InvalidMessage(id: id, error: RPCError(.invalidRequest, "a message needs a method, or an id with a result or error")))
    }
}

/// A message that is valid JSON but not valid JSON-RPC, with the id to answer when one was readable.
public struct InvalidMessage: Error, Sendable {
    public var id: RequestID?
    public var error: RPCError
}

enum RPCEnvelope {
    static func response(id: RequestID?, result: JSON) -> JSON {
        .obj(["jsonrpc": "2.0", "id": id?.json ?? .null, "result": result])
    }
    static func error(id: RequestID?, _ error: RPCError) -> JSON {
        .obj(["jsonrpc": "2.0", "id": id?.json ?? .null, "error": error.json])
    }
    static func notification(_ method: String, _ params: JSON) -> JSON {
        .obj(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }
    static func request(id: Int, _ method: String, _ params: JSON) -> JSON {
        var message: JSON = .obj(["jsonrpc": "2.0", "id": .int(id), "method": .string(method)])
        if !params.isNull { message["params"] = params }
        return message
    }
}
