import Foundation

/// Finds the model directory for the CLI and the server, in order: --model, the `model` setting,
/// $CLINIC_LSP_MODEL, `model/` in the package the executable was built in
/// (found by walking up from the executable), the package root this file was compiled in, and
/// `<exe dir>/../share/clinic-lsp/model` for an installed copy.
public enum ModelLocator {
    public static let environmentVariable = "CLINIC_LSP_MODEL"
    /// The files a model directory must hold.
    public static let requiredFiles = ["config.json", "vocab.txt", "model.safetensors"]

    /// The model directory to use: `explicit` (--model, relative to the working directory), else `setting`
    /// (the `model` setting, relative to the folder of `settingsFile` when it was read from one), else the
    /// environment, else the defaults. A given path is returned even if it does not exist, so the caller
    /// reports that path; defaults count only when they hold a `config.json`.
    public static func resolve(explicit: String?, setting: String?, settingsFile: String?,
                               environment: [String: String], executablePath: String) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let setting, !setting.isEmpty {
            guard let settingsFile, !setting.hasPrefix("/") else { return setting }
            return URL(fileURLWithPath: settingsFile).deletingLastPathComponent().appendingPathComponent(setting).path
        }
        if let env = environment[environmentVariable], !env.isEmpty { return env }
        return defaultCandidates(executablePath: executablePath).first(where: looksLikeModel)
    }

    /// The default places, in the order they are tried.
    public static func defaultCandidates(executablePath: String) -> [String] {
        var out: [String] = []
        let exe = URL(fileURLWithPath: executablePath).standardizedFileURL
        for path in [exe, exe.resolvingSymlinksInPath()] {
            var dir = path.deletingLastPathComponent()
            for _ in 0..<6 {
                if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                    out.append(dir.appendingPathComponent("model").path)
                    break
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        out.append(compiledPackageRoot.appendingPathComponent("model").path)
        out.append(exe.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/clinic-lsp/model").standardizedFileURL.path)
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// Sources/ClinicCore/Model/ModelLocator.swift -> the package root.
    static var compiledPackageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static func looksLikeModel(_ dir: String) -> Bool {
        FileManager.default.fileExists(atPath: (dir as NSString).appendingPathComponent("config.json"))
    }

    /// What is missing from a model directory: nil when every required file is there.
    public static func problem(with dir: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else {
            return "no model directory at \(dir) (expected a directory with \(requiredFiles.joined(separator: ", ")))"
        }
        guard isDir.boolValue else {
            return "\(dir) is not a directory (expected a directory with \(requiredFiles.joined(separator: ", ")))"
        }
        let missing = requiredFiles.filter {
            !FileManager.default.isReadableFile(atPath: (dir as NSString).appendingPathComponent($0))
        }
        guard missing.isEmpty else {
            return "model directory \(dir) lacks \(missing.joined(separator: ", ")) (expected \(requiredFiles.joined(separator: ", ")))"
        }
        return nil
    }
}
