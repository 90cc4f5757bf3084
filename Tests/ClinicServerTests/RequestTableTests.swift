import Foundation
import JSON
import Testing
@testable import ClinicServer

/// The method table (`ServerMethods`): what it registers is what `initialize` advertises and what the
/// dispatcher answers.
@Suite struct RequestTableTests {
    @Test func everyRegisteredRequestIsAdvertised() throws {
        let caps = try #require(try TestClient().initialize()["capabilities"].objectValue)
        var declared = Set<String>()
        for entry in ServerMethods.requests {
            let members = entry.capabilities.objectValue ?? JSONObject()
            // Only the lifecycle requests have nothing to advertise.
            #expect(!members.isEmpty || ["initialize", "shutdown"].contains(entry.method), "\(entry.method) is not advertised")
            for (key, value) in members {
                #expect(caps[key] == value, "\(entry.method) declares \(key)")
                declared.insert(key)
            }
        }
        for entry in ServerMethods.notifications {
            for (key, _) in entry.capabilities.objectValue ?? JSONObject() { declared.insert(key) }
        }
        // Nothing is advertised that no entry declares (but the negotiated position encoding).
        #expect(Set(caps.map(\.0)) == declared.union(["positionEncoding"]))
        #expect(caps["documentSymbolProvider"] == true)
        #expect(caps["textDocumentSync"] == .obj(["openClose": true, "change": 2, "save": .obj(["includeText": false])]))
    }

    @Test func everyRegisteredRequestIsHandledAndOthersAreNotFound() throws {
        let client = TestClient()
        _ = try client.initialize()
        for entry in ServerMethods.requests where entry.method != "shutdown" && entry.method != "initialize" {
            // Wrong params: InvalidParams, which shows the method was found.
            let r = try client.call(entry.method, .obj(["textDocument": .obj(["uri": 1])]))
            #expect(r["error"]["code"] == .int(-32602), "\(entry.method)")
        }
        let unknown = try client.call("textDocument/definition", .obj(["textDocument": textDocument("file:///a.clinic")]))
        #expect(unknown["error"]["code"] == .int(-32601))
        #expect(unknown["error"]["message"] == "method not found: textDocument/definition")
    }

    @Test func methodsAreRegisteredOnce() {
        let methods = ServerMethods.requests.map(\.method) + ServerMethods.notifications.map(\.method)
        #expect(Set(methods).count == methods.count)
    }

    /// Hover on an analysed 300-note document is answered from its results while the worker is busy
    /// with another document's analysis: never behind the worker.
    @Test func hoverAnswersWhileTheWorkerIsBusy() throws {
        let engine = FakeEngine(delayPerNote: 0.004)
        let client = TestClient(factory: FakeFactory(engine: engine))
        _ = try client.initialize(.obj([:]), options: .obj(["debounceMs": 0]))
        func document(_ notes: Int) -> String {
            (0..<notes).map { "\($0 + 1)/03/24 R) eylea given\niop \(10 + $0 % 12)" }.joined(separator: "\n\n")
        }
        let a = "file:///clinic/a.clinic", b = "file:///clinic/b.clinic"
        client.open(a, document(300))
        _ = try client.diagnostics(a, version: 1, count: 600, timeout: 20)
        let analysedA = engine.analysedNotes.withLock { $0.count }
        client.open(b, document(1000))  // four seconds of work
        try client.wait(until: "b's analysis under way") { engine.analysedNotes.withLock { $0.count } > analysedA }
        var times: [Double] = []
        for k in 0..<30 {
            let started = Date()
            let r = try client.result("textDocument/hover", .obj(["textDocument": textDocument(a), "position": position(k * 30, 2)]))
            times.append(Date().timeIntervalSince(started) * 1000)
            #expect(r["contents"]["value"].stringValue?.contains("of 300") == true)
        }
        let busy = engine.analysedNotes.withLock { $0.count } < 1300
        #expect(busy, "the worker was still analysing b")
        let median = times.sorted()[times.count / 2]
        #expect(median < 20, "hover median \(median) ms while the worker is busy")
    }
}
