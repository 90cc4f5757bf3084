/// A WordPiece vocabulary: one token per line of vocab.txt, the id being the line number.
/// As in Hugging Face's `load_vocab`, only the newline is stripped and a repeated token keeps its last id.
public struct Vocabulary: Sendable {
    public let tokens: [String]

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    public static func load(path: String) throws -> Vocabulary {
        let bytes = try readSmallFile(path)
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw QAEngineError.invalidVocabulary(path: path, reason: "not valid UTF-8")
        }
        // Split at "\n" as String.split(separator: "\n") does: "\r\n" is one Character there, so a "\n" after
        // "\r" does not end a line. Cut on the bytes: splitting by Characters costs more than the rest of the load.
        var lines: [String] = []
        lines.reserveCapacity(bytes.count / 6)
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            for i in 0..<b.count where b[i] == 0x0A && !(i > 0 && b[i - 1] == 0x0D) {
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self))
                start = i + 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: b[start...]), as: UTF8.self))
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else {
            throw QAEngineError.invalidVocabulary(path: path, reason: "no tokens (expected one WordPiece token per line)")
        }
        guard lines.count < Int(Int32.max) else {
            throw QAEngineError.invalidVocabulary(path: path, reason: "too many tokens")
        }
        return Vocabulary(tokens: lines)
    }

    public var count: Int { tokens.count }

    /// The id of `token`, compared code point by code point (Swift's String equality is canonical equivalence,
    /// Python's is code point by code point); a repeated token has its last id. A scan: only the few special
    /// tokens are looked up, and a dictionary of every token cost more to build than all the lookups.
    public func id(_ token: String) -> Int32? {
        let target = Array(token.utf8)
        for i in tokens.indices.reversed() where tokens[i].utf8.count == target.count && tokens[i].utf8.elementsEqual(target) {
            return Int32(i)
        }
        return nil
    }
}
