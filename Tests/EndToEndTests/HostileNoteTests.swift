import Foundation
import JSON
import Testing

/// Notes with numbers no Int holds, through the real binary: `extract` and the server read them as no
/// value and carry on (issue 12: both died with SIGILL on a Double to Int conversion).
@Suite struct HostileNoteTests {
    static let notes = [
        "R) eylea rev 99999999999999999999 wks",
        "IOP 12/14, 12345678901234567890/52",
        "rev \(String(repeating: "9", count: 400)) wks",
    ]
    static let noModel = #"{"plugins": {"drug": false, "acuity": false}}"#

    @Test func extractReadsThemAsNoReview() throws {
        let folder = try ScratchFolder()
        let config = try folder.write("no-model.json", Self.noModel)
        let notes = try folder.write("hostile.clinic", Self.notes.joined(separator: "\n\n"))
        let r = try ExtractProcess.run(["extract", "--config", config, notes], in: folder.url)
        #expect(r.status == 0, "\(r.stderr)")
        let records = try r.stdout.split(separator: "\n").map { try JSON.parse(String($0)) }
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0["fields"]["review"].isNull })
        #expect(records[1]["fields"]["iop.right"]["text"] == "12")
    }

    @Test func theServerPublishesAndKeepsAnswering() throws {
        let server = try LSPProcess(model: nil)
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:]),
                                                  "initializationOptions": try JSON.parse(Self.noModel)]), timeout: 15)
        server.notify("initialized")
        let uri = "file:///tmp/clinic-e2e/hostile.clinic"
        server.notify("textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(uri), "languageId": "clinic", "version": 1, "text": .string(Self.notes.joined(separator: "\n\n")),
        ])]))
        let diagnostics = try server.diagnostics(uri, version: 1, timeout: 20)
        #expect(diagnostics.contains { $0["code"] == "iop.right" })
        #expect(!diagnostics.contains { $0["code"] == "review" })
        let hover = try server.result("textDocument/hover", .obj([
            "textDocument": .obj(["uri": .string(uri)]), "position": .obj(["line": 0, "character": 3]),
        ]))
        #expect(hover["contents"]["value"].stringValue != nil)
        #expect(server.process.isRunning)
    }
}
