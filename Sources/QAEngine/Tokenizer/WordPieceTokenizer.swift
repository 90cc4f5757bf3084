import JSON

/// One token of a text, with where it came from.
public struct Token: Sendable, Equatable {
    public var id: Int32
    /// Unicode-scalar offsets into the original text, end exclusive (an `[UNK]` covers its whole word).
    public var start: Int
    public var end: Int
    /// Index of the pre-tokenised word (whitespace- and punctuation-delimited) the token belongs to.
    public var word: Int

    public init(id: Int32, start: Int, end: Int, word: Int) {
        self.id = id
        self.start = start
        self.end = end
        self.word = word
    }
}

/// The uncased (or cased) BERT WordPiece tokenizer, behaving as Hugging Face's fast `BertTokenizerFast`:
/// special tokens written in the text are matched first, the rest goes through `BertNormalizer`,
/// is split on whitespace and punctuation, and each word is cut greedily into the longest vocabulary pieces.
public final class WordPieceTokenizer: Sendable {
    public let vocabulary: Vocabulary
    public let lowercase: Bool
    public let clsID: Int32
    public let sepID: Int32
    public let unkID: Int32
    public let padID: Int32
    public let maxCharactersPerWord: Int

    let normalizer: BertNormalizer
    private let trie: WordPieceTrie
    /// Special tokens as they are matched in raw text, longest first.
    private let specialTokens: [(scalars: [Unicode.Scalar], id: Int32)]

    public struct Options: Sendable, Equatable {
        public var lowercase = true
        /// nil: strip accents exactly when lowercasing, as BERT does.
        public var stripAccents: Bool?
        public var handleChineseChars = true
        public var maxCharactersPerWord = 100
        public var unknownToken = "[UNK]"
        public var classifierToken = "[CLS]"
        public var separatorToken = "[SEP]"
        public var paddingToken = "[PAD]"
        public var maskToken = "[MASK]"
        public init() {}
    }

    public init(vocabulary: Vocabulary, options: Options = Options(), vocabularyPath: String = "vocab.txt") throws {
        func require(_ token: String) throws -> Int32 {
            guard let id = vocabulary.id(token) else {
                throw QAEngineError.invalidVocabulary(path: vocabularyPath, reason: "special token \(token) is not in the vocabulary")
            }
            return id
        }
        self.vocabulary = vocabulary
        lowercase = options.lowercase
        clsID = try require(options.classifierToken)
        sepID = try require(options.separatorToken)
        unkID = try require(options.unknownToken)
        padID = try require(options.paddingToken)
        maxCharactersPerWord = options.maxCharactersPerWord
        normalizer = BertNormalizer(lowercase: options.lowercase,
                                    stripAccents: options.stripAccents ?? options.lowercase,
                                    handleChineseChars: options.handleChineseChars)
        trie = WordPieceTrie(vocabulary: vocabulary)
        var specials: [(scalars: [Unicode.Scalar], id: Int32)] = []
        var seen = Set<String>()
        for token in [options.paddingToken, options.unknownToken, options.classifierToken, options.separatorToken,
                      options.maskToken] where !token.isEmpty && seen.insert(token).inserted {
            if let id = vocabulary.id(token) { specials.append((Array(token.unicodeScalars), id)) }
        }
        specialTokens = specials.sorted { $0.scalars.count > $1.scalars.count }
    }

    /// Loads `vocab.txt` from a model directory, with `tokenizer_config.json` (when present) deciding casing
    /// and special tokens the way transformers does.
    public static func load(directory: String) throws -> WordPieceTokenizer {
        let vocabPath = joinPath(directory, "vocab.txt")
        let vocabulary = try Vocabulary.load(path: vocabPath)
        var options = Options()
        let configPath = joinPath(directory, "tokenizer_config.json")
        if fileExists(configPath) {
            let json: JSON
            do {
                json = try JSON.parse(bytes: readSmallFile(configPath))
            } catch let error as JSONParseError {
                throw QAEngineError.invalidVocabulary(path: configPath, reason: error.description)
            }
            let config = JSONReader(json)
            do {
                if let v = try config["do_lower_case"].optionalBool() { options.lowercase = v }
                if let v = try config["strip_accents"].optionalBool() { options.stripAccents = v }
                if let v = try config["tokenize_chinese_chars"].optionalBool() { options.handleChineseChars = v }
                if let v = try tokenName(config["unk_token"]) { options.unknownToken = v }
                if let v = try tokenName(config["cls_token"]) { options.classifierToken = v }
                if let v = try tokenName(config["sep_token"]) { options.separatorToken = v }
                if let v = try tokenName(config["pad_token"]) { options.paddingToken = v }
                if let v = try tokenName(config["mask_token"]) { options.maskToken = v }
            } catch let error as JSONTypeError {
                throw QAEngineError.invalidVocabulary(path: configPath, reason: error.description)
            }
        }
        return try WordPieceTokenizer(vocabulary: vocabulary, options: options, vocabularyPath: vocabPath)
    }

    /// A special token is written either as a string or as an AddedToken object with a `content` member.
    private static func tokenName(_ r: JSONReader) throws -> String? {
        if r.isMissing { return nil }
        if case .object = r.value { return try r["content"].string() }
        return try r.string()
    }

    public func tokenize(_ text: String) -> [Token] {
        var scratch = NormalizedText()
        return tokenize(text, scratch: &scratch)
    }

    func tokenize(_ text: String, scratch: inout NormalizedText) -> [Token] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 3 + 4)
        var word = 0
        scalars.withUnsafeBufferPointer { buf in
            var segmentStart = 0
            var i = 0
            while i < buf.count {
                if let special = matchSpecialToken(buf, at: i) {
                    tokenizePlain(buf, range: segmentStart..<i, word: &word, scratch: &scratch, into: &tokens)
                    tokens.append(Token(id: special.id, start: i, end: i + special.length, word: word))
                    word += 1
                    i += special.length
                    segmentStart = i
                } else {
                    i += 1
                }
            }
            tokenizePlain(buf, range: segmentStart..<buf.count, word: &word, scratch: &scratch, into: &tokens)
        }
        return tokens
    }

    private func matchSpecialToken(_ text: UnsafeBufferPointer<Unicode.Scalar>, at i: Int) -> (id: Int32, length: Int)? {
        guard text[i] == "[" else { return nil }
        for special in specialTokens where i + special.scalars.count <= text.count {
            var matched = true
            for (k, s) in special.scalars.enumerated() where text[i + k] != s {
                matched = false
                break
            }
            if matched { return (special.id, special.scalars.count) }
        }
        return nil
    }

    private func tokenizePlain(_ text: UnsafeBufferPointer<Unicode.Scalar>, range: Range<Int>, word: inout Int,
                               scratch: inout NormalizedText, into tokens: inout [Token]) {
        guard !range.isEmpty else { return }
        scratch.removeAll()
        normalizer.normalize(text, range: range, into: &scratch)
        let normalized = scratch
        normalized.scalars.withUnsafeBufferPointer { chars in
            normalized.origins.withUnsafeBufferPointer { origins in
                var i = 0
                while i < chars.count {
                    let c = chars[i]
                    if BertUnicode.isWhitespace(c) {
                        i += 1
                        continue
                    }
                    var j = i + 1
                    if !BertUnicode.isPunctuation(c) {
                        while j < chars.count, !BertUnicode.isWhitespace(chars[j]), !BertUnicode.isPunctuation(chars[j]) {
                            j += 1
                        }
                    }
                    appendWordPieces(UnsafeBufferPointer(rebasing: chars[i..<j]),
                                     origins: UnsafeBufferPointer(rebasing: origins[i..<j]), word: word, into: &tokens)
                    word += 1
                    i = j
                }
            }
        }
    }

    private func appendWordPieces(_ chars: UnsafeBufferPointer<Unicode.Scalar>, origins: UnsafeBufferPointer<Int32>,
                                  word: Int, into tokens: inout [Token]) {
        let wordStart = Int(origins[0])
        let wordEnd = Int(origins[origins.count - 1]) + 1
        if chars.count > maxCharactersPerWord {
            tokens.append(Token(id: unkID, start: wordStart, end: wordEnd, word: word))
            return
        }
        let firstPiece = tokens.count
        var start = 0
        while start < chars.count {
            guard let match = trie.longestMatch(in: chars, from: start) else {
                tokens.removeSubrange(firstPiece...)
                tokens.append(Token(id: unkID, start: wordStart, end: wordEnd, word: word))
                return
            }
            tokens.append(Token(id: match.id, start: Int(origins[start]), end: Int(origins[match.end - 1]) + 1, word: word))
            start = match.end
        }
    }
}
