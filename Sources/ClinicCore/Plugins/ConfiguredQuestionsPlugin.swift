/// Fields declared in configuration as a question for the model (`fields: [{id, label, question}]`).
/// Their answers are taken as typed, trimmed of surrounding punctuation.
public struct ConfiguredQuestionsPlugin: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "configured-questions",
        summary: "Fields declared in configuration as a question for the model.",
        make: { _, config in ConfiguredQuestionsPlugin(configuration: config) })

    public let fields: [FieldSpec]

    public init(configuration: ClinicConfiguration) {
        fields = configuration.configuredFields.compactMap { f in
            guard case .question(let q) = f.source else { return nil }
            return FieldSpec(id: f.id, label: f.label, question: configuration.question(for: f.id, default: q))
        }
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for field in fields {
            guard let answer = context.answers[field.id]?.answer,
                  let range = AnswerSpan.clean(answer, in: context.text) else { continue }
            let text = context.text[range]
            out.findings.append(Finding(field: field.id, label: field.label, range: range, text: text, value: .text,
                                        summary: text, hint: field.label, score: Double(answer.score)))
        }
        return out
    }
}
