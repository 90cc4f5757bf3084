/// Line breaks in UTF-8 text as LSP defines them ("\n", "\r\n" or a lone "\r"): the one scan under the line
/// index and the note splitter. Line breaks are ASCII, so the bytes are read without decoding scalars.
enum LineBreaks {
    /// Calls `body` for each line break in `bytes[from..<end]` with where it starts (a byte offset, and a scalar
    /// offset counted from `scalar` at `from`) and where the line after it starts. A "\r\n" whose "\r" is before
    /// `end` counts whole. Returns the scalar offset reached at `end` (after such a "\r\n").
    @inline(__always)
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, scalar: Int, to end: Int,
                     _ body: (_ byte: Int, _ scalar: Int, _ nextByte: Int, _ nextScalar: Int) -> Void) -> Int {
        var i = from, k = scalar
        while i < end {
            let b = bytes[i]
            if b == 0x0A || b == 0x0D {
                let at = i, atScalar = k
                i += 1
                k += 1
                if b == 0x0D, i < bytes.count, bytes[i] == 0x0A {
                    i += 1
                    k += 1
                }
                body(at, atScalar, i, k)
                continue
            }
            if b & 0xC0 != 0x80 { k += 1 }
            i += 1
        }
        return k
    }

    /// The first scalar in `bytes[range]` that is not whitespace (`Unicode.Scalar.Properties.isWhitespace`;
    /// line breaks are whitespace), nil when there is none. The range starts and ends between scalars.
    static func firstVisible(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Unicode.Scalar? {
        var i = range.lowerBound
        while i < range.upperBound {
            let lead = bytes[i]
            if lead < 0x80 {
                let s = Unicode.Scalar(lead)
                if !s.properties.isWhitespace { return s }
                i += 1
                continue
            }
            let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            var value = UInt32(lead) & (0xFF >> (length + 1))
            for j in 1..<length where i + j < bytes.count {
                value = value << 6 | UInt32(bytes[i + j] & 0x3F)
            }
            let s = Unicode.Scalar(value) ?? "\u{FFFD}"
            if !s.properties.isWhitespace { return s }
            i += length
        }
        return nil
    }
}
