import ClinicCore
import JSON

enum CodeActionKinds {
    static let summary = "refactor.extract.clinicSummary"
    static let quickFix = "quickfix"
}

struct CodeActionRequest: DocumentRequest {
    static let method = "textDocument/codeAction"
    static let capabilities: JSON = ["codeActionProvider": [
        "codeActionKinds": [.string(CodeActionKinds.summary), .string(CodeActionKinds.quickFix)], "resolveProvider": false,
    ]]

    struct Params: DocumentParams {
        var uri: String
        var range: (start: TextPosition, end: TextPosition)
        /// `context.only`: the kinds the client wants, nil for all.
        var only: [String]?
    }

    static func decode(_ p: JSONReader) throws -> Params {
        let target = try TextDocumentRangeParams.read(p)
        let only = try p["context"]["only"].optionalArray()?.map { try $0.string() }
        return Params(uri: target.uri, range: target.range, only: only)
    }

    static func answer(_ params: Params, in doc: DocumentContext) throws -> JSON {
        let snap = doc.snapshot, encoding = doc.encoding, uri = doc.uri, only = params.only
        let documentChanges = doc.client.documentChanges
        let range = doc.offsets(params.range)
        func allowed(_ kind: String) -> Bool {
            guard let only else { return true }
            return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
        }
        guard let engine = snap.configuration.engine else { return [] }
        let format = snap.configuration.settings.summaryFormat
        let newline = snap.document.text.contains("\r\n") ? "\r\n" : "\n"
        func edit(_ insertions: [(offset: Int, text: String)]) -> JSON {
            let edits: [JSON] = insertions.sorted { $0.offset < $1.offset }.map {
                .obj(["range": snap.document.rangeJSON($0.offset..<$0.offset, encoding), "newText": .string($0.text)])
            }
            if documentChanges {
                return .obj(["documentChanges": [.obj([
                    "textDocument": .obj(["uri": .string(uri), "version": .int(snap.document.version)]),
                    "edits": .array(edits),
                ])]])
            }
            return .obj(["changes": .object(JSONObject([(uri, .array(edits))]))])
        }
        /// The summary to insert after a note; nil when the note already ends with it.
        func summaryInsertion(_ a: NoteAnalysis) -> (offset: Int, text: String)? {
            let summary = engine.summary(of: a, format: format)
            let text = newline == "\n" ? summary : summary.split(separator: "\n", omittingEmptySubsequences: false)
                .joined(separator: newline)
            if a.note.text.hasSuffix(newline + text) { return nil }
            return (a.note.range.upperBound, newline + text)
        }

        var actions: [JSON] = []
        let here = try doc.server.currentAnalyses(snap, range: range, request: doc.request) ?? []
        if allowed(CodeActionKinds.quickFix) {
            for analysis in here {
                for d in analysis.diagnostics {
                    guard let fix = d.fix, d.range.overlaps(range) || d.range.contains(range.lowerBound)
                        || d.range.upperBound == range.lowerBound
                    else { continue }
                    actions.append(.obj([
                        "title": .string(fix.title),
                        "kind": .string(CodeActionKinds.quickFix),
                        "diagnostics": [DiagnosticsFeature.diagnostic(range: d.range, severity: d.severity, code: d.code,
                                                                      message: d.message, snap.document, encoding)],
                        "edit": edit([(fix.offset, fix.text)]),
                    ]))
                }
            }
        }
        if allowed(CodeActionKinds.summary) {
            if let atCursor = here.first(where: { $0.note.range.contains(range.lowerBound)
                || $0.note.range.upperBound == range.lowerBound }) ?? here.first,
                let insertion = summaryInsertion(atCursor) {
                actions.append(.obj([
                    "title": "Insert structured summary",
                    "kind": .string(CodeActionKinds.summary),
                    "edit": edit([insertion]),
                ]))
            }
            // Offered once the whole document's results are in: a long document's analysis is not waited for.
            if let cached = snap.cached, cached.version == snap.document.version, cached.complete,
               cached.notes.count > 1, !here.isEmpty {
                let all = cached.analyses
                let insertions = all.compactMap(summaryInsertion)
                if insertions.count > 1 {
                    let without = insertions.count < all.count ? " without one" : ""
                    actions.append(.obj([
                        "title": .string("Insert summaries for all \(insertions.count) notes\(without)"),
                        "kind": .string(CodeActionKinds.summary),
                        "edit": edit(insertions),
                    ]))
                }
            }
        }
        return .array(actions)
    }
}
