/// How a document is cut into notes.
public enum NoteSeparator: String, Sendable, Equatable, CaseIterable {
    /// A note is a maximal run of non-blank lines; blank (or whitespace-only) lines separate notes.
    case blankLine
    /// Every non-blank line is a note of its own.
    case line
}

public enum NoteSplitter {
    /// The longest note, in scalars. A longer run of lines (a pasted letter, a 1 MB line) is read as
    /// consecutive notes of at most this length, cut at a line break where one is in the second half
    /// of the limit, else after a space there, else at the limit, so that every note costs the
    /// lexer, the plugins and the model a bounded amount of work.
    public static let maxNoteScalars = 8_192
    /// How many parts of a cut note the model reads (16 KB, longer than any clinic letter): the model's cost per note is bounded
    /// too, and later parts get the pattern plugins only.
    public static let modelPieces = 2

    /// The notes of `text` in document order. Ranges are scalar offsets; a note runs from the first
    /// character of its first line to the end of its last line's content, so it never includes the
    /// line break ("\n", "\r\n" or "\r") that ends it. A structured summary (`WrittenSummary`) belongs
    /// to the note above it, in either separator mode; with no note above it, it is no note.
    public static func notes(in text: String, separator: NoteSeparator, maxScalars: Int = maxNoteScalars) -> [Note] {
        let scalars = text.unicodeScalars
        let lines = Line.lines(of: scalars)
        let isSummary = summaryLines(lines, scalars)
        var notes: [Note] = []
        var run: (first: Int, last: Int)?
        func close() {
            guard let (first, last) = run else { return }
            run = nil
            let runSummaries = (first...last).filter { isSummary[$0] }
            for (k, piece) in pieces(lines[first...last], scalars, maxScalars: max(maxScalars, 16)).enumerated() {
                let summaries = runSummaries.filter { lines[$0].startOffset >= piece.startOffset
                    && lines[$0].endOffset <= piece.endOffset }
                    .map { (lines[$0].startOffset - piece.startOffset)..<(lines[$0].endOffset - piece.startOffset) }
                notes.append(Note(index: notes.count, range: piece.startOffset..<piece.endOffset,
                                  text: String(scalars[piece.start..<piece.end]), summaryLines: summaries,
                                  pastModelBudget: k >= modelPieces))
            }
        }
        for (k, line) in lines.enumerated() {
            if line.isBlank {
                close()
                continue
            }
            if isSummary[k] {
                if let (first, _) = run { run = (first, k) }
                continue
            }
            if separator == .line { close() }
            run = (run?.first ?? k, k)
        }
        close()
        return notes
    }

    /// The notes of `index.text`, from `previous` (the notes of the text before an edit) and the span `changed` the
    /// edit wrote (offsets in the new text; the text after it moved by `delta`): only the lines between the
    /// blank lines around the span are split again, the notes before them are kept and those after them moved.
    /// Gives what `notes(in:)` gives on the whole text: a note never spans a blank line, and what a note is
    /// depends only on the lines of its run.
    public static func notes(in index: LineIndex, separator: NoteSeparator, reusing previous: [Note],
                             changed: Range<Int>, delta: Int, maxScalars: Int = maxNoteScalars) -> [Note] {
        var first = index.line(containing: changed.lowerBound) - 1
        while first > 0, !index.isBlank(first) { first -= 1 }
        var last = index.line(containing: changed.upperBound) + 1
        while last < index.lineCount, !index.isBlank(last) { last += 1 }
        let start = first > 0 ? index.lineStarts[first] : 0
        let end = last < index.lineCount ? index.lineStarts[last] : index.scalarCount
        let middle = notes(in: index.substring(start..<end), separator: separator, maxScalars: maxScalars)
        let before = previous.prefix { $0.range.upperBound <= start }
        let afterStart = previous.firstIndex { $0.range.lowerBound >= end - delta } ?? previous.count
        var out: [Note] = []
        out.reserveCapacity(before.count + middle.count + previous.count - afterStart)
        out += before
        for var note in middle {
            note.index = out.count
            note.range = (note.range.lowerBound + start)..<(note.range.upperBound + start)
            out.append(note)
        }
        for var note in previous[afterStart...] {
            note.index = out.count
            note.range = (note.range.lowerBound + delta)..<(note.range.upperBound + delta)
            out.append(note)
        }
        return out
    }

    /// A run of lines cut into spans of at most `maxScalars` (see `maxNoteScalars`).
    static func pieces(_ run: ArraySlice<Line>, _ scalars: String.UnicodeScalarView, maxScalars: Int) -> [Line] {
        guard let first = run.first, let last = run.last else { return [] }
        if last.endOffset - first.startOffset <= maxScalars { return [Line(spanning: first, last)] }
        var out: [Line] = []
        var piece: Line?
        for line in run {
            if let open = piece, line.endOffset - open.startOffset <= maxScalars {
                piece = Line(spanning: open, line)
                continue
            }
            if let open = piece { out.append(open) }
            piece = nil
            var rest = line
            while rest.endOffset - rest.startOffset > maxScalars {
                let cut = cutPoint(rest, scalars, maxScalars: maxScalars)
                out.append(Line(start: rest.start, end: cut.index, startOffset: rest.startOffset, endOffset: cut.offset,
                                firstVisible: nil))
                rest = Line(start: cut.index, end: rest.end, startOffset: cut.offset, endOffset: rest.endOffset,
                            firstVisible: nil)
            }
            piece = rest
        }
        if let open = piece { out.append(open) }
        return out
    }

    /// Where to end a piece that starts `line`: after the last whitespace in the second half of the
    /// limit, else at the limit.
    static func cutPoint(_ line: Line, _ scalars: String.UnicodeScalarView, maxScalars: Int) -> (index: String.Index, offset: Int) {
        var i = line.start
        var best: (String.Index, Int)?
        for k in 0..<maxScalars {
            let c = scalars[i]
            scalars.formIndex(after: &i)
            if k >= maxScalars / 2, c.properties.isWhitespace { best = (i, line.startOffset + k + 1) }
        }
        return best ?? (i, line.startOffset + maxScalars)
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

        /// From the start of `first` to the end of `last`.
        init(spanning first: Line, _ last: Line) {
            self.init(start: first.start, end: last.end, startOffset: first.startOffset, endOffset: last.endOffset,
                      firstVisible: first.firstVisible)
        }

        init(start: String.Index, end: String.Index, startOffset: Int, endOffset: Int, firstVisible: Unicode.Scalar?) {
            self.start = start
            self.end = end
            self.startOffset = startOffset
            self.endOffset = endOffset
            self.firstVisible = firstVisible
        }

        /// Every line, including the empty one after a final line break: `LineBreaks` over the UTF-8 bytes, which
        /// decodes a scalar only to find a line's first visible one (the scalar view's index walk costs several
        /// times more, which every keystroke in a large document paid).
        static func lines(of scalars: String.UnicodeScalarView) -> [Line] {
            var text = String(scalars)
            text.makeContiguousUTF8()
            let view = text  // the same storage, read while `withUTF8` lends the bytes
            func index(_ byte: Int) -> String.Index { view.utf8.index(view.utf8.startIndex, offsetBy: byte) }
            return text.withUTF8 { bytes -> [Line] in
                var lines: [Line] = []
                var start = 0, startOffset = 0
                func append(endingAt end: Int, _ endOffset: Int) {
                    lines.append(Line(start: index(start), end: index(end), startOffset: startOffset, endOffset: endOffset,
                                      firstVisible: LineBreaks.firstVisible(bytes, start..<end)))
                }
                let endOffset = LineBreaks.scan(bytes, from: 0, scalar: 0, to: bytes.count) { end, endOffset, next, nextOffset in
                    append(endingAt: end, endOffset)
                    start = next
                    startOffset = nextOffset
                }
                append(endingAt: bytes.count, endOffset)
                return lines
            }
        }
    }
}
