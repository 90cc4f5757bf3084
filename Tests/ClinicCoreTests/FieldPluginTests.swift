import ClinicCore
import JSON
import Testing

@Suite struct DrugPluginTests {
    @Test func normalisesEachEyesAnswer() throws {
        let a = try analyzeOne("R) Lucentis #3, L) eylea 2mg", rules: [
            rule(FakeAnswerer.drugRight, "R) Lucentis", "R) Lucentis #3"),
            rule(FakeAnswerer.drugLeft, "L) eylea", "eylea 2mg", 0.9),
        ])
        let r = try #require(a.finding("drug.right"))
        #expect(r.text == "Lucentis #3")
        #expect(r.range == 3..<14)
        #expect(r.summary == "Lucentis (ranibizumab)")
        #expect(r.hint == "R")
        #expect(r.normalized["injectionNumber"] == 3)
        #expect(r.normalized["eye"] == "right")
        let l = try #require(a.finding("drug.left"))
        #expect(l.summary == "Eylea (aflibercept)")
        #expect(l.hint == "L")
        #expect(l.normalized["dose"] == "2mg")
        #expect(abs(l.score - 0.9) < 1e-6)
    }

    @Test func answerWithoutLettersIsNoDrug() throws {
        let a = try analyzeOne("R) 6/9", rules: [rule(FakeAnswerer.drugRight, "6/9", "6/9")])
        #expect(a.finding("drug.right") == nil)
    }

    @Test func unknownDrugKeepsTheTextAndNamesTheClosest() throws {
        let a = try analyzeOne("L) vabs given", rules: [rule(FakeAnswerer.drugLeft, "vabs", "vabs")])
        let f = try #require(a.finding("drug.left"))
        #expect(f.normalized["known"] == false)
        #expect(f.normalized["closest"] == "Vabysmo")
        #expect(f.hint == "L ?")
    }

    @Test func noModelNoDrug() throws {
        let pipeline = ClinicPipeline(configuration: .default, answerer: nil)
        let a = try pipeline.analyze(text: "R) eylea")
        #expect(a[0].fields.count == pipeline.fieldIDs.count)
        #expect(a[0].finding("drug.right") == nil)
    }
}

@Suite struct AcuityPluginTests {
    @Test func convertsTheAnswer() throws {
        let a = try analyzeOne("VA R 6/9 L 20/40", rules: [
            rule(FakeAnswerer.acuityRight, "R 6/9", "6/9"), rule(FakeAnswerer.acuityLeft, "L 20/40", "20/40"),
        ])
        let r = try #require(a.finding("acuity.right"))
        #expect(r.summary == "6/9 = logMAR 0.18")
        #expect(r.hint == "R logMAR 0.18")
        #expect(a.finding("acuity.left")?.normalized["snellenMetric"] == "6/12")
    }

    @Test func labelsAndMarkersAreStripped() throws {
        let a = try analyzeOne("VA: R 6/9", rules: [rule(FakeAnswerer.acuityRight, "VA", "VA: R 6/9")])
        #expect(a.finding("acuity.right")?.text == "6/9")
        #expect(a.finding("acuity.right")?.range == 6..<9)
    }

    @Test(arguments: [
        ("R 6/9, rev 4/52", "4/52"), ("IOP 14/16", "14/16"), ("seen 12/03/24", "12/03"), ("R 6/9 rev 6/12", "6/12"),
        ("R 6/9 (was 6/12)", "6/12"), ("plan reviewed, ok", "ok"), ("R 6/9 f/u 3/12", "3/12"),
    ])
    func nonAcuityAnswersBecomeNoAnswer(note: String, answer: String) throws {
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.acuityRight, note, answer)])
        #expect(a.finding("acuity.right") == nil, "\(answer) in \(note)")
    }

    @Test func rejectionCanBeTurnedOff() throws {
        var config = ClinicConfiguration.default
        config.pluginOverrides["acuity"] = PluginSettings(enabled: true, options: ["rejectNonAcuity": false])
        let a = try analyzeOne("plan ok", rules: [rule(FakeAnswerer.acuityRight, "ok", "ok")], configuration: config)
        #expect(a.finding("acuity.right")?.normalized["notation"] == "unrecognised")
        #expect(a.codes().contains("check.implausible-acuity"))
    }

    @Test func lowVisionHint() throws {
        let a = try analyzeOne("R CF 1m", rules: [rule(FakeAnswerer.acuityRight, "CF", "CF 1m")])
        #expect(a.finding("acuity.right")?.hint == "R logMAR 2.00")
    }
}

@Suite struct IOPPluginTests {
    func iop(_ text: String) throws -> (Int?, Int?) {
        let a = try analyzeOne(text)
        return (a.finding("iop.right")?.normalized["mmHg"].intValue, a.finding("iop.left")?.normalized["mmHg"].intValue)
    }

    @Test(arguments: [
        ("IOP 14/16", 14, 16), ("IOP: 14 / 16 mmHg", 14, 16), ("IOP R 14 L 16", 14, 16), ("IOP R14 L16", 14, 16),
        ("IOP 14 OD 16 OS", 14, 16), ("IOPs RE 14, LE 16 mmHg", 14, 16), ("IOP OD 21 OS 19", 21, 19),
        ("IOP 18 R 17 L", 18, 17), ("IOP L 16 R 14", 14, 16), ("iop 15 OU", 15, 15), ("IOP 14mmHg R, 16mmHg L", 14, 16),
        ("IOP O.D. 12 O.S. 13", 12, 13),
    ])
    func layouts(text: String, right: Int, left: Int) throws {
        let (r, l) = try iop(text)
        #expect(r == right, "\(text)")
        #expect(l == left, "\(text)")
    }

    @Test func oneEyeOnly() throws {
        let (r, l) = try iop("IOP R 22")
        #expect(r == 22)
        #expect(l == nil)
    }

    @Test(arguments: ["IOP 14", "VA 6/9 R", "IOP\n14/16", "IOP 140/160", "pressure normal", "14/16"])
    func noReading(text: String) throws {
        let (r, l) = try iop(text)
        #expect(r == nil && l == nil, "\(text)")
    }

    @Test func findingSpansTheNumber() throws {
        let a = try analyzeOne("VA 6/9. IOP 14/16")
        let f = try #require(a.finding("iop.left"))
        #expect(f.text == "16")
        #expect(f.range == 15..<17)
        #expect(f.summary == "16 mmHg")
        #expect(f.hint == "L IOP")
    }
}

@Suite struct ReviewPluginTests {
    func review(_ text: String) throws -> Finding? { try analyzeOne(text).finding("review") }

    @Test(arguments: [
        ("4/52 rev + l) eylea", 4, "weeks", "4/52"), ("rev 3/12", 3, "months", "3/12"), ("RTC 2/7", 2, "days", "2/7"),
        ("rev 6 wks", 6, "weeks", "6 wks"), ("RTC 4 weeks", 4, "weeks", "4 weeks"), ("f/u in 3 months", 3, "months", "3 months"),
        ("review in six weeks", 6, "weeks", "six weeks"), ("6/12 rev", 6, "months", "6/12"), ("R 6/9. 8/52", 8, "weeks", "8/52"),
        ("rv 1 yr", 1, "years", "1 yr"), ("r/v 2/52", 2, "weeks", "2/52"),
    ])
    func intervals(text: String, value: Int, unit: String, typed: String) throws {
        let f = try #require(try review(text), "\(text)")
        #expect(f.normalized["value"] == .int(value))
        #expect(f.normalized["unit"] == .string(unit))
        #expect(f.text == typed)
    }

    @Test func rangeOfWeeks() throws {
        let f = try #require(try review("review 4-6 weeks"))
        #expect(f.normalized["upTo"] == 6)
        #expect(f.summary == "4-6 weeks")
        #expect(f.normalized["days"] == 28)
    }

    @Test(arguments: ["VA 6/12", "x 2/52 hx floaters", "floaters 3/7 ago", "seen 12/03/24", "4 weeks of blur", "T&E"])
    func notAReview(text: String) throws {
        #expect(try review(text) == nil, "\(text)")
    }

    @Test func cuedIntervalBeatsAnEarlierBareOne() throws {
        let f = try #require(try review("hx 2/52 floaters. RTC 4 weeks"))
        #expect(f.text == "4 weeks")
    }
}

@Suite struct ConfiguredFieldTests {
    @Test func questionFieldGoesThroughTheSameBatch() throws {
        let (config, problems) = ClinicConfiguration.parse([
            "fields": [["id": "lens", "label": "Lens", "question": "What is the lens status?"]],
        ])
        #expect(problems.isEmpty)
        let fake = FakeAnswerer([rule("What is the lens status?", "PCIOL", "PCIOL.")])
        let pipeline = ClinicPipeline(configuration: config, answerer: fake)
        #expect(pipeline.fieldIDs.contains("lens"))
        let a = try pipeline.analyze(text: "R) eylea, PCIOL.")[0]
        #expect(a.finding("lens")?.text == "PCIOL")
        #expect(a.finding("lens")?.label == "Lens")
        #expect(fake.calls.count == 1)
        #expect(fake.calls[0].questions.count == 5)
    }

    @Test func patternFieldUsesTheFirstGroup() throws {
        let (config, problems) = ClinicConfiguration.parse([
            "fields": [["id": "cst", "label": "CST", "pattern": "cst\\s*:?\\s*(\\d+)\\s*um"]],
        ])
        #expect(problems.isEmpty)
        let a = try analyzeOne("OCT: CST 312um, dry", configuration: config)
        let f = try #require(a.finding("cst"))
        #expect(f.text == "312")
        #expect(f.range == 9..<12)
    }

    @Test func patternGroupZeroAndCaseSensitivity() throws {
        let (config, _) = ClinicConfiguration.parse([
            "fields": [["id": "oct", "label": "OCT", "pattern": "OCT (dry|wet)", "group": 0, "caseSensitive": true]],
        ])
        #expect(try analyzeOne("OCT dry", configuration: config).finding("oct")?.text == "OCT dry")
        #expect(try analyzeOne("oct dry", configuration: config).finding("oct") == nil)
    }
}

@Suite struct DrugAnswerFilterTests {
    @Test(arguments: ["R", "L)", "given", "nil", "declined today", "inj R"])
    func fillerIsNoDrug(answer: String) throws {
        let a = try analyzeOne("x \(answer) y", rules: [rule(FakeAnswerer.drugRight, answer, answer)])
        #expect(a.finding("drug.right") == nil, "\(answer)")
    }

    @Test(arguments: ["anti-VEGF", "IVB", "eylea given"])
    func wordsThatNameADrugStay(answer: String) throws {
        let a = try analyzeOne("R) \(answer) y", rules: [rule(FakeAnswerer.drugRight, answer, answer)])
        #expect(a.finding("drug.right") != nil, "\(answer)")
    }
}
