import QAEngine

/// `drug.right` / `drug.left`: the model's answer to "what drug was injected into this eye",
/// normalised to generic, brand and class (misspellings within a few edits included). An answer must
/// name something injected or implanted into the eye (`DrugLexicon`): a medicine given otherwise or a
/// word that is no drug is no answer, and an unknown drug-like word is kept only when the model is
/// confident. The eye must be in the note too: an answer the note ties to no eye, or to the other
/// eye, is dropped (the drug-without-eye check then names it).
public struct DrugPlugin: ClinicPlugin {
    public static let defaultQuestions: [Eye: String] = [
        .right: "What drug was injected into the right eye?",
        .left: "What drug was injected into the left eye?",
    ]

    public static let descriptor = PluginDescriptor(
        id: "drug",
        summary: "Drug injected into each eye (model-backed), normalised to generic, brand and class.",
        options: [rejectNonDrugOption.option, unknownMinScoreOption.option, rejectNotGivenOption.option,
                  markedMinScoreOption.option, alternativeMinScoreOption.option, requireEyeOption.option],
        make: { settings, config in DrugPlugin(settings: settings, configuration: config) })

    static let rejectNonDrugOption = FlagOption("rejectNonDrug", default: true,
        help: "Drop answers that name nothing injected into the eye: numbers, clinic words, medicines given otherwise.")
    /// The confidence an unknown drug-like word needs to be kept.
    static let unknownMinScoreOption = NumberOption("unknownMinScore", 0...1, default: 0.5,
        help: "Keep a drug-like word that is not in the drug list only at or above this model confidence.")
    static let rejectNotGivenOption = FlagOption("rejectNotGiven", default: true,
        help: "Drop a drug its clause says was not given today (deferred, declined, rebooked, next visit, in situ, an unticked box).")
    /// The confidence a known drug with its eye's marker next to it needs to beat the null answer
    /// (calibrated with eval/calibrate.py).
    static let markedMinScoreOption = NumberOption("markedMinScore", 0...1, default: 0.01,
        help: "Take the model's best span over its null answer when it names a known drug with this eye's marker next to it and scores at least this.")
    /// The confidence a runner-up span needs to replace a span the rules rejected (calibrated with
    /// eval/calibrate.py); the acuity plugin uses the same.
    static let alternativeMinScoreOption = NumberOption("alternativeMinScore", 0...1, default: 0.001,
        help: "When the rules reject the model's span, take its best runner-up scoring at least this that every rule keeps (1 turns this off).")
    static let requireEyeOption = FlagOption("requireEye", default: true,
        help: "Drop a drug the note does not tie to this eye (a marker next to it, a heading, a column, a one-eye note).")

    public let fields: [FieldSpec]
    let rejectNonDrug: Bool
    let unknownMinScore: Double
    let requireEye: Bool
    let rejectNotGiven: Bool
    let markedMinScore: Double
    let alternativeMinScore: Double

    public init(settings: PluginSettings, configuration: ClinicConfiguration) {
        fields = FieldSpec.perEye(prefix: "drug", label: "drug", defaultQuestions: Self.defaultQuestions,
                                  configuration: configuration)
        rejectNonDrug = settings[Self.rejectNonDrugOption]
        unknownMinScore = settings[Self.unknownMinScoreOption]
        requireEye = settings[Self.requireEyeOption]
        rejectNotGiven = settings[Self.rejectNotGivenOption]
        markedMinScore = settings[Self.markedMinScoreOption]
        alternativeMinScore = settings[Self.alternativeMinScoreOption]
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        var markers: LateralityEvidence.NoteMarkers?
        var bothEyes: [(Range<Int>, String, Double)] = []
        for (field, eye) in zip(fields, Eye.allCases) {
            for candidate in candidates(for: field, eye: eye, in: context, markers: &markers) {
                guard let kept = accepted(candidate.answer, eye: eye, runnerUp: candidate.runnerUp, in: context,
                                          markers: &markers) else { continue }
                if kept.bothEyes { bothEyes.append((kept.range, kept.text, kept.score)) }
                out.findings.append(Self.finding(field: field, eye: eye, range: kept.range, text: kept.text, score: kept.score))
                break
            }
        }
        // "Eylea OU", "bilat lucentis": a drug tied to both eyes answers both, also where the model gave one.
        for (range, text, score) in bothEyes {
            for (field, eye) in zip(fields, Eye.allCases) where !out.findings.contains(where: { $0.field == field.id }) {
                out.findings.append(Self.finding(field: field, eye: eye, range: range, text: text, score: score))
            }
        }
        return out
    }

    /// The span if every rule keeps it: it names an agent (or, unless it is a runner-up, a confident
    /// unknown drug-like word), nothing says it was not given today, and the note ties it to `eye`.
    func accepted(_ answer: QAAnswer, eye: Eye, runnerUp: Bool, in context: NoteContext,
                  markers: inout LateralityEvidence.NoteMarkers?) -> (range: Range<Int>, text: String, score: Double, bothEyes: Bool)? {
        guard let range = AnswerSpan.clean(answer, in: context.text),
              !runnerUp || DrugAnswer.isNameOnly(range, in: context.text) else { return nil }
        let score = Double(answer.score)
        if rejectNonDrug || runnerUp {
            switch DrugAnswer.verdict(range, in: context.text, tokens: context.tokens) {
            case .agent: break
            case .unknown: guard !runnerUp, score >= unknownMinScore else { return nil }
            case .notInjected, .notADrug: return nil
            }
        }
        if rejectNotGiven || runnerUp, DrugAnswer.notGivenCue(range, in: context.text, tokens: context.tokens) != nil { return nil }
        var both = false
        if requireEye || runnerUp {
            if markers == nil { markers = LateralityEvidence.NoteMarkers(text: context.text, tokens: context.tokens) }
            guard let marked = markers?.markings(for: range), marked.contains(where: { $0.eyes.contains(eye) }) else { return nil }
            both = marked == [.both]
        }
        return (range, context.text[range], score, both)
    }

    /// The spans to try, in order: the model's answer, or, where the null answer won, its best span when
    /// that names a known agent with this eye's marker next to it ("L) eylea") and at least
    /// `markedMinScore` confidence (an eye written against the drug is evidence the model's null score
    /// does not weigh); then, when the model did point at a span, its runners-up scoring at least
    /// `alternativeMinScore`, for when the rules reject that span (a history row, a medicine, the other eye).
    func candidates(for field: FieldSpec, eye: Eye, in context: NoteContext,
                    markers: inout LateralityEvidence.NoteMarkers?) -> [(answer: QAAnswer, runnerUp: Bool)] {
        guard let result = context.answers[field.id] else { return [] }
        var spans: [(answer: QAAnswer, runnerUp: Bool)] = []
        if let answer = result.answer {
            spans.append((answer, false))
        } else if let best = result.best, markedBest(best, eye: eye, in: context, markers: &markers) {
            spans.append((best, false))
        }
        guard !spans.isEmpty else { return spans }
        for alt in result.alternatives where Double(alt.score) >= alternativeMinScore { spans.append((alt, true)) }
        return spans
    }

    func markedBest(_ best: QAAnswer, eye: Eye, in context: NoteContext, markers: inout LateralityEvidence.NoteMarkers?) -> Bool {
        guard requireEye, Double(best.score) >= markedMinScore,
              let range = AnswerSpan.clean(best, in: context.text),
              case .agent = DrugAnswer.verdict(range, in: context.text, tokens: context.tokens),
              DrugAnswer.notGivenCue(range, in: context.text, tokens: context.tokens) == nil else { return false }
        if markers == nil { markers = LateralityEvidence.NoteMarkers(text: context.text, tokens: context.tokens) }
        return markers?.markedNextTo(range) == [eye]
    }

    static func finding(field: FieldSpec, eye: Eye, range: Range<Int>, text: String, score: Double) -> Finding {
        let value: DrugValue
        let summary: String
        let hint: String
        if let match = DrugNormalizer.match(text) {
            value = DrugValue(eye: eye, match: match)
            summary = match.summary
            hint = eye.letter
        } else {
            let closest = DrugNormalizer.closestName(to: text)?.name.display
            value = DrugValue(eye: eye, match: nil, closest: closest)
            summary = "unknown drug" + (closest.map { " (closest known: \($0))" } ?? "")
            hint = "\(eye.letter) ?"
        }
        return Finding(field: field.id, label: field.label, range: range, text: text, value: .drug(value),
                       summary: summary, hint: hint, score: score)
    }
}
