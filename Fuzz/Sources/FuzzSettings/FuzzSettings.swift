import ClinicCore
@testable import ClinicServer
import Foundation
import JSON

/// A `.clinic-lsp.json` as the server reads it: the project-file reader, the merge over the client's
/// settings, the server settings, the clinic configuration (plugins, questions, pattern fields compiled on
/// the bounded regex engine) and an engine built from it analysing a fixed document. Bad settings are
/// problems, never a trap; the problems make one bounded message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSettings(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let contents = Data(UnsafeBufferPointer(start: data, count: size))
    guard case .success(let project) = ProjectSettings.read("/fuzz/.clinic-lsp.json", contents: contents) else { return 0 }
    let client: JSON = .obj(["hintStyle": "full", "plugins": .obj(["iop": false]), "decode": .obj(["docStride": 64])])
    let section = SettingsJSON.merge(client, project)
    let (_, clinic, serverProblems) = ServerSettings.parse(section, path: "clinic")
    let factory = PipelineEngineFactory(environment: [:], executablePath: "/nonexistent/clinic-lsp",
                                        loadAnswerer: { dir, _, _ in throw PipelineEngineFactory.ModelUnavailable(description: "no model while fuzzing (\(dir))") })
    let settings = factory.read(settings: clinic)
    let engine = factory.makeEngine(settings: settings, model: nil)
    for problem in serverProblems + settings.problems {
        guard ClinicLanguageServer.clipped(problem).count <= 301 else { fatalError("problem not clipped") }
    }
    let scalarCount = sampleDocument.unicodeScalars.count
    guard let analyses = try? engine.analyze(text: sampleDocument, notes: nil, isCancelled: { false }) else {
        fatalError("analysis threw")
    }
    for a in analyses {
        for v in a.fields {
            if let f = v.finding, !(a.note.range.lowerBound <= f.range.lowerBound && f.range.upperBound <= a.note.range.upperBound) {
                fatalError("finding \(f.field) at \(f.range) outside its note \(a.note.range)")
            }
        }
        for d in a.diagnostics where d.range.lowerBound < 0 || d.range.upperBound > scalarCount {
            fatalError("diagnostic \(d.code) at \(d.range) outside the document")
        }
        for format in SummaryFormat.allCases { _ = engine.summary(of: a, format: format) }
    }
    return 0
}

let sampleDocument = """
    12/03/2024 R) eylea 2mg, L) lucentis. VA R 6/9 L 6/12. IOP 14/16. rev 4/52
    CST 312 um, lens: PCIOL

    L eye avastin inj; VA RE 0.3 logMAR, LE CF; IOP R 18 L 21 mmHg; review 6 weeks
    Drug: aflibercept both eyes 😀 e\u{301}ye — VA 20/40 OU
    """
