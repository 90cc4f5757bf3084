/// Warns when an eye's acuity is markedly worse (by default 0.2 logMAR, two lines) than at the same
/// patient's previous visit that recorded that eye's acuity: the most recent earlier visit by date where
/// the notes give dates (`VisitOrder`), else the note above. Notes of other patients are never compared.
public struct AcuityDropCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.acuity-drop",
        summary: "Warns when an eye's acuity is worse than at the patient's previous visit by a threshold (logMAR).",
        options: [thresholdOption.option],
        make: { settings, _ in AcuityDropCheck(threshold: settings[thresholdOption]) })

    static let thresholdOption = NumberOption("logMAR", 0.02...3, default: 0.2,
        help: "A drop of at least this much logMAR is flagged (0.2 = two lines).")

    public let threshold: Double
    public var usesOtherNotes: Bool { true }
    /// How many of the patient's earlier readings of an eye are looked through for one of another date,
    /// so that a long run of same-day readings costs a bounded amount per note.
    public static let maxLookBack = 200

    struct Reading {
        var logMAR: Double
        var finding: Finding
        var position: Int
        var note: Int
        var date: VisitDate?
    }

    public func analyzeDocument(_ analyses: [NoteAnalysis]) -> [(note: Int, diagnostic: ClinicDiagnostic)] {
        let timelines = VisitOrder.timelines(analyses) { a in
            a.fields.contains { $0.finding?.value.acuity?.logMAR != nil }
        }
        var out: [(note: Int, diagnostic: ClinicDiagnostic)] = []
        for (_, visits) in timelines {
            var right: [Reading] = [], left: [Reading] = []
            for visit in visits {
                let a = analyses[visit.position]
                for case let f? in a.fields.lazy.map(\.finding) {
                    guard let acuity = f.value.acuity, let logMAR = acuity.logMAR else { continue }
                    let reading = Reading(logMAR: logMAR, finding: f, position: visit.position, note: a.note.index, date: visit.date)
                    if acuity.eye == .right {
                        if let d = diagnostic(reading, after: right, eye: .right) { out.append((visit.position, d)) }
                        right.append(reading)
                    } else {
                        if let d = diagnostic(reading, after: left, eye: .left) { out.append((visit.position, d)) }
                        left.append(reading)
                    }
                }
            }
        }
        return out
    }

    /// The warning for `current` against the latest of `earlier` (the eye's readings at the patient's
    /// earlier visits, in visit order) that is not of the same dated visit.
    func diagnostic(_ current: Reading, after earlier: [Reading], eye: Eye) -> ClinicDiagnostic? {
        guard let previous = earlier.suffix(Self.maxLookBack).last(where: { r in
            !(r.date != nil && r.date == current.date)
        }) else { return nil }
        // Decided on the drop between the unrounded values, to the hundredth logMAR is recorded in (6/12 to
        // 6/19 is 0.1996: two lines). The figure shown is the difference of the two values shown, so the
        // message adds up for its reader.
        guard Self.shown(current.logMAR - previous.logMAR) >= threshold - 1e-9 else { return nil }
        let drop = Self.shown(current.logMAR) - Self.shown(previous.logMAR)
        let when = previous.date.map { ", on \($0.display)" } ?? ""
        return ClinicDiagnostic(
            range: current.finding.range, severity: .warning, code: id,
            message: "\(eye == .right ? "Right" : "Left") eye acuity \(current.finding.text) (logMAR \(Acuity.fmtLogMAR(current.logMAR))) "
                + "is \(Acuity.fmtLogMAR(drop)) logMAR worse than \(previous.finding.text) "
                + "(logMAR \(Acuity.fmtLogMAR(previous.logMAR))) in note \(previous.note + 1)\(when)")
    }

    /// A logMAR as the message shows it (two places).
    static func shown(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
