/// Warns when the model names a drug for an eye that is not in the drug list, offering the closest
/// known name as an inserted "[name?]" after it (the typed words stay as they are).
public struct UnknownDrugCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.unknown-drug",
        summary: "Warns about an injected drug that is not in the drug list, suggesting the closest name.",
        make: { _, _ in UnknownDrugCheck() })

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for f in context.findings {
            guard let drug = f.value.drug, !drug.isKnown else { continue }
            let closest = drug.closest
            var message = "\"\(f.text)\" is not a known drug"
            var fix: TextInsertion?
            if let closest {
                message += "; did you mean \(closest)?"
                fix = TextInsertion(title: "Insert \"[\(closest)?]\" after \"\(f.text)\"", offset: f.range.upperBound,
                                    text: " [\(closest)?]")
            }
            out.diagnostics.append(ClinicDiagnostic(range: f.range, severity: .warning, code: id, message: message, fix: fix))
        }
        return out
    }
}
