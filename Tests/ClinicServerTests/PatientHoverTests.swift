import ClinicCore
import JSON
import Testing
@testable import ClinicServer

/// The hover's patient panel: ClinicCore's rows (`PatientHistory`, `NoteTrend`) rendered as markdown.
@Suite struct PatientHoverTests {
    @Test func hoverNamesThePatientOfTheNote() throws {
        let engine = PipelineEngineTests()
        let (server, output) = try engine.client()
        let text = "Name: Joan Whitfield\nIOP 14/16\n\nIOP 15/17\n\nName: Raymond Fitch\nIOP 20/21"
        engine.send(server, "textDocument/didOpen", .obj(["textDocument": .obj([
            "uri": "file:///h.clinic", "languageId": "clinic", "version": 1, "text": .string(text),
        ])]))
        _ = try engine.wait(output) { $0["method"] == "textDocument/publishDiagnostics" }
        engine.send(server, "textDocument/hover", .obj(["textDocument": .obj(["uri": "file:///h.clinic"]),
                                                        "position": .obj(["line": 3, "character": 1])]), id: 2)
        let second = try engine.wait(output) { $0["id"] == 2 }["result"]["contents"]["value"].stringValue ?? ""
        #expect(second.contains("**Patient 1: Name: Joan Whitfield**"), "\(second)")
        engine.send(server, "textDocument/hover", .obj(["textDocument": .obj(["uri": "file:///h.clinic"]),
                                                        "position": .obj(["line": 6, "character": 1])]), id: 3)
        let third = try engine.wait(output) { $0["id"] == 3 }["result"]["contents"]["value"].stringValue ?? ""
        #expect(third.contains("**Patient 2: Name: Raymond Fitch**"), "\(third)")
    }

    @Test func historyRendersPerEyeRowsAndTheInjectionInterval() {
        let history = PatientHistory(number: 2, header: "Name: Joan Whitfield", eyes: [
            PatientHistory.EyeHistory(
                eye: .right,
                visits: [PatientHistory.Visit(note: 1, date: "01/02/2024", acuity: "6/9 = logMAR 0.18", injection: "Eylea (aflibercept)"),
                         PatientHistory.Visit(note: 3, date: "29/02/2024", acuity: nil, injection: "Eylea (aflibercept)")],
                injections: 2,
                lastInjection: PatientHistory.Visit(note: 1, date: "01/02/2024", acuity: nil, injection: "Eylea (aflibercept)"),
                daysSinceLastInjection: 28),
        ])
        let md = HoverFeature.patientMarkdown(history)
        #expect(md.contains("**Patient 2: Name: Joan Whitfield**"))
        #expect(md.contains("| R | 1 | 01/02/2024 | 6/9 = logMAR 0.18 | Eylea (aflibercept) |"))
        #expect(md.contains("| R | 3 | 29/02/2024 | — | Eylea (aflibercept) |"))
        #expect(md.contains("- Right eye: 2 injections; the last before this visit in note 1 (01/02/2024), 28 days (4 weeks) before"), "\(md)")
        #expect(HoverFeature.noteList([1, 2, 3]) == "1–3")
        #expect(HoverFeature.noteList([1, 4, 9]) == "1, 4, 9")
    }
}
