/// How a client counts characters within a line (LSP `positionEncoding`).
public enum PositionEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"
}

/// A zero-based line and character, the character counted in some `PositionEncoding`.
public struct TextPosition: Sendable, Hashable, Comparable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
    public static func < (a: TextPosition, b: TextPosition) -> Bool {
        (a.line, a.character) < (b.line, b.character)
    }
}

/// Maps between Unicode scalar offsets into a text and line/character positions. Lines end at
/// "\n", "\r\n" or a lone "\r", as LSP defines them. Positions past the end of a line or of the
/// text are clamped, never trapped on; a position inside a surrogate pair or a multi-byte
/// sequence rounds down to the start of that scalar.
public struct LineIndex: Sendable {
    public private(set) var scalars: [Unicode.Scalar]
    /// Scalar offset of the first character of each line.
    public private(set) var lineStarts: [Int]

    public init(_ text: String) {
        self.init(scalars: Array(text.unicodeScalars))
    }

    public init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
        lineStarts = [0] + Self.lineStarts(in: scalars, from: 0, to: scalars.count)
    }

    /// The starts of the lines that begin after a line break found in `scalars[from..<to]` (a break
    /// "\r\n" that straddles `to` counts).
    static func lineStarts(in scalars: [Unicode.Scalar], from: Int, to end: Int) -> [Int] {
        var starts: [Int] = []
        var i = from
        while i < end {
            let s = scalars[i]
            if s == "\r" {
                if i + 1 < scalars.count, scalars[i + 1] == "\n" { i += 1 }
                starts.append(i + 1)
            } else if s == "\n" {
                starts.append(i + 1)
            }
            i += 1
        }
        return starts
    }

    /// Replaces the scalars in `range` (clamped to the text) and updates the line starts around it,
    /// shifting the later ones: the cost is the length of the lines the edit touches plus one pass
    /// over the line starts, not a rescan of the text.
    public mutating func replace(_ range: Range<Int>, with inserted: [Unicode.Scalar]) {
        let a = min(max(range.lowerBound, 0), scalars.count)
        let b = min(max(range.upperBound, a), scalars.count)
        // The last line start before `a` and the first after `b` stay line starts whatever is put
        // between them: the scalars on either side of each are outside the replaced range.
        let keep = line(containing: max(a - 1, 0))
        let next = line(containing: b) + 1
        let delta = inserted.count - (b - a)
        scalars.replaceSubrange(a..<b, with: inserted)
        let rescanEnd = next < lineStarts.count ? lineStarts[next] + delta : scalars.count
        var found = Self.lineStarts(in: scalars, from: lineStarts[keep], to: rescanEnd)
        if next < lineStarts.count { found.removeAll { $0 >= rescanEnd } }
        var starts = Array(lineStarts[...keep])
        starts.reserveCapacity(lineStarts.count + found.count)
        starts += found
        if next < lineStarts.count { starts += lineStarts[next...].lazy.map { $0 + delta } }
        lineStarts = starts
    }

    /// The text the scalars spell, encoded straight into the string's UTF-8 storage (the generic `String.UnicodeScalarView` append
    /// costs about 50 ns a scalar, which a 20 MB document pays on every keystroke).
    public var text: String {
        var byteCount = 0
        for s in scalars { byteCount += UTF8.width(s) }
        return String(unsafeUninitializedCapacity: byteCount) { out in
            var k = 0
            for s in scalars {
                UTF8.encode(s) { byte in
                    out[k] = byte
                    k += 1
                }
            }
            return k
        }
    }

    public var lineCount: Int { lineStarts.count }
    public var scalarCount: Int { scalars.count }

    /// Scalar offset where the line's content ends (before its line break).
    public func lineContentEnd(_ line: Int) -> Int {
        let next = line + 1 < lineStarts.count ? lineStarts[line + 1] : scalars.count
        var end = next
        if end > lineStarts[line], scalars[end - 1] == "\n" { end -= 1 }
        if end > lineStarts[line], scalars[end - 1] == "\r" { end -= 1 }
        return end
    }

    public func line(containing offset: Int) -> Int {
        let o = min(max(offset, 0), scalars.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func position(of offset: Int, encoding: PositionEncoding = .utf16) -> TextPosition {
        let o = min(max(offset, 0), scalars.count)
        let line = line(containing: o)
        var units = 0
        for i in lineStarts[line]..<o { units += Self.width(scalars[i], encoding) }
        return TextPosition(line: line, character: units)
    }

    /// The scalar offset of a position, clamped to the line's content and to the text.
    public func offset(of position: TextPosition, encoding: PositionEncoding = .utf16) -> Int {
        if position.line < 0 { return 0 }
        if position.line >= lineStarts.count { return scalars.count }
        let end = lineContentEnd(position.line)
        var i = lineStarts[position.line]
        var units = 0
        while i < end {
            let w = Self.width(scalars[i], encoding)
            if units + w > position.character { break }
            units += w
            i += 1
        }
        return i
    }

    public static func width(_ s: Unicode.Scalar, _ encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: return UTF8.width(s)
        case .utf16: return UTF16.width(s)
        case .utf32: return 1
        }
    }
}
