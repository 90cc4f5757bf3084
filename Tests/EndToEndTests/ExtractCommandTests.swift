import Foundation
import JSON
import Testing

/// Drives the real `clinic-lsp extract` binary through its error paths and a model-free run.
@Suite final class ExtractCommandTests {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// Settings that switch off the model-backed plugins, so these runs need no model.
    static let noModel = #"{"plugins": {"drug": false, "acuity": false}}"#

    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Self.noModel.write(to: dir.appendingPathComponent("no-model.json"), atomically: true, encoding: .utf8)
        try "IOP 14/16. rev 4/52\n\nR) eylea\r\nIOP R 21 L 19\n".write(to: dir.appendingPathComponent("a.clinic"), atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func run(_ args: [String], stdin: Data? = nil) throws -> Result {
        let bin = try #require(BinaryLocator.binary(), "clinic-lsp binary not found next to the tests")
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CLINIC_LSP_MODEL")
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    @Test func jsonlRecordsPerNoteWithEveryField() throws {
        let r = try run(["extract", "--config", path("no-model.json"), path("a.clinic")])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "no progress output when stderr is not a terminal")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        let second = try JSON.parse(lines[1])
        #expect(second["note"] == 1)
        #expect(second["file"] == .string(path("a.clinic")))
        #expect(second["text"] == "R) eylea\r\nIOP R 21 L 19")
        #expect(second["range"] == ["start": ["line": 2, "character": 0], "end": ["line": 3, "character": 13]])
        #expect(second["fields"].objectValue?.keys == ["iop.right", "iop.left", "review"])
        #expect(second["fields"]["iop.right"]["text"] == "21")
        #expect(second["fields"]["review"] == .null)
        #expect(second["diagnostics"] == [])
    }

    @Test func everyFormatRuns() throws {
        for format in ["jsonl", "json", "csv", "text"] {
            let r = try run(["extract", "--format", format, "--config", path("no-model.json"), path("a.clinic")])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stdout.contains("21"), "\(format)")
        }
        let json = try JSON.parse(try run(["extract", "--format", "json", "--config", path("no-model.json"), path("a.clinic")]).stdout)
        #expect(json.arrayValue?.count == 2)
    }

    @Test func standardInput() throws {
        let r = try run(["extract", "--config", path("no-model.json"), "-"], stdin: Data("IOP 10/11".utf8))
        #expect(r.status == 0)
        #expect(try JSON.parse(r.stdout)["file"] == "<stdin>")
    }

    @Test func missingFileIsReportedAndTheOthersStillRun() throws {
        let r = try run(["extract", "--config", path("no-model.json"), path("missing.clinic"), path("a.clinic")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("missing.clinic: no such file"))
        #expect(r.stdout.split(separator: "\n").count == 2)
    }

    @Test func invalidUTF8NamesTheByteOffset() throws {
        var bytes = Array("IOP 14/16\n\nR) ey".utf8)
        bytes += [0xC3, 0x28]
        try Data(bytes).write(to: dir.appendingPathComponent("bad.clinic"))
        let r = try run(["extract", "--config", path("no-model.json"), path("bad.clinic")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.clinic: invalid UTF-8 at byte offset 16"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test(arguments: [
        ([0x61, 0xED, 0xA0, 0x80], 1),        // a UTF-16 surrogate encoded in UTF-8
        ([0x61, 0x62, 0xC0, 0xAF], 2),        // overlong "/"
        ([0x61, 0xE2, 0x82], 1),              // truncated at the end
        ([0xF0, 0x9F, 0x99, 0x82, 0xFF], 4),  // a stray byte after an emoji
    ] as [([UInt8], Int)])
    func invalidUTF8Forms(bytes: [UInt8], offset: Int) throws {
        let name = "bad-\(offset)-\(bytes.count).clinic"
        try Data(bytes).write(to: dir.appendingPathComponent(name))
        let r = try run(["extract", "--config", path("no-model.json"), path(name)])
        #expect(r.status == 2)
        #expect(r.stderr.contains("invalid UTF-8 at byte offset \(offset)"), "\(r.stderr)")
    }

    @Test func byteOrderMarkIsNotText() throws {
        try Data([0xEF, 0xBB, 0xBF] + Array("IOP 14/16".utf8)).write(to: dir.appendingPathComponent("bom.clinic"))
        let r = try run(["extract", "--config", path("no-model.json"), path("bom.clinic")])
        #expect(try JSON.parse(r.stdout)["text"] == "IOP 14/16")
    }

    @Test func emptyInputGivesNoRecords() throws {
        let r = try run(["extract", "--format", "json", "--config", path("no-model.json"), "-"], stdin: Data("\n\n".utf8))
        #expect(r.status == 0)
        #expect(r.stdout == "[]\n")
    }

    @Test func badSettingsExitOneNamingTheSetting() throws {
        try #"{"plugins": {"nope": true}, "noteSeparator": 3}"#.write(to: dir.appendingPathComponent("bad.json"), atomically: true, encoding: .utf8)
        let r = try run(["extract", "--config", path("bad.json"), path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("plugins.nope: unknown plugin"))
        #expect(r.stderr.contains("noteSeparator: expected"))
        #expect(r.stdout.isEmpty)
    }

    @Test func settingsThatAreNotJSONGiveTheOffset() throws {
        try #"{"plugins": }"#.write(to: dir.appendingPathComponent("broken.json"), atomically: true, encoding: .utf8)
        let r = try run(["extract", "--config", path("broken.json"), path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("broken.json: invalid JSON at byte"))
        let missing = try run(["extract", "--config", path("nowhere.json"), path("a.clinic")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read settings file \(path("nowhere.json"))"))
    }

    @Test func settingsInTheWorkingDirectoryApply() throws {
        try Self.noModel.write(to: dir.appendingPathComponent(".clinic-lsp.json"), atomically: true, encoding: .utf8)
        let r = try run(["extract", "a.clinic"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func missingModelNamesThePathAndWhatIsExpected() throws {
        let r = try run(["extract", "--model", path("no-such-model"), path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no model directory at \(path("no-such-model"))"))
        #expect(r.stderr.contains("config.json, vocab.txt, model.safetensors"))
        #expect(r.stdout.isEmpty)
    }

    @Test func incompleteModelNamesTheMissingFiles() throws {
        let model = dir.appendingPathComponent("half-model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try "{}".write(to: model.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let r = try run(["extract", "--model", model.path, path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("lacks vocab.txt, model.safetensors"), "\(r.stderr)")
    }

    @Test func corruptModelIsReportedNotCrashedOn() throws {
        let model = dir.appendingPathComponent("bad-model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        for f in ["config.json", "vocab.txt", "model.safetensors"] {
            try "garbage".write(to: model.appendingPathComponent(f), atomically: true, encoding: .utf8)
        }
        let r = try run(["extract", "--model", model.path, path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot load the model in \(model.path)"), "\(r.stderr)")
    }

    @Test func usageErrorsExitOne() throws {
        let r = try run(["extract", "--format", "xml", path("a.clinic")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("xml"))
        #expect(try run(["extract", "--threads", "0", path("a.clinic")]).status == 1)
    }
}
