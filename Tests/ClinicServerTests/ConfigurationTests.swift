import Foundation
import JSON
import Testing
@testable import ClinicServer

@Suite struct ConfigurationTests {
    @Test func badSettingsAreNamedAndTheRestApplies() throws {
        let client = TestClient()
        _ = try client.initialize(options: .obj(["clinic": .obj([
            "debounceMs": "soon", "hintStyle": "loud", "threshold": "high", "summaryFormat": "json",
        ])]))
        client.open("file:///c.clinic", "eylea")
        _ = try client.diagnostics("file:///c.clinic", version: 1)
        let messages = client.notifications("window/showMessage").compactMap { $0["params"]["message"].stringValue }
        #expect(messages.contains { $0.contains("clinic.debounceMs") && $0.contains("expected integer") })
        #expect(messages.contains { $0.contains("clinic.hintStyle") && $0.contains("\"short\"") })
        #expect(messages.contains { $0.contains("clinic.threshold") })
        #expect(client.notifications("window/showMessage").allSatisfy { $0["params"]["type"] == 2 })
        let actions = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument("file:///c.clinic"), "range": range(0, 0, 0, 0), "context": .obj(["diagnostics": []]),
        ]))
        #expect(actions.arrayValue?.first?["edit"]["changes"]["file:///c.clinic"].arrayValue?.first?["newText"].stringValue?.contains("{") == true)
    }

    @Test func topLevelSettingsAndDidChangeConfigurationApply() throws {
        let client = TestClient()
        _ = try client.initialize()
        client.open("file:///c.clinic", "eylea")
        _ = try client.diagnostics("file:///c.clinic", version: 1)
        client.notify("workspace/didChangeConfiguration", .obj(["settings": .obj(["hintStyle": "off"])]))
        client.server.waitUntilIdle()
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument("file:///c.clinic"), "range": range(0, 0, 1, 0)]))
        #expect(hints == [])
    }

    @Test func pullsConfigurationWhenTheClientSupportsIt() throws {
        let client = TestClient()
        _ = try client.initialize(.obj(["workspace": .obj(["configuration": true])]))
        let request = try client.waitFor("workspace/configuration request") { $0["method"] == "workspace/configuration" }
        #expect(request["params"]["items"] == [.obj(["section": "clinic"])])
        client.sendRaw(JSON.obj(["jsonrpc": "2.0", "id": request["id"], "result": [.obj(["hintStyle": "full"])]]).serialized())
        client.open("file:///p.clinic", "eylea")
        _ = try client.diagnostics("file:///p.clinic", version: 1)
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument("file:///p.clinic"), "range": range(0, 0, 1, 0)]))
        #expect(hints.arrayValue?.first?["label"] == "Drug: Eylea (aflibercept)")
    }

    @Test func projectFileIsFoundFromTheDocumentsFolderUpward() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-lsp-\(UUID().uuidString)")
        let nested = root.appendingPathComponent("a/b")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try #"{"clinic": {"hintStyle": "full", "debounceMs": -4}}"#.write(
            to: root.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        let uri = nested.appendingPathComponent("visit.clinic").absoluteString
        let client = TestClient()
        _ = try client.initialize(options: .obj(["hintStyle": "short"]))
        client.open(uri, "eylea")
        _ = try client.diagnostics(uri, version: 1)
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 1, 0)]))
        #expect(hints.arrayValue?.first?["label"] == "Drug: Eylea (aflibercept)", "the project file wins over editor settings")
        let messages = client.notifications("window/showMessage").compactMap { $0["params"]["message"].stringValue }
        #expect(messages.contains { $0.contains("clinic.debounceMs") })

        try #"{"hintStyle": "short"}"#.write(to: root.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        client.notify("workspace/didChangeWatchedFiles", .obj(["changes": []]))
        client.server.waitUntilIdle()
        let after = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 1, 0)]))
        #expect(after.arrayValue?.first?["label"] == "drug")

        // Editors that do not watch the file: saving a note is enough for the server to notice.
        try #"{"hintStyle": "full"}"#.write(to: root.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        client.notify("textDocument/didSave", .obj(["textDocument": textDocument(uri)]))
        client.server.waitUntilIdle()
        let saved = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 1, 0)]))
        #expect(saved.arrayValue?.first?["label"] == "Drug: Eylea (aflibercept)")

        try "{not json".write(to: root.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        client.notify("workspace/didChangeWatchedFiles", .obj(["changes": []]))
        client.server.waitUntilIdle()
        _ = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 1, 0)]))
        let latest = client.notifications("window/showMessage").compactMap { $0["params"]["message"].stringValue }
        #expect(latest.contains { $0.contains(".clinic-lsp.json") && $0.contains("invalid JSON") })
    }

    @Test func projectFilesAreWatchedWhereTheClientAllowsRegistration() throws {
        let client = TestClient()
        _ = try client.initialize(.obj(["workspace": .obj(["didChangeWatchedFiles": .obj(["dynamicRegistration": true])])]))
        let r = try client.waitFor("registration") { $0["method"] == "client/registerCapability" }
        let registration = r["params"]["registrations"].arrayValue?.first
        #expect(registration?["method"] == "workspace/didChangeWatchedFiles")
        #expect(registration?["registerOptions"]["watchers"] == [.obj(["globPattern": "**/.clinic-lsp.json"])])
    }

    @Test func missingModelIsReportedOnceAndPatternsStillRun() throws {
        let client = TestClient()
        _ = try client.initialize(options: .obj(["model": "missing"]))
        client.open("file:///m.clinic", "eylea")
        client.open("file:///m2.clinic", "eylea")
        #expect(try client.diagnostics("file:///m.clinic", version: 1).count == 1)
        _ = try client.diagnostics("file:///m2.clinic", version: 1)
        let shown = client.notifications("window/showMessage").filter { $0["params"]["message"].stringValue?.contains("no model") == true }
        #expect(shown.count == 1)
    }

    @Test func modelProblemsAreShownOncePerProblemNotPerSettingsChange() throws {
        let factory = FakeFactory()
        let client = TestClient(factory: factory)
        _ = try client.initialize(options: .obj(["model": "missing"]))
        client.open("file:///n.clinic", "eylea")
        func changeSettings(_ settings: JSON) throws {
            client.notify("workspace/didChangeConfiguration", .obj(["settings": settings]))
            client.server.waitUntilIdle()
            _ = try client.result("textDocument/hover", .obj(["textDocument": textDocument("file:///n.clinic"), "position": position(0, 1)]))
        }
        for style in ["full", "short", "off"] { try changeSettings(.obj(["model": "missing", "hintStyle": .string(style)])) }
        func shown(_ what: String) -> Int {
            client.notifications("window/showMessage").filter { $0["params"]["message"].stringValue?.contains(what) == true }.count
        }
        #expect(shown("found no model") == 1)

        for style in ["full", "short", "off"] { try changeSettings(.obj(["model": "broken", "hintStyle": .string(style)])) }
        _ = try client.waitFor("model error") { $0["method"] == "window/showMessage" && $0["params"]["type"] == 1 }
        for style in ["full", "short"] { try changeSettings(.obj(["model": "broken", "hintStyle": .string(style)])) }
        client.server.waitUntilIdle()
        #expect(shown("cannot load the model at broken") == 1)
        #expect(factory.loads.withLock { $0 } == 1, "a model that failed is not reloaded on every settings change")
    }

    @Test func brokenModelIsReportedAndTheServerKeepsWorking() throws {
        let factory = FakeFactory(loadDelay: 0.05)
        let client = TestClient(factory: factory)
        _ = try client.initialize(options: .obj(["model": "broken"]))
        client.open("file:///b.clinic", "eylea")
        #expect(try client.diagnostics("file:///b.clinic", version: 1).count == 1)
        let error = try client.waitFor("model error") { $0["method"] == "window/showMessage" && $0["params"]["type"] == 1 }
        #expect(error["params"]["message"].stringValue?.contains("weights file is truncated") == true)
        #expect(factory.loads.withLock { $0 } == 1)
    }

    @Test func initializeAnswersWhileTheModelLoads() throws {
        let factory = FakeFactory(loadDelay: 0.5)
        let client = TestClient(factory: factory)
        let started = Date()
        _ = try client.initialize()
        #expect(Date().timeIntervalSince(started) < 0.3)
        client.open("file:///l.clinic", "eylea")
        #expect(try client.diagnostics("file:///l.clinic", version: 1).count == 1)
    }
}
