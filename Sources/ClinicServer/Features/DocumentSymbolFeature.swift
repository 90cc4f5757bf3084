import ClinicCore
import JSON

/// One entry of a document's outline, in scalar offsets: what `textDocument/documentSymbol` answers,
/// before it is turned into LSP.
struct OutlineSymbol: Sendable, Equatable {
    /// LSP `SymbolKind` values: a note is a visit (Event); a level that holds notes (a patient, once
    /// ClinicCore has them) would be an Object.
    enum Kind: Int, Sendable { case object = 19, event = 24 }

    var name: String
    var detail: String
    var kind: Kind
    var range: Range<Int>
    /// Inside `range`: what an editor selects (a note's first line).
    var selectionRange: Range<Int>
    var children: [OutlineSymbol] = []
}

/// A document's outline: one symbol per note, named by its first words (a note usually opens with its
/// date), the drugs found and their eyes as detail.
enum DocumentOutline {
    static let nameWords = 6
    static let nameLength = 60

    static func symbols(notes: [Note], analyses: [NoteAnalysis]) -> [OutlineSymbol] {
        var byIndex: [Int: NoteAnalysis] = [:]
        for a in analyses { byIndex[a.note.index] = a }
        return grouped(notes.map { noteSymbol($0, byIndex[$0.index]) })
    }

    /// The level above the notes. Today every note is at the top; a patient model (issue #11) groups
    /// here: one `.object` symbol per patient header, ranging over its notes, with them as children.
    static func grouped(_ notes: [OutlineSymbol]) -> [OutlineSymbol] {
        notes
    }

    static func noteSymbol(_ note: Note, _ analysis: NoteAnalysis?) -> OutlineSymbol {
        let scalars = note.text.unicodeScalars
        let firstLine = scalars.prefix { $0 != "\n" && $0 != "\r" }
        let end = min(note.range.upperBound, note.range.lowerBound + firstLine.count)
        return OutlineSymbol(name: name(String(String.UnicodeScalarView(firstLine)), index: note.index),
                             detail: analysis.map(detail) ?? "", kind: .event,
                             range: note.range, selectionRange: note.range.lowerBound..<end)
    }

    /// The first words of the note's first line, clipped; "Note N" when it has none.
    static func name(_ firstLine: String, index: Int) -> String {
        let words = firstLine.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var name = words.prefix(nameWords).joined(separator: " ")
        if name.count > nameLength { name = String(name.prefix(nameLength)) }
        if name.count < firstLine.trimmingWhitespace.count { name += "…" }
        return name.isEmpty ? "Note \(index + 1)" : name
    }

    /// The drugs found, each with its eye: "R Eylea (aflibercept) · L Lucentis (ranibizumab)"; the
    /// other findings only when no drug was found.
    static func detail(_ analysis: NoteAnalysis) -> String {
        let findings = analysis.fields.compactMap(\.finding)
        let drugs = findings.compactMap { f -> String? in
            guard case .drug(let drug) = f.value else { return nil }
            return drug.eye.letter + " " + f.summary
        }
        guard !drugs.isEmpty else {
            return findings.prefix(3).map { "\($0.label): \($0.summary)" }.joined(separator: " · ")
        }
        return drugs.joined(separator: " · ")
    }

    /// The symbols with their children, as `SymbolInformation` for clients without hierarchy: each
    /// child after its parent, `containerName` its parent's name.
    static func flattened(_ symbols: [OutlineSymbol], container: String? = nil) -> [(OutlineSymbol, String?)] {
        symbols.flatMap { s in [(s, container)] + flattened(s.children, container: s.name) }
    }
}

private extension String {
    var trimmingWhitespace: Substring {
        let s = drop { $0 == " " || $0 == "\t" }
        return s.dropLast(s.reversed().prefix { $0 == " " || $0 == "\t" }.count)
    }
}

extension ClientCapabilities {
    /// `textDocument.documentSymbol.hierarchicalDocumentSymbolSupport`.
    var hierarchicalDocumentSymbols: Bool {
        raw["textDocument"]["documentSymbol"]["hierarchicalDocumentSymbolSupport"].boolValue ?? false
    }
}

/// The outline: `DocumentSymbol[]` for clients that declare hierarchy, else `SymbolInformation[]`.
/// Answered from the latest analysis of the current version, as hover is; until one has landed the
/// request waits for it (parked), and the model never runs here.
struct DocumentSymbolRequest: DocumentRequest {
    static let method = "textDocument/documentSymbol"
    static let capabilities: JSON = ["documentSymbolProvider": true]
    static func decode(_ p: JSONReader) throws -> TextDocumentParams { try .read(p) }

    static func answer(_ params: TextDocumentParams, in doc: DocumentContext) throws -> JSON {
        let snap = doc.snapshot
        guard snap.configuration.engine != nil, let cached = snap.cached, cached.version == snap.document.version else {
            // No results of this version yet: they come first on the worker, and the request waits.
            if snap.configuration.engine != nil { doc.server.analyseFirst(doc.uri, 0..<Int.max) }
            throw ResultsPending(uri: doc.uri)
        }
        // The notes are all known once the first results land; details fill in as the rest do.
        let symbols = DocumentOutline.symbols(notes: cached.notes, analyses: cached.analyses)
        let document = snap.document, encoding = doc.encoding
        if doc.client.hierarchicalDocumentSymbols {
            func json(_ s: OutlineSymbol) -> JSON {
                var o: JSON = .obj([
                    "name": .string(s.name), "kind": .int(s.kind.rawValue),
                    "range": document.rangeJSON(s.range, encoding),
                    "selectionRange": document.rangeJSON(s.selectionRange, encoding),
                ])
                if !s.detail.isEmpty { o["detail"] = .string(s.detail) }
                if !s.children.isEmpty { o["children"] = .array(s.children.map(json)) }
                return o
            }
            return .array(symbols.map(json))
        }
        return .array(DocumentOutline.flattened(symbols).map { s, container in
            var o: JSON = .obj([
                "name": .string(s.detail.isEmpty ? s.name : "\(s.name) — \(s.detail)"), "kind": .int(s.kind.rawValue),
                "location": .obj(["uri": .string(doc.uri), "range": document.rangeJSON(s.range, encoding)]),
            ])
            if let container { o["containerName"] = .string(container) }
            return o
        })
    }
}
