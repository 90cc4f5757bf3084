import Foundation
import Testing

@Suite struct VersionTests {
    @Test func binaryPrintsVersion() throws {
        let bin = try #require(BinaryLocator.binary(), "clinic-lsp binary not found next to the tests")
        let p = Process()
        p.executableURL = bin
        p.arguments = ["--version"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }
}
