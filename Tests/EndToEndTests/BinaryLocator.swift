import Foundation

/// Finds the built `clinic-lsp` binary next to the test bundle, so tests drive the real program.
enum BinaryLocator {
    static func binary() -> URL? {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("clinic-lsp")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}
