import ClinicCore
import JSON

/// The server's copy of one open document. Edits arrive as LSP ranges in the negotiated encoding;
/// the copy stores Unicode scalars so offsets match the clinic layer's.
public struct TextDocument: Sendable {
    public let uri: String
    public private(set) var version: Int
    public private(set) var text: String
    public private(set) var lines: LineIndex
    /// Scalar offset just after the last edit's inserted text, in the current text.
    public private(set) var lastEditOffset: Int?

    public init(uri: String, version: Int, text: String) {
        self.uri = uri
        self.version = version
        self.text = text
        self.lines = LineIndex(text)
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

    /// Applies changes in order, as LSP specifies; positions out of range are clamped.
    public mutating func apply(_ changes: [Change], version: Int, encoding: PositionEncoding) {
        for change in changes {
            guard let range = change.range else {
                text = change.text
                lines = LineIndex(text)
                lastEditOffset = nil
                continue
            }
            var a = lines.offset(of: range.start, encoding: encoding)
            var b = lines.offset(of: range.end, encoding: encoding)
            if a > b { swap(&a, &b) }
            var scalars = lines.scalars
            let inserted = Array(change.text.unicodeScalars)
            scalars.replaceSubrange(a..<b, with: inserted)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            text = String(view)
            lines = LineIndex(text)
            lastEditOffset = a + inserted.count
        }
        self.version = version
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
