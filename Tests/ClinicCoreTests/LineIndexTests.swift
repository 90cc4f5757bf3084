import Testing
@testable import ClinicCore

@Suite struct LineIndexTests {
    @Test func mapsAstralCharactersAndCRLF() {
        let idx = LineIndex("a😀b\r\nc\rd\n")
        #expect(idx.lineCount == 4)
        #expect(idx.position(of: 2, encoding: .utf16) == TextPosition(line: 0, character: 3))
        #expect(idx.position(of: 2, encoding: .utf8) == TextPosition(line: 0, character: 5))
        #expect(idx.position(of: 2, encoding: .utf32) == TextPosition(line: 0, character: 2))
        #expect(idx.offset(of: TextPosition(line: 0, character: 3)) == 2)
        #expect(idx.offset(of: TextPosition(line: 0, character: 2)) == 1, "inside a surrogate pair rounds down")
        #expect(idx.offset(of: TextPosition(line: 0, character: 99)) == 3, "clamped before CRLF")
        #expect(idx.offset(of: TextPosition(line: 1, character: 0)) == 5)
        #expect(idx.offset(of: TextPosition(line: 2, character: 1)) == 8)
        #expect(idx.offset(of: TextPosition(line: 9, character: 0)) == 9)
        #expect(idx.position(of: 99) == TextPosition(line: 3, character: 0))
    }

    /// Whitespace of every UTF-8 width is blank (no-break space, em space, ideographic space); any visible scalar is not.
    @Test func blankLinesAreWhitespaceInAnyWidth() {
        let idx = LineIndex(" \t\u{A0}\n\u{2003}\u{3000}\r\n\u{A0}é\n\u{3000}中\r😀\n")
        #expect((0..<idx.lineCount).map(idx.isBlank) == [true, true, false, false, false, true])
        #expect(idx.isBlank(-1) && idx.isBlank(99))
    }

    @Test func spellsItsTextInEveryUTF8Width() {
        for text in ["", "a😀b\r\nc\rd\n", "é ü ß", "€ 中文 ﷽", "𝔸 🇬🇧 👍🏽", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"] {
            #expect(LineIndex(text).text == text)
            #expect(Array(LineIndex(text).text.utf8) == Array(text.utf8))
        }
    }
}

@Suite struct LineIndexEditTests {
    /// Every replacement leaves the same line starts as indexing the new text afresh, around CR, LF
    /// and CRLF pairs that an edit splits or joins.
    @Test func replacingKeepsTheLineStartsOfAFreshIndex() {
        let pieces: [String] = ["\r", "\n", "\r\n", "a", "😀", "", "bc\nd", "\r\r"]
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        var text = "a\r\nb\rc\n\nd"
        var index = LineIndex(text)
        for step in 0..<3000 {
            var scalars = Array(text.unicodeScalars)
            let a = next(scalars.count + 1), b = min(scalars.count, a + next(4))
            let inserted = pieces[next(pieces.count)]
            scalars.replaceSubrange(a..<b, with: inserted.unicodeScalars)
            text = String(String.UnicodeScalarView(scalars))
            index.replace(a..<b, with: inserted)
            let fresh = LineIndex(text)
            if index.lineStarts != fresh.lineStarts || index.text != text || index.scalarCount != fresh.scalarCount
                || (0...scalars.count).contains(where: { index.position(of: $0, encoding: .utf8) != fresh.position(of: $0, encoding: .utf8) }) {
                Issue.record("line starts diverged at step \(step) replacing \(a)..<\(b)")
                return
            }
        }
    }
}
