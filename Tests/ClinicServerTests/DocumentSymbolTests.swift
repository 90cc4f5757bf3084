import ClinicCore
import Foundation
import JSON
import Testing
@testable import ClinicServer

/// `textDocument/documentSymbol`: one symbol per note, from the latest analysis of the current version.
@Suite struct DocumentSymbolTests {
    let uri = "file:///clinic/outline.clinic"
    /// Each note and its first line marked. The emoji is two UTF-16 units and four UTF-8 bytes.
    static let source = "‹‹12/03/24 😀 R) eylea given›\niop 14›\n\n‹L) lucentis rev›\n\n‹nothing here at all in this long note today›"
    static let notes = MarkedText(source)
    var text: String { Self.notes.text }
    static let hierarchical: JSON = .obj(["textDocument": .obj(["documentSymbol": .obj(["hierarchicalDocumentSymbolSupport": true])])])

    func started(_ caps: JSON) throws -> TestClient {
        let client = TestClient()
        _ = try client.initialize(caps)
        return client
    }

    func symbols(_ client: TestClient, _ uri: String) throws -> [JSON] {
        try client.result("textDocument/documentSymbol", .obj(["textDocument": textDocument(uri)])).arrayValue ?? []
    }

    /// Through the real pipeline: a note that gives its visit date shows it first in the detail.
    @Test func aDatedNoteShowsItsVisitDate() throws {
        let engine = PipelineEngineTests()
        let (server, output) = try engine.client()
        engine.send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///d.clinic", "languageId": "clinic", "version": 1, "text": "12/03/24 IOP 14/16\n\nIOP 15/17",
        ])]))
        engine.send(server, "textDocument/documentSymbol", .obj(["textDocument": .obj(["uri": "file:///d.clinic"])]), id: 2)
        let names = (try engine.wait(output) { $0["id"] == 2 }["result"].arrayValue ?? []).compactMap { $0["name"].stringValue }
        #expect(names.count == 2)
        #expect(names.first?.contains("12/03/2024 · Right eye IOP: 14 mmHg") == true, "\(names)")
        #expect(names.last?.contains("/20") == false, "an undated note shows no date: \(names)")
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
        #expect(s[0]["range"] == Self.notes["12/03/24 😀 R) eylea given\niop 14"])
        #expect(s[0]["selectionRange"] == Self.notes["12/03/24 😀 R) eylea given"])
        #expect(s[1]["range"] == Self.notes["L) lucentis rev"])
        #expect(s[2]["selectionRange"] == Self.notes["nothing here at all in this long note today"])
    }

    @Test func utf8ClientsGetByteColumns() throws {
        var caps = Self.hierarchical
        caps["general"] = .obj(["positionEncodings": ["utf-8", "utf-16"]])
        let client = try started(caps)
        client.open(uri, text)
        let s = try symbols(client, uri)
        #expect(s.first?["selectionRange"] == MarkedText(Self.source, encoding: .utf8)["12/03/24 😀 R) eylea given"])
    }

    @Test func flatSymbolInformationWithoutHierarchySupport() throws {
        let client = try started(.obj([:]))
        client.open(uri, text)
        let s = try symbols(client, uri)
        #expect(s.count == 3)
        #expect(s[0]["name"] == "12/03/24 😀 R) eylea given — R Eylea (aflibercept)")
        #expect(s[0]["kind"] == 24)
        #expect(s[0]["location"] == .obj(["uri": .string(uri), "range": Self.notes["12/03/24 😀 R) eylea given\niop 14"]]))
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

    /// Without patient headers the notes are the top level.
    @Test func outlineOfASinglePatientDocumentIsItsNotes() {
        let notes = [Note(index: 0, range: 0..<5, text: "a b c"), Note(index: 1, range: 7..<9, text: "d\ne")]
        let symbols = DocumentOutline.symbols(notes: notes, analyses: [])
        #expect(symbols.map(\.name) == ["a b c", "d"])
        #expect(symbols.map(\.selectionRange) == [0..<5, 7..<8])
        #expect(DocumentOutline.flattened(symbols).map(\.1) == [nil, nil])
    }

    /// With headers, one symbol per run of a patient's notes, named by the header, the notes its children;
    /// a note above the first header stays at the top.
    @Test func outlineGroupsNotesByPatient() {
        let texts = ["seen in corridor", "Name: Ann Smith\nR) eylea", "review", "Name: Bob Jones\nL) lucentis"]
        var offset = 0
        var notes: [Note] = []
        for (i, t) in texts.enumerated() {
            notes.append(Note(index: i, range: offset..<(offset + t.unicodeScalars.count), text: t))
            offset += t.unicodeScalars.count + 2
        }
        let ann = PatientHeader(text: "Name: Ann Smith", range: notes[1].range.lowerBound..<(notes[1].range.lowerBound + 15), key: "ann smith")
        let bob = PatientHeader(text: "Name: Bob Jones", range: notes[3].range.lowerBound..<(notes[3].range.lowerBound + 15), key: "bob jones")
        let patients = [PatientRef(identity: .unknown), PatientRef(identity: .numbered(1), header: ann),
                        PatientRef(identity: .numbered(1), header: ann), PatientRef(identity: .numbered(2), header: bob)]
        let analyses = notes.indices.map { NoteAnalysis(note: notes[$0], fields: [], diagnostics: [], patient: patients[$0]) }
        let symbols = DocumentOutline.symbols(notes: notes, analyses: analyses)
        #expect(symbols.map(\.name) == ["seen in corridor", "Name: Ann Smith", "Name: Bob Jones"])
        #expect(symbols.map(\.kind) == [.event, .object, .object])
        #expect(symbols[1].children.map(\.name) == ["Name: Ann Smith", "review"])
        #expect(symbols[1].range == notes[1].range.lowerBound..<notes[2].range.upperBound)
        #expect(symbols[1].selectionRange == ann.range)
        #expect(symbols[1].detail == "2 notes")
        #expect(DocumentOutline.flattened(symbols).map(\.1) == [nil, nil, "Name: Ann Smith", "Name: Ann Smith", nil, "Name: Bob Jones"])
    }

    /// Through the real pipeline: patients from their headers, each note under its patient.
    @Test func patientsFromHeadersContainTheirNotes() throws {
        let engine = PipelineEngineTests()
        let (server, output) = try engine.client()
        let text = "Name: Joan Whitfield\nIOP 14/16\n\nIOP 15/17\n\nName: Raymond Fitch\nIOP 20/21"
        engine.send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///p.clinic", "languageId": "clinic", "version": 1, "text": .string(text),
        ])]))
        engine.send(server, "textDocument/documentSymbol", .obj(["textDocument": .obj(["uri": "file:///p.clinic"])]), id: 2)
        let symbols = try engine.wait(output) { $0["id"] == 2 }["result"].arrayValue ?? []
        #expect(symbols.map { $0["kind"] } == [19, 24, 24, 19, 24])
        #expect(symbols.map { $0["containerName"] } == [.null, "Name: Joan Whitfield", "Name: Joan Whitfield", .null, "Name: Raymond Fitch"])
        #expect(symbols.first?["name"] == "Name: Joan Whitfield — 2 notes")
        #expect(symbols.first?["location"]["range"] == range(0, 0, 3, 9))
    }
}
