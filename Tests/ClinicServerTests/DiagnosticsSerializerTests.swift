import ClinicCore
import Foundation
import JSON
import Testing
@testable import ClinicServer

@Suite struct DiagnosticsSerializerTests {
    let uri = "file:///s.clinic"

    func full(_ document: TextDocument, _ analyses: [NoteAnalysis], _ encoding: PositionEncoding) -> JSON {
        RPCEnvelope.notification("textDocument/publishDiagnostics", .obj([
            "uri": .string(uri), "version": .int(document.version),
            "diagnostics": .array(DiagnosticsFeature.diagnostics(analyses, in: document, encoding)),
        ]))
    }

    @Test func reusedPartsAlwaysGiveWhatAFullBuildGives() throws {
        let engine = FakeEngine()
        let serializer = DiagnosticsSerializer()
        var rng = SystemRandomNumberGenerator()
        let pieces = ["eylea ", "lucentis ", "IOP 14 ", "rev ", "rev 4/52 ", "é ", "👁 ", "\n", "\n\n", "x"]
        var text = "eylea IOP 12\n\nlucentis rev\n\nIOP 20 eylea\n\nnothing here"
        for version in 1...400 {
            let scalars = Array(text.unicodeScalars)
            let at = Int.random(in: 0...scalars.count, using: &rng)
            var edited = String.UnicodeScalarView(scalars[..<at])
            if Bool.random(using: &rng) || scalars.isEmpty {
                edited.append(contentsOf: pieces.randomElement(using: &rng)!.unicodeScalars)
                edited.append(contentsOf: scalars[at...])
            } else {
                edited.append(contentsOf: scalars[min(scalars.count, at + Int.random(in: 1...6, using: &rng))...])
            }
            text = String(edited)
            let document = TextDocument(uri: uri, version: version, text: text)
            var analyses = try engine.analyze(text: text, notes: nil, isCancelled: { false })
            if version % 7 == 0, !analyses.isEmpty {
                // A document-level check can change an unedited note's diagnostics.
                let note = analyses[analyses.count - 1].note
                analyses[analyses.count - 1].diagnostics.append(ClinicDiagnostic(
                    range: note.range.lowerBound..<note.range.lowerBound, severity: .warning, code: "drop", message: "worse"))
            }
            // Another engine (a new settings epoch) may find other things in the same text.
            let epoch = version / 13
            if epoch % 2 == 1 {
                for i in analyses.indices {
                    for k in analyses[i].fields.indices { analyses[i].fields[k].finding?.summary += " (other engine)" }
                }
            }
            // Findings at the cursor held back, now and then.
            let heldAt = version % 5 == 0 ? at : nil
            let encoding: PositionEncoding = version % 50 < 25 ? .utf16 : .utf8
            let prepared = serializer.notification(uri: uri, document: document, analyses: analyses, encoding: encoding,
                                                   epoch: epoch, heldAt: heldAt)
            let parsed = try JSON.parse(bytes: Array(prepared.body.utf8))
            #expect(parsed == full(document, TypingHoldBack.shown(analyses, around: heldAt), encoding),
                    "version \(version): \(text.debugDescription)")
        }
    }
}
