/// Fields declared in configuration as a regular expression (`fields: [{id, label, pattern, group?,
/// caseSensitive?}]`, PCRE2 syntax). The first match in the note is the value: the chosen capture group,
/// else the first group if the pattern has one, else the whole match. A match that reaches PCRE2's
/// limits leaves the field out of that note with a warning.
public struct ConfiguredPatternsPlugin: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "configured-patterns",
        summary: "Fields declared in configuration as a regular expression.",
        make: { _, config in ConfiguredPatternsPlugin(configuration: config) })

    struct Pattern: Sendable {
        var field: FieldSpec
        var regex: BoundedRegex
        var group: Int?
    }

    let patterns: [Pattern]
    public var fields: [FieldSpec] { patterns.map(\.field) }

    public init(configuration: ClinicConfiguration) {
        patterns = configuration.configuredFields.compactMap { f in
            guard case .pattern(let regex, let group) = f.source else { return nil }
            return Pattern(field: FieldSpec(id: f.id, label: f.label), regex: regex, group: group)
        }
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        guard !patterns.isEmpty else { return out }
        let bytes = Array(context.text.string.utf8)
        for p in patterns {
            let groups: [Range<Int>?]
            do {
                guard let match = try p.regex.firstMatch(in: bytes) else { continue }
                groups = match
            } catch {
                // A runaway pattern loses its field on this note only; the note's other fields stand.
                let firstLine = context.text.lineRange(containing: 0)
                out.diagnostics.append(ClinicDiagnostic(
                    range: firstLine.isEmpty ? 0..<min(1, context.text.count) : firstLine, severity: .warning, code: p.field.id,
                    message: "\(p.field.label): \(error) on this note, so the field is left out here"))
                continue
            }
            let g = p.group ?? (p.regex.captureCount > 0 ? 1 : 0)
            guard g < groups.count, let r = groups[g], !r.isEmpty else { continue }
            let range = BoundedRegex.scalarOffset(ofByte: r.lowerBound, in: bytes)..<BoundedRegex.scalarOffset(ofByte: r.upperBound, in: bytes)
            let text = context.text[range]
            out.findings.append(Finding(field: p.field.id, label: p.field.label, range: range, text: text,
                                        value: .text, summary: text, hint: p.field.label, score: 1))
        }
        return out
    }
}
