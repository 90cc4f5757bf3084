import ClinicCore
import JSON

enum HoverFeature {
    /// Normalised members that carry a comparable measure across notes, shown as a trend.
    static let trendKeys = ["logmar"]
    static let trendNotes = 8
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func markdown(note analysis: NoteAnalysis, noteCount: Int, document: TextDocument,
                         all: [NoteAnalysis]) -> String {
        let firstLine = document.lines.line(containing: analysis.note.range.lowerBound) + 1
        let lastLine = document.lines.line(containing: max(analysis.note.range.lowerBound,
                                                           analysis.note.range.upperBound - 1)) + 1
        var md = "**Note \(analysis.note.index + 1) of \(noteCount)** (line"
        md += firstLine == lastLine ? " \(firstLine))" : "s \(firstLine)–\(lastLine))"
        md += Markdown.escape(headline(analysis)) + "\n\n"
        md += "| Field | As typed | Normalised | Confidence |\n|---|---|---|---|\n"
        for field in analysis.fields {
            if let f = field.finding {
                md += "| \(Markdown.escape(field.label)) | `\(f.text.replacingAll("`", with: "'").replacingAll("|", with: "\\|"))` "
                md += "| \(Markdown.escape(f.summary)) | \(Markdown.percent(f.score)) |\n"
            } else {
                md += "| \(Markdown.escape(field.label)) | — | — | — |\n"
            }
        }
        if !analysis.diagnostics.isEmpty {
            md += "\n"
            for d in analysis.diagnostics { md += "- \(d.severity.rawValue): \(Markdown.escape(d.message))\n" }
        }
        md += trend(upTo: analysis.note.index, all)
        return md
    }

    /// The same content for clients that show only plain text.
    static func plainText(note analysis: NoteAnalysis, noteCount: Int, all: [NoteAnalysis]) -> String {
        var lines = ["Note \(analysis.note.index + 1) of \(noteCount)" + headline(analysis)]
        for field in analysis.fields {
            if let f = field.finding {
                lines.append("\(field.label): \(f.summary) (typed \"\(f.text)\", \(Markdown.percent(f.score)))")
            } else {
                lines.append("\(field.label): -")
            }
        }
        for d in analysis.diagnostics { lines.append("\(d.severity.rawValue): \(d.message)") }
        let window = all.filter { $0.note.index <= analysis.note.index }.suffix(trendNotes)
        for (column, field) in analysis.fields.enumerated() {
            let values = window.compactMap { a -> (Double, String)? in
                guard column < a.fields.count, a.fields[column].id == field.id, let f = a.fields[column].finding,
                      let v = measure(f.normalized) else { return nil }
                return (v, f.summary)
            }
            guard !values.isEmpty else { continue }
            lines.append("\(field.label) across notes: \(sparkline(values.map(\.0))) \(values.map(\.1).joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    /// The rest of the hover's first line, which is all that clients showing one line of it (eldoc in
    /// lsp-mode and eglot) show: ": Drug: Eylea (aflibercept) · Pressure: 14 mmHg · 1 warning".
    static func headline(_ analysis: NoteAnalysis) -> String {
        var parts = analysis.fields.compactMap { field in field.finding.map { "\(field.label): \($0.summary)" } }
        let warnings = analysis.diagnostics.filter { $0.severity == .warning || $0.severity == .error }.count
        if warnings > 0 { parts.append(warnings == 1 ? "1 warning" : "\(warnings) warnings") }
        return parts.isEmpty ? ": nothing found" : ": " + parts.joined(separator: " · ")
    }

    /// For each field with a trend measure: its values in the notes up to the hovered one.
    static func trend(upTo index: Int, _ all: [NoteAnalysis]) -> String {
        let window = all.filter { $0.note.index <= index }.suffix(trendNotes)
        guard let first = window.first else { return "" }
        var rows = ""
        for (column, field) in first.fields.enumerated() {
            var values: [(note: Int, value: Double, summary: String)] = []
            for a in window where column < a.fields.count && a.fields[column].id == field.id {
                guard let f = a.fields[column].finding, let v = measure(f.normalized) else { continue }
                values.append((a.note.index + 1, v, f.summary))
            }
            guard !values.isEmpty else { continue }
            let cells = values.map { "\($0.note): \(Markdown.escape($0.summary))" }.joined(separator: " · ")
            rows += "| \(Markdown.escape(field.label)) | \(sparkline(values.map(\.value))) | \(cells) |\n"
        }
        guard !rows.isEmpty else { return "" }
        let from = first.note.index + 1, to = (window.last ?? first).note.index + 1
        return "\n**Across notes \(from)–\(to)** (logMAR; higher bar = worse)\n\n"
            + "| Field | Trend | Note: value |\n|---|---|---|\n" + rows
    }

    static func measure(_ normalized: JSON) -> Double? {
        guard case .object(let o) = normalized else { return nil }
        for (key, value) in o where trendKeys.contains(key.lowercased()) {
            if let d = value.doubleValue { return d }
        }
        return nil
    }

    /// One bar per value, scaled between the lowest and highest; a value that is no finite number gets
    /// no bar (a space) and does not stretch the scale.
    static func sparkline(_ values: [Double]) -> String {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return String(repeating: " ", count: values.count) }
        let span = hi - lo
        return String(values.map { v -> Character in
            guard v.isFinite else { return " " }
            guard span > 0, span.isFinite else { return bars[bars.count / 2] }
            let step = ((v - lo) / span * Double(bars.count - 1)).rounded()
            return bars[min(bars.count - 1, max(0, Int(exactly: step) ?? 0))]
        })
    }
}

struct HoverRequest: DocumentRequest {
    static let method = "textDocument/hover"
    static let capabilities: JSON = ["hoverProvider": true]
    static func decode(_ p: JSONReader) throws -> TextDocumentPositionParams { try .read(p) }

    static func answer(_ params: TextDocumentPositionParams, in doc: DocumentContext) throws -> JSON {
        let snap = doc.snapshot, server = doc.server
        let offset = doc.document.offset(params.position, doc.encoding)
        guard snap.configuration.engine != nil else { return .null }
        guard let notes = server.currentNotes(snap) else {
            // This version has no results yet: its analysis takes this note first, and the hover waits.
            server.analyseFirst(doc.uri, offset..<offset)
            throw ResultsPending(uri: doc.uri)
        }
        guard let note = notes.first(where: { $0.range.contains(offset) || $0.range.upperBound == offset }) else {
            return .null
        }
        let lookBack = notes.filter { $0.index <= note.index }.suffix(HoverFeature.trendNotes)
        let span = (lookBack.first ?? note).range.lowerBound..<note.range.upperBound
        guard let analyses = try server.currentAnalyses(snap, range: span, request: doc.request),
              let hovered = analyses.first(where: { $0.note.index == note.index })
        else { return .null }
        let markdown = doc.client.hoverMarkdown
        let text = markdown
            ? HoverFeature.markdown(note: hovered, noteCount: notes.count, document: snap.document, all: analyses)
            : HoverFeature.plainText(note: hovered, noteCount: notes.count, all: analyses)
        return .obj([
            "contents": .obj(["kind": .string(markdown ? "markdown" : "plaintext"), "value": .string(text)]),
            "range": snap.document.rangeJSON(note.range, doc.encoding),
        ])
    }
}
