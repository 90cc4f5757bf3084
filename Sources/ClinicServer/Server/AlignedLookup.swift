/// Finds, for each item of a new list in document order, the same item (by key) in the previous list: an
/// edit changes a few notes, so the lists stay aligned and a key comparison near the last match finds it.
/// Only when several items in a row are not found near it (text moved, not typed) is the previous list
/// indexed by key, once: an edited note, never found, must not cost a dictionary of the whole document.
struct AlignedLookup {
    private let keys: [String]
    private var next = 0
    private var missesInARow = 0
    private var byKey: [String: Int]?
    static let window = 8

    init(keys: [String]) {
        self.keys = keys
    }

    /// The index in the previous list of `key`, preferring the position after the last match.
    mutating func find(_ key: String) -> Int? {
        let near = next..<min(keys.count, next + Self.window)
        if let k = near.first(where: { keys[$0] == key }) {
            next = k + 1
            missesInARow = 0
            return k
        }
        missesInARow += 1
        if byKey == nil {
            guard missesInARow >= Self.window else { return nil }
            byKey = Dictionary(keys.indices.map { (keys[$0], $0) }, uniquingKeysWith: { a, _ in a })
        }
        guard let k = byKey?[key] else { return nil }
        next = k + 1
        missesInARow = 0
        return k
    }
}
