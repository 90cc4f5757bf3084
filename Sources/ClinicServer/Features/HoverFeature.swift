import ClinicCore
import JSON

enum HoverFeature {
    static let trendNotes = NoteTrend.visits
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
        let visits = PatientVisits.upTo(analysis, in: all)
        if let history = PatientHistory.of(analysis, visits: visits) { md += patientMarkdown(history) }
        if let trend = NoteTrend.of(analysis, visits: visits) { md += trendMarkdown(trend) }
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
        let visits = PatientVisits.upTo(analysis, in: all)
        if let history = PatientHistory.of(analysis, visits: visits) { lines += patientLines(history) }
        for row in NoteTrend.of(analysis, visits: visits)?.rows ?? [] {
            lines.append("\(row.label) across notes: \(sparkline(row.points.map(\.value))) \(row.points.map(\.summary).joined(separator: ", "))")
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

    static func trendMarkdown(_ trend: NoteTrend) -> String {
        var rows = ""
        for row in trend.rows {
            let cells = row.points.map { "\($0.note): \(Markdown.escape($0.summary))" }.joined(separator: " · ")
            rows += "| \(Markdown.escape(row.label)) | \(sparkline(row.points.map(\.value))) | \(cells) |\n"
        }
        return "\n**Across notes \(noteList(trend.notes))** (logMAR; higher bar = worse)\n\n"
            + "| Field | Trend | Note: value |\n|---|---|---|\n" + rows
    }

    /// "1–3" for consecutive notes, else "1, 4, 9".
    static func noteList(_ notes: [Int]) -> String {
        guard let first = notes.first, let last = notes.last else { return "" }
        if notes.count > 1, zip(notes, notes.dropFirst()).allSatisfy({ $1 == $0 + 1 }) { return "\(first)–\(last)" }
        return notes.map(String.init).joined(separator: ", ")
    }

    static func patientTitle(_ h: PatientHistory) -> String {
        guard let header = h.header else { return "of this document (no patient header)" }
        return "\(h.number.map { "\($0): " } ?? "")\(header.replacingAll("\n", with: " · "))"
    }

    static func injectionLine(_ e: PatientHistory.EyeHistory) -> String {
        var line = "\(e.eye == .right ? "Right" : "Left") eye: \(e.injections) injection\(e.injections == 1 ? "" : "s")"
        if let last = e.lastInjection {
            line += "; the last before this visit in note \(last.note)\(last.date.map { " (\($0))" } ?? "")"
            if let days = e.daysSinceLastInjection { line += ", \(PatientHistory.interval(days: days)) before" }
        }
        return line
    }

    static func patientMarkdown(_ h: PatientHistory) -> String {
        var md = "\n**Patient \(Markdown.escape(patientTitle(h)))**\n\n"
        guard !h.eyes.isEmpty else { return md }
        md += "| Eye | Note | Date | Acuity | Injection |\n|---|---|---|---|---|\n"
        for e in h.eyes {
            for v in e.visits {
                md += "| \(e.eye.letter) | \(v.note) | \(v.date ?? "—") | \(Markdown.escape(v.acuity ?? "—")) | \(Markdown.escape(v.injection ?? "—")) |\n"
            }
        }
        md += "\n"
        for e in h.eyes { md += "- \(Markdown.escape(injectionLine(e)))\n" }
        return md
    }

    static func patientLines(_ h: PatientHistory) -> [String] {
        var lines = ["Patient \(patientTitle(h))"]
        for e in h.eyes {
            lines.append(injectionLine(e))
            for v in e.visits {
                let parts = [v.acuity, v.injection].compactMap { $0 }.joined(separator: "; ")
                lines.append("  note \(v.note)\(v.date.map { " \($0)" } ?? ""): \(parts)")
            }
        }
        return lines
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
        // The patient's history reads every note of this version analysed so far (its patients assigned
        // when the results landed), without waiting for the rest.
        let history = snap.cached.map { $0.version == snap.document.version && $0.analyses.count > analyses.count } == true
            ? snap.cached?.analyses ?? analyses : analyses
        let text = markdown
            ? HoverFeature.markdown(note: hovered, noteCount: notes.count, document: snap.document, all: history)
            : HoverFeature.plainText(note: hovered, noteCount: notes.count, all: history)
        return .obj([
            "contents": .obj(["kind": .string(markdown ? "markdown" : "plaintext"), "value": .string(text)]),
            "range": snap.document.rangeJSON(note.range, doc.encoding),
        ])
    }
}
