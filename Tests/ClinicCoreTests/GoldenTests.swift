import ClinicCore
import ExtractOutput
import Foundation
import Testing

/// `extract` output in every format for examples/*.clinic, with the fake answerer standing in for
/// the model (answers a model could plausibly give, including a few the checks must catch).
/// UPDATE_GOLDEN=1 rewrites the expected files.
@Suite struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let examples = ["follow-up.clinic", "injection-clinic.clinic", "mixed-styles.clinic"]

    typealias F = FakeAnswerer
    static let answers: [FakeAnswerer.Rule] = [
        // follow-up.clinic
        rule(F.drugRight, "R Eylea today", "R Eylea"), rule(F.acuityRight, "VA: R 6/9", "6/9"), rule(F.acuityLeft, "VA: R 6/9, L 6/6", "6/6"),
        rule(F.drugRight, "R eyela given", "eyela", 0.88), rule(F.acuityRight, "VA: R 6/24", "6/24"), rule(F.acuityLeft, "VA: R 6/24, L 6/6", "6/6"),
        rule(F.drugRight, "R faricimab #1", "faricimab #1"), rule(F.acuityRight, "VA: R 6/18", "6/18"), rule(F.acuityLeft, "L 6/6-1", "6/6-1"),
        // injection-clinic.clinic
        rule(F.drugLeft, "l) eylea 2mg", "eylea 2mg"), rule(F.acuityRight, "R) 6/9 L) 6/12", "6/9"), rule(F.acuityLeft, "R) 6/9 L) 6/12", "6/12"),
        rule(F.drugRight, "R) Vabysmo", "Vabysmo"), rule(F.acuityRight, "VA R 6/12-1", "6/12-1"), rule(F.acuityLeft, "L 6/18+2", "6/18+2"),
        rule(F.drugRight, "Avastin OD", "Avastin"), rule(F.acuityRight, "OD 20/40", "20/40"), rule(F.acuityLeft, "OS 20/25", "20/25"),
        rule(F.drugLeft, "Ozurdex L", "Ozurdex"), rule(F.drugRight, "lucentis for R", "lucentis", 0.22),
        rule(F.acuityRight, "R CF 1m", "CF 1m"), rule(F.acuityLeft, "L 6/24 PH 6/12", "6/24 PH 6/12"),
        // mixed-styles.clinic
        rule(F.drugLeft, "4/52 rev + l) eylea", "eylea"), rule(F.acuityRight, "4/52 rev + l) eylea", "4/52", 0.41),
        rule(F.drugRight, "r)avastin", "avastin"), rule(F.drugLeft, "l)eylea,", "eylea"),
        rule(F.acuityRight, "VA R6/9", "6/9"), rule(F.acuityLeft, "L6/12", "6/12"),
        rule(F.drugRight, "BE lucentis", "lucentis"), rule(F.drugLeft, "BE lucentis", "lucentis"),
        rule(F.acuityRight, "72 letters R", "72 letters"), rule(F.acuityLeft, "65 letters L", "65 letters"),
        rule(F.drugRight, "ozurdex R", "ozurdex"), rule(F.acuityRight, "VA R HM", "HM"), rule(F.acuityLeft, "L 0.30 logMAR", "0.30 logMAR"),
        rule(F.drugLeft, "L) syfovre", "syfovre"), rule(F.acuityRight, "R) 6/60", "6/60"), rule(F.acuityLeft, "L) NPL", "NPL"),
        rule(F.drugLeft, "Iluvien L", "Iluvien"), rule(F.acuityLeft, "VA L 20/200", "20/200"),
        rule(F.drugLeft, "L) vabs", "vabs"), rule(F.acuityLeft, "VA L 6/36", "6/36"),
        rule(F.acuityRight, "VA R 6/2", "6/2"), rule(F.acuityLeft, "L 6/9-6", "6/9-6"),
    ]

    /// One pipeline for every format, so each note is analysed once (its cache serves the rest).
    static let pipeline = ClinicPipeline(configuration: .default, answerer: FakeAnswerer(answers))

    static func render(_ format: ExtractFormat) throws -> String {
        var renderer = ExtractRenderer(format: format, fields: pipeline.fields)
        var out = ""
        for name in examples {
            let text = try String(contentsOf: root.appendingPathComponent("examples/\(name)"), encoding: .utf8)
            out += renderer.render(file: "examples/\(name)", text: text, analyses: try pipeline.analyze(text: text))
        }
        return out + renderer.finish()
    }

    @Test(arguments: [ExtractFormat.jsonl, .json, .csv, .text])
    func matchesGolden(format: ExtractFormat) throws {
        let actual = try Self.render(format)
        let file = Self.goldenDir.appendingPathComponent("examples.\(format == .text ? "txt" : format.rawValue)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try actual.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "output differs from \(file.path); rerun with UPDATE_GOLDEN=1 and review the diff")
    }
}
