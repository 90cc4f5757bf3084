import JSON
import Testing
@testable import ClinicServer

/// Random, mostly wrong input: the server must answer every request and never trap.
@Suite struct FuzzTests {
    /// Every method the table registers (a new request is fuzzed without a change here), but `exit`.
    static let methods = ServerMethods.requests.map(\.method)
        + ServerMethods.notifications.map(\.method).filter { $0 != "exit" } + ["$/cancelRequest", "clinic/x"]

    static func value(_ rng: inout SeededRandom, depth: Int = 0) -> JSON {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 9), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int([0, -1, 1, Int.max, Int.min, 7, 1 << 40].randomElement(using: &rng)!)
        case 3: return .double([0.5, -1e300, 1e300, 3.0].randomElement(using: &rng)!)
        case 4: return .string(["", "file:///f.clinic", "eylea 😀\r\n", "utf-8", "verbose", "\u{0}"].randomElement(using: &rng)!)
        case 5: return .string(String(repeating: "x", count: Int.random(in: 0...50, using: &rng)))
        case 6: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in value(&rng, depth: depth + 1) })
        default:
            var o = JSONObject()
            let keys = ["uri", "textDocument", "position", "range", "start", "end", "line", "character", "text",
                        "version", "contentChanges", "context", "only", "settings", "value", "id", "capabilities"]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                o[keys.randomElement(using: &rng)!] = value(&rng, depth: depth + 1)
            }
            return .object(o)
        }
    }

    /// Params shaped like the real ones, with fields randomly replaced.
    static func params(_ rng: inout SeededRandom) -> JSON {
        func maybe(_ good: JSON) -> JSON { Int.random(in: 0..<4, using: &rng) == 0 ? value(&rng) : good }
        let line = Int.random(in: -2...6, using: &rng), character = Int.random(in: -2...40, using: &rng)
        let pos: JSON = .obj(["line": maybe(.int(line)), "character": maybe(.int(character))])
        let range: JSON = .obj(["start": maybe(pos), "end": maybe(pos)])
        return .obj([
            "textDocument": maybe(.obj(["uri": maybe("file:///f.clinic"), "version": maybe(.int(Int.random(in: 0...9, using: &rng))),
                                        "text": maybe("IOP 14/16 eylea\n\nrev 😀 4/52"), "languageId": "clinic"])),
            "position": maybe(pos), "range": maybe(range),
            "contentChanges": maybe([.obj(["range": maybe(range), "text": maybe("x\r\n😀")])]),
            "context": maybe(.obj(["diagnostics": [], "only": maybe(["quickfix"])])),
            "settings": maybe(.obj(["clinic": maybe(.obj(["debounceMs": maybe(0), "hintStyle": maybe("full")]))])),
            "value": maybe("messages"), "id": maybe(1), "capabilities": maybe(.obj([:])),
        ])
    }

    @Test func randomMessagesNeverStopTheServer() throws {
        var rng = SeededRandom(state: 42)
        let client = TestClient()
        _ = try client.initialize()
        client.open("file:///f.clinic", "IOP 14/16 eylea\n\nrev 4/52")
        _ = try client.diagnostics("file:///f.clinic", version: 1)
        var ids: [Int] = []
        for _ in 0..<1500 {
            let method = Self.methods.randomElement(using: &rng)!
            if method == "shutdown" { continue }  // would end the session
            let p = Int.random(in: 0..<5, using: &rng) == 0 ? Self.value(&rng) : Self.params(&rng)
            if Bool.random(using: &rng) { ids.append(client.request(method, p)) } else { client.notify(method, p) }
        }
        for _ in 0..<300 {
            var bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) { bytes = Array("{\"jsonrpc\":\"2.0\",\"id\":".utf8) + bytes }
            client.server.receive(.message(bytes))
        }
        client.server.waitUntilIdle()
        for id in ids {
            _ = try client.waitFor("an answer to request \(id)") { $0["id"] == .int(id) && $0["method"].isNull }
        }
        let hover = try client.call("textDocument/hover", .obj(["textDocument": textDocument("file:///fresh.clinic"),
                                                                "position": position(0, 0)]))
        #expect(hover["error"]["message"].stringValue?.contains("not open") == true)
        client.open("file:///fresh.clinic", "eylea")
        _ = try client.diagnostics("file:///fresh.clinic", version: 1)
    }

    @Test func randomBytesThroughTheFramer() {
        var rng = SeededRandom(state: 7)
        var framer = MessageFramer()
        // As the transport and server do: a body that does not parse is dropped whole.
        func drain() -> Int {
            var good = 0
            while let e = framer.next() {
                guard case .message(let body) = e else { continue }
                if (try? JSON.parse(bytes: body)) != nil { good += 1 }
            }
            return good
        }
        for round in 0..<2000 {
            var chunk = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if round % 3 == 0 { chunk += Array("Content-Length: \(Int.random(in: -5...99, using: &rng))\r\n\r\n".utf8) }
            framer.append(chunk)
            _ = drain()
        }
        // A stream left mid-body by garbage (at most 99 bytes here) loses the messages that body swallows
        // (at most five of these 23-byte ones) and the one it cuts; every message after those arrives.
        var recovered = 0
        for _ in 0..<12 {
            framer.append(Array("Content-Length: 2\r\n\r\n{}".utf8))
            recovered += drain()
        }
        #expect(recovered >= 6)
    }
}
