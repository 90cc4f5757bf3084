import Foundation
import JSON
import Testing

/// A `.clinic-lsp.json` with an unbalanced bracket in a pattern field killed the server (SIGSEGV in Swift
/// Regex); now that field is reported and left out, and the rest is served (issue 12).
@Suite struct ConfiguredPatternEndToEndTests {
    @Test func anUnbalancedBracketInTheProjectFileIsReportedNotCrashedOn() throws {
        let folder = try ScratchFolder()
        try folder.write(".clinic-lsp.json", #"""
            {"plugins": {"drug": false, "acuity": false},
             "fields": [{"id": "bad", "pattern": "CST [0-9"}, {"id": "cst", "pattern": "CST (\\d+)"}]}
            """#)
        let uri = folder.url.appendingPathComponent("visit.clinic").absoluteString
        let server = try LSPProcess(model: nil)
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:])]), timeout: 15)
        server.notify("initialized")
        server.notify("textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(uri), "languageId": "clinic", "version": 1, "text": "IOP 14/16 CST 301",
        ])]))
        let diagnostics = try server.diagnostics(uri, version: 1, timeout: 20)
        #expect(diagnostics.contains { $0["code"] == "cst" }, "\(diagnostics)")
        #expect(diagnostics.contains { $0["code"] == "iop.right" })
        let message = try server.waitFor("the pattern reported") {
            $0["method"] == "window/showMessage" && $0["params"]["message"].stringValue?.contains("CST [0-9") == true
        }
        #expect(message["params"]["message"].stringValue?.contains("missing terminating ]") == true)
        #expect(server.process.isRunning)

        // Also through extract, which stops on a settings problem.
        let r = try ExtractProcess.run(["extract", "--config", folder.url.appendingPathComponent(".clinic-lsp.json").path, "-"],
                                       in: folder.url, stdin: Data("CST 301".utf8))
        #expect(r.status == 1)
        #expect(r.stderr.contains("fields[0].pattern: invalid regular expression \"CST [0-9\" at character"), "\(r.stderr)")
    }
}
