import Foundation
import JSON
import Testing

/// A model whose weights are NaN, or whose config.json is absurd, is reported by the real server once on
/// window/showMessage and on stderr, naming the file and the problem, while the pattern plugins serve on.
@Suite struct BrokenModelEndToEndTests {
    static let fixture = LSPProcess.packageRoot.appendingPathComponent("Tests/QAEngineTests/Fixtures/tiny-bert")

    /// A copy of the fixture model with one weight made NaN.
    static func nanModel(in folder: ScratchFolder) throws -> URL {
        let model = folder.url.appendingPathComponent("nan-model")
        try FileManager.default.copyItem(at: fixture, to: model)
        let file = model.appendingPathComponent("model.safetensors")
        var bytes = [UInt8](try Data(contentsOf: file))
        let n = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        let header = try JSON.parse(bytes: Array(bytes[8..<(8 + n)]))
        let begin = try JSONReader(header)["qa_outputs.bias"]["data_offsets"].array()[0].int()
        bytes.replaceSubrange((8 + n + begin)..<(8 + n + begin + 4), with: [0x00, 0x00, 0xC0, 0x7F])
        try Data(bytes).write(to: file)
        return model
    }

    func expectReported(model: URL, _ what: String) throws {
        let server = try LSPProcess(model: model.path)
        _ = try server.result("initialize", .obj(["processId": .null, "capabilities": .obj([:])]), timeout: 15)
        server.notify("initialized")
        let uri = "file:///tmp/clinic-e2e/broken-model.clinic"
        server.notify("textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": .string(uri), "languageId": "clinic", "version": 1, "text": "IOP 14/16. R) eylea",
        ])]))
        let shown = try server.waitFor("the model error", timeout: 20) {
            $0["method"] == "window/showMessage" && $0["params"]["type"] == 1
        }
        let message = shown["params"]["message"].stringValue ?? ""
        #expect(message.contains(what), "\(message)")
        #expect(message.contains("Only the pattern plugins run"))
        let diagnostics = try server.waitFor("diagnostics with the pattern plugins", timeout: 20) {
            $0["method"] == "textDocument/publishDiagnostics"
                && ($0["params"]["diagnostics"].arrayValue ?? []).contains { $0["code"] == "iop.right" }
        }
        #expect(diagnostics["params"]["uri"] == .string(uri))
        #expect(server.stderr.contains(what), "\(server.stderr)")
        #expect(server.process.isRunning)
    }

    @Test func nanWeightsAreReportedAndPatternsServe() throws {
        let folder = try ScratchFolder()
        let model = try Self.nanModel(in: folder)
        try expectReported(model: model, "\(model.path)/model.safetensors: tensor qa_outputs.bias holds NaN at element 0")
    }

    @Test func anAbsurdConfigIsReportedAndPatternsServe() throws {
        let folder = try ScratchFolder()
        let model = folder.url.appendingPathComponent("absurd-model")
        try FileManager.default.copyItem(at: Self.fixture, to: model)
        let config = model.appendingPathComponent("config.json")
        var json = try JSON.parse(String(contentsOf: config, encoding: .utf8))
        json["num_hidden_layers"] = .int(1_000_000)
        try Data(json.serialized().utf8).write(to: config)
        try expectReported(model: model, "\(config.path): num_hidden_layers 1000000 is out of range")
    }
}
