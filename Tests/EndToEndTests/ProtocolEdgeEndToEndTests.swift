import Foundation
import JSON
import Testing

/// Issue 12's protocol edges against the real binary: output errors, byte-order marks, odd bodies and headers.
@Suite struct ProtocolEdgeEndToEndTests {
    static let noModel = #"{"plugins": {"drug": false, "acuity": false}}"#

    @Test(.enabled(if: FileManager.default.isWritableFile(atPath: "/dev/full"), "no /dev/full here"))
    func extractToAFullDiskIsOneLineAndExitOne() throws {
        let folder = try ScratchFolder()
        let config = try folder.write("no-model.json", Self.noModel)
        let notes = try folder.write("a.clinic", "IOP 14/16")
        let r = try ExtractProcess.run(["extract", "--config", config, notes], in: folder.url, stdoutPath: "/dev/full")
        #expect(r.status == 1)
        #expect(r.stderr == "clinic-lsp extract: cannot write the output: No space left on device\n", "\(r.stderr)")
    }

    @Test func extractReadsSettingsThatStartWithAByteOrderMark() throws {
        let folder = try ScratchFolder()
        let config = try folder.write("bom.json", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.noModel.utf8))
        let notes = try folder.write("a.clinic", "IOP 14/16")
        let r = try ExtractProcess.run(["extract", "--config", config, notes], in: folder.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSON.parse(r.stdout)["fields"]["iop.right"]["text"] == "14")
    }

    @Test func theServerAnswersOddBodiesAndHeadersAndKeepsTheNextFrame() throws {
        let server = try LSPProcess(model: nil)
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:])]), timeout: 15)
        func framed(_ body: String) -> [UInt8] { Array("Content-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8) }
        for scalar in ["42", "null", "true"] {
            server.writeRaw(framed(scalar))
            let r = try server.waitFor("InvalidRequest for \(scalar)") { $0["error"]["code"] == -32600 && $0["id"].isNull }
            #expect(r["error"]["code"] == -32600)
        }
        let embedded = #"{"jsonrpc":"2.0","id":900,"method":"clinic/embedded"}"#
        server.writeRaw(framed("{\"broken\": " + String(decoding: framed(embedded), as: UTF8.self) + " yy"))
        let next = try server.call("clinic/after-malformed", timeout: 10)
        #expect(next["error"]["code"] == -32601)
        #expect(!server.messages.contains { $0["id"] == 900 }, "the frame inside the malformed body ran")

        let lf = #"{"jsonrpc":"2.0","id":901,"method":"clinic/lf-header"}"#
        server.writeRaw(Array("Content-Length: \(lf.utf8.count)\n\n\(lf)".utf8))
        _ = try server.waitFor("answer to the LF-only frame") { $0["id"] == 901 }
        let after = try server.call("clinic/after-lf", timeout: 10)
        #expect(after["error"]["code"] == -32601)
        #expect(server.process.isRunning)
    }
}
