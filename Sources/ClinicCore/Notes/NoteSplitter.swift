/// How a document is cut into notes.
public enum NoteSeparator: String, Sendable, Equatable, CaseIterable {
    /// A note is a maximal run of non-blank lines; blank (or whitespace-only) lines separate notes.
    case blankLine
    /// Every non-blank line is a note of its own.
    case line
}

public enum NoteSplitter {
    /// The notes of `text` in document order. Ranges are scalar offsets; a note runs from the first
    /// character of its first line to the end of its last line's content, so it never includes the
    /// line break ("\n", "\r\n" or "\r") that ends it.
    public static func notes(in text: String, separator: NoteSeparator) -> [Note] {
        let scalars = text.unicodeScalars
        var notes: [Note] = []
        var run: (first: Line, last: Line)?
        func close() {
            guard let (first, last) = run else { return }
            let slice = scalars[first.start..<last.end]
            notes.append(Note(index: notes.count, range: first.startOffset..<last.endOffset, text: String(slice)))
            run = nil
        }
        for line in Line.lines(of: scalars) {
            if line.isBlank {
                close()
                continue
            }
            if separator == .line { close() }
            run = (run?.first ?? line, line)
        }
        close()
        return notes
    }

    /// One line of a text: where its content starts and ends (before the line break), as string
    /// indices and as scalar offsets.
    struct Line {
        var start: String.Index
        var end: String.Index
        var startOffset: Int
        var endOffset: Int
        var isBlank: Bool

        /// Every line, including the empty one after a final line break.
        static func lines(of scalars: String.UnicodeScalarView) -> [Line] {
            var lines: [Line] = []
            var i = scalars.startIndex, offset = 0
            while true {
                let start = i, startOffset = offset
                var blank = true
                while i < scalars.endIndex, scalars[i] != "\n", scalars[i] != "\r" {
                    if blank, !scalars[i].properties.isWhitespace { blank = false }
                    scalars.formIndex(after: &i)
                    offset += 1
                }
                lines.append(Line(start: start, end: i, startOffset: startOffset, endOffset: offset, isBlank: blank))
                guard i < scalars.endIndex else { return lines }
                let isCR = scalars[i] == "\r"
                scalars.formIndex(after: &i)
                offset += 1
                if isCR, i < scalars.endIndex, scalars[i] == "\n" {
                    scalars.formIndex(after: &i)
                    offset += 1
                }
            }
        }
    }
}
