import ClinicCore
import Testing

@Suite struct NoteSplitterTests {
    @Test func blankLinesSeparateNotes() {
        let text = "R) eylea\nVA 6/9\n\n\nL) lucentis\n"
        let notes = NoteSplitter.notes(in: text, separator: .blankLine)
        #expect(notes.map(\.text) == ["R) eylea\nVA 6/9", "L) lucentis"])
        #expect(notes.map(\.index) == [0, 1])
        #expect(notes[1].range == 18..<29)
    }

    @Test func whitespaceOnlyLinesAreBlank() {
        let notes = NoteSplitter.notes(in: "a\n  \t \nb", separator: .blankLine)
        #expect(notes.map(\.text) == ["a", "b"])
    }

    @Test func crlfKeepsExactRanges() {
        let text = "R) eylea\r\nVA 6/9\r\n\r\nL) x\r\n"
        let notes = NoteSplitter.notes(in: text, separator: .blankLine)
        #expect(notes.map(\.text) == ["R) eylea\r\nVA 6/9", "L) x"])
        let scalars = Array(text.unicodeScalars)
        for n in notes {
            #expect(String(String.UnicodeScalarView(scalars[n.range])) == n.text)
        }
    }

    @Test func oneNotePerLine() {
        let notes = NoteSplitter.notes(in: "a\nb\n\nc", separator: .line)
        #expect(notes.map(\.text) == ["a", "b", "c"])
        #expect(notes.map(\.range) == [0..<1, 2..<3, 5..<6])
    }

    @Test func astralCharactersCountAsOneScalar() {
        let notes = NoteSplitter.notes(in: "🙂\n\nR) eylea", separator: .blankLine)
        #expect(notes[1].range == 3..<11)
    }

    @Test func textsAreExactSlicesAcrossLineEndingsAndAstralCharacters() {
        let text = "🙂 R) eylea\r\nVA 6/9 👁️\r\n\r\n\u{1D54F} L) x\rIOP 14/16\r\r𝒳\n\n \t\r\nlast 🙂"
        let scalars = Array(text.unicodeScalars)
        for separator in NoteSeparator.allCases {
            let notes = NoteSplitter.notes(in: text, separator: separator)
            for n in notes {
                #expect(String(String.UnicodeScalarView(scalars[n.range])) == n.text, "\(separator)")
            }
            #expect(notes.last?.text == "last 🙂")
        }
        #expect(NoteSplitter.notes(in: text, separator: .blankLine).map(\.text)
            == ["🙂 R) eylea\r\nVA 6/9 👁️", "\u{1D54F} L) x\rIOP 14/16", "𝒳", "last 🙂"])
        #expect(NoteSplitter.notes(in: text, separator: .line).map(\.range)
            == [0..<10, 12..<21, 25..<31, 32..<41, 43..<44, 50..<56])
    }

    @Test func summariesBelongToTheNoteAboveAndAloneAreNoNote() {
        let text = "R) eylea\n[Summary] Right eye drug: Eylea (aflibercept)\n{\"drug.right\": null}\n\n[Summary] orphan\n\nL) x"
        let notes = NoteSplitter.notes(in: text, separator: .blankLine)
        #expect(notes.map(\.text) == ["R) eylea\n[Summary] Right eye drug: Eylea (aflibercept)\n{\"drug.right\": null}", "L) x"])
        #expect(notes.map(\.index) == [0, 1])
        #expect(notes[0].range == 0..<75)
        #expect(notes[0].summaryLines == [9..<54, 55..<75])
        #expect(notes[0].analysedText == "R) eylea")
        #expect(notes[1].analysedText == "L) x")

        let lines = NoteSplitter.notes(in: "IOP 14/16\r\n[Summary] x\r\nrev 4/52\r\n", separator: .line)
        #expect(lines.map(\.text) == ["IOP 14/16\r\n[Summary] x", "rev 4/52"])
        #expect(lines[0].analysedText == "IOP 14/16")
    }

    @Test func aSummaryInsideANoteIsBlankedWithOffsetsKept() {
        let notes = NoteSplitter.notes(in: "R) eylea\n  [Summary] a; b\nVA 6/9", separator: .blankLine)
        #expect(notes.count == 1)
        #expect(notes[0].analysedText == "R) eylea\n" + String(repeating: " ", count: 16) + "\nVA 6/9")
    }

    @Test func aJSONSummaryReformattedOverSeveralLinesIsStillASummary() {
        let block = "{\n  \"drug.right\": {\n    \"text\": \"eylea\",\n    \"summary\": \"Eylea\",\n    \"normalized\": {}\n  },\n  \"iop.left\": null\n}"
        let notes = NoteSplitter.notes(in: "R) eylea\n" + block, separator: .blankLine)
        #expect(notes.count == 1)
        #expect(notes[0].summaryLines.count == 8)
        #expect(notes[0].analysedText == "R) eylea")
    }

    @Test func jsonOrBracketsTypedByTheClinicianAreNoteText() {
        let text = "R) eylea\n{\"plan\": \"inject\"}\n{\"drug.right\": 3}\n[summary] typed by hand\n{\n}"
        let notes = NoteSplitter.notes(in: text, separator: .blankLine)
        #expect(notes.count == 1)
        #expect(notes[0].summaryLines.isEmpty)
        #expect(notes[0].analysedText == text)
    }

    @Test func emptyAndBlankDocumentsHaveNoNotes() {
        #expect(NoteSplitter.notes(in: "", separator: .blankLine).isEmpty)
        #expect(NoteSplitter.notes(in: "\n \n\r\n", separator: .line).isEmpty)
    }
}

@Suite struct LongNoteSplittingTests {
    @Test func aLongLineIsReadAsBoundedNotesCutAfterSpaces() {
        let line = (0..<9000).map { "w\($0)" }.joined(separator: " ")
        let notes = NoteSplitter.notes(in: "first\n\n" + line + "\n\nlast", separator: .blankLine)
        let scalars = Array(("first\n\n" + line + "\n\nlast").unicodeScalars)
        #expect(notes.first?.text == "first" && notes.last?.text == "last")
        let pieces = notes.dropFirst().dropLast()
        #expect(pieces.count > 1)
        #expect(pieces.allSatisfy { $0.range.count <= NoteSplitter.maxNoteScalars })
        #expect(pieces.map(\.text).joined() == line, "the pieces cover the line, in order")
        for (a, b) in zip(pieces, pieces.dropFirst()) {
            #expect(a.range.upperBound == b.range.lowerBound)
            #expect(scalars[a.range.upperBound - 1] == " ", "cut after a space")
        }
        #expect(notes.map(\.index) == Array(0..<notes.count))
        for n in notes { #expect(String(String.UnicodeScalarView(scalars[n.range])) == n.text) }
    }

    @Test func aLongRunOfLinesIsCutAtLineBreaksAndALineWithoutSpacesAtTheLimit() {
        let lines = (0..<3000).map { "line \($0) eylea" }.joined(separator: "\n")
        let notes = NoteSplitter.notes(in: lines, separator: .blankLine)
        #expect(notes.count > 1)
        #expect(notes.allSatisfy { !$0.text.hasPrefix("\n") && !$0.text.hasSuffix("\n") && $0.range.count <= NoteSplitter.maxNoteScalars })
        #expect(notes.map(\.text).joined(separator: "\n") == lines)
        let solid = String(repeating: "x", count: 20_000)
        let cut = NoteSplitter.notes(in: solid, separator: .line)
        #expect(cut.map(\.range.count) == [8192, 8192, 3616])
    }
}

@Suite struct IncrementalNoteSplitterTests {
    /// After every random edit, splitting again only around it gives what splitting the whole text gives:
    /// blank and whitespace-only lines (non-ASCII spaces too), CR, LF and CRLF, summaries under notes, a JSON
    /// summary over several lines, and runs longer than a note (cut into pieces), in both separator modes.
    @Test func splittingAroundAnEditGivesTheWholeSplit() {
        let pieces: [String] = ["R) eylea", " ", "\n", "\n\n", "\r\n", "\r", "\u{A0}", "\n\u{2003}\n", "[Summary] Right eye drug: Eylea",
                                "{", "}", "\n{\n\"drug\": 1\n}\n", "VA 6/9 ", "x", "😀", "", "long line without a break "]
        var state: UInt64 = 11
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        for separator in NoteSeparator.allCases {
            var text = "a\n\nb c\n[Summary] x\n\nd"
            var notes = NoteSplitter.notes(in: text, separator: separator, maxScalars: 40)
            for step in 0..<1500 {
                var scalars = Array(text.unicodeScalars)
                let a = next(scalars.count + 1), b = min(scalars.count, a + next(6))
                let inserted = (0..<next(3)).map { _ in pieces[next(pieces.count)] }.joined()
                scalars.replaceSubrange(a..<b, with: inserted.unicodeScalars)
                text = String(String.UnicodeScalarView(scalars))
                let count = inserted.unicodeScalars.count
                let incremental = NoteSplitter.notes(in: LineIndex(text), separator: separator, reusing: notes,
                                                     changed: a..<(a + count), delta: count - (b - a), maxScalars: 40)
                let whole = NoteSplitter.notes(in: text, separator: separator, maxScalars: 40)
                guard incremental == whole else {
                    Issue.record("\(separator) step \(step): replacing \(a)..<\(b) with \(inserted.debugDescription) in \(text.debugDescription)")
                    return
                }
                notes = incremental
            }
        }
    }
}
