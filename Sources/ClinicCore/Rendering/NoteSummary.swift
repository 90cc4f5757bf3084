import Foundation
import JSON

/// How a structured summary is written into the document.
public enum SummaryFormat: String, Sendable, CaseIterable {
    case line, json
}

extension NoteAnalysis {
    /// The structured summary a code action inserts after a note: one line of "label: value" pairs,
    /// or one line of JSON keyed by field id. `WrittenSummary` recognises both, so a summary in a
    /// note is never read as its text.
    public func summary(format: SummaryFormat) -> String {
        switch format {
        case .line:
            let parts = fields.map { "\($0.label): \($0.finding?.summary ?? "none")" }
            return WrittenSummary.linePrefix + " " + parts.joined(separator: "; ")
        case .json:
            var o = JSONObject()
            for v in fields {
                guard let f = v.finding else { o[v.id] = .null; continue }
                o[v.id] = .obj(["text": .string(f.text), "summary": .string(f.summary), "normalized": f.normalized])
            }
            return JSON.object(o).serialized()
        }
    }
}
