/// A token of clinic shorthand: a number, a word (letters, lower-cased), a line break or any other
/// single character. Ranges are scalar offsets into the lexed text.
public struct ShorthandToken: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number(Double)
        case word(String)
        case lineBreak
        case symbol(Unicode.Scalar)
    }
    public var kind: Kind
    public var range: Range<Int>

    public var number: Double? { if case .number(let n) = kind { return n } else { return nil } }
    public var word: String? { if case .word(let w) = kind { return w } else { return nil } }
    public func isSymbol(_ s: Unicode.Scalar) -> Bool { kind == .symbol(s) }
    public var isLineBreak: Bool { kind == .lineBreak }
}

public enum ShorthandLexer {
    /// Splits text into tokens, skipping spaces and tabs. Numbers are digits with at most one
    /// decimal point followed by a digit ("7.5"); "6/9" is three tokens.
    public static func tokens(_ scalars: [Unicode.Scalar]) -> [ShorthandToken] {
        var out: [ShorthandToken] = []
        var i = 0
        let n = scalars.count
        while i < n {
            let c = scalars[i]
            if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < n, scalars[i + 1] == "\n" { i += 1 }
                out.append(ShorthandToken(kind: .lineBreak, range: i..<(i + 1)))
                i += 1
            } else if c.properties.isWhitespace {
                i += 1
            } else if isDigit(c) {
                let start = i
                while i < n, isDigit(scalars[i]) { i += 1 }
                if i + 1 < n, scalars[i] == ".", isDigit(scalars[i + 1]) {
                    i += 1
                    while i < n, isDigit(scalars[i]) { i += 1 }
                }
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars[start..<i])
                out.append(ShorthandToken(kind: .number(Double(String(s)) ?? 0), range: start..<i))
            } else if c.properties.isAlphabetic {
                let start = i
                while i < n, scalars[i].properties.isAlphabetic { i += 1 }
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars[start..<i])
                out.append(ShorthandToken(kind: .word(String(s).lowercased()), range: start..<i))
            } else {
                out.append(ShorthandToken(kind: .symbol(c), range: i..<(i + 1)))
                i += 1
            }
        }
        return out
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
}
