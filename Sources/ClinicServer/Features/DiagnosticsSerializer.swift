import ClinicCore
import Foundation
import JSON
import Synchronization

/// Serialises the diagnostics notification of a document note by note, keeping each note's part:
/// a note of the same text, analysed by the same engine (settings epoch), that starts where it did last time
/// (line and column) and has the same diagnostics reuses it (its fields are the same: they depend only on the
/// note's text and the engine; checks that read earlier notes change only diagnostics), so
/// typing into one note of a long document serialises only that note's diagnostics. The parts are kept in
/// document order and matched by walking both lists (an edit changes a few notes, so they stay aligned),
/// which costs a string comparison per note instead of hashing every note's text.
final class DiagnosticsSerializer: Sendable {
    private struct Part {
        var analysis: NoteAnalysis
        var start: TextPosition
        var encoding: PositionEncoding
        var epoch: Int
        /// False for a note with findings held back at the cursor (`TypingHoldBack`).
        var reusable: Bool
        /// The note's diagnostics as serialised JSON objects separated by commas.
        var json: String
    }

    /// Per document URI, in document order.
    private let parts = Mutex<[String: [Part]]>([:])

    /// `heldAt`: the cursor position whose findings are held back (`TypingHoldBack`); `epoch`: the settings
    /// epoch of the engine that produced `analyses`.
    func notification(uri: String, document: TextDocument, analyses: [NoteAnalysis], encoding: PositionEncoding,
                      epoch: Int, heldAt: Int? = nil) -> PreparedMessage {
        let previous = parts.withLock { $0.removeValue(forKey: uri) ?? [] }
        var lookup = AlignedLookup(keys: previous.map(\.analysis.note.text))
        var current: [Part] = []
        current.reserveCapacity(analyses.count)
        var pieces: [String] = []
        pieces.reserveCapacity(2 * analyses.count + 2)
        func message(_ diagnostics: [JSON]) -> JSON {
            RPCEnvelope.notification("textDocument/publishDiagnostics", .obj([
                "uri": .string(uri), "version": .int(document.version), "diagnostics": .array(diagnostics),
            ]))
        }
        // "diagnostics" is the last member the envelope writes, so its empty array ends the text.
        let envelope = message([]).serialized()
        guard envelope.hasSuffix("[]}}") else {
            return PreparedMessage(message(DiagnosticsFeature.diagnostics(TypingHoldBack.shown(analyses, around: heldAt),
                                                                          in: document, encoding)))
        }
        pieces.append(String(envelope.dropLast(3)))
        for analysis in analyses {
            let note = analysis.note
            let start = document.position(note.range.lowerBound, encoding)
            let held = heldAt.map { AnalysisJob.overlaps(note.range, $0..<$0) } ?? false
            let part: Part
            if !held, let k = lookup.find(note.text), previous[k].reusable, previous[k].start == start,
               previous[k].encoding == encoding, previous[k].epoch == epoch,
               previous[k].analysis.note.pastModelBudget == note.pastModelBudget,
               DiagnosticsFeature.sameDiagnostics(analysis, previous[k].analysis,
                                                  shiftedBy: note.range.lowerBound - previous[k].analysis.note.range.lowerBound) {
                part = Part(analysis: analysis, start: start, encoding: encoding, epoch: epoch, reusable: true, json: previous[k].json)
            } else {
                let shown = held ? TypingHoldBack.shown([analysis], around: heldAt) : [analysis]
                let items = DiagnosticsFeature.diagnostics(shown, in: document, encoding)
                part = Part(analysis: analysis, start: start, encoding: encoding, epoch: epoch, reusable: !held,
                            json: String(JSON.array(items).serialized().dropFirst().dropLast())
                                .trimmingCharacters(in: .whitespaces))
            }
            if !part.json.isEmpty {
                if pieces.count > 1 { pieces.append(",") }
                pieces.append(part.json)
            }
            current.append(part)
        }
        parts.withLock { $0[uri] = current }
        pieces.append("]}}")
        return PreparedMessage(pieces: pieces)
    }

    func forget(uri: String) {
        _ = parts.withLock { $0.removeValue(forKey: uri) }
    }
}
