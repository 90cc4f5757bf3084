import Foundation

/// Warns when the model's confidence in an answer is below a threshold, so the clinician checks it.
public struct LowConfidenceCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.low-confidence",
        summary: "Warns about a model answer whose confidence is below the threshold.",
        options: [thresholdOption.option],
        make: { settings, _ in LowConfidenceCheck(threshold: settings[thresholdOption]) })

    static let thresholdOption = NumberOption("threshold", 0...1, default: 0.5, help: "Answers scoring below this (0-1) are flagged.")

    public let threshold: Double

    public func analyze(context: NoteContext) -> PluginOutput {
        let modelBacked = Set(context.fields.filter(\.isModelBacked).map(\.id))
        var out = PluginOutput()
        for f in context.findings where modelBacked.contains(f.field) && f.score < threshold {
            out.diagnostics.append(ClinicDiagnostic(
                range: f.range, severity: .warning, code: id,
                message: "Low confidence (\(String(format: "%.2f", f.score))) in \(f.label.lowercased()) \"\(f.text)\": please check"))
        }
        return out
    }
}
