import Foundation

/// A document read for `extract`: its bytes decoded as UTF-8, or why it could not be.
enum InputFile {
    struct Failure: Error, CustomStringConvertible {
        var file: String
        var reason: String
        var description: String { "\(file): \(reason)" }
    }

    /// Reads `path` ("-" = standard input) as UTF-8 text; a leading byte-order mark is dropped.
    static func read(_ path: String) throws(Failure) -> String {
        let bytes: [UInt8]
        if path == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw Failure(file: path, reason: "no such file")
            }
            guard !isDir.boolValue else { throw Failure(file: path, reason: "is a directory, not a file") }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Failure(file: path, reason: "cannot be read (permission denied?)")
            }
            bytes = [UInt8](data)
        }
        if let offset = firstInvalidUTF8(bytes) {
            throw Failure(file: path, reason: "invalid UTF-8 at byte offset \(offset)")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return String(decoding: body, as: UTF8.self)
    }

    /// Byte offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            let n: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: n = 1
            case 0xE0: n = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: n = 2
            case 0xED: n = 2; hi = 0x9F
            case 0xF0: n = 3; lo = 0x90
            case 0xF1...0xF3: n = 3
            case 0xF4: n = 3; hi = 0x8F
            default: return i
            }
            for k in 1...n {
                guard i + k < b.count else { return i }
                let cc = b[i + k]
                let (l, h) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                guard cc >= l && cc <= h else { return i }
            }
            i += n + 1
        }
        return nil
    }
}
