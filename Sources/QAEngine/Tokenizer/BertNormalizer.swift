import Foundation

/// Text after BERT normalisation, each scalar remembering which original scalar it came from.
struct NormalizedText {
    var scalars: [Unicode.Scalar] = []
    /// Index, in the original text's scalars, of the scalar each normalised scalar came from.
    var origins: [Int32] = []

    mutating func removeAll() {
        scalars.removeAll(keepingCapacity: true)
        origins.removeAll(keepingCapacity: true)
    }

    @inline(__always) mutating func append(_ s: Unicode.Scalar, from origin: Int) {
        scalars.append(s)
        origins.append(Int32(truncatingIfNeeded: origin))
    }
}

/// The `BertNormalizer` of Hugging Face tokenizers, applied scalar by scalar so every output scalar keeps
/// its alignment to the original text: clean (drop NUL, U+FFFD and controls, map whitespace to a space),
/// pad CJK ideographs with spaces, NFD and drop nonspacing marks, lowercase.
struct BertNormalizer: Sendable, Equatable {
    var lowercase: Bool
    var stripAccents: Bool
    var handleChineseChars: Bool

    func normalize(_ text: UnsafeBufferPointer<Unicode.Scalar>, range: Range<Int>, into out: inout NormalizedText) {
        let space = Unicode.Scalar(0x20)!
        for i in range {
            let s = text[i]
            let v = s.value
            if v < 0x80 {
                switch v {
                case 0x09, 0x0A, 0x0D, 0x20: out.append(space, from: i)
                case 0..<0x20, 0x7F: continue
                case 0x41...0x5A where lowercase: out.append(Unicode.Scalar(v + 0x20)!, from: i)
                default: out.append(s, from: i)
                }
                continue
            }
            if v == 0xFFFD || BertUnicode.isControl(s) { continue }
            if BertUnicode.isWhitespace(s) {
                out.append(space, from: i)
                continue
            }
            let ideograph = handleChineseChars && BertUnicode.isCJKIdeograph(v)
            if ideograph { out.append(space, from: i) }
            if stripAccents {
                for d in BertUnicode.canonicalDecomposition(s) where !BertUnicode.isNonspacingMark(d) {
                    appendCased(d, from: i, into: &out)
                }
            } else {
                appendCased(s, from: i, into: &out)
            }
            if ideograph { out.append(space, from: i) }
        }
    }

    @inline(__always)
    private func appendCased(_ s: Unicode.Scalar, from origin: Int, into out: inout NormalizedText) {
        guard lowercase else { return out.append(s, from: origin) }
        if s.value < 0x80 {
            let v = s.value
            out.append((0x41...0x5A).contains(v) ? Unicode.Scalar(v + 0x20)! : s, from: origin)
            return
        }
        guard BertUnicode.hasLegacyCaseMapping(s) else { return out.append(s, from: origin) }
        for l in s.properties.lowercaseMapping.unicodeScalars { out.append(l, from: origin) }
    }
}

/// The character classes the BERT normaliser and pre-tokeniser use, as Hugging Face tokenizers 0.20 computes them.
/// tokenizers takes general categories from the `unicode_categories` crate, whose tables are Unicode 8.0: a scalar
/// assigned later is "unassigned" there, so it is neither dropped, nor stripped as a mark, nor split as punctuation.
/// Lowercasing uses Rust's own tables (Unicode 15). Matching these, not the toolchain's newer Unicode, is what keeps
/// token ids and offsets identical to the Python side.
enum BertUnicode {
    /// Rust's `char::is_whitespace` (the White_Space property), which the normaliser maps to a space.
    @inline(__always) static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D, 0x20: return true
        case 0..<0x80: return false
        default: return s.properties.isWhitespace
        }
    }

    /// General category Cc, Cf, Co or Cs (unassigned scalars are kept), except tab, newline and return.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        default:
            switch legacyCategory(s) {
            case .control, .format, .privateUse, .surrogate: return true
            default: return false
            }
        }
    }

    static func isNonspacingMark(_ s: Unicode.Scalar) -> Bool {
        s.value >= 0x300 && legacyCategory(s) == .nonspacingMark
    }

    /// ASCII punctuation (which includes symbols such as `$`, `+`, `^`) or general category P*.
    @inline(__always) static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x80 {
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v)
                || (0x7B...0x7E).contains(v)
        }
        switch legacyCategory(s) {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// Whether Rust's `char::to_lowercase` (Unicode 15 tables) knows the scalar's case mapping.
    @inline(__always) static func hasLegacyCaseMapping(_ s: Unicode.Scalar) -> Bool {
        guard let age = s.properties.age else { return false }
        return age.major < 16
    }

    /// The general category under Unicode 8.0; nil for scalars assigned after it.
    static func legacyCategory(_ s: Unicode.Scalar) -> Unicode.GeneralCategory? {
        guard let age = s.properties.age, age.major < 8 || (age.major == 8 && age.minor == 0) else { return nil }
        switch s.value {
        // The few scalars whose category changed after 8.0.
        case 0x1885, 0x1886: return .otherLetter
        case 0x166D, 0x111C9: return .otherPunctuation
        case 0x1734, 0x1171E: return .nonspacingMark
        case 0xA9BD: return .spacingMark
        default: return s.properties.generalCategory
        }
    }

    /// The CJK blocks tokenizers' `is_chinese_char` pads with spaces (note 2B920, not 2B820).
    @inline(__always) static func isCJKIdeograph(_ v: UInt32) -> Bool {
        switch v {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// NFD of one scalar. tokenizers' normalisation tables are as old as its categories, so a scalar assigned after
    /// Unicode 8.0 stays whole (U+11938 is the one such scalar with a canonical decomposition).
    static func canonicalDecomposition(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        if s.value < 0xC0 || legacyCategory(s) == nil { return [s] }
        return Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
    }
}
