import Testing
@testable import ClinicServer

@Suite struct FramingTests {
    func events(_ chunks: [String], finish: Bool = true) -> [MessageFramer.Event] {
        var framer = MessageFramer()
        var out: [MessageFramer.Event] = []
        for chunk in chunks {
            framer.append(Array(chunk.utf8))
            while let e = framer.next() { out.append(e) }
        }
        if finish, let e = framer.finish() { out.append(e) }
        return out
    }

    func message(_ s: String) -> MessageFramer.Event { .message(Array(s.utf8)) }

    @Test func splitsMessagesAcrossArbitraryChunks() {
        let stream = "Content-Length: 2\r\n\r\n{}Content-Length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1,2,3]"
        let whole = events([stream])
        #expect(whole == [message("{}"), message("[1,2,3]")])
        let bytes = Array(stream)
        let single = events(bytes.map { String($0) })
        #expect(single == whole)
    }

    @Test func headerNameIsCaseInsensitiveAndBodyIsBytes() {
        #expect(events(["content-length:  4 \r\n\r\n\"é\""]) == [.message(Array("\"é\"".utf8))])
    }

    @Test func missingLengthIsAnErrorAndTheNextMessageStillArrives() {
        let e = events(["Content-Type: x\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}"])
        #expect(e.count == 2)
        guard case .error(let m) = e[0] else { Issue.record("expected an error first"); return }
        #expect(m.contains("no Content-Length"))
        #expect(e[1] == message("{}"))
    }

    @Test func garbageLengthIsAnError() {
        for bad in ["abc", "-1", "1e3", "99999999999999999999", ""] {
            let e = events(["Content-Length: \(bad)\r\n\r\n{}Content-Length: 2\r\n\r\n[]"])
            #expect(e.last == message("[]"), "after Content-Length: \(bad)")
            #expect(e.count == 2)
        }
    }

    @Test func hugeLengthIsRefusedWithoutAllocating() {
        let e = events(["Content-Length: 999999999999\r\n\r\nContent-Length: 2\r\n\r\n{}"])
        #expect(e.count == 2)
        #expect(e.last == message("{}"))
    }

    @Test func oversizedHeaderIsAnErrorNotAHang() {
        let junk = String(repeating: "X", count: MessageFramer.maxHeaderBytes + 10)
        let e = events(["\(junk)Content-Length: 2\r\n\r\n{}"])
        #expect(e.first.map { if case .error = $0 { true } else { false } } == true)
        #expect(e.last == message("{}"))
    }

    @Test func truncatedBodyAtEndOfInputIsReported() {
        let e = events(["Content-Length: 10\r\n\r\n{\"a\""])
        guard case .error(let m)? = e.last else { Issue.record("expected an error"); return }
        #expect(m.contains("short"))
    }
}
