import JSON

/// `drug.right` / `drug.left`: the model's answer to "what drug was injected into this eye",
/// normalised to generic, brand and class (misspellings within a few edits included).
public struct DrugPlugin: ClinicPlugin {
    public static let defaultQuestions: [Eye: String] = [
        .right: "What drug was injected into the right eye?",
        .left: "What drug was injected into the left eye?",
    ]

    public static let descriptor = PluginDescriptor(
        id: "drug",
        summary: "Drug injected into each eye (model-backed), normalised to generic, brand and class.",
        options: [
            PluginOption(key: "rejectNonDrug", kind: .bool, defaultValue: true,
                         help: "Drop answers without a letter in them (a number or fraction is no drug)."),
        ],
        make: { settings, config in DrugPlugin(settings: settings, configuration: config) })

    /// Words that answer "which drug" with no drug: an answer made only of these (and eye markers) is no answer.
    static let notDrugs: Set<String> = ["nil", "none", "no", "not", "given", "today", "declined", "deferred", "held",
                                        "stop", "stopped", "eye", "inj", "injection", "injected", "and", "plan"]

    public let fields: [FieldSpec]
    let rejectNonDrug: Bool

    public init(settings: PluginSettings, configuration: ClinicConfiguration) {
        fields = FieldSpec.perEye(prefix: "drug", label: "drug", defaultQuestions: Self.defaultQuestions,
                                  configuration: configuration)
        rejectNonDrug = settings.bool("rejectNonDrug") ?? true
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        for (field, eye) in zip(fields, Eye.allCases) {
            guard let answer = context.answers[field.id]?.answer,
                  let range = AnswerSpan.clean(answer, in: context.text) else { continue }
            let text = context.text[range]
            if rejectNonDrug, !Self.namesSomething(text) { continue }
            out.findings.append(Self.finding(field: field, eye: eye, range: range, text: text, score: Double(answer.score)))
        }
        return out
    }

    /// Whether an answer could be a drug: it has letters, and is not just eye markers and filler
    /// ("R", "given", "nil"). Generic words such as "inj" alone are filler here, not a drug.
    static func namesSomething(_ text: String) -> Bool {
        let tokens = ShorthandLexer.tokens(Array(text.unicodeScalars))
        var i = 0
        while i < tokens.count {
            if let (_, next) = LateralityMarker.marker(in: tokens, at: i) { i = next; continue }
            if let w = tokens[i].word, !notDrugs.contains(w) { return true }
            i += 1
        }
        return false
    }

    static func finding(field: FieldSpec, eye: Eye, range: Range<Int>, text: String, score: Double) -> Finding {
        var normalized = JSONObject()
        normalized["kind"] = "drug"
        normalized["eye"] = .string(eye.rawValue)
        let summary: String
        let hint: String
        if let match = DrugNormalizer.match(text) {
            normalized["known"] = true
            for (k, v) in match.json { normalized[k] = v }
            summary = match.summary
            hint = eye.letter
        } else {
            normalized["known"] = false
            let closest = DrugNormalizer.closestName(to: text)
            normalized["closest"] = closest.map { .string($0.name.display) } ?? .null
            summary = "unknown drug" + (closest.map { " (closest known: \($0.name.display))" } ?? "")
            hint = "\(eye.letter) ?"
        }
        return Finding(field: field.id, label: field.label, range: range, text: text, normalized: .object(normalized),
                       summary: summary, hint: hint, score: score)
    }
}
