import Foundation
import JSON

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

    /// `{"drug.right": null | {"text", "range", "score", "normalized"}, ...}` with every enabled field
    /// present, ranges as LSP positions in `encoding`.
    public func fieldsJSON(lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        var o = JSONObject()
        for v in fields {
            guard let f = v.finding else { o[v.id] = .null; continue }
            o[v.id] = .obj([
                "text": .string(f.text),
                "range": lineIndex.rangeJSON(f.range, encoding: encoding),
                "score": .double(Self.round(f.score)),
                "normalized": f.normalized,
            ])
        }
        return .object(o)
    }

    public func diagnosticsJSON(lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        .array(diagnostics.map { d in
            var o = JSONObject()
            o["range"] = lineIndex.rangeJSON(d.range, encoding: encoding)
            o["severity"] = .string(d.severity.rawValue)
            o["code"] = .string(d.code)
            o["message"] = .string(d.message)
            if let fix = d.fix {
                o["fix"] = .obj(["title": .string(fix.title),
                                 "position": lineIndex.positionJSON(fix.offset, encoding: encoding),
                                 "text": .string(fix.text)])
            }
            return .object(o)
        })
    }

    /// One `extract` record: file, note number, range, text, patient, fields, diagnostics.
    public func extractJSON(file: String, lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        .obj([
            "file": .string(file),
            "note": .int(note.index),
            "range": lineIndex.rangeJSON(note.range, encoding: encoding),
            "text": .string(note.text),
            "patient": patientJSON(lineIndex: lineIndex, encoding: encoding),
            "fields": fieldsJSON(lineIndex: lineIndex, encoding: encoding),
            "diagnostics": diagnosticsJSON(lineIndex: lineIndex, encoding: encoding),
        ])
    }

    /// `{"number": 2, "header": "Name: ...", "range": ...}` for a note under a patient header (the
    /// nearest one of its patient), null for a note of a document without headers or above the first.
    public func patientJSON(lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        guard let number = patient.number, let header = patient.header else { return .null }
        return .obj(["number": .int(number), "header": .string(header.text),
                     "range": lineIndex.rangeJSON(header.range, encoding: encoding)])
    }

    static func round(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
}

extension LineIndex {
    public func positionJSON(_ offset: Int, encoding: PositionEncoding = .utf16) -> JSON {
        let p = position(of: offset, encoding: encoding)
        return .obj(["line": .int(p.line), "character": .int(p.character)])
    }

    public func rangeJSON(_ range: Range<Int>, encoding: PositionEncoding = .utf16) -> JSON {
        .obj(["start": positionJSON(range.lowerBound, encoding: encoding),
              "end": positionJSON(range.upperBound, encoding: encoding)])
    }
}
