/// A WordPiece vocabulary: one token per line of vocab.txt, the id being the line number.
/// As in Hugging Face's `load_vocab`, only the newline is stripped and a repeated token keeps its last id.
public struct Vocabulary: Sendable {
    public let tokens: [String]
    /// Keyed by scalars: Swift's String equality is canonical equivalence, Python's is code point by code point.
    private let ids: [[Unicode.Scalar]: Int32]

    public init(tokens: [String]) {
        self.tokens = tokens
        var ids: [[Unicode.Scalar]: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() { ids[Array(t.unicodeScalars)] = Int32(i) }
        self.ids = ids
    }

    public static func load(path: String) throws -> Vocabulary {
        let bytes = try readSmallFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw QAEngineError.invalidVocabulary(path: path, reason: "not valid UTF-8")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
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

    public func id(_ token: String) -> Int32? { ids[Array(token.unicodeScalars)] }
}
