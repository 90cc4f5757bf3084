import Foundation
import JSON

/// Finds and reads `.clinic-lsp.json`, searching from a document's folder upward.
enum ProjectSettings {
    static let fileName = ".clinic-lsp.json"

    /// The local path of a `file:` URI, or nil for other schemes.
    static func path(ofFileURI uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return url.path
    }

    /// The file's bytes, which say whether it changed: modification times can be a whole second coarse.
    static func contents(_ file: String) -> Data? {
        FileManager.default.contents(atPath: file)
    }

    static func findFile(forDocumentPath path: String) -> String? {
        var dir = (path as NSString).deletingLastPathComponent
        for _ in 0..<64 {
            let candidate = (dir as NSString).appendingPathComponent(fileName)
            if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir || parent.isEmpty { break }
            dir = parent
        }
        return nil
    }

    /// The file's settings section, or a problem saying why it could not be used.
    static func read(_ file: String, contents: Data?) -> Result<JSON, SettingsProblem> {
        guard let data = contents else {
            return .failure(SettingsProblem("\(file): cannot be read"))
        }
        guard data.count <= 1 << 20 else { return .failure(SettingsProblem("\(file): larger than 1 MiB")) }
        do {
            // Some Windows editors start the file with a UTF-8 byte-order mark; it is no part of the JSON.
            let bytes = [UInt8](data)
            let json = try JSON.parse(bytes: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes)
            guard case .object = json else {
                return .failure(SettingsProblem("\(file): expected a JSON object, found \(json.typeName)"))
            }
            return .success(SettingsJSON.section(json))
        } catch {
            return .failure(SettingsProblem("\(file): \(error)"))
        }
    }
}

/// A project file as last read: its bytes, and its settings (nil when unusable).
struct ProjectFileEntry: Sendable {
    var contents: Data?
    var settings: JSON?
}

struct SettingsProblem: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
