import ClinicCore
import Foundation
import JSON
import Testing
@testable import ClinicServer

/// `textDocument/documentSymbol`: one symbol per note, from the latest analysis of the current version.
@Suite struct DocumentSymbolTests {
    let uri = "file:///clinic/outline.clinic"
    // The emoji is two UTF-16 units and four UTF-8 bytes: the first line is 26 units, 28 bytes long.
    let text = "12/03/24 😀 R) eylea given\niop 14\n\nL) lucentis rev\n\nnothing here at all in this long note today"
    static let hierarchical: JSON = .obj(["textDocument": .obj(["documentSymbol": .obj(["hierarchicalDocumentSymbolSupport": true])])])

    func started(_ caps: JSON) throws -> TestClient {
        let client = TestClient()
        _ = try client.initialize(caps)
        return client
    }

    func symbols(_ client: TestClient, _ uri: String) throws -> [JSON] {
        try client.result("textDocument/documentSymbol", .obj(["textDocument": textDocument(uri)])).arrayValue ?? []
    }

    @Test func hierarchicalSymbolsOnePerNoteInUTF16() throws {
        let client = try started(Self.hierarchical)
        client.open(uri, text)
        // Asked before any result landed: it waits for the analysis rather than answer nothing.
        let s = try symbols(client, uri)
        #expect(s.count == 3)
        #expect(s.map { $0["name"] } == ["12/03/24 😀 R) eylea given", "L) lucentis rev", "nothing here at all in this…"])
        // The fake engine puts every drug in the right eye.
        #expect(s.map { $0["detail"] } == ["R Eylea (aflibercept)", "R Lucentis (ranibizumab)", .null])
        #expect(s.allSatisfy { $0["kind"] == 24 && $0["children"].isNull })
        #expect(s[0]["range"] == range(0, 0, 1, 6))
        #expect(s[0]["selectionRange"] == range(0, 0, 0, 26))
        #expect(s[1]["range"] == range(3, 0, 3, 15))
        #expect(s[2]["selectionRange"] == range(5, 0, 5, 43))
    }

    @Test func utf8ClientsGetByteColumns() throws {
        var caps = Self.hierarchical
        caps["general"] = .obj(["positionEncodings": ["utf-8", "utf-16"]])
        let client = try started(caps)
        client.open(uri, text)
        let s = try symbols(client, uri)
        #expect(s.first?["selectionRange"] == range(0, 0, 0, 28))
    }

    @Test func flatSymbolInformationWithoutHierarchySupport() throws {
        let client = try started(.obj([:]))
        client.open(uri, text)
        let s = try symbols(client, uri)
        #expect(s.count == 3)
        #expect(s[0]["name"] == "12/03/24 😀 R) eylea given — R Eylea (aflibercept)")
        #expect(s[0]["kind"] == 24)
        #expect(s[0]["location"] == .obj(["uri": .string(uri), "range": range(0, 0, 1, 6)]))
        #expect(s[2]["name"] == "nothing here at all in this…")
        #expect(s.allSatisfy { $0["selectionRange"].isNull && $0["containerName"].isNull })
    }

    @Test func followsEditsWithoutStalePositions() throws {
        let client = try started(Self.hierarchical)
        client.open(uri, text)
        _ = try symbols(client, uri)
        // A new first note; asked at once, the answer is of version 2, not version 1 moved.
        client.change(uri, version: 2, [.obj(["range": range(0, 0, 0, 0), "text": "😀 lucentis\n\n"])])
        let s = try symbols(client, uri)
        #expect(s.count == 4)
        #expect(s.first?["name"] == "😀 lucentis")
        #expect(s.first?["selectionRange"] == range(0, 0, 0, 11))
        #expect(s[1]["range"] == range(2, 0, 3, 6))
        #expect(s[2]["detail"] == "R Lucentis (ranibizumab)")
    }

    @Test func notOpenIsInvalidParams() throws {
        let client = try started(.obj([:]))
        let r = try client.call("textDocument/documentSymbol", .obj(["textDocument": textDocument("file:///nowhere.clinic")]))
        #expect(r["error"]["code"] == .int(-32602))
        #expect(r["error"]["message"].stringValue?.contains("params.textDocument.uri") == true)
    }

    /// The place a patient level goes: `grouped` is handed the note symbols in document order.
    @Test func outlineGroupsNoteSymbols() {
        let notes = [Note(index: 0, range: 0..<5, text: "a b c"), Note(index: 1, range: 7..<9, text: "d\ne")]
        let symbols = DocumentOutline.symbols(notes: notes, analyses: [])
        #expect(symbols.map(\.name) == ["a b c", "d"])
        #expect(symbols.map(\.selectionRange) == [0..<5, 7..<8])
        #expect(DocumentOutline.flattened(symbols).map(\.1) == [nil, nil])
    }
}
