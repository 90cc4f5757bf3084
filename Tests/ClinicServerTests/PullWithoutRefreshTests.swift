import Foundation
import JSON
import Testing
@testable import ClinicServer

/// Clients that pull diagnostics but take no `workspace/diagnostic/refresh` (Neovim 0.11, yegappan/lsp)
/// or hints without `workspace/inlayHint/refresh` keep whatever they are answered until they ask again:
/// the server waits for the results of the current version rather than answer nothing.
@Suite struct PullWithoutRefreshTests {
    let uri = "file:///clinic/pull.clinic"
    let text = "R) eylea given\niop 14\n\nL) lucentis rev"
    static let pullOnly: JSON = .obj(["textDocument": .obj(["diagnostic": .obj([:])])])

    func started(_ caps: JSON = pullOnly, loadDelay: Double) throws -> TestClient {
        let client = TestClient(factory: FakeFactory(loadDelay: loadDelay))
        _ = try client.initialize(caps)
        return client
    }

    func pull(_ client: TestClient) throws -> JSON {
        try client.call("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
    }

    @Test func aPullWhileTheModelLoadsIsAnsweredWithTheFindings() throws {
        let client = try started(loadDelay: 0.4)
        client.open(uri, text)
        let started = Date()
        let answer = try pull(client)
        #expect(answer["error"].isNull, "\(answer)")
        #expect(answer["result"]["items"].arrayValue?.map { $0["code"] } == ["drug", "pressure", "drug", "review"])
        #expect(Date().timeIntervalSince(started) > 0.2, "it waited for the model")
        Thread.sleep(forTimeInterval: Double(ClinicLanguageServer.pushFallbackDelayMilliseconds) / 1000 + 0.3)
        #expect(client.notifications("textDocument/publishDiagnostics").isEmpty, "the pull took the results: no push")
    }

    @Test func aPullThatWouldWaitTooLongIsCancelledForARetrigger() throws {
        let client = try started(loadDelay: Double(ClinicLanguageServer.parkedRequestTimeoutMilliseconds) / 1000 + 1)
        client.open(uri, text)
        let answer = try pull(client)
        #expect(answer["error"]["code"] == -32802)
        #expect(answer["error"]["data"]["retriggerRequest"] == true)
        let again = try client.call("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]), timeout: 5)
        #expect(again["result"]["items"].arrayValue?.count == 4, "\(again)")
    }

    @Test func resultsNoPullTookArePushedThenClearedWhenAPullTakesThem() throws {
        let client = try started(loadDelay: 0.1)
        client.open(uri, text)
        let pushed = try client.waitFor(timeout: 5, "fallback push") {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(uri)
        }
        #expect(pushed["params"]["diagnostics"].arrayValue?.count == 4)
        let seen = client.sent.count
        #expect(try pull(client)["result"]["items"].arrayValue?.count == 4)
        let cleared = try client.waitFor("pushed copy cleared", after: seen) { $0["method"] == "textDocument/publishDiagnostics" }
        #expect(cleared["params"]["diagnostics"] == [], "the client would show each finding twice otherwise")
    }

    @Test func aPullWhileTypingWaitsForTheNewVersion() throws {
        let client = try started(loadDelay: 0)
        client.open(uri, text)
        #expect(try pull(client)["result"]["items"].arrayValue?.count == 4)
        client.change(uri, version: 2, [.obj(["range": range(0, 3, 0, 8), "text": "lucentis"])])
        let items = try pull(client)["result"]["items"].arrayValue ?? []
        #expect(items.first?["message"] == "Drug: Lucentis (ranibizumab)", "\(items)")
    }

    @Test func cancellingAWaitingPullAnswersIt() throws {
        let client = try started(loadDelay: 1)
        client.open(uri, text)
        let id = client.request("textDocument/diagnostic", .obj(["textDocument": textDocument(uri)]))
        client.notify("$/cancelRequest", .obj(["id": .int(id)]))
        let answer = try client.waitFor(timeout: 0.8, "cancelled pull") { $0["id"] == .int(id) }
        #expect(answer["error"]["code"] == -32800)
    }

    @Test func inlayHintsWhileTheModelLoadsWaitWithoutRefreshSupport() throws {
        let client = try started(.obj([:]), loadDelay: 0.4)
        client.open(uri, text)
        let hints = try client.call("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 4, 0)]))
        #expect((hints["result"].arrayValue ?? []).count == 3, "\(hints)")
    }

    @Test func hintsWaitingForTheModelComeBeforeTheRestOfALargeDocument() throws {
        let client = TestClient(factory: FakeFactory(engine: FakeEngine(delayPerNote: 0.02), loadDelay: 0.3))
        _ = try client.initialize(options: .obj(["debounceMs": 0]))
        client.open(uri, (0..<60).map { "note \($0) eylea" }.joined(separator: "\n\n"))
        let started = Date()
        let hints = try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(116, 0, 118, 20)]))
        let hintTime = Date().timeIntervalSince(started)
        #expect(hints.arrayValue?.map { $0["position"]["line"] } == [116, 118])
        _ = try client.diagnostics(uri, version: 1, count: 60, timeout: 10)
        let fullTime = Date().timeIntervalSince(started)
        #expect(hintTime < 0.3 + (fullTime - 0.3) / 3, "hints in \(hintTime) s, whole document in \(fullTime) s")
    }

    @Test func clientsWithRefreshSupportAreAnsweredAtOnce() throws {
        let client = try started(.obj([
            "textDocument": .obj(["diagnostic": .obj([:])]),
            "workspace": .obj(["diagnostics": .obj(["refreshSupport": true]), "inlayHint": .obj(["refreshSupport": true])]),
        ]), loadDelay: 1)
        client.open(uri, text)
        let started = Date()
        #expect(try pull(client)["result"]["items"] == [])
        #expect(try client.result("textDocument/inlayHint", .obj(["textDocument": textDocument(uri), "range": range(0, 0, 4, 0)])) == [])
        #expect(Date().timeIntervalSince(started) < 0.5)
        _ = try client.waitFor("refresh once loaded") { $0["method"] == "workspace/diagnostic/refresh" }
    }
}
