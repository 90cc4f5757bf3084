import Foundation
import JSON
import Testing
@testable import ClinicServer

/// The edges of the wire protocol from issue 12: bodies that are JSON but no object, malformed bodies
/// with frames inside them, and headers whose lines end in a bare LF.
@Suite struct ProtocolEdgeTests {
    /// Feeds `stream` through the real stdin transport (a pipe) into a server, and returns what it sent.
    func serve(_ stream: [UInt8]) throws -> [JSON] {
        let output = CollectingOutput()
        let server = ClinicLanguageServer(output: output, factory: FakeFactory(), onExit: { _ in })
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        let writer = Thread {
            stream.withUnsafeBytes { buf in
                var done = 0
                while done < buf.count, let base = buf.baseAddress {
                    let n = write(writeEnd, base + done, buf.count - done)
                    if n <= 0 { break }
                    done += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        FileDescriptorInput(fd: readEnd).run { server.receive($0) }
        close(readEnd)
        server.waitUntilIdle()
        return output.messages.withLock { $0 }
    }

    func request(_ id: Int, _ method: String) -> String {
        JSON.obj(["jsonrpc": "2.0", "id": .int(id), "method": .string(method)]).serialized()
    }

    @Test(arguments: ["42", "null", "true", "\"text\"", "-1.5"])
    func aBodyThatIsNoObjectIsAnInvalidRequest(body: String) throws {
        let sent = try serve(frame(body))
        #expect(sent.count == 1)
        #expect(sent.first?["error"]["code"] == -32600, "\(body): \(sent)")
    }

    @Test func aMalformedBodyIsDroppedWholeWithTheFrameInsideIt() throws {
        let embedded = String(decoding: frame(request(99, "clinic/embedded")), as: UTF8.self)
        let stream = frame("{\"broken\": " + embedded + " yy") + frame(request(1, "clinic/next"))
        let sent = try serve(stream)
        #expect(!sent.contains { $0["id"] == 99 }, "the frame inside a malformed body ran: \(sent)")
        // Not initialized yet, so the next request is answered ServerNotInitialized: answered all the same.
        #expect(sent.contains { $0["id"] == 1 && $0["error"]["code"] == -32002 }, "the next request went unanswered: \(sent)")
        #expect(sent.filter { $0["error"]["code"] == -32700 }.count == 1)
    }

    @Test func headerLinesEndingInABareLFAreAccepted() throws {
        let lf = request(1, "clinic/lf"), mixed = request(3, "clinic/mixed")
        let stream = Array("Content-Length: \(lf.utf8.count)\n\n\(lf)".utf8) + frame(request(2, "clinic/crlf"))
            + Array("Content-Type: x\r\nContent-Length: \(mixed.utf8.count)\n\r\n\(mixed)".utf8)
        let sent = try serve(stream)
        #expect(sent.contains { $0["id"] == 1 }, "\(sent)")
        #expect(sent.contains { $0["id"] == 3 }, "\(sent)")
        #expect(sent.contains { $0["id"] == 2 }, "the frame after the LF-only header was lost: \(sent)")
        #expect(!sent.contains { $0["error"]["code"] == -32700 })
    }

    @Test func theFramerSplitsLFOnlyHeadersAndKeepsTheNextFrame() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: 2\n\n{}Content-Length: 2\r\n\r\n[]".utf8))
        #expect(framer.next() == .message(Array("{}".utf8)))
        #expect(framer.next() == .message(Array("[]".utf8)))
        #expect(framer.next() == nil)
    }
}
