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
/// date), the drugs found and their eyes as detail; in a document with patient headers, the notes under
/// one symbol per patient.
enum DocumentOutline {
    static let nameWords = 6
    static let nameLength = 60

    static func symbols(notes: [Note], analyses: [NoteAnalysis]) -> [OutlineSymbol] {
        var byIndex: [Int: NoteAnalysis] = [:]
        for a in analyses { byIndex[a.note.index] = a }
        let symbols = notes.map { noteSymbol($0, byIndex[$0.index]) }
        return grouped(symbols, patients: notes.map { byIndex[$0.index]?.patient })
    }

    /// The level above the notes: each run of notes of one numbered patient (`Patients.assign`) under a
    /// symbol named by the patient's header line, ranging over the run, the header selected. A document
    /// without headers is one patient and keeps its notes at the top; so do notes whose patient is not
    /// known (above the first header, or not analysed yet).
    static func grouped(_ notes: [OutlineSymbol], patients: [PatientRef?]) -> [OutlineSymbol] {
        guard patients.contains(where: { $0?.number != nil }) else { return notes }
        var out: [OutlineSymbol] = []
        var run: (patient: PatientRef, notes: [OutlineSymbol])?
        func close() {
            guard let r = run, let first = r.notes.first, let last = r.notes.last else { return }
            let range = first.range.lowerBound..<max(first.range.lowerBound, last.range.upperBound)
            let header = r.patient.header
            let selection = header.map { $0.range.clamped(to: range) }.flatMap { $0.isEmpty ? nil : $0 } ?? first.selectionRange
            let title = header.map { String($0.text.prefix { $0 != "\n" && $0 != "\r" }) } ?? ""
            let name = title.isEmpty ? "Patient \(r.patient.number ?? out.count + 1)" : String(title.prefix(nameLength))
            out.append(OutlineSymbol(name: name, detail: r.notes.count == 1 ? "1 note" : "\(r.notes.count) notes",
                                     kind: .object, range: range, selectionRange: selection, children: r.notes))
            run = nil
        }
        for (symbol, patient) in zip(notes, patients) {
            guard let patient, patient.number != nil else {
                close()
                out.append(symbol)
                continue
            }
            if let r = run, r.patient.identity == patient.identity {
                run?.notes.append(symbol)
            } else {
                close()
                run = (patient, [symbol])
            }
        }
        close()
        return out
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

    /// The visit date when the note gives one, then the drugs found, each with its eye:
    /// "12/03/2024 · R Eylea (aflibercept) · L Lucentis (ranibizumab)"; the other findings only when no drug was found.
    static func detail(_ analysis: NoteAnalysis) -> String {
        let findings = analysis.fields.compactMap(\.finding)
        let drugs = findings.compactMap { f -> String? in
            guard case .drug(let drug) = f.value else { return nil }
            return drug.eye.letter + " " + f.summary
        }
        let found = drugs.isEmpty ? findings.prefix(3).map { "\($0.label): \($0.summary)" } : drugs
        return ((analysis.visit.date.map { [$0.display] } ?? []) + found).joined(separator: " · ")
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
