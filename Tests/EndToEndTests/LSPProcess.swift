import Foundation
import JSON

/// The real `clinic-lsp` binary, driven over pipes the way an editor drives it.
final class LSPProcess: @unchecked Sendable {
    let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let errors = Pipe()
    private let lock = NSLock()
    private var received: [JSON] = []
    private var stderrBytes = Data()
    private var unframed: [String] = []
    private var nextID = 1
    private var readers: [Thread] = []

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The model directory the tests can use, if any: $CLINIC_LSP_MODEL or model/ in the package.
    static var modelDirectory: String? {
        if let env = ProcessInfo.processInfo.environment["CLINIC_LSP_MODEL"], !env.isEmpty { return env }
        let local = packageRoot.appendingPathComponent("model")
        return FileManager.default.fileExists(atPath: local.appendingPathComponent("config.json").path) ? local.path : nil
    }

    init(arguments: [String] = [], model: String? = LSPProcess.modelDirectory) throws {
        guard let binary = BinaryLocator.binary() else { throw E2EError("clinic-lsp binary not found next to the tests") }
        process.executableURL = binary
        process.arguments = arguments + (model.map { ["--model", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["CLINIC_LSP_MODEL"] = nil
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading, err = errors.fileHandleForReading
        let stdoutReader = Thread { [self] in readFrames(out) }
        let stderrReader = Thread { [self] in
            while true {
                let chunk = err.availableData
                if chunk.isEmpty { break }
                lock.withLock { stderrBytes.append(chunk) }
            }
        }
        readers = [stdoutReader, stderrReader]
        readers.forEach { $0.start() }
    }

    private func readFrames(_ handle: FileHandle) {
        var buffer = [UInt8]()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            while let headerEnd = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let header = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self)
                guard header.hasPrefix("Content-Length: "), let length = Int(header.dropFirst(16)) else {
                    lock.withLock { unframed.append(header) }
                    buffer.removeSubrange(..<headerEnd.upperBound)
                    continue
                }
                guard buffer.count >= headerEnd.upperBound + length else { break }
                let body = Array(buffer[headerEnd.upperBound..<headerEnd.upperBound + length])
                buffer.removeSubrange(..<(headerEnd.upperBound + length))
                if let json = try? JSON.parse(bytes: body) {
                    lock.withLock { received.append(json) }
                } else {
                    lock.withLock { unframed.append(String(decoding: body, as: UTF8.self)) }
                }
            }
        }
    }

    var messages: [JSON] { lock.withLock { received } }
    var stderr: String { lock.withLock { String(decoding: stderrBytes, as: UTF8.self) } }
    /// Anything on stdout that was not a framed JSON message (must stay empty).
    var strayOutput: [String] { lock.withLock { unframed } }

    func writeRaw(_ bytes: [UInt8]) {
        input.fileHandleForWriting.write(Data(bytes))
    }

    func send(_ message: JSON) {
        let body = Array(message.serialized().utf8)
        writeRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func notify(_ method: String, _ params: JSON = .obj([:])) {
        send(.obj(["jsonrpc": "2.0", "method": .string(method), "params": params]))
    }

    @discardableResult
    func request(_ method: String, _ params: JSON = .obj([:])) -> Int {
        let id = lock.withLock { () -> Int in defer { nextID += 1 }; return nextID }
        send(.obj(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params]))
        return id
    }

    func call(_ method: String, _ params: JSON = .obj([:]), timeout: Double = 10) throws -> JSON {
        let id = request(method, params)
        return try waitFor("response to \(method)", timeout: timeout) { $0["id"] == .int(id) && $0["method"].isNull }
    }

    func result(_ method: String, _ params: JSON = .obj([:]), timeout: Double = 10) throws -> JSON {
        let r = try call(method, params, timeout: timeout)
        guard r["error"].isNull else { throw E2EError("\(method) failed: \(r["error"])") }
        return r["result"]
    }

    func waitFor(_ what: String, timeout: Double = 10, _ match: (JSON) -> Bool) throws -> JSON {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let m = messages.first(where: match) { return m }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        if let m = messages.first(where: match) { return m }
        throw E2EError("timed out waiting for \(what) (server running: \(process.isRunning))")
    }

    func diagnostics(_ uri: String, version: Int, timeout: Double = 10) throws -> [JSON] {
        try waitFor("diagnostics for version \(version)", timeout: timeout) {
            $0["method"] == "textDocument/publishDiagnostics" && $0["params"]["uri"] == .string(uri)
                && $0["params"]["version"] == .int(version)
        }["params"]["diagnostics"].arrayValue ?? []
    }

    func closeInput() { try? input.fileHandleForWriting.close() }

    /// Waits for the process to end; nil if it is still running after `timeout`.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { return nil }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// What the editor holds: applies the server's TextEdits (UTF-16 positions) to its own copy.
struct EditorBuffer {
    var text: String

    func utf16Offset(_ p: JSON) -> Int {
        let units = Array(text.utf16)
        var line = 0, i = 0
        let target = p["line"].intValue ?? 0
        while line < target, i < units.count {
            if units[i] == 10 { line += 1 }
            i += 1
        }
        var end = i
        while end < units.count, units[end] != 10, units[end] != 13 { end += 1 }
        return min(i + (p["character"].intValue ?? 0), end)
    }

    mutating func apply(_ edits: [JSON]) {
        let sorted = edits.sorted { utf16Offset($0["range"]["start"]) > utf16Offset($1["range"]["start"]) }
        var units = Array(text.utf16)
        for e in sorted {
            let a = utf16Offset(e["range"]["start"]), b = utf16Offset(e["range"]["end"])
            units.replaceSubrange(a..<b, with: Array((e["newText"].stringValue ?? "").utf16))
            text = String(decoding: units, as: UTF16.self)
        }
    }
}

func lspRange(_ l1: Int, _ c1: Int, _ l2: Int, _ c2: Int) -> JSON {
    .obj(["start": .obj(["line": .int(l1), "character": .int(c1)]), "end": .obj(["line": .int(l2), "character": .int(c2)])])
}
