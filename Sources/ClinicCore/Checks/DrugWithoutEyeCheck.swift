/// Warns about a drug the note ties to no eye (see `LateralityEvidence`) that no eye's drug field took
/// up: the note does not say which eye it was for. Medicines typed with another route are not warned about.
public struct DrugWithoutEyeCheck: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "check.drug-without-eye",
        summary: "Warns about a drug the note ties to no eye (R, L, OU next to it, a heading or column, a one-eye note).",
        make: { _, _ in DrugWithoutEyeCheck() })

    public func analyze(context: NoteContext) -> PluginOutput {
        let drugRanges = context.findings.filter { $0.value.drug != nil }.map(\.range)
        var out = PluginOutput()
        let mentions = Self.mentions(in: context.text)
        guard !mentions.isEmpty else { return out }
        let markers = LateralityEvidence.NoteMarkers(text: context.text, tokens: context.tokens)
        for mention in mentions {
            if drugRanges.contains(where: { $0.overlaps(mention.range) }) { continue }
            if mention.match.entry.otherRoutes, DrugAnswer.routeWord(near: mention.range, context.tokens) != nil { continue }
            if !markers.eyes(for: mention.range).isEmpty { continue }
            out.diagnostics.append(ClinicDiagnostic(
                range: mention.range, severity: .warning, code: id,
                message: "\(mention.match.summary): no eye given (add R, L or OU)"))
        }
        return out
    }

    /// Named drugs in a text (generic words such as "anti-VEGF" or "inj" are not names), exactly
    /// or within the normaliser's spelling tolerance.
    static func mentions(in text: NoteText) -> [(range: Range<Int>, match: DrugMatch)] {
        DrugNormalizer.matches(in: text.scalars, namedOnly: true).map { ($0.typedRange, $0) }
    }
}
