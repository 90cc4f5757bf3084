import ClinicCore
import JSON
import Synchronization

/// The server's copy of one open document. Edits arrive as LSP ranges in the negotiated encoding;
/// the copy stores Unicode scalars so offsets match the clinic layer's.
public struct TextDocument: Sendable {
    public let uri: String
    /// Unique to each opening (and full replacement) of a document: edit logs of different texts never mix.
    public private(set) var textIdentity: Int
    private static let identities = Atomic<Int>(0)
    public private(set) var version: Int
    public private(set) var lines: LineIndex
    public var text: String { lines.text }
    /// Edits since the versions kept (see `forgetEdits`): nil marks a full replacement.
    private var editLog: [(version: Int, edit: ScalarEdit?)] = []
    private var forgottenThrough = Int.min
    private static let maxLoggedEdits = 10_000
    /// Where the last edit left the cursor, when it was a range edit.
    public private(set) var typing: TypingPoint?

    /// The end of the last edit, and whether it left the cursor right after a word character (a word
    /// being typed or backspaced, such as "eyl" on the way to "eylea" or "6/1" to "6/12").
    public struct TypingPoint: Sendable, Equatable {
        public var offset: Int
        public var midWord: Bool
        public var at: ContinuousClock.Instant
    }

    /// One replacement, in scalar offsets of the text it applied to.
    public struct ScalarEdit: Sendable, Equatable {
        public var offset: Int
        public var removed: Int
        public var inserted: Int
    }

    public init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.lines = LineIndex(text)
        textIdentity = Self.identities.add(1, ordering: .relaxed).newValue
    }

    /// One `TextDocumentContentChangeEvent`: a range and its replacement, or the whole text.
    public struct Change: Sendable {
        public var range: (start: TextPosition, end: TextPosition)?
        public var text: String
        public init(range: (start: TextPosition, end: TextPosition)?, text: String) {
            self.range = range
            self.text = text
        }
    }

    /// Applies changes in order, as LSP specifies; positions out of range are clamped. Each range
    /// change edits the text and the line index.
    public mutating func apply(_ changes: [Change], version: Int, encoding: PositionEncoding) {
        for change in changes {
            guard let range = change.range else {
                lines = LineIndex(change.text)
                textIdentity = Self.identities.add(1, ordering: .relaxed).newValue
                typing = nil
                editLog.append((version, nil))
                continue
            }
            var a = lines.offset(of: range.start, encoding: encoding)
            var b = lines.offset(of: range.end, encoding: encoding)
            if a > b { swap(&a, &b) }
            lines.replace(a..<b, with: change.text)
            let inserted = change.text.unicodeScalars.count
            editLog.append((version, ScalarEdit(offset: a, removed: b - a, inserted: inserted)))
            let end = a + inserted
            typing = TypingPoint(offset: end, midWord: lines.scalar(before: end).map(Self.isWordScalar) ?? false, at: .now)
        }
        self.version = version
        if editLog.count > Self.maxLoggedEdits { forgetEdits(through: editLog[editLog.count / 2].version) }
    }

    /// The edits that turned version `version` into the current text, or nil when they are not
    /// all known (forgotten, or a full replacement among them).
    public func edits(since version: Int) -> [ScalarEdit]? {
        guard version >= forgottenThrough else { return nil }
        var out: [ScalarEdit] = []
        for entry in editLog where entry.version > version {
            guard let edit = entry.edit else { return nil }
            out.append(edit)
        }
        return out
    }

    /// Drops the edit history up to and including `version`.
    public mutating func forgetEdits(through version: Int) {
        editLog.removeAll { $0.version <= version }
        forgottenThrough = max(forgottenThrough, version)
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s.properties.isAlphabetic || s.properties.numericType != nil || s == "/"
    }

    /// The spans of the text after `edits` that they wrote or joined (an insertion's text, a deletion's
    /// point), each moved through the edits after it and merged with those it touches.
    public static func editedRanges(_ edits: [ScalarEdit]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        for e in edits {
            let delta = e.inserted - e.removed
            var written = e.offset..<(e.offset + e.inserted)
            spans = spans.compactMap { r in
                if e.offset > r.upperBound { return r }
                if e.offset + e.removed < r.lowerBound { return (r.lowerBound + delta)..<(r.upperBound + delta) }
                written = min(written.lowerBound, r.lowerBound)..<max(written.upperBound, r.upperBound + delta)
                return nil
            }
            spans.append(written)
        }
        return spans
    }

    /// Where `range` lies after `edits`, or nil when an edit touches it (its text changed, or
    /// text was typed right against it).
    public static func map(_ range: Range<Int>, through edits: [ScalarEdit]) -> Range<Int>? {
        var r = range
        for e in edits {
            if r.upperBound < e.offset { continue }
            if r.lowerBound > e.offset + e.removed {
                let delta = e.inserted - e.removed
                r = (r.lowerBound + delta)..<(r.upperBound + delta)
                continue
            }
            return nil
        }
        return r
    }

    public func offset(_ position: TextPosition, _ encoding: PositionEncoding) -> Int {
        lines.offset(of: position, encoding: encoding)
    }

    public func position(_ offset: Int, _ encoding: PositionEncoding) -> TextPosition {
        lines.position(of: offset, encoding: encoding)
    }

    public func rangeJSON(_ range: Range<Int>, _ encoding: PositionEncoding) -> JSON {
        .obj(["start": position(range.lowerBound, encoding).json, "end": position(range.upperBound, encoding).json])
    }
}

extension TextPosition {
    var json: JSON { .obj(["line": .int(line), "character": .int(character)]) }

    static func read(_ r: JSONReader) throws -> TextPosition {
        TextPosition(line: try r["line"].int(), character: try r["character"].int())
    }
}

enum LSPRange {
    static func read(_ r: JSONReader) throws -> (start: TextPosition, end: TextPosition) {
        (try TextPosition.read(r["start"]), try TextPosition.read(r["end"]))
    }
}
