import Foundation
import JSON
import Testing
@testable import ClinicServer

@Suite struct TypingTests {
    let uri = "file:///typing.clinic"

    @Test func burstsOfEditsPublishOnlyTheLastVersion() throws {
        let client = TestClient()
        _ = try client.initialize(options: .obj(["debounceMs": 300]))
        client.open(uri, "")
        _ = try client.diagnostics(uri, version: 1)
        let typed = "R) eylea"
        for (i, c) in typed.enumerated() {
            client.change(uri, version: i + 2, [.obj(["range": range(0, i, 0, i), "text": .string(String(c))])])
            Thread.sleep(forTimeInterval: 0.01)
        }
        let last = typed.count + 1
        #expect(try client.diagnostics(uri, version: last).isEmpty, "the word at the cursor waits for a pause")
        let diags = try client.diagnostics(uri, version: last, count: 1)
        #expect(diags.first?["message"] == "Drug: Eylea (aflibercept)")
        func versions() -> [Int] {
            client.notifications("textDocument/publishDiagnostics").compactMap { $0["params"]["version"].intValue }
        }
        try client.wait(until: "the last version published again after the pause") { versions().count >= 3 }
        #expect(versions() == [1, last, last], "superseded versions are never published")
    }

    @Test func theModelRunsWhileTheDebounceRunsOutAndResultsWaitForIt() throws {
        let engine = FakeEngine()
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 1500]))
        client.open(uri, "note eylea")
        _ = try client.diagnostics(uri, version: 1, timeout: 10)
        let changed = Date()
        client.change(uri, version: 2, [.obj(["range": range(0, 10, 0, 10), "text": " given"])])
        let deadline = changed.addingTimeInterval(1.5)
        while Date() < deadline, engine.analysedNotes.withLock({ !$0.contains("note eylea given") }) {
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(Date() < deadline, "the edited note is analysed before the debounce runs out")
        #expect(client.notifications("textDocument/publishDiagnostics").count == 1, "but not published yet")
        _ = try client.diagnostics(uri, version: 2, timeout: 10)
        #expect(Date().timeIntervalSince(changed) >= 1.5, "results wait for the debounce")
    }

    @Test func withoutEarlierResultsTheRangeLastShownIsAnalysedFirst() throws {
        let engine = FakeEngine()
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        let text = (0..<6).map { "note \($0) eylea" }.joined(separator: "\n\n")
        client.open(uri, text)
        _ = try client.diagnostics(uri, version: 1)
        _ = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(8, 0, 8, 20)]))
        engine.analysedNotes.withLock { $0 = [] }
        // New settings drop the results: the next pass starts with the range the editor shows.
        let seen = client.sent.count
        client.notify("workspace/didChangeConfiguration", .obj(["settings": .obj(["hintStyle": "full"])]))
        _ = try client.waitFor("diagnostics under the new settings", after: seen) { $0["method"] == "textDocument/publishDiagnostics" }
        #expect(engine.analysedNotes.withLock { $0.first } == "note 4 eylea")
        // The visible notes may be published before the rest are analysed (partial results).
        try client.wait(timeout: 10, until: "every note analysed") { engine.analysedNotes.withLock { $0.count >= 6 } }
        #expect(engine.analysedNotes.withLock { $0.count } == 6)
    }

    @Test func aFindingAtTheCursorIsHeldBackUntilTypingPauses() throws {
        let client = TestClient()
        _ = try client.initialize(options: .obj(["debounceMs": 300]))
        client.open(uri, "R) eyle")
        _ = try client.diagnostics(uri, version: 1)
        client.change(uri, version: 2, [.obj(["range": range(0, 7, 0, 7), "text": "a"])])
        let params: JSON = .obj(["textDocument": textDocument(uri), "range": range(0, 0, 0, 20)])
        let early = try client.result("textDocument/inlayHint", params)
        #expect(early == [], "the word being typed gets no hint yet")
        _ = try client.diagnostics(uri, version: 2)
        let later = try client.result("textDocument/inlayHint", params)
        #expect(later.arrayValue?.first?["label"] == "drug")
    }

    @Test func aHalfTypedWordShowsNothingUntilAPauseOrTheNextSpace() throws {
        let client = TestClient()
        _ = try client.initialize(.obj(["workspace": .obj(["inlayHint": .obj(["refreshSupport": true])])]),
                                  options: .obj(["debounceMs": 20]))
        client.open(uri, "R) ")
        _ = try client.diagnostics(uri, version: 1)
        let params: JSON = .obj(["textDocument": textDocument(uri), "range": range(0, 0, 0, 20)])
        client.change(uri, version: 2, [.obj(["range": range(0, 3, 0, 3), "text": "eylea"])])
        let changed = Date()
        #expect(try client.diagnostics(uri, version: 2).isEmpty, "fresh results, but the word at the cursor is held back")
        #expect(try client.result("textDocument/inlayHint", params) == [])
        let seen = client.sent.count
        _ = try client.waitFor(timeout: 5, "refresh after the pause", after: seen) { $0["method"] == "workspace/inlayHint/refresh" }
        #expect(Date().timeIntervalSince(changed) >= 0.5)
        #expect(try client.result("textDocument/inlayHint", params).arrayValue?.first?["label"] == "drug")
        #expect(try client.diagnostics(uri, version: 2, count: 1).first?["code"] == "drug")
        // A space ends the word: the next results show it at once.
        client.change(uri, version: 3, [.obj(["range": range(0, 8, 0, 8), "text": " "])])
        #expect(try client.diagnostics(uri, version: 3).first?["code"] == "drug")
    }

    @Test func holdBackCanBeTurnedOff() throws {
        let client = TestClient()
        _ = try client.initialize(options: .obj(["debounceMs": 300, "holdBackWhileTyping": false]))
        client.open(uri, "R) eyle")
        _ = try client.diagnostics(uri, version: 1)
        client.change(uri, version: 2, [.obj(["range": range(0, 7, 0, 7), "text": "a"])])
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 0, 20)]))
        #expect(hints.arrayValue?.first?["label"] == "drug")
    }

    @Test func aHintRangeIsAnsweredBeforeTheRestOfALargeDocument() throws {
        let engine = FakeEngine(delayPerNote: 0.02)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        let text = (0..<60).map { "note \($0) eylea" }.joined(separator: "\n\n")
        client.open(uri, text)
        let started = Date()
        let hints = try client.result("textDocument/inlayHint", .obj([
            "textDocument": textDocument(uri), "range": range(116, 0, 118, 20)]))
        let hintTime = Date().timeIntervalSince(started)
        #expect(hints.arrayValue?.map { $0["position"]["line"] } == [116, 118])
        _ = try client.diagnostics(uri, version: 1, count: 60, timeout: 10)
        let fullTime = Date().timeIntervalSince(started)
        #expect(hintTime < fullTime / 3, "hints in \(hintTime) s, whole document in \(fullTime) s")
    }

    @Test func whileTypingHintsComeFromTheLastResultsMovedThroughTheEdits() throws {
        let engine = FakeEngine()
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(options: .obj(["debounceMs": 400]))
        client.open(uri, "eylea one\n\nlucentis two\n\niop 12")
        _ = try client.diagnostics(uri, version: 1)
        let calls = engine.analysedNotes.withLock { $0.count }
        // Type "x\n" at the end of the first note: the notes below move down a line, their spans untouched.
        client.change(uri, version: 2, [.obj(["range": range(0, 9, 0, 9), "text": "x\n"])])
        // And type right after "iop 12": that finding is touched, so it waits for the next analysis.
        client.change(uri, version: 3, [.obj(["range": range(6, 6, 6, 6), "text": "3"])])
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 9, 0)]))
        #expect(hints.arrayValue?.map { $0["position"] } == [position(0, 5), position(3, 8)])
        #expect(engine.analysedNotes.withLock { $0.count } == calls, "no analysis on the request path while typing")
        _ = try client.diagnostics(uri, version: 3)
        let fresh = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 9, 0)]))
        #expect(fresh.arrayValue?.map { $0["label"] } == ["drug", "drug", "123 mmHg"])
    }
}
