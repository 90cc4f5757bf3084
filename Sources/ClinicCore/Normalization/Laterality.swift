public enum Eye: String, Sendable, Equatable, CaseIterable {
    case right, left

    public var letter: String { self == .right ? "R" : "L" }
}

/// Which eye(s) a marker names. `both` covers OU, BE, bilateral and "R+L".
public enum Laterality: Sendable, Hashable {
    case right, left, both

    public var eyes: [Eye] {
        switch self {
        case .right: return [.right]
        case .left: return [.left]
        case .both: return [.right, .left]
        }
    }
}

/// Recognises eye markers in shorthand tokens: R, R), RE, R.E., OD, O.D., rt, right, L, LE, OS, lt,
/// left, OU, BE, both, bilat(eral).
public enum LateralityMarker {
    static let words: [String: Laterality] = [
        "r": .right, "re": .right, "od": .right, "rt": .right, "right": .right,
        "l": .left, "le": .left, "os": .left, "lt": .left, "left": .left,
        "ou": .both, "be": .both, "both": .both, "bilat": .both, "bilateral": .both,
    ]

    /// The marker starting at token `i`, and the index just past it (dotted forms such as "O.D."
    /// and "R.E." count as one marker; a following ")" is consumed).
    public static func marker(in tokens: [ShorthandToken], at i: Int) -> (Laterality, next: Int)? {
        guard i < tokens.count, let w = tokens[i].word else { return nil }
        var j = i + 1
        var spelled = w
        // Dotted abbreviations: O.D., R.E., L.E., O.S., O.U.
        if w.count == 1, j + 1 < tokens.count, tokens[j].isSymbol("."),
           let w2 = tokens[j + 1].word, w2.count == 1,
           tokens[j + 1].range.lowerBound == tokens[j].range.upperBound, words[w + w2] != nil {
            spelled = w + w2
            j += 2
            if j < tokens.count, tokens[j].isSymbol("."),
               tokens[j].range.lowerBound == tokens[j - 1].range.upperBound { j += 1 }
        }
        guard let lat = words[spelled] else { return nil }
        if j < tokens.count, tokens[j].isSymbol(")") || tokens[j].isSymbol(":") { j += 1 }
        // "R+L" / "R&L" mean both eyes.
        if lat != .both, j + 1 < tokens.count, tokens[j].isSymbol("+") || tokens[j].isSymbol("&"),
           let other = tokens[j + 1].word.flatMap({ words[$0] }), other != lat, other != .both {
            return (.both, j + 2)
        }
        return (lat, j)
    }

    /// Whether the text holds any eye marker.
    public static func containsMarker(_ tokens: [ShorthandToken]) -> Bool {
        tokens.indices.contains { marker(in: tokens, at: $0) != nil }
    }
}
