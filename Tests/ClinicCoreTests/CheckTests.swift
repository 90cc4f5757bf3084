import ClinicCore
import JSON
import Testing

@Suite struct CheckTests {
    @Test func drugWithoutEye() throws {
        let a = try analyzeOne("VA R 6/9\nEylea HD discussed for next visit")
        let d = try #require(a.diagnostics.first { $0.code == "check.drug-without-eye" })
        #expect(d.severity == .warning)
        #expect(d.range == 9..<17)
        #expect(d.message.contains("Eylea HD (aflibercept)"))
    }

    @Test func drugWithAnEyeOrTakenUpIsFine() throws {
        #expect(try analyzeOne("R) eylea").codes().isEmpty)
        #expect(try analyzeOne("eylea given OU").codes().isEmpty)
        let a = try analyzeOne("Right eye: eylea given", rules: [rule(FakeAnswerer.drugRight, "eylea", "eylea")])
        #expect(!a.codes().contains("check.drug-without-eye"))
        #expect(try analyzeOne("anti-VEGF discussed").codes().isEmpty)
    }

    @Test func unknownDrugOffersAnInsertion() throws {
        let a = try analyzeOne("L) vabs given", rules: [rule(FakeAnswerer.drugLeft, "vabs", "vabs")])
        let d = try #require(a.diagnostics.first { $0.code == "check.unknown-drug" })
        #expect(d.range == 3..<7)
        #expect(d.message == "\"vabs\" is not a known drug; did you mean Vabysmo?")
        #expect(d.fix == TextInsertion(title: "Insert \"[Vabysmo?]\" after \"vabs\"", offset: 7, text: " [Vabysmo?]"))
    }

    @Test func knownAndMisspelledDrugsAreNotUnknown() throws {
        let a = try analyzeOne("L) eyelea", rules: [rule(FakeAnswerer.drugLeft, "eyelea", "eyelea")])
        #expect(a.codes().isEmpty)
        #expect(a.finding("drug.left")?.summary == "Eylea (aflibercept)")
    }

    @Test func implausibleAcuity() throws {
        let a = try analyzeOne("VA R 6/2", rules: [rule(FakeAnswerer.acuityRight, "6/2", "6/2")])
        let d = try #require(a.diagnostics.first { $0.code == "check.implausible-acuity" })
        #expect(d.message.hasPrefix("Implausible acuity \"6/2\": better than any chart line"))
        #expect(try analyzeOne("VA R 6/9", rules: [rule(FakeAnswerer.acuityRight, "6/9", "6/9")]).codes().isEmpty)
    }

    @Test func lowConfidenceUsesTheThreshold() throws {
        let rules = [rule(FakeAnswerer.drugRight, "eylea", "eylea", 0.3)]
        let a = try analyzeOne("R) eylea", rules: rules)
        let d = try #require(a.diagnostics.first { $0.code == "check.low-confidence" })
        #expect(d.message == "Low confidence (0.30) in right eye drug \"eylea\": please check")
        let (config, problems) = ClinicConfiguration.parse(["plugins": ["check.low-confidence": ["threshold": 0.2]]])
        #expect(problems.isEmpty)
        #expect(try analyzeOne("R) eylea", rules: rules, configuration: config).codes().isEmpty)
    }

    @Test func patternFindingsAreNeverLowConfidence() throws {
        let (config, _) = ClinicConfiguration.parse(["plugins": ["check.low-confidence": ["threshold": 1]]])
        #expect(try analyzeOne("IOP 14/16", configuration: config).codes().isEmpty)
    }

    @Test func acuityDropAgainstThePreviousNoteForTheSameEye() throws {
        let text = "R 6/9 L 6/12\n\nL 6/12\n\nR 6/18 L 6/9"
        let fake = FakeAnswerer([
            rule(FakeAnswerer.acuityRight, "R 6/9 L", "6/9"), rule(FakeAnswerer.acuityLeft, "R 6/9 L", "6/12"),
            rule(FakeAnswerer.acuityLeft, "L 6/12", "6/12"),
            rule(FakeAnswerer.acuityRight, "R 6/18", "6/18"), rule(FakeAnswerer.acuityLeft, "R 6/18", "6/9"),
        ])
        let analyses = try ClinicPipeline(configuration: .default, answerer: fake).analyze(text: text)
        #expect(analyses[0].codes().isEmpty)
        #expect(analyses[1].codes().isEmpty)
        // Right: 6/9 (note 1) -> 6/18 is 0.30 worse; left improved.
        let drops = analyses[2].diagnostics.filter { $0.code == "check.acuity-drop" }
        #expect(drops.count == 1)
        #expect(drops.first?.range == 24..<28)
        #expect(drops.first?.message == "Right eye acuity 6/18 (logMAR 0.48) is 0.30 logMAR worse than 6/9 (logMAR 0.18) in note 1")
    }

    @Test func acuityDropThresholdIsInclusiveAndConfigurable() throws {
        let text = "R 6/12\n\nR 6/19"
        let fake = FakeAnswerer([rule(FakeAnswerer.acuityRight, "6/12", "6/12"), rule(FakeAnswerer.acuityRight, "6/19", "6/19")])
        let analyses = try ClinicPipeline(configuration: .default, answerer: fake).analyze(text: text)
        #expect(analyses[1].codes() == ["check.acuity-drop"])
        let (config, _) = ClinicConfiguration.parse(["plugins": ["check.acuity-drop": ["logMAR": 0.3]]])
        #expect(try ClinicPipeline(configuration: config, answerer: fake).analyze(text: text)[1].codes().isEmpty)
    }

    @Test func checksCanBeDisabledById() throws {
        let (config, problems) = ClinicConfiguration.parse(["plugins": ["check.drug-without-eye": false]])
        #expect(problems.isEmpty)
        #expect(try analyzeOne("eylea discussed", configuration: config).codes().isEmpty)
        #expect(try analyzeOne("eylea discussed").codes() == ["check.drug-without-eye"])
    }
}
