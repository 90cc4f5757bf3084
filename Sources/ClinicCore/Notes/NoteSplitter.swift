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
        let index = LineIndex(text)
        var notes: [Note] = []
        var runStart: Int?
        var runEnd = 0
        func close() {
            guard let start = runStart else { return }
            let scalars = index.scalars[start..<runEnd]
            var s = String.UnicodeScalarView()
            s.append(contentsOf: scalars)
            notes.append(Note(index: notes.count, range: start..<runEnd, text: String(s)))
            runStart = nil
        }
        for line in 0..<index.lineCount {
            let start = index.lineStarts[line]
            let end = index.lineContentEnd(line)
            let blank = index.scalars[start..<end].allSatisfy { $0.properties.isWhitespace }
            if blank {
                close()
                continue
            }
            if separator == .line { close() }
            if runStart == nil { runStart = start }
            runEnd = end
        }
        close()
        return notes
    }
}
