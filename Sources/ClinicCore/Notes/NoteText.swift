/// A note's text with scalar-offset access, which is how plugins address spans: every offset a plugin
/// reports is relative to the start of its note (the pipeline moves it into the document).
public struct NoteText: Sendable {
    public let string: String
    public let scalars: [Unicode.Scalar]

    public init(_ string: String) {
        self.string = string
        scalars = Array(string.unicodeScalars)
    }

    public var count: Int { scalars.count }

    public subscript(range: Range<Int>) -> String {
        let r = range.clamped(to: 0..<scalars.count)
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[r])
        return String(s)
    }

    /// Scalar offsets of a range of `string` (e.g. from a regular-expression match).
    public func offsets(of range: Range<String.Index>) -> Range<Int> {
        let u = string.unicodeScalars
        let lo = u.distance(from: u.startIndex, to: range.lowerBound)
        return lo..<(lo + u.distance(from: range.lowerBound, to: range.upperBound))
    }

    /// The line (without its break) that contains `offset`.
    public func lineRange(containing offset: Int) -> Range<Int> {
        var lo = min(max(offset, 0), scalars.count)
        while lo > 0, !Self.isLineBreak(scalars[lo - 1]) { lo -= 1 }
        var hi = min(max(offset, 0), scalars.count)
        while hi < scalars.count, !Self.isLineBreak(scalars[hi]) { hi += 1 }
        return lo..<hi
    }

    /// Whether a match is the tail of a longer number or fraction: preceded by a digit, "." or "/".
    public func continuesNumber(before range: Range<String.Index>) -> Bool {
        let u = string.unicodeScalars
        guard range.lowerBound > u.startIndex else { return false }
        let c = u[u.index(before: range.lowerBound)]
        return ShorthandLexer.isDigit(c) || c == "." || c == "/"
    }

    static func isLineBreak(_ s: Unicode.Scalar) -> Bool { s == "\n" || s == "\r" }
}
