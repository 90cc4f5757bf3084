/// Warns about an acuity that cannot be right: better than the chart, worse than it measures, more
/// letters than a line has, or a notation that is not an acuity.
public struct ImplausibleAcuityCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.implausible-acuity",
        summary: "Warns about an acuity value that cannot be right.",
        make: { _, _ in ImplausibleAcuityCheck() })

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for f in context.findings {
            guard let acuity = f.value.acuity else { continue }
            let why: String
            if let reading = acuity.reading {
                guard let reason = reading.implausibility else { continue }
                why = reason
            } else {
                why = "not a recognised acuity notation"
            }
            out.diagnostics.append(ClinicDiagnostic(range: f.range, severity: .warning, code: id,
                                                    message: "Implausible acuity \"\(f.text)\": \(why)"))
        }
        return out
    }
}
