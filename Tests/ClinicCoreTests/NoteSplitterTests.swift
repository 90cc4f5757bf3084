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

    @Test func emptyAndBlankDocumentsHaveNoNotes() {
        #expect(NoteSplitter.notes(in: "", separator: .blankLine).isEmpty)
        #expect(NoteSplitter.notes(in: "\n \n\r\n", separator: .line).isEmpty)
    }
}
