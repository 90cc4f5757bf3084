import QAEngine

/// `acuity.right` / `acuity.left`: the model's answer to "what is the visual acuity of this eye",
/// converted to Snellen (metric and imperial), logMAR, ETDRS letters and decimal. An answer that is
/// no acuity (a review interval "4/52", pressures "14/16", a date, an earlier value "(was 6/9)")
/// becomes no answer.
public struct AcuityPlugin: ClinicPlugin {
    public static let defaultQuestions: [Eye: String] = [
        .right: "What is the visual acuity of the right eye?",
        .left: "What is the visual acuity of the left eye?",
    ]

    public static let descriptor = PluginDescriptor(
        id: "acuity",
        summary: "Visual acuity of each eye (model-backed), converted to Snellen, logMAR, letters and decimal.",
        options: [rejectNonAcuityOption.option],
        make: { settings, config in AcuityPlugin(settings: settings, configuration: config) })

    static let rejectNonAcuityOption = FlagOption("rejectNonAcuity", default: true,
        help: "Drop answers that are no acuity: intervals (4/52), pressures (14/16), dates, earlier values.")

    /// Labels typed before a value that are not part of it.
    static let labels: Set<String> = ["va", "bcva", "ucva", "vision", "acuity", "vas"]
    /// Words after which a fraction is an interval ("rev 6/12" is six months).
    static let intervalCues: Set<String> = ["rev", "review", "rv", "fu", "rtc", "f", "u", "in", "every", "q", "for", "x", "appt", "recall", "see"]
    /// Words after which a value is an earlier one ("(was 6/9)", "prev 6/12").
    static let earlierValueCues: Set<String> = ["was", "prev", "previous", "previously", "last", "from", "before", "baseline"]
    /// Words before "was" that make the value this visit's ("vision was 6/12", "acuity was 0.30").
    static let presentTenseSubjects: Set<String> = ["vision", "acuity", "va", "bcva", "ucva", "today", "measured", "eye", "it",
                                                    "decimal", "snellen", "logmar", "etdrs"]
    /// Words after which a fraction is a pressure.
    static let pressureCues: Set<String> = ["iop", "iops", "pressure", "pressures", "tonometry", "gat"]

    public let fields: [FieldSpec]
    let rejectNonAcuity: Bool

    public init(settings: PluginSettings, configuration: ClinicConfiguration) {
        fields = FieldSpec.perEye(prefix: "acuity", label: "visual acuity", defaultQuestions: Self.defaultQuestions,
                                  configuration: configuration)
        rejectNonAcuity = settings[Self.rejectNonAcuityOption]
    }

    public func analyze(context: NoteContext) -> PluginOutput {
        var out = PluginOutput()
        // A patient who did not attend had no acuity measured: any value in the note is an old one.
        if rejectNonAcuity, VisitCues.didNotAttend(context.tokens) { return out }
        var markers: LateralityEvidence.NoteMarkers?
        for (field, eye) in zip(fields, Eye.allCases) {
            guard let result = context.answers[field.id], let answer = result.answer else { continue }
            if let kept = accepted(answer, in: context) {
                out.findings.append(Self.finding(field: field, eye: eye, range: kept.range, text: context.text[kept.range],
                                                 acuity: kept.acuity, score: Double(answer.score)))
                continue
            }
            // The model's span is no value of this visit: its runner-up in this eye's place may be.
            if markers == nil { markers = LateralityEvidence.NoteMarkers(text: context.text, tokens: context.tokens) }
            for alt in result.alternatives where Double(alt.score) >= Self.alternativeMinScore {
                guard let kept = accepted(alt, in: context), kept.acuity != nil,
                      markers?.valueEye(for: kept.range) == eye else { continue }
                out.findings.append(Self.finding(field: field, eye: eye, range: kept.range, text: context.text[kept.range],
                                                 acuity: kept.acuity, score: Double(alt.score)))
                break
            }
        }
        return placedByLayout(out, context: context)
    }

    /// The confidence a runner-up value needs to replace a rejected answer (as the drug plugin's).
    static let alternativeMinScore = DrugPlugin.alternativeMinScoreOption.defaultValue

    /// The span as a value: cleaned, cut to its table cell, parsed; nil when the rules reject it (no
    /// acuity, not standing alone, on an earlier visit's row).
    func accepted(_ answer: QAAnswer, in context: NoteContext) -> (range: Range<Int>, acuity: Acuity?)? {
        guard let cleaned = AnswerSpan.clean(answer, in: context.text, labels: Self.labels),
              let range = AnswerSpan.clean(Self.firstCell(cleaned, in: context.text), in: context.text, labels: Self.labels)
        else { return nil }
        let acuity = AcuityParser.parse(context.text[range])
        guard rejectNonAcuity else { return (range, acuity) }
        guard let acuity, Self.standsAlone(range, acuity, in: context) else { return nil }
        if let first = context.tokens.firstIndex(where: { $0.range.upperBound > range.lowerBound }),
           VisitCues.isEarlierRow(first, context.tokens, rowsOnly: true) { return nil }
        return (range, acuity)
    }

    /// A span cut before a table's cell separator (a tab, "|") or an earlier value in brackets it
    /// runs into ("0.40<tab>14", "CF (was HM").
    static func firstCell(_ range: Range<Int>, in text: NoteText) -> Range<Int> {
        var end = range.upperBound
        for k in range where k > range.lowerBound {
            let c = text.scalars[k]
            if c == "\t" || c == "|" { end = k; break }
            if c == "(", !text.scalars[k..<range.upperBound].contains(")") { end = k; break }
        }
        return range.lowerBound..<end
    }

    /// Puts each value under the eye the layout gives it (its line's marker, its table column): a value
    /// read from the other eye's column moves there when that eye has none or swaps with it, else goes.
    func placedByLayout(_ out: PluginOutput, context: NoteContext) -> PluginOutput {
        guard !out.findings.isEmpty else { return out }
        let markers = LateralityEvidence.NoteMarkers(text: context.text, tokens: context.tokens)
        var byEye: [Eye: Finding] = [:]
        var layoutEye: [Eye: Eye] = [:]
        for (field, eye) in zip(fields, Eye.allCases) {
            guard let f = out.findings.first(where: { $0.field == field.id }) else { continue }
            byEye[eye] = f
            // A value the layout gives no eye, in a note about one eye ("R eye nAMD ... VA 6/9"), is that eye's.
            layoutEye[eye] = markers.valueEye(for: f.range) ?? markers.subjectEye(for: f.range)
        }
        var placed: [Eye: Finding] = [:]
        for (eye, f) in byEye {
            guard let wanted = layoutEye[eye], wanted != eye else {
                if placed[eye] == nil { placed[eye] = f }
                continue
            }
            if byEye[wanted] == nil || layoutEye[wanted] == eye { placed[wanted] = f }
        }
        var result = out
        result.findings = zip(fields, Eye.allCases).compactMap { field, eye in
            guard let f = placed[eye] else { return nil }
            if f.field == field.id { return f }
            return Self.finding(field: field, eye: eye, range: f.range, text: f.text, acuity: AcuityParser.parse(f.text),
                                score: f.score)
        }
        return result
    }

    /// Whether the value in the note reads as this visit's acuity: not a piece of a longer number or
    /// date, and not introduced by a word that makes it an interval, a pressure or an earlier value.
    static func standsAlone(_ range: Range<Int>, _ acuity: Acuity, in context: NoteContext) -> Bool {
        let s = context.text.scalars
        let start = range.lowerBound + acuity.typedRange.lowerBound
        let end = range.lowerBound + acuity.typedRange.upperBound
        if start > 0, ShorthandLexer.isDigit(s[start - 1]) || s[start - 1] == "/" || s[start - 1] == "." { return false }
        if end < s.count, ShorthandLexer.isDigit(s[end]) { return false }
        if end + 1 < s.count, s[end] == "/", ShorthandLexer.isDigit(s[end + 1]) { return false }
        let before = AnswerSpan.wordsBefore(start, in: context, count: 2)
        // "(was 6/9)" is an earlier value; "her vision was 6/12" is today's.
        if let last = before.last, earlierValueCues.contains(last),
           !(last == "was" && before.count == 2 && presentTenseSubjects.contains(before[0])) { return false }
        if acuity.fraction != nil {
            if let last = before.last, intervalCues.contains(last) { return false }
            if before.contains(where: pressureCues.contains) { return false }
        }
        return true
    }

    static func finding(field: FieldSpec, eye: Eye, range: Range<Int>, text: String, acuity: Acuity?, score: Double) -> Finding {
        let value = FindingValue.acuity(AcuityValue(eye: eye, reading: acuity))
        guard let acuity else {
            return Finding(field: field.id, label: field.label, range: range, text: text, value: value,
                           summary: "\(text) (not a recognised acuity)", hint: "\(eye.letter) ?", score: score)
        }
        let hint = acuity.logMAR.map { "\(eye.letter) logMAR \(Acuity.fmtLogMAR($0))" } ?? "\(eye.letter) near \(acuity.typed)"
        return Finding(field: field.id, label: field.label, range: range, text: text, value: value,
                       summary: acuity.summary, hint: hint, score: score)
    }
}
