import Testing
@testable import JSON

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderAndTypes() throws {
        let text = #"{"b":1,"a":[true,null,2.5,"x\u00e9\ud83d\ude00"],"c":{"d":-3}}"#
        let v = try JSON.parse(text)
        #expect(v["b"] == .int(1))
        #expect(v["a"] == .array([.bool(true), .null, .double(2.5), .string("xé😀")]))
        #expect(v.serialized() == #"{"b":1,"a":[true,null,2.5,"xé😀"],"c":{"d":-3}}"#)
    }

    @Test func doublesSerialiseShortest() {
        #expect(JSON.array([.double(0.18), .double(1.0), .double(-0.1)]).serialized() == "[0.18,1,-0.1]")
    }

    @Test func escapesControlCharactersAndQuotes() throws {
        let s = "a\"b\\c\n\u{1}/"
        let back = try JSON.parse(JSON.string(s).serialized())
        #expect(back == .string(s))
    }

    @Test func rejectsMalformedInput() {
        for bad in ["{", "{\"a\":}", "[1,]", "nul", "{} x", "", "[1] [2]"] {
            #expect(throws: JSONParseError.self) { try JSON.parse(bad) }
        }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSON.parse(bytes: Array("\"a".utf8) + [0xFF, 0x22]) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(throws: JSONParseError.self) { try JSON.parse(deep) }
    }

    @Test func readerReportsPathAndType() throws {
        let v = try JSON.parse(#"{"params":{"textDocument":{"uri":5},"list":[1,"two"]}}"#)
        let r = JSONReader(v)
        #expect(throws: JSONTypeError(path: "params.textDocument.uri", message: "expected string, found number")) {
            try r["params"]["textDocument"]["uri"].string()
        }
        #expect(throws: JSONTypeError(path: "params.missing", message: "missing integer")) {
            try r["params"]["missing"].int()
        }
        let list = try r["params"]["list"].array()
        #expect(try list[0].int() == 1)
        #expect(throws: JSONTypeError(path: "params.list[1]", message: "expected integer, found string")) {
            try list[1].int()
        }
        #expect(try r["params"]["nope"].optionalString() == nil)
    }

    @Test func objectSetAndRemove() {
        var v: JSON = ["x": 1, "y": 2]
        v["z"] = "3"
        v["x"] = .null
        #expect(v.serialized() == #"{"x":null,"y":2,"z":"3"}"#)
        var o = v.objectValue!
        o["x"] = nil
        #expect(JSON.object(o).serialized() == #"{"y":2,"z":"3"}"#)
    }
}
