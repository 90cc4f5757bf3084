import ClinicCore
import JSON

/// Positions in `extract` records: `{"line", "character"}`, zero-based, the character counted in `encoding`.
struct RecordPositions {
    let lines: LineIndex
    let encoding: PositionEncoding

    func position(_ offset: Int) -> JSON {
        let p = lines.position(of: offset, encoding: encoding)
        return .obj(["line": .int(p.line), "character": .int(p.character)])
    }

    func range(_ range: Range<Int>) -> JSON {
        .obj(["start": position(range.lowerBound), "end": position(range.upperBound)])
    }
}

extension NoteAnalysis {
    /// One `extract` record: file, note number, range, text, patient, fields, diagnostics.
    public func extractJSON(file: String, lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        let at = RecordPositions(lines: lineIndex, encoding: encoding)
        return .obj([
            "file": .string(file),
            "note": .int(note.index),
            "range": at.range(note.range),
            "text": .string(note.text),
            "patient": patientJSON(at),
            "fields": fieldsJSON(at),
            "diagnostics": diagnosticsJSON(at),
        ])
    }

    /// `{"drug.right": null | {"text", "range", "score", "normalized"}, ...}` with every enabled field present.
    public func fieldsJSON(lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        fieldsJSON(RecordPositions(lines: lineIndex, encoding: encoding))
    }

    /// `{"number": 2, "header": "Name: ...", "range": ...}` for a note under a patient header (the
    /// nearest one of its patient), null for a note of a document without headers or above the first.
    public func patientJSON(lineIndex: LineIndex, encoding: PositionEncoding = .utf16) -> JSON {
        patientJSON(RecordPositions(lines: lineIndex, encoding: encoding))
    }

    private func fieldsJSON(_ at: RecordPositions) -> JSON {
        var o = JSONObject()
        for v in fields {
            guard let f = v.finding else { o[v.id] = .null; continue }
            o[v.id] = .obj([
                "text": .string(f.text),
                "range": at.range(f.range),
                "score": .double((f.score * 10_000).rounded() / 10_000),
                "normalized": f.normalized,
            ])
        }
        return .object(o)
    }

    private func diagnosticsJSON(_ at: RecordPositions) -> JSON {
        .array(diagnostics.map { d in
            var o = JSONObject()
            o["range"] = at.range(d.range)
            o["severity"] = .string(d.severity.rawValue)
            o["code"] = .string(d.code)
            o["message"] = .string(d.message)
            if let fix = d.fix {
                o["fix"] = .obj(["title": .string(fix.title), "position": at.position(fix.offset), "text": .string(fix.text)])
            }
            return .object(o)
        })
    }

    private func patientJSON(_ at: RecordPositions) -> JSON {
        guard let number = patient.number, let header = patient.header else { return .null }
        return .obj(["number": .int(number), "header": .string(header.text), "range": at.range(header.range)])
    }
}
