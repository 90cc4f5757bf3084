import ClinicCore
import Foundation
import JSON
import Testing
@testable import ClinicServer

/// The server over the real clinic pipeline, without a model: the pattern plugins (IOP, review) run.
@Suite struct PipelineEngineTests {
    static func factory() -> PipelineEngineFactory {
        PipelineEngineFactory(environment: [:], executablePath: "/nonexistent/bin/clinic-lsp",
                              loadAnswerer: { dir, _, _ in throw SettingsError(message: "no engine in this test for \(dir)") })
    }

    func client(options: JSON = .null) throws -> (ClinicLanguageServer, CollectingOutput) {
        let output = CollectingOutput()
        let server = ClinicLanguageServer(output: output, factory: Self.factory(), onExit: { _ in })
        var params: JSON = .obj(["capabilities": .obj([:])])
        if !options.isNull { params["initializationOptions"] = options }
        server.receive(.message(Array(JSON.obj(["jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params]).serialized().utf8)))
        return (server, output)
    }

    func send(_ server: ClinicLanguageServer, _ method: String, _ params: JSON, id: Int? = nil) {
        var m: JSON = .obj(["jsonrpc": "2.0", "method": .string(method), "params": params])
        if let id { m["id"] = .int(id) }
        server.receive(.message(Array(m.serialized().utf8)))
    }

    func wait(_ output: CollectingOutput, _ match: (JSON) -> Bool) throws -> JSON {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let m = output.messages.withLock({ $0.first(where: match) }) { return m }
            Thread.sleep(forTimeInterval: 0.005)
        }
        throw WaitTimeout(what: "message")
    }

    @Test func patternPluginsRenderThroughTheServer() throws {
        let (server, output) = try client()
        send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///p.clinic", "languageId": "clinic", "version": 1, "text": "IOP 14/16, rev 4/52",
        ])]))
        let diags = try wait(output) { $0["method"] == "textDocument/publishDiagnostics" }["params"]["diagnostics"]
        let codes = diags.arrayValue?.compactMap(\.["code"].stringValue) ?? []
        #expect(Set(codes).isSuperset(of: ["iop.right", "iop.left", "review"]), "\(codes)")
        #expect(diags.arrayValue?.first { $0["code"] == "iop.right" }?["range"]["start"] == .obj(["line": 0, "character": 4]))
        send(server, "textDocument/hover", .obj(["textDocument": .obj(["uri": "file:///p.clinic"]),
                                                 "position": .obj(["line": 0, "character": 1])]), id: 2)
        let hover = try wait(output) { $0["id"] == 2 }
        #expect(hover["result"]["contents"]["value"].stringValue?.contains("| Right eye IOP | `14` |") == true)
        // Without a model, or with one this test's loader refuses (the package's model/ is found through the
        // compiled-in package root), the user is told once why model-backed fields are missing.
        let noModel = try wait(output) { $0["method"] == "window/showMessage" }
        let message = noModel["params"]["message"].stringValue ?? ""
        #expect(message.contains("no model") || message.contains("no engine in this test"), "\(message)")
    }

    @Test func clinicSettingsApplyAndProblemsNameTheirPath() throws {
        let (server, output) = try client(options: .obj(["clinic": .obj(["plugins": .obj(["iop": false]), "bogus": 1])]))
        send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///q.clinic", "languageId": "clinic", "version": 1, "text": "IOP 14/16, rev 4/52",
        ])]))
        let diags = try wait(output) { $0["method"] == "textDocument/publishDiagnostics" }["params"]["diagnostics"]
        let codes = diags.arrayValue?.compactMap(\.["code"].stringValue) ?? []
        #expect(codes.contains("review") && !codes.contains("iop.right"), "\(codes)")
        let warning = try wait(output) { $0["params"]["message"].stringValue?.contains("clinic.bogus") == true }
        #expect(warning["method"] == "window/showMessage" && warning["params"]["type"] == 2)
    }

    @Test func aNoteEndingWithItsSummaryIsOfferedNoOtherInEitherSeparatorMode() throws {
        for separator in ["blankLine", "line"] {
            let (server, output) = try client(options: .obj(["noteSeparator": .string(separator)]))
            let uri = "file:///s-\(separator).clinic"
            send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
                "uri": .string(uri), "languageId": "clinic", "version": 1, "text": "IOP 14/16, rev 4/52",
            ])]))
            // The summary is offered once the note has been analysed, as a user sees it after the first diagnostics.
            _ = try wait(output) { $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(uri) }
            func summaryActions(id: Int) throws -> [String] {
                send(server, "textDocument/codeAction", .obj([
                    "textDocument": .obj(["uri": .string(uri)]), "range": range(0, 2, 0, 2), "context": .obj(["diagnostics": []]),
                ]), id: id)
                return try wait(output) { $0["id"] == .int(id) }["result"].arrayValue?.compactMap(\.["title"].stringValue) ?? []
            }
            send(server, "textDocument/codeAction", .obj([
                "textDocument": .obj(["uri": .string(uri)]), "range": range(0, 2, 0, 2), "context": .obj(["diagnostics": []]),
            ]), id: 2)
            let offered = try wait(output) { $0["id"] == 2 }["result"].arrayValue?.first { $0["title"] == "Insert structured summary" }
            let summary = try #require(offered?["edit"]["changes"][uri].arrayValue?.first?["newText"].stringValue)
            send(server, "textDocument/didChange", .obj([
                "textDocument": .obj(["uri": .string(uri), "version": 2]),
                "contentChanges": [.obj(["range": range(0, 19, 0, 19), "text": .string(summary)])],
            ]))
            #expect(try summaryActions(id: 3) == [], "\(separator): the note already ends with its summary")
            send(server, "textDocument/hover", .obj(["textDocument": .obj(["uri": .string(uri)]), "position": position(1, 3)]), id: 4)
            let hover = try wait(output) { $0["id"] == 4 }["result"]["contents"]["value"].stringValue ?? ""
            #expect(hover.contains("Note 1 of 1") && hover.contains("| Right eye IOP | `14` |"),
                    "\(separator): hovering the summary shows its note: \(hover)")
        }
    }

    /// As `extract --config` reads it: a relative `model` in a project file is in the project file's folder.
    @Test func aProjectFilesRelativeModelIsInItsFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("notes"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try #"{"clinic": {"model": "weights"}}"#.write(to: root.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        let (server, output) = try client(options: .obj(["model": "elsewhere"]))
        send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(root.appendingPathComponent("notes/visit.clinic").absoluteString), "languageId": "clinic",
            "version": 1, "text": "IOP 14/16",
        ])]))
        let error = try wait(output) { $0["params"]["message"].stringValue?.contains("weights") == true }
        let message = error["params"]["message"].stringValue ?? ""
        #expect(message.contains("cannot load the model at \(root.appendingPathComponent("weights").path):"), "\(message)")
    }

    @Test func aMissingExplicitModelIsReportedWithItsPath() throws {
        let (server, output) = try client(options: .obj(["model": "/nonexistent/model-dir"]))
        send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///r.clinic", "languageId": "clinic", "version": 1, "text": "IOP 14/16",
        ])]))
        let error = try wait(output) { $0["method"] == "window/showMessage" && $0["params"]["type"] == 1 }
        #expect(error["params"]["message"].stringValue?.contains("/nonexistent/model-dir") == true)
        _ = try wait(output) { $0["method"] == "textDocument/publishDiagnostics" }
    }
}
