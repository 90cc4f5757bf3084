@testable import ClinicCore
import Foundation
import Testing

@Suite final class ModelLocatorTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("locator-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".build/x86_64/release"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("model"), withIntermediateDirectories: true)
        try "// package".write(to: root.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        for f in ModelLocator.requiredFiles { try "x".write(to: root.appendingPathComponent("model/\(f)"), atomically: true, encoding: .utf8) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    var exe: String { root.appendingPathComponent(".build/x86_64/release/clinic-lsp").path }

    func resolve(explicit: String? = nil, setting: String? = nil, settingsFile: String? = nil,
                 environment: [String: String] = [:]) -> String? {
        ModelLocator.resolve(explicit: explicit, setting: setting, settingsFile: settingsFile,
                             environment: environment, executablePath: exe)
    }

    @Test func explicitPathWinsEvenIfMissing() {
        #expect(resolve(explicit: "/x/model", setting: "/s", environment: ["CLINIC_LSP_MODEL": "/env"]) == "/x/model")
        #expect(resolve(explicit: "rel/model", setting: "/s", settingsFile: "/p/.clinic-lsp.json") == "rel/model")
    }

    @Test func aSettingIsRelativeToTheFileItWasReadFrom() {
        #expect(resolve(setting: "weights", settingsFile: "/p/q/.clinic-lsp.json") == "/p/q/weights")
        #expect(resolve(setting: "../m", settingsFile: "/p/q/.clinic-lsp.json") == "/p/q/../m")
        #expect(resolve(setting: "/abs/m", settingsFile: "/p/q/.clinic-lsp.json") == "/abs/m")
        #expect(resolve(setting: "weights") == "weights", "a client setting has no file to be relative to")
        #expect(resolve(setting: "/s", environment: ["CLINIC_LSP_MODEL": "/env"]) == "/s")
    }

    @Test func environmentComesNext() {
        #expect(resolve(environment: ["CLINIC_LSP_MODEL": "/env"]) == "/env")
        #expect(resolve(explicit: "", setting: "", environment: ["CLINIC_LSP_MODEL": "/env"]) == "/env")
    }

    @Test func packageRootFoundFromTheExecutable() {
        #expect(resolve() == root.appendingPathComponent("model").path)
        #expect(ModelLocator.defaultCandidates(executablePath: exe).first == root.appendingPathComponent("model").path)
    }

    @Test func installedLayoutAndCompiledRootAreCandidates() {
        let c = ModelLocator.defaultCandidates(executablePath: "/opt/clinic/bin/clinic-lsp")
        #expect(c.last == "/opt/clinic/share/clinic-lsp/model")
        #expect(c.contains(ModelLocator.compiledPackageRoot.appendingPathComponent("model").path))
        #expect(FileManager.default.fileExists(atPath: ModelLocator.compiledPackageRoot.appendingPathComponent("Package.swift").path))
    }

    @Test func problemsNameWhatIsMissing() throws {
        #expect(ModelLocator.problem(with: root.appendingPathComponent("model").path) == nil)
        #expect(ModelLocator.problem(with: "/no/such")?.hasPrefix("no model directory at /no/such") == true)
        try FileManager.default.removeItem(at: root.appendingPathComponent("model/vocab.txt"))
        #expect(ModelLocator.problem(with: root.appendingPathComponent("model").path)?.contains("lacks vocab.txt") == true)
        #expect(ModelLocator.problem(with: root.appendingPathComponent("Package.swift").path)?.contains("is not a directory") == true)
    }
}
