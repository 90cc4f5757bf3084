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

/// A document with a 1 MB line, through the real binary: it is analysed in bounded pieces on the
/// worker while another document's requests are answered (issue 12: hover on the other document
/// waited 90 s or never answered).
@Suite struct LongLineEndToEndTests {
    static func megabyteLine() -> String {
        let words = ["R)", "eylea", "2mg", "VA", "6/9", "IOP", "14/16", "rev", "4/52", "review", "letter", "clinic"]
        var line = ""
        var i = 0
        while line.utf8.count < 1_000_000 {
            line += words[i % words.count] + (i % 7 == 0 ? ". " : " ")
            i += 1
        }
        return line
    }

    @Test func hoverOnAnotherDocumentAnswersWhileAMegabyteLineIsAnalysed() throws {
        let server = try LSPProcess()
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:]),
                                                  "initializationOptions": .obj(["debounceMs": 0])]), timeout: 30)
        server.notify("initialized")
        let long = "file:///tmp/clinic-e2e/long-line.clinic", other = "file:///tmp/clinic-e2e/other.clinic"
        for (uri, text) in [(long, Self.megabyteLine()), (other, "R) eylea 2mg. IOP 14/16. rev 4/52")] {
            server.notify("textDocument/didOpen", .obj(["textDocument": .obj([
                "uri": .string(uri), "languageId": "clinic", "version": 1, "text": .string(text),
            ])]))
        }
        _ = try server.diagnostics(other, version: 1, timeout: 120)  // once the model has loaded
        let hover = try server.result("textDocument/hover", .obj([
            "textDocument": .obj(["uri": .string(other)]), "position": .obj(["line": 0, "character": 20]),
        ]), timeout: 60)
        #expect(hover["contents"]["value"].stringValue?.contains("IOP") == true)
        let diagnostics = try server.waitFor("the long line's diagnostics", timeout: 300) {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(long)
        }
        #expect(!(diagnostics["params"]["diagnostics"].arrayValue ?? []).isEmpty)
        #expect(server.process.isRunning)
    }
}
