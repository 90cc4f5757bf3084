import Foundation
import JSON
import Testing
@testable import ClinicServer

/// Settings from issue 12: thousands of bad keys are one message, and a project file may start with a BOM.
@Suite struct SettingsEdgeTests {
    @Test func twentyThousandUnknownKeysAreOneMessage() throws {
        var clinic = JSONObject()
        for i in 0..<20_000 { clinic["unknown\(i)"] = .int(i) }
        let output = CollectingOutput()
        let server = ClinicLanguageServer(output: output, factory: PipelineEngineTests.factory(), onExit: { _ in })
        let initialize: JSON = .obj(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": .obj([
            "capabilities": .obj([:]), "initializationOptions": .obj(["clinic": .object(clinic)]),
        ])])
        server.receive(.message(Array(initialize.serialized().utf8)))
        let open: JSON = .obj(["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": .obj(["textDocument": .obj([
            "uri": "file:///s.clinic", "languageId": "clinic", "version": 1, "text": "IOP 12/14",
        ])])])
        server.receive(.message(Array(open.serialized().utf8)))
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !output.messages.withLock({ $0.contains { $0["method"] == "textDocument/publishDiagnostics" } }) {
            Thread.sleep(forTimeInterval: 0.01)
        }
        server.waitUntilIdle()
        let shown = output.messages.withLock { $0 }.filter { $0["method"] == "window/showMessage" }
            .compactMap { $0["params"]["message"].stringValue }.filter { $0.contains("unknown") }
        #expect(shown.count == 1)
        #expect(shown.first?.contains("20000 settings") == true, "\(shown)")
        #expect(shown.first?.contains("clinic.unknown0: unknown setting") == true)
        #expect(shown.first?.contains("and 19995 more") == true)
        #expect((shown.first?.count ?? .max) < 2_000)
    }

    @Test func oneBadSettingKeepsItsOwnMessage() {
        let client = TestClient()
        client.server.reportSettingProblems(["clinic.hintStyle: expected one of \"short\", \"full\", \"off\", found \"loud\""])
        #expect(client.notifications("window/showMessage").compactMap { $0["params"]["message"].stringValue }
            == ["clinic-lsp setting clinic.hintStyle: expected one of \"short\", \"full\", \"off\", found \"loud\" (ignored; the other settings apply)"])
    }

    @Test func aProjectFileStartingWithAByteOrderMarkIsRead() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"clinic": {"hintStyle": "full"}}"#.utf8)
        let read = ProjectSettings.read("/p/.clinic-lsp.json", contents: Data(bytes))
        #expect((try? read.get())?["hintStyle"] == "full", "\(read)")
        let bomOnly = ProjectSettings.read("/p/.clinic-lsp.json", contents: Data([0xEF, 0xBB, 0xBF, 0xFF]))
        #expect((try? bomOnly.get()) == nil, "what follows the mark must still be valid")
    }
}
