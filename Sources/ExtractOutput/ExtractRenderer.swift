import ClinicCore
import Foundation
import JSON

public enum ExtractFormat: String, Sendable, CaseIterable {
    case jsonl, json, csv, text
}

/// Renders analysed documents for the `extract` command. Feed documents in order with `render`,
/// then write `finish()`; each call returns the text to write (so output streams per document).
public struct ExtractRenderer {
    public let format: ExtractFormat
    public let fields: [FieldSpec]
    private var started = false

    public init(format: ExtractFormat, fields: [FieldSpec]) {
        self.format = format
        self.fields = fields
    }

    public mutating func render(file: String, text: String, analyses: [NoteAnalysis]) -> String {
        let index = LineIndex(text)
        var out = ""
        switch format {
        case .jsonl:
            for a in analyses { out += a.extractJSON(file: file, lineIndex: index).serialized() + "\n" }
        case .json:
            for a in analyses {
                out += (started ? ",\n" : "[\n") + a.extractJSON(file: file, lineIndex: index).serialized()
                started = true
            }
        case .csv:
            if !started { out += Self.csvRow(csvHeader) }
            started = true
            for a in analyses { out += Self.csvRow(csvRow(file: file, analysis: a, index: index)) }
        case .text:
            if started { out += "\n" }
            started = true
            out += textBlock(file: file, analyses: analyses, index: index)
        }
        return out
    }

    public mutating func finish() -> String {
        switch format {
        case .json: return started ? "\n]\n" : "[]\n"
        case .csv: return started ? "" : Self.csvRow(csvHeader)
        default: return ""
        }
    }

    // MARK: CSV

    var csvHeader: [String] {
        ["file", "note", "start_line", "start_character", "end_line", "end_character", "text"]
            + fields.flatMap { [$0.id, "\($0.id).summary", "\($0.id).score"] } + ["diagnostics", "patient"]
    }

    func csvRow(file: String, analysis a: NoteAnalysis, index: LineIndex) -> [String] {
        let s = index.position(of: a.note.range.lowerBound), e = index.position(of: a.note.range.upperBound)
        var row = [file, String(a.note.index), String(s.line), String(s.character), String(e.line), String(e.character), a.note.text]
        for v in a.fields {
            if let f = v.finding { row += [f.text, f.summary, String(format: "%.4f", f.score)] } else { row += ["", "", ""] }
        }
        row.append(a.diagnostics.map { "\($0.severity.rawValue) \($0.code): \($0.message)" }.joined(separator: " | "))
        row.append(a.patient.header?.text ?? "")
        return row
    }

    /// RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends a row.
    static func csvRow(_ cells: [String]) -> String {
        cells.map { c in
            c.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
                ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c
        }.joined(separator: ",") + "\r\n"
    }

    // MARK: Text

    func textBlock(file: String, analyses: [NoteAnalysis], index: LineIndex) -> String {
        var out = "\(file): \(analyses.count) note\(analyses.count == 1 ? "" : "s")\n"
        let labelWidth = fields.map(\.label.count).max() ?? 0
        for a in analyses {
            let first = index.position(of: a.note.range.lowerBound).line + 1
            let last = index.position(of: a.note.range.upperBound).line + 1
            out += "\nNote \(a.note.index + 1) (line\(first == last ? " \(first)" : "s \(first)-\(last)"))\n"
            for line in a.note.text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
                out += "  | \(line)\n"
            }
            if let number = a.patient.number, let header = a.patient.header {
                out += "  Patient \(number): \(Self.clip(header.text, 60))\n"
            }
            let typedWidth = min(24, a.fields.compactMap { $0.finding?.text.count }.max() ?? 0)
            for v in a.fields {
                let label = v.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                guard let f = v.finding else { out += "  \(label)  -\n"; continue }
                let typed = Self.clip(f.text, typedWidth).padding(toLength: typedWidth, withPad: " ", startingAt: 0)
                out += "  \(label)  \(typed)  \(f.summary)  (\(String(format: "%.2f", f.score)))\n"
            }
            for d in a.diagnostics {
                let line = index.position(of: d.range.lowerBound).line + 1
                out += "  \(d.severity.rawValue) [\(d.code)] line \(line): \(d.message)\n"
            }
        }
        return out
    }

    static func clip(_ s: String, _ width: Int) -> String {
        let oneLine = s.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        return oneLine.count <= width ? oneLine : String(oneLine.prefix(max(0, width - 1))) + "…"
    }
}
