import ClinicCore
import Foundation
import JSON
import Testing
@testable import ClinicServer

/// Long documents are analysed on the worker in slices, visible part first, without holding up
/// requests or other documents, and an edit re-analyses only the notes it changed.
@Suite struct BigDocumentTests {
    static func document(_ notes: Int) -> String {
        (0..<notes).map { "note \($0) eylea iop \($0 % 30 + 10)" }.joined(separator: "\n\n")
    }

    @Test func hoverOnAnotherDocumentIsAnsweredWhileALongOneIsAnalysed() throws {
        let engine = FakeEngine(delayPerNote: 0.01)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        client.open("file:///b.clinic", "R) eylea iop 12")
        _ = try client.diagnostics("file:///b.clinic", version: 1)
        client.open("file:///a.clinic", Self.document(300))
        _ = try client.waitFor("a's analysis under way") { _ in engine.analysedNotes.withLock { $0.count } > 5 }
        let hover = try client.result("textDocument/hover", .obj([
            "textDocument": textDocument("file:///b.clinic"), "position": position(0, 4)]))
        let analysedWhenAnswered = engine.analysedNotes.withLock { $0.count }
        #expect(hover["contents"]["value"].stringValue?.contains("Eylea") == true)
        #expect(analysedWhenAnswered < 200, "hover on b waited for a's \(analysedWhenAnswered) notes")
        let all = try client.diagnostics("file:///a.clinic", version: 1, count: 600, timeout: 20)
        #expect(all.count == 600)
    }

    @Test func aKeystrokeReanalysesOnlyTheEditedNote() throws {
        let engine = FakeEngine()
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        let uri = "file:///many.clinic"
        client.open(uri, Self.document(500))
        _ = try client.diagnostics(uri, version: 1, count: 1000, timeout: 20)
        let before = engine.analysedNotes.withLock { $0.count }
        #expect(before == 500)
        // Line 400 is note 200: "note 200 eylea iop 30"; type in it, then insert a line above it.
        client.change(uri, version: 2, [.obj(["range": range(400, 4, 400, 4), "text": "s"])])
        let after = try client.diagnostics(uri, version: 2, count: 1000)
        #expect(engine.analysedNotes.withLock { Array($0.dropFirst(before)) } == ["notes 200 eylea iop 30"])
        #expect(after.count == 1000)
        client.change(uri, version: 3, [.obj(["range": range(0, 0, 0, 0), "text": "eylea first\n\n"])])
        let shifted = try client.diagnostics(uri, version: 3, count: 1001)
        #expect(engine.analysedNotes.withLock { $0.count } == before + 2)
        #expect(shifted.last?["range"] == range(1000, 15, 1000, 21), "the last note's pressure moved down two lines")
    }

    @Test func longAnalysesReportProgressToClientsThatAskForIt() throws {
        let engine = FakeEngine(delayPerNote: 0.002)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(.obj(["window": .obj(["workDoneProgress": true])]), options: .obj(["debounceMs": 0]))
        let uri = "file:///progress.clinic"
        client.open(uri, Self.document(400))
        let create = try client.waitFor("progress token") { $0["method"] == "window/workDoneProgress/create" }
        let token = create["params"]["token"]
        client.sendRaw(JSON.obj(["jsonrpc": "2.0", "id": create["id"], "result": .null]).serialized())
        _ = try client.diagnostics(uri, version: 1, count: 800, timeout: 20)
        let kinds = try client.waitFor("progress end") {
            $0["method"] == "$/progress" && $0["params"]["value"]["kind"] == "end"
        }
        #expect(kinds["params"]["token"] == token)
        let values = client.notifications("$/progress").filter { $0["params"]["token"] == token }.map { $0["params"]["value"] }
        #expect(values.first?["kind"] == "begin")
        #expect(values.last?["kind"] == "end")
        #expect(values.filter { $0["kind"] == "begin" }.count == 1)
    }

    /// A client that answers `window/workDoneProgress/create` before the server has finished sending it still
    /// sees the progress begin and end (the answer used to be dropped, and the end never came).
    @Test func progressEndsWhenTheClientAnswersAtOnce() throws {
        for delay in [0.0, 0.002] {
            let client = TestClient(factory: FakeFactory(engine: FakeEngine(delayPerNote: delay)))
            client.answerAtOnce("window/workDoneProgress/create")
            _ = try client.initialize(.obj(["window": .obj(["workDoneProgress": true])]), options: .obj(["debounceMs": 0]))
            let uri = "file:///fast-client.clinic"
            client.open(uri, Self.document(100))
            let end = try client.waitFor(timeout: 20, "progress end") {
                $0["method"] == "$/progress" && $0["params"]["value"]["kind"] == "end"
            }
            let values = client.notifications("$/progress").filter { $0["params"]["token"] == end["params"]["token"] }
                .map { $0["params"]["value"]["kind"] }
            #expect(values.first == "begin" && values.last == "end", "delay \(delay): \(values)")
        }
    }

    @Test func noProgressWithoutTheCapability() throws {
        let client = TestClient(factory: FakeFactory(engine: FakeEngine()))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        client.open("file:///quiet.clinic", Self.document(200))
        _ = try client.diagnostics("file:///quiet.clinic", version: 1, count: 400, timeout: 20)
        #expect(client.sent.allSatisfy { $0["method"] != "window/workDoneProgress/create" && $0["method"] != "$/progress" })
    }

    @Test func visibleNotesArePublishedBeforeTheRest() throws {
        let engine = FakeEngine(delayPerNote: 0.005)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 50]))
        let uri = "file:///visible.clinic"
        client.open(uri, Self.document(400))
        _ = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(600, 0, 620, 0)]))
        let first = try client.diagnostics(uri, version: 1)
        let lines = Set(first.compactMap { $0["range"]["start"]["line"].intValue })
        #expect(lines.isSuperset(of: Set(stride(from: 600, through: 618, by: 2))), "the visible notes are in the first publish")
        #expect(first.count < 800, "and the rest follows later")
        _ = try client.diagnostics(uri, version: 1, count: 800, timeout: 20)
    }
}
