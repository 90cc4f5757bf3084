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
}
