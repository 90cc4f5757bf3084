import ClinicCore
import Foundation
import JSON
import Synchronization

/// Serialises the diagnostics notification of a document note by note, keeping each note's part:
/// a note whose findings are the same and that starts where it did last time (line and column) reuses it, so
/// typing into one note of a long document serialises only that note's diagnostics.
final class DiagnosticsSerializer: Sendable {
    private struct Part {
        /// The analysis with offsets relative to the note's start.
        var relative: NoteAnalysis
        var start: TextPosition
        var encoding: PositionEncoding
        /// The note's diagnostics as serialised JSON objects separated by commas.
        var json: String
    }

    /// Per document URI, per note text.
    private let parts = Mutex<[String: [String: Part]]>([:])

    func notification(uri: String, document: TextDocument, analyses: [NoteAnalysis],
                      encoding: PositionEncoding) -> PreparedMessage {
        let previous = parts.withLock { $0[uri] ?? [:] }
        var current: [String: Part] = [:]
        var pieces: [String] = []
        for analysis in analyses {
            let note = analysis.note
            let relative = analysis.placed(as: Note(index: 0, range: 0..<note.range.count, text: note.text,
                                                    summaryLines: note.summaryLines))
            let start = document.position(note.range.lowerBound, encoding)
            var part: Part
            if let old = previous[note.text], old.start == start, old.encoding == encoding, old.relative == relative {
                part = old
            } else {
                let items = DiagnosticsFeature.diagnostics([analysis], in: document, encoding)
                part = Part(relative: relative, start: start, encoding: encoding,
                            json: String(JSON.array(items).serialized().dropFirst().dropLast())
                                .trimmingCharacters(in: .whitespaces))
            }
            if !part.json.isEmpty { pieces.append(part.json) }
            current[note.text] = part
        }
        parts.withLock { $0[uri] = current }

        func message(_ diagnostics: [JSON]) -> JSON {
            RPCEnvelope.notification("textDocument/publishDiagnostics", .obj([
                "uri": .string(uri), "version": .int(document.version), "diagnostics": .array(diagnostics),
            ]))
        }
        // "diagnostics" is the last member the envelope writes, so its empty array ends the text.
        let envelope = message([]).serialized()
        guard envelope.hasSuffix("[]}}") else {
            return PreparedMessage(message(DiagnosticsFeature.diagnostics(analyses, in: document, encoding)))
        }
        return PreparedMessage(body: envelope.dropLast(3) + pieces.joined(separator: ",") + "]}}")
    }

    func forget(uri: String) {
        _ = parts.withLock { $0.removeValue(forKey: uri) }
    }
}
