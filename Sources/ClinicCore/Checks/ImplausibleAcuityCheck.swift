/// Warns about an acuity that cannot be right: better than the chart, worse than it measures, more
/// letters than a line has, or a notation that is not an acuity.
public struct ImplausibleAcuityCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.implausible-acuity",
        summary: "Warns about an acuity value that cannot be right.",
        make: { _, _ in ImplausibleAcuityCheck() })


    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for f in context.findings where f.normalized["kind"] == "acuity" {
            let why: String
            if let reason = f.normalized["implausible"].stringValue { why = reason }
            else if f.normalized["notation"] == "unrecognised" { why = "not a recognised acuity notation" }
            else { continue }
            out.diagnostics.append(ClinicDiagnostic(range: f.range, severity: .warning, code: id,
                                                    message: "Implausible acuity \"\(f.text)\": \(why)"))
        }
        return out
    }
}
