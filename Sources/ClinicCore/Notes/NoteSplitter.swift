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
    /// line break ("\n", "\r\n" or "\r") that ends it. A structured summary (`WrittenSummary`) belongs
    /// to the note above it, in either separator mode; with no note above it, it is no note.
    public static func notes(in text: String, separator: NoteSeparator) -> [Note] {
        let scalars = text.unicodeScalars
        let lines = Line.lines(of: scalars)
        let isSummary = summaryLines(lines, scalars)
        var notes: [Note] = []
        var run: (first: Line, last: Line, summaries: [Range<Int>])?
        func close() {
            guard let (first, last, summaries) = run else { return }
            notes.append(Note(index: notes.count, range: first.startOffset..<last.endOffset,
                              text: String(scalars[first.start..<last.end]), summaryLines: summaries))
            run = nil
        }
        for (k, line) in lines.enumerated() {
            if line.isBlank {
                close()
                continue
            }
            if isSummary[k] {
                if let (first, _, summaries) = run {
                    let relative = (line.startOffset - first.startOffset)..<(line.endOffset - first.startOffset)
                    run = (first, line, summaries + [relative])
                }
                continue
            }
            if separator == .line { close() }
            run = (run?.first ?? line, line, run?.summaries ?? [])
        }
        close()
        return notes
    }

    /// The longest JSON summary, in lines, recognised when reformatted over several lines.
    static let maxSummaryBlockLines = 200

    /// For each line, whether it is (part of) a structured summary.
    static func summaryLines(_ lines: [Line], _ scalars: String.UnicodeScalarView) -> [Bool] {
        var flags = [Bool](repeating: false, count: lines.count)
        var k = 0
        while k < lines.count {
            let line = lines[k]
            k += 1
            guard line.firstVisible == "[" || line.firstVisible == "{" else { continue }
            let content = Substring(scalars[line.start..<line.end])
            if WrittenSummary.isSummaryLine(content) {
                flags[k - 1] = true
                continue
            }
            // A JSON summary reformatted over several lines: "{" alone, up to a line that starts with "}".
            guard content.filter({ !$0.isWhitespace }) == "{" else { continue }
            var j = k
            while j < lines.count, !lines[j].isBlank, j - k < maxSummaryBlockLines {
                if lines[j].firstVisible == "}",
                   WrittenSummary.isJSONSummary(String(scalars[line.start..<lines[j].end])) {
                    for m in (k - 1)...j { flags[m] = true }
                    k = j + 1
                    break
                }
                j += 1
            }
        }
        return flags
    }

    /// One line of a text: where its content starts and ends (before the line break), as string
    /// indices and as scalar offsets.
    struct Line {
        var start: String.Index
        var end: String.Index
        var startOffset: Int
        var endOffset: Int
        /// The first scalar that is not whitespace; nil on a blank line.
        var firstVisible: Unicode.Scalar?

        var isBlank: Bool { firstVisible == nil }

        /// Every line, including the empty one after a final line break.
        static func lines(of scalars: String.UnicodeScalarView) -> [Line] {
            var lines: [Line] = []
            var i = scalars.startIndex, offset = 0
            while true {
                let start = i, startOffset = offset
                var firstVisible: Unicode.Scalar?
                while i < scalars.endIndex, scalars[i] != "\n", scalars[i] != "\r" {
                    if firstVisible == nil, !scalars[i].properties.isWhitespace { firstVisible = scalars[i] }
                    scalars.formIndex(after: &i)
                    offset += 1
                }
                lines.append(Line(start: start, end: i, startOffset: startOffset, endOffset: offset,
                                  firstVisible: firstVisible))
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
