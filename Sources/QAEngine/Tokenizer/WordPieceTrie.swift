/// Longest-prefix lookup over the vocabulary. Greedy WordPiece asks, at each position of a word, for the longest
/// vocabulary entry starting there (with `##` in front after the first piece); walking a trie answers that in one
/// pass instead of hashing every shorter substring in turn as the reference implementation does.
struct WordPieceTrie: Sendable {
    static let continuingPrefix = "##"
    private static let wordRoot: Int32 = 0
    private static let continuationRoot: Int32 = 1

    /// (parent node << 21 | scalar) -> child node.
    private var edges: EdgeTable
    /// Token id ending at each node, -1 where none does.
    private var tokenIDs: [Int32] = [-1, -1]

    init(vocabulary: Vocabulary) {
        let prefix = Array(Self.continuingPrefix.unicodeScalars)
        edges = EdgeTable(capacity: vocabulary.count * 6)
        // Built from the token list, not a String-keyed dictionary: Swift compares strings by canonical
        // equivalence, Python by code points, and a later duplicate must win as it does in Python's dict.
        for (id, token) in vocabulary.tokens.enumerated() {
            let scalars = token.unicodeScalars
            insert(scalars, id: Int32(id), root: Self.wordRoot)
            if scalars.starts(with: prefix), scalars.dropFirst(prefix.count).first != nil {
                insert(scalars.dropFirst(prefix.count), id: Int32(id), root: Self.continuationRoot)
            }
        }
    }

    private mutating func insert<S: Sequence<Unicode.Scalar>>(_ scalars: S, id: Int32, root: Int32) {
        var node = root
        for s in scalars {
            let key = UInt64(node) << 21 | UInt64(s.value)
            if let child = edges[key] {
                node = child
            } else {
                let child = Int32(tokenIDs.count)
                tokenIDs.append(-1)
                edges.insert(key, child)
                node = child
            }
        }
        tokenIDs[Int(node)] = id
    }

    /// The longest vocabulary entry that `word[start...]` begins with, as its id and the index just past it.
    func longestMatch(in word: UnsafeBufferPointer<Unicode.Scalar>, from start: Int) -> (id: Int32, end: Int)? {
        var node = start == 0 ? Self.wordRoot : Self.continuationRoot
        var best: (id: Int32, end: Int)?
        var i = start
        while i < word.count {
            guard let child = edges[UInt64(node) << 21 | UInt64(word[i].value)] else { break }
            node = child
            i += 1
            let id = tokenIDs[Int(node)]
            if id >= 0 { best = (id, i) }
        }
        return best
    }
}

/// An open-addressing table from edge keys to child nodes with a multiplicative (Fibonacci) hash. Swift's
/// Dictionary hashes every key with SipHash, which was a fifth of a model load (180,000 edges for a 30,000-token
/// vocabulary) and is in every tokenizer step.
struct EdgeTable: Sendable {
    private var keys: [UInt64]
    /// -1 marks an empty slot; children are never negative.
    private var values: [Int32]
    private var shift: UInt64
    private var count = 0

    init(capacity: Int) {
        var bits: UInt64 = 4
        while (1 << bits) * 3 < 4 * max(capacity, 1) { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [Int32](repeating: -1, count: 1 << bits)
        shift = 64 - bits
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    subscript(key: UInt64) -> Int32? {
        let mask = values.count - 1
        var i = slot(key)
        while true {
            let value = values[i]
            if value < 0 { return nil }
            if keys[i] == key { return value }
            i = (i + 1) & mask
        }
    }

    /// Adds a key that is not in the table.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if 4 * (count + 1) > 3 * values.count { grow() }
        let mask = values.count - 1
        var i = slot(key)
        while values[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        var larger = EdgeTable(capacity: values.count)
        for i in values.indices where values[i] >= 0 { larger.insert(keys[i], values[i]) }
        self = larger
    }
}
