import ClinicCore
import JSON

enum InlayHintFeature {
    static func hints(_ analyses: [NoteAnalysis], _ snap: DocumentSnapshot, _ encoding: PositionEncoding,
                      range: Range<Int>) -> [JSON] {
        let style = snap.configuration.settings.hintStyle
        guard style != .off else { return [] }
        var out: [JSON] = []
        for analysis in analyses {
            for field in analysis.fields {
                guard let finding = field.finding,
                      range.contains(finding.range.upperBound) || range.upperBound == finding.range.upperBound
                else { continue }
                let label = style == .short ? finding.hint : "\(finding.label): \(finding.summary)"
                guard !label.isEmpty else { continue }
                out.append(.obj([
                    "position": snap.document.position(finding.range.upperBound, encoding).json,
                    "label": .string(label),
                    "paddingLeft": true,
                    "tooltip": .obj(["kind": "markdown", "value": .string(tooltip(finding))]),
                    // For clients that draw one summary per line themselves (editors/): which field the
                    // hint is, to order drugs before acuities, and the words it follows, to prefix them.
                    "data": .obj(["field": .string(finding.field), "text": .string(finding.text)]),
                ]))
            }
        }
        return out
    }

    static func tooltip(_ f: Finding) -> String {
        "**\(Markdown.escape(f.label))**: \(Markdown.escape(f.summary))  \n"
            + "as typed: `\(f.text.replacingAll("`", with: "'"))` · confidence \(Markdown.percent(f.score))"
    }
}

struct InlayHintRequest: DocumentRequest {
    static let method = "textDocument/inlayHint"
    static let capabilities: JSON = ["inlayHintProvider": ["resolveProvider": false]]
    static func decode(_ p: JSONReader) throws -> TextDocumentRangeParams { try .read(p) }

    static func answer(_ params: TextDocumentRangeParams, in doc: DocumentContext) throws -> JSON {
        let snap = doc.snapshot, server = doc.server, encoding = doc.encoding
        let canRefresh = doc.client.inlayHintRefresh
        let range = doc.offsets(params.range)
        server.state.withLock { $0.documents[doc.uri]?.priorityRange = range }
        guard doc.settings.hintStyle != .off else { return [] }
        // While the user types, serve the last results moved through the edits: no model run on this
        // thread per keystroke, and nothing on the word being typed. Fresh results follow with a refresh.
        let isStale = snap.cached.map { $0.version != snap.document.version } ?? false
        if isStale, doc.settings.holdBackWhileTyping, let mapped = server.mappedAnalyses(snap) {
            return .array(InlayHintFeature.hints(mapped, snap, encoding, range: range))
        }
        guard let analyses = try server.currentAnalyses(snap, range: range, request: doc.request) else {
            // The model is loading. A client that takes no refresh would keep an empty answer: it waits.
            if !canRefresh { throw ResultsPending(uri: doc.uri) }
            return []
        }
        // Only a client that takes a refresh is told when a hold-back ends.
        let held = canRefresh ? TypingHoldBack.point(snap.document, doc.settings) : nil
        let shown = TypingHoldBack.shown(analyses, around: held)
        return .array(InlayHintFeature.hints(shown, snap, encoding, range: range))
    }
}
