import Foundation
import Testing

/// One run of the real `clinic-lsp extract` (or any subcommand), its output collected.
struct ExtractProcess {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Runs the binary in `directory` without $CLINIC_LSP_MODEL; `stdoutPath` sends standard output to a file
    /// (e.g. /dev/full) instead of a pipe.
    static func run(_ args: [String], in directory: URL, stdin: Data? = nil, stdoutPath: String? = nil) throws -> ExtractProcess {
        let bin = try #require(BinaryLocator.binary(), "clinic-lsp binary not found next to the tests")
        let p = Process()
        p.executableURL = bin
        p.arguments = args
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CLINIC_LSP_MODEL")
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        let sink = try stdoutPath.map { try FileHandle(forWritingTo: URL(fileURLWithPath: $0)) }
        p.standardOutput = sink ?? out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let o = sink == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try sink?.close()
        return ExtractProcess(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                              stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A scratch folder for one test, removed with it.
final class ScratchFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("clinic-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file.path
    }
}
