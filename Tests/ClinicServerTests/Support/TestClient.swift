import ClinicServer
import Foundation
import JSON
import Synchronization
import Testing

final class ExitRecorder: Sendable {
    let code = Mutex<Int32?>(nil)
}

/// Collects what the server sends.
final class CollectingOutput: MessageOutput {
    let messages = Mutex<[JSON]>([])
    /// Called with each message on the sending thread, before `send` returns.
    let onSend = Mutex<(@Sendable (JSON) -> Void)?>(nil)
    func send(_ message: JSON) {
        // Round-trip through the wire format so tests see exactly what a client would.
        let wire = try! JSON.parse(message.serialized())
        messages.withLock { $0.append(wire) }
        onSend.withLock { $0 }?(wire)
    }
}

/// Drives a server in-process as an editor would, through the same entry point the transport uses.
final class TestClient: Sendable {
    let output = CollectingOutput()
    let server: ClinicLanguageServer
    let factory: FakeFactory
    let exitRecorder = ExitRecorder()
    var exitCode: Int32? { exitRecorder.code.withLock { $0 } }
    let nextID = Mutex(1)

    init(factory: FakeFactory = FakeFactory(), modelPath: String? = nil) {
        self.factory = factory
        let recorder = exitRecorder
        server = ClinicLanguageServer(output: output, factory: factory,
                                      options: .init(modelPath: modelPath),
                                      onExit: { code in recorder.code.withLock { $0 = code } })
    }

    /// Answers every request of `method` the server sends with a null result, and has the answer handled
    /// before the server's send returns: the fastest a client can be.
    func answerAtOnce(_ method: String) {
        let server = server
        output.onSend.withLock {
            $0 = { m in
                guard m["method"] == .string(method), !m["id"].isNull else { return }
                server.receive(.message(Array(JSON.obj(["jsonrpc": "2.0", "id": m["id"], "result": .null]).serialized().utf8)))
                server.waitUntilIdle()
            }
        }
    }

    func sendRaw(_ body: String) {
        server.receive(.message(Array(body.utf8)))
    }

    func notify(_ method: String, _ params: JSON = .null) {
        var m: JSON = .obj(["jsonrpc": "2.0", "method": .string(method)])
        if !params.isNull { m["params"] = params }
        sendRaw(m.serialized())
    }

    @discardableResult
    func request(_ method: String, _ params: JSON = .null) -> Int {
        let id = nextID.withLock { n -> Int in defer { n += 1 }; return n }
        var m: JSON = .obj(["jsonrpc": "2.0", "id": .int(id), "method": .string(method)])
        if !params.isNull { m["params"] = params }
        sendRaw(m.serialized())
        return id
    }

    /// Sends a request and waits for its response.
    func call(_ method: String, _ params: JSON = .null, timeout: Double = 5) throws -> JSON {
        let id = request(method, params)
        return try waitFor(timeout: timeout, "response to \(method)") { $0["id"] == .int(id) && $0["method"].isNull }
    }

    func result(_ method: String, _ params: JSON = .null) throws -> JSON {
        let response = try call(method, params)
        #expect(response["error"].isNull, "\(method) failed: \(response["error"])")
        return response["result"]
    }

    func waitFor(timeout: Double = 5, _ what: String, after: Int = 0, _ match: (JSON) -> Bool) throws -> JSON {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found = output.messages.withLock { $0.dropFirst(after).first(where: match) }
            if let found { return found }
            Thread.sleep(forTimeInterval: 0.002)
        }
        throw WaitTimeout(what: what)
    }

    /// Polls `condition` until it holds; throws after `timeout` seconds.
    func wait(timeout: Double = 5, until what: String, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw WaitTimeout(what: what) }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    var sent: [JSON] { output.messages.withLock { $0 } }

    func notifications(_ method: String) -> [JSON] { sent.filter { $0["method"] == .string(method) && $0["id"].isNull } }

    func initialize(_ capabilities: JSON = .obj([:]), options: JSON = .null) throws -> JSON {
        var params: JSON = .obj(["processId": .null, "capabilities": capabilities])
        if !options.isNull { params["initializationOptions"] = options }
        let r = try result("initialize", params)
        notify("initialized", .obj([:]))
        return r
    }

    func open(_ uri: String, _ text: String, version: Int = 1) {
        notify("textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(uri), "languageId": "clinic", "version": .int(version), "text": .string(text),
        ])]))
    }

    func change(_ uri: String, version: Int, _ changes: [JSON]) {
        notify("textDocument/didChange", .obj([
            "textDocument": .obj(["uri": .string(uri), "version": .int(version)]),
            "contentChanges": .array(changes),
        ]))
    }

    func diagnostics(_ uri: String, version: Int, timeout: Double = 5) throws -> [JSON] {
        let m = try waitFor(timeout: timeout, "diagnostics for \(uri) v\(version)") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(uri)
                && $0["params"]["version"] == .int(version)
        }
        return m["params"]["diagnostics"].arrayValue ?? []
    }

    /// The first diagnostics published for `version` with at least `count` items (a long document's
    /// results land in parts).
    func diagnostics(_ uri: String, version: Int, count: Int, timeout: Double = 5) throws -> [JSON] {
        let m = try waitFor(timeout: timeout, "\(count) diagnostics for \(uri) v\(version)") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(uri)
                && $0["params"]["version"] == .int(version) && ($0["params"]["diagnostics"].arrayValue?.count ?? 0) >= count
        }
        return m["params"]["diagnostics"].arrayValue ?? []
    }
}

struct WaitTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

func range(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON {
    .obj(["start": .obj(["line": .int(l1), "character": .int(c1)]), "end": .obj(["line": .int(l2), "character": .int(c2)])])
}

func position(_ line: Int, _ character: Int) -> JSON { .obj(["line": .int(line), "character": .int(character)]) }

func textDocument(_ uri: String) -> JSON { .obj(["uri": .string(uri)]) }
