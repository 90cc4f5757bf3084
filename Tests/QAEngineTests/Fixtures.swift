import Foundation
import JSON

/// Test fixtures written by training/make_parity_fixtures.py.
enum Fixtures {
    static var directory: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    }

    static func path(_ name: String) -> String { directory + "/" + name }

    static func json(_ name: String) throws -> JSON {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        return try JSON.parse(bytes: [UInt8](data))
    }
}

extension JSONReader {
    func ints() throws -> [Int] { try array().map { try $0.int() } }
    func floats() throws -> [Float] { try array().map { Float(try $0.double()) } }
    /// `[[start, end], ...]`
    func ranges() throws -> [Range<Int>] {
        try array().map { pair in
            let p = try pair.ints()
            return p[0]..<p[1]
        }
    }
}

/// A scratch directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "qaengine-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// Copies a fixture model directory, so a test can break one file of it.
    func copyModel(_ fixture: String) throws -> String {
        let target = path + "/" + fixture
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: target)
        return target
    }
}
