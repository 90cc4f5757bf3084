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
///
/// The text is kept as its UTF-8 bytes (a `String`) with each line's start as a scalar offset and as a
/// byte offset, so a position costs a walk over one line's bytes and an edit copies the bytes once,
/// with no per-scalar array (which a 20 MB document would pay 80 MB for, and copy on every keystroke).
public struct LineIndex: Sendable {
    public private(set) var text: String
    /// Scalar offset of the first character of each line.
    public private(set) var lineStarts: [Int]
    /// UTF-8 offset of the first character of each line.
    private var lineByteStarts: [Int]
    public private(set) var scalarCount: Int

    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()
        self.text = text
        let (starts, byteStarts, count) = text.utf8.withContiguousStorageIfAvailable {
            Self.scan($0, fromByte: 0, scalar: 0, toByte: $0.count)
        } ?? ([], [], 0)
        lineStarts = [0] + starts
        lineByteStarts = [0] + byteStarts
        scalarCount = count
    }

    /// The line starts (scalar and byte offsets) after each line break in `bytes[from..<to]` (a break
    /// "\r\n" that straddles `to` counts), and the scalar offset reached at `to`, counting from `scalar` at `from`.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, fromByte from: Int, scalar: Int, toByte end: Int)
        -> (starts: [Int], byteStarts: [Int], scalarAtEnd: Int) {
        var starts: [Int] = [], byteStarts: [Int] = []
        let k = LineBreaks.scan(bytes, from: from, scalar: scalar, to: end) { _, _, nextByte, nextScalar in
            starts.append(nextScalar)
            byteStarts.append(nextByte)
        }
        return (starts, byteStarts, k)
    }

    /// Replaces the scalars in `range` (clamped to the text) with `inserted` and updates the line starts
    /// around it, shifting the later ones: the cost is one copy of the bytes, the length of the lines the
    /// edit touches and one pass over the line starts, not a rescan of the text.
    public mutating func replace(_ range: Range<Int>, with inserted: String) {
        let a = min(max(range.lowerBound, 0), scalarCount)
        let b = min(max(range.upperBound, a), scalarCount)
        // The last line start before `a` and the first after `b` stay line starts whatever is put
        // between them: the scalars on either side of each are outside the replaced range.
        let keep = line(containing: max(a - 1, 0))
        let next = line(containing: b) + 1
        let byteA = byteOffset(of: a), byteB = byteOffset(of: b)
        var inserted = inserted
        inserted.makeContiguousUTF8()
        let insertedScalars = inserted.unicodeScalars.count
        let delta = insertedScalars - (b - a)
        let byteDelta = inserted.utf8.count - (byteB - byteA)
        let old = text
        text = Self.spliced(old, byteA..<byteB, inserted)
        scalarCount += delta
        let rescanEnd = next < lineStarts.count ? lineByteStarts[next] + byteDelta : text.utf8.count
        let endScalar = next < lineStarts.count ? lineStarts[next] + delta : scalarCount
        var (found, foundBytes, _) = text.utf8.withContiguousStorageIfAvailable {
            Self.scan($0, fromByte: lineByteStarts[keep], scalar: lineStarts[keep], toByte: rescanEnd)
        } ?? ([], [], 0)
        if next < lineStarts.count {
            while let last = found.last, last >= endScalar {
                found.removeLast()
                foundBytes.removeLast()
            }
        }
        lineStarts = Self.joined(lineStarts[...keep], found, next < lineStarts.count ? lineStarts[next...] : [], shift: delta)
        lineByteStarts = Self.joined(lineByteStarts[...keep], foundBytes,
                                     next < lineByteStarts.count ? lineByteStarts[next...] : [], shift: byteDelta)
    }

    private static func joined(_ head: ArraySlice<Int>, _ middle: [Int], _ tail: ArraySlice<Int>, shift: Int) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(head.count + middle.count + tail.count)
        out += head
        out += middle
        out += tail.lazy.map { $0 + shift }
        return out
    }

    /// `text` with the bytes in `range` replaced by `inserted`'s, copied straight into the new string's storage.
    private static func spliced(_ text: String, _ range: Range<Int>, _ inserted: String) -> String {
        let total = text.utf8.count - range.count + inserted.utf8.count
        return String(unsafeUninitializedCapacity: total) { out in
            var k = 0
            func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
                k = out[k...].initialize(fromContentsOf: bytes)
            }
            _ = text.utf8.withContiguousStorageIfAvailable { old in
                copy(UnsafeBufferPointer(rebasing: old[..<range.lowerBound]))
                _ = inserted.utf8.withContiguousStorageIfAvailable { copy($0) }
                copy(UnsafeBufferPointer(rebasing: old[range.upperBound...]))
            }
            return k
        }
    }

    public var lineCount: Int { lineStarts.count }

    /// Calls `body` with the line's bytes, its line break included.
    private func withLine<R>(_ line: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let from = lineByteStarts[line]
        let to = line + 1 < lineByteStarts.count ? lineByteStarts[line + 1] : text.utf8.count
        return text.utf8.withContiguousStorageIfAvailable { all in
            body(UnsafeBufferPointer(rebasing: all[from..<to]))
        } ?? body(UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The byte offset of a scalar offset (clamped to the text).
    private func byteOffset(of offset: Int) -> Int {
        let o = min(max(offset, 0), scalarCount)
        let line = line(containing: o)
        let wanted = o - lineStarts[line]
        return lineByteStarts[line] + withLine(line) { bytes in
            var seen = 0, i = 0
            while i < bytes.count {
                if bytes[i] & 0xC0 != 0x80 {
                    if seen == wanted { break }
                    seen += 1
                }
                i += 1
            }
            return i
        }
    }

    /// The scalar just before `offset`, nil at the start of the text.
    public func scalar(before offset: Int) -> Unicode.Scalar? {
        let o = min(max(offset, 0), scalarCount)
        guard o > 0 else { return nil }
        let byte = byteOffset(of: o - 1)
        let i = text.utf8.index(text.utf8.startIndex, offsetBy: byte)
        return text.unicodeScalars[i]
    }

    /// The text of the scalars in `range` (clamped to the text).
    public func substring(_ range: Range<Int>) -> String {
        let a = byteOffset(of: range.lowerBound), b = max(a, byteOffset(of: range.upperBound))
        return text.utf8.withContiguousStorageIfAvailable { String(decoding: UnsafeBufferPointer(rebasing: $0[a..<b]), as: UTF8.self) }
            ?? String(text.unicodeScalars.dropFirst(range.lowerBound).prefix(range.count).map(Character.init))
    }

    /// Whether the line holds only whitespace (as `Unicode.Scalar.Properties.isWhitespace` has it) or nothing.
    public func isBlank(_ line: Int) -> Bool {
        guard line >= 0, line < lineStarts.count else { return true }
        return withLine(line) { LineBreaks.firstVisible($0, 0..<$0.count) == nil }
    }

    /// Scalar offset where the line's content ends (before its line break).
    public func lineContentEnd(_ line: Int) -> Int {
        let next = line + 1 < lineStarts.count ? lineStarts[line + 1] : scalarCount
        let breakLength = withLine(line) { bytes -> Int in
            guard let last = bytes.last else { return 0 }
            if last == 0x0A { return bytes.count >= 2 && bytes[bytes.count - 2] == 0x0D ? 2 : 1 }
            return last == 0x0D ? 1 : 0
        }
        return max(lineStarts[line], next - breakLength)
    }

    public func line(containing offset: Int) -> Int {
        let o = min(max(offset, 0), scalarCount)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func position(of offset: Int, encoding: PositionEncoding = .utf16) -> TextPosition {
        let o = min(max(offset, 0), scalarCount)
        let line = line(containing: o)
        let wanted = o - lineStarts[line]
        let units = withLine(line) { bytes -> Int in
            var units = 0, scalars = 0, i = 0
            while i < bytes.count, scalars < wanted {
                let length = Self.sequenceLength(bytes[i])
                units += Self.width(utf8Length: length, encoding)
                scalars += 1
                i += length
            }
            return units
        }
        return TextPosition(line: line, character: units)
    }

    /// The scalar offset of a position, clamped to the line's content and to the text.
    public func offset(of position: TextPosition, encoding: PositionEncoding = .utf16) -> Int {
        if position.line < 0 { return 0 }
        if position.line >= lineStarts.count { return scalarCount }
        let start = lineStarts[position.line]
        let length = lineContentEnd(position.line) - start
        return start + withLine(position.line) { bytes -> Int in
            var units = 0, scalars = 0, i = 0
            while i < bytes.count, scalars < length {
                let n = Self.sequenceLength(bytes[i])
                let w = Self.width(utf8Length: n, encoding)
                if units + w > position.character { break }
                units += w
                scalars += 1
                i += n
            }
            return scalars
        }
    }

    /// Bytes of the UTF-8 sequence a lead byte starts (the text is valid UTF-8, so only lead bytes are read).
    private static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    private static func width(utf8Length n: Int, _ encoding: PositionEncoding) -> Int {
        switch encoding {
        case .utf8: return n
        case .utf16: return n == 4 ? 2 : 1
        case .utf32: return 1
        }
    }
}
