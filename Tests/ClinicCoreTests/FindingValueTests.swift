@testable import ClinicCore
import JSON
import Testing

/// The typed finding values the plugins make and the checks read, and their one JSON projection.
@Suite struct FindingValueTests {
    @Test func pluginsMakeTypedValues() throws {
        let a = try analyzeOne("R) eylea 2mg #3 VA R 6/9 L 6/12 IOP 14/16 rev 4/52", rules: [
            rule(FakeAnswerer.drugRight, "R) eylea", "eylea 2mg #3"),
            rule(FakeAnswerer.acuityRight, "VA R", "6/9"), rule(FakeAnswerer.acuityLeft, "L 6/12", "6/12"),
        ])
        let drug = try #require(a.finding("drug.right")?.value.drug)
        #expect(drug.eye == .right)
        #expect(drug.match?.entry.generic == "aflibercept")
        #expect(drug.match?.injectionNumber == 3)
        let acuity = try #require(a.finding("acuity.right")?.value.acuity)
        #expect(acuity.eye == .right)
        // Full precision: -log10(6/9), not the 0.18 written out.
        #expect(abs((acuity.logMAR ?? 0) - 0.17609) < 1e-4)
        #expect(a.finding("acuity.right")?.normalized["logMAR"] == 0.18)
        #expect(a.finding("iop.left")?.value == .pressure(PressureValue(eye: .left, mmHg: 16)))
        #expect(a.finding("review")?.value == .interval(IntervalValue(value: 4, upTo: nil, unit: .weeks)))
        #expect(a.finding("review")?.value.eye == nil)
    }

    @Test func theProjectionWritesEachKindAsBefore() throws {
        let eylea = try #require(DrugNormalizer.match("eylea 2mg"))
        #expect(FindingValue.drug(DrugValue(eye: .left, match: eylea)).json.serialized()
            == #"{"kind":"drug","eye":"left","known":true,"generic":"aflibercept","brand":"Eylea","class":"anti-VEGF","biosimilar":false,"matched":"Eylea","spelling":"exact","dose":"2mg"}"#)
        #expect(FindingValue.drug(DrugValue(eye: .right, match: nil, closest: "Vabysmo")).json.serialized()
            == #"{"kind":"drug","eye":"right","known":false,"closest":"Vabysmo"}"#)
        #expect(FindingValue.drug(DrugValue(eye: .right, match: nil)).json.serialized()
            == #"{"kind":"drug","eye":"right","known":false,"closest":null}"#)
        #expect(FindingValue.acuity(AcuityValue(eye: .right, reading: AcuityParser.parse("6/9"))).json.serialized()
            == #"{"kind":"acuity","eye":"right","notation":"snellen-metric","snellenMetric":"6/9","snellenImperial":"20/30","logMAR":0.18,"letters":76,"decimal":0.67,"plausible":true}"#)
        #expect(FindingValue.acuity(AcuityValue(eye: .left, reading: nil)).json.serialized()
            == #"{"kind":"acuity","eye":"left","notation":"unrecognised"}"#)
        #expect(FindingValue.pressure(PressureValue(eye: .right, mmHg: 14)).json.serialized() == #"{"kind":"iop","eye":"right","mmHg":14}"#)
        #expect(FindingValue.pressure(PressureValue(eye: .right, mmHg: 14.5)).json.serialized() == #"{"kind":"iop","eye":"right","mmHg":14.5}"#)
        #expect(FindingValue.interval(IntervalValue(value: 4, upTo: 6, unit: .weeks)).json.serialized()
            == #"{"kind":"interval","value":4,"upTo":6,"unit":"weeks","days":28}"#)
        #expect(FindingValue.text.json == .null)
    }

    @Test func implausibleAndUnrecognisedAcuitiesAreReadTyped() throws {
        let bad = try analyzeOne("VA R 6/2", rules: [rule(FakeAnswerer.acuityRight, "VA R", "6/2")],
                                 configuration: ClinicConfiguration.parse(["plugins": ["acuity": ["rejectNonAcuity": false]]]).0)
        #expect(bad.finding("acuity.right")?.value.acuity?.reading?.implausibility != nil)
        #expect(bad.codes().contains("check.implausible-acuity"))
    }

    @Test func theNoEyeCheckFindsWhatTheNormaliserFinds() {
        let text = "eylea and lucentus discussed, anti-VEGF inj, avacincaptad pegol"
        let named = DrugNormalizer.matches(in: Array(text.unicodeScalars), namedOnly: true)
        #expect(named.map(\.name.display) == ["Eylea", "Lucentis", "avacincaptad pegol"])
        #expect(named.map(\.isCorrected) == [false, true, false])
        let all = DrugNormalizer.matches(in: Array(text.unicodeScalars), namedOnly: false)
        #expect(all.count == 5, "generic words too: \(all.map(\.name.display))")
        #expect(DrugNormalizer.match(text)?.name.display == named.first?.name.display)
    }

    @Test func optionDefaultsAreStatedOnce() throws {
        for d in PluginRegistry.all {
            for o in d.options { #expect(d.defaultSettings.options[o.key] == o.defaultValue, "\(d.id).\(o.key)") }
        }
        // A plugin built from settings without its options runs on the declared defaults.
        let bare = PluginSettings(enabled: true, options: [:])
        let drop = try #require(AcuityDropCheck.descriptor.make(bare, .default) as? AcuityDropCheck)
        #expect(drop.threshold == AcuityDropCheck.thresholdOption.defaultValue)
        let low = try #require(LowConfidenceCheck.descriptor.make(bare, .default) as? LowConfidenceCheck)
        #expect(low.threshold == LowConfidenceCheck.thresholdOption.defaultValue)
    }
}
