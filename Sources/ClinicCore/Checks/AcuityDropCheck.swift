import Foundation

/// Warns when an eye's acuity is markedly worse (by default 0.2 logMAR, two lines) than in the
/// previous note of the same document that recorded that eye's acuity.
public struct AcuityDropCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.acuity-drop",
        summary: "Warns when an eye's acuity is worse than in the previous note by a threshold (logMAR).",
        options: [
            PluginOption(key: "logMAR", kind: .number(0.02...3), defaultValue: 0.2,
                         help: "A drop of at least this much logMAR is flagged (0.2 = two lines)."),
        ],
        make: { settings, _ in AcuityDropCheck(threshold: settings.double("logMAR") ?? 0.2) })

    public let threshold: Double
    public var usesEarlierNotes: Bool { true }
    /// How many notes back the previous reading is looked for, so that a document of many notes
    /// without one costs a bounded amount per note.
    public static let maxLookBack = 200

    public func analyzeDocument(note: NoteAnalysis, earlier: ArraySlice<NoteAnalysis>) -> [ClinicDiagnostic] {
        var out: [ClinicDiagnostic] = []
        for current in Self.acuities(note) {
            guard let previous = earlier.suffix(Self.maxLookBack).reversed().lazy
                .compactMap({ Self.acuities($0).first { $0.eye == current.eye } }).first else { continue }
            let drop = current.logMAR - previous.logMAR
            guard drop >= threshold - 1e-9 else { continue }
            out.append(ClinicDiagnostic(
                range: current.finding.range, severity: .warning, code: id,
                message: "\(current.eye.capitalized) eye acuity \(current.finding.text) (logMAR \(Acuity.fmtLogMAR(current.logMAR))) "
                    + "is \(Acuity.fmtLogMAR(drop)) logMAR worse than \(previous.finding.text) "
                    + "(logMAR \(Acuity.fmtLogMAR(previous.logMAR))) in note \(previous.note + 1)"))
        }
        return out
    }

    struct Reading { var eye: String; var logMAR: Double; var finding: Finding; var note: Int }

    static func acuities(_ a: NoteAnalysis) -> [Reading] {
        a.fields.compactMap(\.finding).compactMap { f in
            guard f.normalized["kind"] == "acuity", let eye = f.normalized["eye"].stringValue,
                  let logMAR = f.normalized["logMAR"].doubleValue else { return nil }
            return Reading(eye: eye, logMAR: logMAR, finding: f, note: a.note.index)
        }
    }
}
