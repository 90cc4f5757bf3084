/// Fields declared in configuration as a regular expression (`fields: [{id, label, pattern, group?,
/// caseSensitive?}]`). The first match in the note is the value: the chosen capture group, else the
/// first group if the pattern has one, else the whole match.
public struct ConfiguredPatternsPlugin: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "configured-patterns",
        summary: "Fields declared in configuration as a regular expression.",
        make: { _, config in ConfiguredPatternsPlugin(configuration: config) })

    struct Pattern: Sendable {
        var field: FieldSpec
        var pattern: String
        var group: Int?
        var caseSensitive: Bool
    }

    let patterns: [Pattern]
    public var fields: [FieldSpec] { patterns.map(\.field) }

    public init(configuration: ClinicConfiguration) {
        patterns = configuration.configuredFields.compactMap { f in
            guard case .pattern(let p, let group, let caseSensitive) = f.source else { return nil }
            return Pattern(field: FieldSpec(id: f.id, label: f.label), pattern: p, group: group, caseSensitive: caseSensitive)
        }
    }

    /// Capturing groups in a pattern: "(" not escaped, not in a character class, and either plain or
    /// named ("(?<name>", "(?P<name>", "(?'name'").
    static func captureGroupCount(_ pattern: String) -> Int {
        let s = Array(pattern.unicodeScalars)
        var count = 0, i = 0, inClass = false
        while i < s.count {
            switch s[i] {
            case "\\": i += 1
            case "[": inClass = true
            case "]": inClass = false
            case "(" where !inClass:
                if i + 1 < s.count, s[i + 1] == "?" {
                    let rest = s[(i + 2)...].prefix(2)
                    if rest.first == "'" || (rest.first == "<" && rest.dropFirst().first.map { $0 != "=" && $0 != "!" } == true)
                        || rest.first == "P" { count += 1 }
                } else {
                    count += 1
                }
            default: break
            }
            i += 1
        }
        return count
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for p in patterns {
            // Regex is not Sendable, so each analysis compiles its own (the pattern was validated when configured).
            guard var regex = try? Regex(p.pattern) else { continue }
            if !p.caseSensitive { regex = regex.ignoresCase() }
            guard let match = try? regex.firstMatch(in: context.text.string) else { continue }
            let groups = match.output.count - 1
            let g = p.group ?? (groups > 0 ? 1 : 0)
            guard g < match.output.count, let r = match.output[g].range, !r.isEmpty else { continue }
            let range = context.text.offsets(of: r)
            let text = context.text[range]
            out.findings.append(Finding(field: p.field.id, label: p.field.label, range: range, text: text,
                                        normalized: .null, summary: text, hint: p.field.label, score: 1))
        }
        return out
    }
}
