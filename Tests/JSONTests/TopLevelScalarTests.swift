import JSON
import Testing

/// A JSON text may be a bare number or literal (RFC 8259); json-c completes one only at the input's end,
/// which `parse` must tell it (issue 12: "42" was a ParseError, so the server answered the wrong error).
@Suite struct TopLevelScalarTests {
    @Test func bareScalarsParse() throws {
        #expect(try JSON.parse("42") == .int(42))
        #expect(try JSON.parse("-1.5") == .double(-1.5))
        #expect(try JSON.parse("null") == .null)
        #expect(try JSON.parse("true") == .bool(true))
        #expect(try JSON.parse("false ") == .bool(false))
        #expect(try JSON.parse("\"s\"") == .string("s"))
    }

    @Test(arguments: ["nul", "4x", "tru", "-", "{\"a\":", "[1,"])
    func cutShortOrWrongScalarsStillFail(text: String) {
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
    }
}
