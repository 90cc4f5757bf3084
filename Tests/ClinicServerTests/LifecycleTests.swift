import JSON
import Testing
@testable import ClinicServer

@Suite struct LifecycleTests {
    @Test func initializeAdvertisesCapabilitiesAndNegotiatesUTF8() throws {
        let client = TestClient()
        let r = try client.initialize(.obj(["general": .obj(["positionEncodings": ["utf-8", "utf-16"]])]))
        let caps = r["capabilities"]
        #expect(caps["positionEncoding"] == "utf-8")
        #expect(caps["textDocumentSync"]["change"] == 2)
        #expect(caps["hoverProvider"] == true)
        #expect(caps["inlayHintProvider"].objectValue != nil)
        #expect(caps["codeActionProvider"]["codeActionKinds"].arrayValue?.contains("quickfix") == true)
        #expect(caps["diagnosticProvider"]["interFileDependencies"] == false)
        #expect(r["serverInfo"]["name"] == "clinic-lsp")
    }

    @Test func utf16WhenTheClientDoesNotOfferUTF8() throws {
        let client = TestClient()
        #expect(try client.initialize()["capabilities"]["positionEncoding"] == "utf-16")
    }

    @Test func requestsBeforeInitializeAreRefused() throws {
        let client = TestClient()
        let r = try client.call("textDocument/hover", .obj(["textDocument": textDocument("file:///a"), "position": position(0, 0)]))
        #expect(r["error"]["code"] == .int(RPCErrorCode.serverNotInitialized.rawValue))
        _ = try client.initialize()
    }

    @Test func shutdownThenExitExitsZero() throws {
        let client = TestClient()
        _ = try client.initialize()
        let r = try client.call("shutdown")
        #expect(r["result"].isNull && r["error"].isNull)
        #expect(r.objectValue?.keys.contains("result") == true)
        let after = try client.call("textDocument/hover", .obj(["textDocument": textDocument("file:///a"), "position": position(0, 0)]))
        #expect(after["error"]["code"] == .int(RPCErrorCode.invalidRequest.rawValue))
        client.notify("exit")
        client.server.waitUntilIdle()
        #expect(client.exitCode == 0)
    }

    @Test func exitWithoutShutdownExitsOne() throws {
        let client = TestClient()
        _ = try client.initialize()
        client.notify("exit")
        client.server.waitUntilIdle()
        #expect(client.exitCode == 1)
    }

    @Test func endOfInputWithoutExitExitsOne() throws {
        let client = TestClient()
        _ = try client.initialize()
        client.server.inputEnded()
        client.server.waitUntilIdle()
        #expect(client.exitCode == 1)
    }

    @Test func errorsDoNotStopTheServer() throws {
        let client = TestClient()
        _ = try client.initialize()
        client.sendRaw("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\":")
        let parse = try client.waitFor("parse error") { $0["error"]["code"] == .int(-32700) }
        #expect(parse["id"].isNull)

        client.sendRaw("[1, 2]")
        _ = try client.waitFor("batch refused") { $0["error"]["code"] == .int(-32600) }

        let unknown = try client.call("clinic/doesNotExist", .obj([:]))
        #expect(unknown["error"]["code"] == .int(-32601))

        client.notify("clinic/someNotification", .obj([:]))

        let bad = try client.call("textDocument/hover", .obj(["textDocument": .obj(["uri": 42]), "position": position(0, 0)]))
        #expect(bad["error"]["code"] == .int(-32602))
        #expect(bad["error"]["message"].stringValue?.contains("params.textDocument.uri") == true)

        let missing = try client.call("textDocument/inlayHint", .obj(["textDocument": textDocument("file:///x.clinic")]))
        #expect(missing["error"]["message"].stringValue?.contains("params.range") == true)

        let twice = try client.call("initialize", .obj(["capabilities": .obj([:])]))
        #expect(twice["error"]["code"] == .int(-32600))

        client.server.receive(.error("message header has no Content-Length"))
        _ = try client.waitFor("framing error answered") { $0["error"]["message"].stringValue?.contains("framing") == true }

        // Still answering.
        client.open("file:///n.clinic", "eylea given")
        _ = try client.diagnostics("file:///n.clinic", version: 1)
        let hover = try client.result("textDocument/hover", .obj(["textDocument": textDocument("file:///n.clinic"), "position": position(0, 1)]))
        #expect(hover["contents"]["value"].stringValue?.contains("Eylea (aflibercept)") == true)
    }

    @Test func cancelledRequestAnswersRequestCancelled() throws {
        let engine = FakeEngine(delayPerNote: 0.05)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize()
        let text = (0..<40).map { "note \($0) eylea" }.joined(separator: "\n\n")
        client.open("file:///big.clinic", text)
        let id = client.request("textDocument/inlayHint", .obj(["textDocument": textDocument("file:///big.clinic"), "range": range(0, 0, 200, 0)]))
        client.notify("$/cancelRequest", .obj(["id": .int(id)]))
        let r = try client.waitFor(timeout: 10, "cancelled response") { $0["id"] == .int(id) }
        #expect(r["error"]["code"] == .int(RPCErrorCode.requestCancelled.rawValue))
    }

    @Test func setTraceTurnsOnLogTrace() throws {
        let client = TestClient()
        _ = try client.initialize()
        client.notify("$/setTrace", .obj(["value": "verbose"]))
        client.open("file:///t.clinic", "eylea")
        let trace = try client.waitFor("a $/logTrace with detail") {
            $0["method"] == "$/logTrace" && $0["params"]["verbose"].stringValue?.contains("eylea") == true
        }
        #expect(trace["params"]["message"].stringValue?.contains("analysed") == true)
        _ = try client.waitFor("the publish trace") { $0["params"]["message"].stringValue?.hasPrefix("published") == true }
        client.notify("$/setTrace", .obj(["value": "off"]))
        client.server.waitUntilIdle()
        let before = client.notifications("$/logTrace").count
        client.change("file:///t.clinic", version: 2, [.obj(["text": "lucentis"])])
        _ = try client.diagnostics("file:///t.clinic", version: 2)
        #expect(client.notifications("$/logTrace").count == before)
    }
}
