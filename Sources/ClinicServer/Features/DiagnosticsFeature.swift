import ClinicCore
import JSON

enum DiagnosticsFeature {
    static let source = "clinic-lsp"

    /// One Information diagnostic per finding, on its span, and one per check diagnostic.
    static func diagnostics(_ analyses: [NoteAnalysis], in document: TextDocument,
                            _ encoding: PositionEncoding) -> [JSON] {
        var out: [JSON] = []
        for analysis in analyses {
            for field in analysis.fields {
                guard let finding = field.finding else { continue }
                out.append(diagnostic(range: finding.range, severity: .information, code: finding.field,
                                      message: "\(finding.label): \(finding.summary)", document, encoding))
            }
            for d in analysis.diagnostics {
                out.append(diagnostic(range: d.range, severity: d.severity, code: d.code, message: d.message,
                                      document, encoding))
            }
        }
        return out
    }

    /// Whether `a`'s check diagnostics are `b`'s moved by `delta` (what `diagnostics` reads of them, compared
    /// without building them).
    static func sameDiagnostics(_ a: NoteAnalysis, _ b: NoteAnalysis, shiftedBy delta: Int) -> Bool {
        guard a.diagnostics.count == b.diagnostics.count else { return false }
        for (x, y) in zip(a.diagnostics, b.diagnostics) {
            guard x.range.lowerBound == y.range.lowerBound + delta, x.range.upperBound == y.range.upperBound + delta,
                  x.severity == y.severity, x.code == y.code, x.message == y.message else { return false }
        }
        return true
    }

    static func diagnostic(range: Range<Int>, severity: Severity, code: String, message: String,
                           _ document: TextDocument, _ encoding: PositionEncoding) -> JSON {
        .obj([
            "range": document.rangeJSON(range, encoding),
            "severity": .int(lspSeverity(severity)),
            "code": .string(code),
            "source": .string(source),
            "message": .string(message),
        ])
    }

    static func lspSeverity(_ s: Severity) -> Int {
        switch s {
        case .error: return 1
        case .warning: return 2
        case .information: return 3
        case .hint: return 4
        }
    }
}

struct PullDiagnosticsRequest: DocumentRequest {
    static let method = "textDocument/diagnostic"
    static let capabilities: JSON = ["diagnosticProvider": [
        "identifier": "clinic-lsp", "interFileDependencies": false, "workspaceDiagnostics": false,
    ]]
    static func decode(_ p: JSONReader) throws -> TextDocumentParams { try .read(p) }

    static func answer(_ params: TextDocumentParams, in doc: DocumentContext) throws -> JSON {
        let snap = doc.snapshot, encoding = doc.encoding
        let canRefresh = doc.client.diagnosticRefresh
        let version = snap.document.version
        if !canRefresh {
            // This answer is all the client will show until it asks again: wait for this version's
            // analysis (the model may still be loading) rather than answer nothing or a guess.
            guard let cached = snap.cached, cached.version == version else { throw ResultsPending(uri: doc.uri) }
            doc.server.diagnosticsPulled(uri: doc.uri, version: version)
            return .obj(["kind": "full", "items": .array(DiagnosticsFeature.diagnostics(cached.analyses, in: snap.document, encoding))])
        }
        // Pulled while the user types: the last results moved through the edits, as for hints; the
        // fresh ones follow with workspace/diagnostic/refresh once the debounced analysis lands.
        let isStale = snap.cached.map { $0.version != version } ?? false
        let mapped = isStale && canRefresh && doc.settings.holdBackWhileTyping
            ? doc.server.mappedAnalyses(snap) : nil
        // Never analysed here: the results of this version so far, else nothing until the refresh.
        let current = snap.cached.flatMap { $0.version == version ? $0.analyses : nil }
            .map { TypingHoldBack.shown($0, around: TypingHoldBack.point(snap.document, doc.settings)) }
        let analyses = mapped ?? current ?? []
        return .obj([
            "kind": "full",
            "items": .array(DiagnosticsFeature.diagnostics(analyses, in: snap.document, encoding)),
        ])
    }
}
