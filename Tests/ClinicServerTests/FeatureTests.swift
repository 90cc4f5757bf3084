import Foundation
import JSON
import Testing
@testable import ClinicServer

@Suite struct FeatureTests {
    let uri = "file:///clinic/visit.clinic"
    /// Three notes: the words findings are on, where each note ends (a summary goes there) and a cursor in "rev".
    static let marked = MarkedText("R) ‹eylea› given\niop 14‹@end1›\n\nL) ‹lucentis› ‹r‹@cursor›ev›‹@end2›\n\nnothing here‹@end3›")
    var text: String { Self.marked.text }
    var marked: MarkedText { Self.marked }

    func started(_ caps: JSON = .obj([:]), options: JSON = .null, factory: FakeFactory = FakeFactory()) throws -> TestClient {
        let client = TestClient(factory: factory)
        _ = try client.initialize(caps, options: options)
        return client
    }

    @Test func publishesOneDiagnosticPerFindingAndCheck() throws {
        let client = try started()
        client.open(uri, text)
        let diags = try client.diagnostics(uri, version: 1)
        let drug = diags.filter { $0["code"] == "drug" }
        #expect(drug.map { $0["message"] } == ["Drug: Eylea (aflibercept)", "Drug: Lucentis (ranibizumab)"])
        #expect(drug.allSatisfy { $0["severity"] == 3 && $0["source"] == "clinic-lsp" })
        #expect(drug.map { $0["range"] } == [marked["eylea"], marked["lucentis"]])
        let review = try #require(diags.first { $0["code"] == "review" })
        #expect(review["severity"] == 2)
        #expect(review["range"] == marked["rev"])
        #expect(diags.contains { $0["code"] == "pressure" && $0["message"] == "Pressure: 14 mmHg" })
    }

    @Test func pullDiagnosticsReturnTheSameItems() throws {
        let client = try started(.obj(["textDocument": .obj(["diagnostic": .obj([:])])]))
        client.open(uri, text)
        // Even while the model loads: without refresh support the pull waits for the findings.
        let r = try client.result("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
        #expect(r["kind"] == "full")
        #expect(r["items"].arrayValue?.count == 4)
        Thread.sleep(forTimeInterval: 0.3)
        #expect(client.notifications("textDocument/publishDiagnostics").isEmpty, "a pull client gets no pushes")
    }

    @Test func pullsWhileTypingGetMovedResultsThenARefresh() throws {
        let engine = FakeEngine()
        let client = try started(.obj([
            "textDocument": .obj(["diagnostic": .obj([:])]),
            "workspace": .obj(["diagnostics": .obj(["refreshSupport": true])]),
        ]), options: .obj(["debounceMs": 300]), factory: FakeFactory(engine: engine))
        client.open(uri, text)
        _ = try client.waitFor("first refresh") { $0["method"] == "workspace/diagnostic/refresh" }
        let calls = engine.analysedNotes.withLock { $0.count }
        client.change(uri, version: 2, [.obj(["range": range(0, 0, 0, 0), "text": "\n"])])
        client.change(uri, version: 3, [.obj(["range": range(4, 12, 4, 12), "text": "x"])])
        let pulled = try client.result("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
        let items = pulled["items"].arrayValue ?? []
        #expect(items.map { $0["code"] } == ["drug", "pressure", "drug"], "the touched review warning waits")
        #expect(items.first?["range"] == range(1, 3, 1, 8))
        #expect(engine.analysedNotes.withLock { $0.count } == calls)
        var seen = client.sent.count
        _ = try client.waitFor("refresh after typing", after: seen) { $0["method"] == "workspace/diagnostic/refresh" }
        let fresh = try client.result("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
        #expect(fresh["items"].arrayValue?.map { $0["code"] } == ["drug", "pressure", "drug"], "held back at the cursor")
        seen = client.sent.count
        _ = try client.waitFor("refresh after the pause", after: seen) { $0["method"] == "workspace/diagnostic/refresh" }
        let paused = try client.result("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
        #expect(paused["items"].arrayValue?.map { $0["code"] } == ["drug", "pressure", "drug", "review"])
    }

    @Test func inlayHintsSitAfterEachFoundSpanWithinTheRange() throws {
        let client = try started(.obj(["workspace": .obj(["inlayHint": .obj(["refreshSupport": true])])]))
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 1, 99)]))
        let list = try #require(hints.arrayValue)
        #expect(list.map { $0["label"] } == ["drug", "14 mmHg"])
        #expect(list.first?["position"] == position(0, 8))
        #expect(list.first?["tooltip"]["value"].stringValue?.contains("Eylea (aflibercept)") == true)
        #expect(list.first?["data"]["text"] == "eylea")
        #expect(list.map { $0["data"]["field"].stringValue ?? "" }.allSatisfy { !$0.isEmpty })
        _ = try client.diagnostics(uri, version: 1)
        _ = try client.waitFor("inlay hint refresh") { $0["method"] == "workspace/inlayHint/refresh" && !$0["id"].isNull }
    }

    @Test func fullHintStyleFromInitializationOptions() throws {
        let client = try started(options: .obj(["clinic": .obj(["hintStyle": "full"])]))
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 0, 99)]))
        #expect(hints.arrayValue?.first?["label"] == "Drug: Eylea (aflibercept)")
    }

    @Test func hoverShowsTheNotesFieldsAndATrendAcrossNotes() throws {
        let client = try started()
        client.open(uri, "iop 20\n\niop 10 eylea\n\niop 30")
        _ = try client.diagnostics(uri, version: 1)
        let hover = try client.result("textDocument/hover", .obj(["textDocument": textDocument(uri), "position": position(4, 2)]))
        let md = try #require(hover["contents"]["value"].stringValue)
        #expect(hover["contents"]["kind"] == "markdown")
        #expect(md.hasPrefix("**Note 3 of 3** (line 5): Pressure: 30 mmHg\n\n"), "the first line names the findings")
        #expect(md.contains("| Pressure | `iop 30` | 30 mmHg | 100% |"))
        #expect(md.contains("| Drug | — | — | — |"))
        #expect(md.contains("| Pressure | ▅▁█ | 1: 20 mmHg · 2: 10 mmHg · 3: 30 mmHg |"))
        #expect(hover["range"] == range(4, 0, 4, 6))
        let blank = try client.result("textDocument/hover", .obj(["textDocument": textDocument(uri), "position": position(1, 0)]))
        #expect(blank.isNull)
    }

    @Test func hoverFirstLineCountsTheNotesWarnings() throws {
        let client = try started()
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let hover = try client.result("textDocument/hover", .obj(["textDocument": textDocument(uri), "position": position(3, 3)]))
        let md = try #require(hover["contents"]["value"].stringValue)
        let first = md.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        #expect(first == "**Note 2 of 3** (line 4): Drug: Lucentis (ranibizumab) · 1 warning")
        let empty = try client.result("textDocument/hover", .obj(["textDocument": textDocument(uri), "position": position(5, 2)]))
        #expect(empty["contents"]["value"].stringValue?.hasPrefix("**Note 3 of 3** (line 6): nothing found\n") == true)
    }

    @Test func hoverIsPlainTextForClientsWithoutMarkdown() throws {
        let client = try started(.obj(["textDocument": .obj(["hover": .obj(["contentFormat": ["plaintext"]])])]))
        client.open(uri, "iop 20\n\niop 10 eylea")
        _ = try client.diagnostics(uri, version: 1)
        let hover = try client.result("textDocument/hover", .obj(["textDocument": textDocument(uri), "position": position(2, 0)]))
        #expect(hover["contents"]["kind"] == "plaintext")
        #expect(hover["contents"]["value"] == """
            Note 2 of 2: Drug: Eylea (aflibercept) · Pressure: 10 mmHg
            Drug: Eylea (aflibercept) (typed "eylea", 90%)
            Pressure: 10 mmHg (typed "iop 10", 100%)
            Patient of this document (no patient header)
            Right eye: 1 injection
              note 1: 20 mmHg
              note 2: 10 mmHg; Eylea (aflibercept)
            Pressure across notes: █▁ 20 mmHg, 10 mmHg
            """)
    }

    @Test func summaryActionInsertsAfterTheNoteAndApplyingItKeepsTheText() throws {
        let client = try started()
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let actions = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument(uri), "range": marked.insertion("cursor"), "context": .obj(["diagnostics": []]),
        ]))
        let list = try #require(actions.arrayValue)
        #expect(list.map { $0["title"] } == ["Add interval 4/52", "Insert structured summary", "Insert summaries for all 3 notes"])
        let one = list[1]["edit"]["changes"][uri].arrayValue ?? []
        #expect(one.count == 1)
        #expect(one.first?["range"] == marked.insertion("end2"))
        #expect(one.first?["newText"] == "\n[summary] drug=Lucentis (ranibizumab); pressure=none")
        let fix = list[0]
        #expect(fix["kind"] == "quickfix")
        #expect(fix["diagnostics"].arrayValue?.first?["code"] == "review")
        #expect(fix["edit"]["changes"][uri].arrayValue?.first?["newText"] == " 4/52")
        let all = list[2]["edit"]["changes"][uri].arrayValue ?? []
        #expect(all.map { $0["range"]["start"] } == ["end1", "end2", "end3"].map(marked.position))
        #expect(all.allSatisfy { $0["range"]["start"] == $0["range"]["end"] }, "edits only insert")

        // Apply the single-note edit as the editor would and check the server follows.
        client.change(uri, version: 2, [.obj(["range": one[0]["range"], "text": one[0]["newText"]])])
        let diags = try client.diagnostics(uri, version: 2)
        #expect(diags.contains { $0["code"] == "drug" && $0["range"] == marked["lucentis"] })

        // That note now ends with its summary: it is not offered again, and "all notes" skips it.
        let again = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument(uri), "range": marked.insertion("cursor"), "context": .obj(["diagnostics": []]),
        ]))
        #expect(again.arrayValue?.map { $0["title"] } == ["Add interval 4/52", "Insert summaries for all 2 notes without one"])
    }

    @Test func codeActionsHonourOnlyAndDocumentChanges() throws {
        let client = try started(.obj(["workspace": .obj(["workspaceEdit": .obj(["documentChanges": true])])]),
                                 options: .obj(["summaryFormat": "json"]))
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        let actions = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument(uri), "range": range(0, 0, 0, 0),
            "context": .obj(["diagnostics": [], "only": ["refactor"]]),
        ]))
        let list = try #require(actions.arrayValue)
        #expect(list.map { $0["title"] } == ["Insert structured summary", "Insert summaries for all 3 notes"])
        let change = try #require(list[0]["edit"]["documentChanges"].arrayValue?.first)
        #expect(change["textDocument"] == .obj(["uri": .string(uri), "version": 1]))
        #expect(change["edits"].arrayValue?.first?["newText"] == "\n{\n  \"note\": 0\n}")
    }

    @Test func crlfDocumentsGetCRLFSummaries() throws {
        let client = try started()
        client.open(uri, "eylea\r\n\r\nlucentis")
        _ = try client.diagnostics(uri, version: 1)
        let actions = try client.result("textDocument/codeAction", .obj([
            "textDocument": textDocument(uri), "range": range(0, 0, 0, 0), "context": .obj(["diagnostics": []]),
        ]))
        let edit = actions.arrayValue?.first?["edit"]["changes"][uri].arrayValue?.first
        #expect(edit?["newText"].stringValue?.hasPrefix("\r\n[summary]") == true)
        #expect(edit?["range"] == range(0, 5, 0, 5))
    }

    @Test func didCloseClearsDiagnostics() throws {
        let client = try started()
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        client.notify("textDocument/didClose", .obj(["textDocument": textDocument(uri)]))
        _ = try client.waitFor("empty diagnostics") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["diagnostics"] == []
        }
    }
}
