import ClinicCore
import QAEngine
import Testing

/// A drug answer must name something injected into the eye, and the note must tie it to that eye.
@Suite struct DrugLateralityTests {
    static let drugWithoutEye = "check.drug-without-eye"

    @Test(arguments: [
        "VA R 6/12 L 6/9\nPlan: eylea today",
        "VA R 6/12 L 6/9, Plan: eylea today",
        "R 6/12 L 6/9 eylea today",
        "VA 6/12\nPlan: inject eylea",
        "BCVA 20/40 OD, 20/25 OS. Eylea given.",
    ])
    func aDrugWithNoEyeGoesIntoNeither(note: String) throws {
        let a = try analyzeOne(note, rules: [
            rule(FakeAnswerer.drugRight, "eylea", "eylea", 0.94), rule(FakeAnswerer.drugLeft, "eylea", "eylea", 0.9),
            rule(FakeAnswerer.drugRight, "Eylea", "Eylea", 0.94), rule(FakeAnswerer.drugLeft, "Eylea", "Eylea", 0.9),
        ])
        #expect(a.finding("drug.right") == nil)
        #expect(a.finding("drug.left") == nil)
        let warning = try #require(a.diagnostics.first { $0.code == Self.drugWithoutEye })
        #expect(warning.message.hasPrefix("Eylea (aflibercept): no eye given"))
    }

    @Test func theEyeStatedOnceAtTheTopCounts() throws {
        let a = try analyzeOne("L eye nAMD\nVA 6/9\nPlan: eylea", rules: [
            rule(FakeAnswerer.drugLeft, "Plan", "eylea"), rule(FakeAnswerer.drugRight, "Plan", "eylea"),
        ])
        #expect(a.finding("drug.left")?.text == "eylea")
        #expect(a.finding("drug.right") == nil)
        #expect(!a.codes().contains(Self.drugWithoutEye))
    }

    @Test func aDrugTiedToTheOtherEyeIsDropped() throws {
        let a = try analyzeOne("R) eylea L) avastin", rules: [
            rule(FakeAnswerer.drugRight, "avastin", "avastin"), rule(FakeAnswerer.drugLeft, "avastin", "avastin"),
        ])
        #expect(a.finding("drug.right") == nil)
        #expect(a.finding("drug.left")?.text == "avastin")
    }

    @Test(arguments: [
        ("R) 6/12 L) 6/9 + R) lucentis rev 4/52", "lucentis", "drug.right"),
        ("VA R 6/6 L 6/36 L) vabysmo, rev 8/52", "vabysmo", "drug.left"),
        ("Lucentis OD #7. Vcc OD 20/50, OS 20/20", "Lucentis", "drug.right"),
        ("BCVA 20/25 OD, 20/200 OS; OS Avastin today", "Avastin", "drug.left"),
        ("Vision 6/12 in the right eye and 6/9 in the left. I injected aflibercept into her left eye today.",
         "aflibercept", "drug.left"),
        ("RE\n VA 6/36\n lucentis #5\nLE\n VA 6/9\n observe", "lucentis", "drug.right"),
        ("L 6/12 eylea today", "eylea", "drug.left"),
        ("Procedure: intravitreal injection\nLaterality: Left\nAgent: Vabysmo 6mg", "Vabysmo", "drug.left"),
        ("            Right       Left\nVA          6/12        6/9\nInjection   -           Eylea", "Eylea", "drug.left"),
        ("| | RE | LE |\n| VA | 6/18 | 6/9 |\n| Drug | Ozurdex | - |", "Ozurdex", "drug.right"),
        ("\tOD\tOS\nVA\t20/40\t20/30\nIVT\t\tEylea", "Eylea", "drug.left"),
        ("Dear Dr R Khan\nRe: Mrs L Smith DOB 01/02/1950\nWe injected Eylea into the left eye today.", "Eylea", "drug.left"),
    ])
    func theNoteTiesTheDrugToItsEye(note: String, drug: String, field: String) throws {
        let other = field == "drug.right" ? "drug.left" : "drug.right"
        let question = field == "drug.right" ? FakeAnswerer.drugRight : FakeAnswerer.drugLeft
        let otherQuestion = field == "drug.right" ? FakeAnswerer.drugLeft : FakeAnswerer.drugRight
        let a = try analyzeOne(note, rules: [rule(question, drug, drug), rule(otherQuestion, drug, drug)])
        #expect(a.finding(field)?.text == drug, "\(note)")
        #expect(a.finding(other) == nil, "\(note)")
    }

    @Test(arguments: ["Eylea OU", "bilat lucentis", "Vabysmo R + L", "R+L avastin today"])
    func aDrugForBothEyesAnswersBoth(note: String) throws {
        let drug = note.split(separator: " ").first { ["Eylea", "lucentis", "Vabysmo", "avastin"].contains(String($0)) }!
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugRight, String(drug), String(drug))])
        #expect(a.finding("drug.right")?.text == String(drug))
        #expect(a.finding("drug.left")?.text == String(drug))
    }

    @Test func theEyeRuleCanBeTurnedOff() throws {
        let (config, _) = ClinicConfiguration.parse(["plugins": ["drug": ["requireEye": false]]])
        let a = try analyzeOne("Plan: eylea today", rules: [rule(FakeAnswerer.drugRight, "eylea", "eylea")],
                               configuration: config)
        #expect(a.finding("drug.right")?.text == "eylea")
    }
}

@Suite struct IntravitrealAgentTests {
    @Test(arguments: [
        "R) oedema", "R) CNV", "R) SRF", "R) macular oedema", "R) atorvastatin", "R) metformin 500mg",
        "R) apixaban", "R) amoxicillin", "R) SF6", "R) C3F8 gas", "R) PRP", "R) dexamethasone drops",
        "R) G. dexamethasone QDS", "R) oral acetazolamide", "R) verteporfin IV", "R) IV vancomycin",
        "R) chloramphenicol", "R) subtenon triamcinolone", "R) inj",
    ])
    func whatIsNotInjectedIntoTheEyeIsNoAnswer(note: String) throws {
        let answer = String(note.dropFirst(3))
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugRight, answer, answer, 0.97)])
        #expect(a.finding("drug.right") == nil, "\(note)")
    }

    @Test(arguments: [
        "R) Ozurdex", "R) Eylea HD", "R) Yesafili", "R) Byooviz", "R) vancomycin", "R) tPA", "R) triamcinolone",
        "R) Iluvien", "R) Syfovre", "R) anti-VEGF", "R) eyelea",
    ])
    func agentsInjectedIntoTheEyeStay(note: String) throws {
        let answer = String(note.dropFirst(3))
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugRight, answer, answer)])
        #expect(a.finding("drug.right")?.normalized["known"] == true, "\(note)")
    }

    @Test func anUnknownDrugLikeWordNeedsConfidence() throws {
        let sure = try analyzeOne("R) zorbimab given", rules: [rule(FakeAnswerer.drugRight, "zorbimab", "zorbimab", 0.9)])
        #expect(sure.finding("drug.right")?.normalized["known"] == false)
        #expect(sure.codes().contains("check.unknown-drug"))
        let unsure = try analyzeOne("R) zorbimab given", rules: [rule(FakeAnswerer.drugRight, "zorbimab", "zorbimab", 0.3)])
        #expect(unsure.finding("drug.right") == nil)
    }

    @Test(arguments: ["G. dexamethasone QDS 1/52", "IV vancomycin 1g BD", "atorvastatin 20mg nocte"])
    func aMedicineGivenOtherwiseRaisesNoEyeWarning(note: String) throws {
        #expect(!(try analyzeOne("VA R 6/9 L 6/6\n" + note).codes().contains(DrugLateralityTests.drugWithoutEye)))
    }
}

@Suite struct DrugNotGivenTests {
    @Test(arguments: [
        ("R) lucentus deferd - bleph ++, L)lucentus gvn", "R)", "lucentus"),
        ("Declined L) avastin today - wants to discuss with family", "L)", "avastin"),
        ("DNA today. Rebook L) eylea 1/52", "L)", "eylea"),
        ("For consideration of R) Ozurdex - discuss at VR MDT", "R)", "Ozurdex"),
        ("Lucentis R+L to be given Thurs.", "Lucentis", "Lucentis"),
        ("R eye: 9 injections to date (Eylea), dry", "(Eylea", "Eylea"),
        ("Ozurdex R in situ, IOP 18", "Ozurdex", "Ozurdex"),
        ("Eye: RIGHT\nDrug: [x] Eylea [ ] Lucentis", "[ ] Lucentis", "Lucentis"),
        ("DNA. Last seen 14/02/25: R) eylea #4", "R) eylea", "eylea"),
        ("R) eylea next visit", "R)", "eylea"),
    ])
    func aDrugItsClauseSaysWasNotGivenIsNoAnswer(note: String, key: String, drug: String) throws {
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugRight, key, drug), rule(FakeAnswerer.drugLeft, key, drug)])
        #expect(a.finding("drug.right")?.text != drug || !note.contains("R"), "\(note)")
        #expect(a.finding("drug.left")?.text != drug || !note.contains("L"), "\(note)")
    }

    @Test(arguments: [
        "R) lucentus deferd - bleph ++, L)lucentus gvn", "L) eylea deferred (conjunctivitis). R) eylea given",
        "stopped lucentis R) 2023. today L) vabysmo", "R) eylea, next 8/52", "Eylea R given, will review in 4/52",
    ])
    func aDrugGivenTodayBesideOneThatWasNotStays(note: String) throws {
        let given: (String, String) = note.contains("gvn") ? ("L)lucentus", "lucentus") : note.contains("vabysmo") ? ("L) vabysmo", "vabysmo")
            : note.contains("R) eylea given") ? ("R) eylea given", "eylea") : ("R", note.contains("Eylea") ? "Eylea" : "eylea")
        let question = given.0.hasPrefix("L") ? FakeAnswerer.drugLeft : FakeAnswerer.drugRight
        let field = given.0.hasPrefix("L") ? "drug.left" : "drug.right"
        let a = try analyzeOne(note, rules: [rule(question, given.0, given.1)])
        #expect(a.finding(field)?.text == given.1, "\(note)")
    }
}

@Suite struct AcuityLayoutTests {
    @Test func aValueReadFromTheOtherColumnMovesThere() throws {
        let note = "            Right       Left\nVA          6/12        6/9\nIOP         15          17"
        let swapped = try analyzeOne(note, rules: [
            rule(FakeAnswerer.acuityRight, "6/9", "6/9"), rule(FakeAnswerer.acuityLeft, "6/12", "6/12"),
        ])
        #expect(swapped.finding("acuity.right")?.text == "6/12")
        #expect(swapped.finding("acuity.left")?.text == "6/9")
        let oneSided = try analyzeOne(note, rules: [rule(FakeAnswerer.acuityLeft, "6/12", "6/12")])
        #expect(oneSided.finding("acuity.right")?.text == "6/12")
        #expect(oneSided.finding("acuity.left") == nil)
    }

    @Test func anInterfaceSegmentNamesItsEye() throws {
        let a = try analyzeOne("OBX|1|ST|VA^Right||6/18||\nOBX|2|ST|VA^Left||6/60||", rules: [
            rule(FakeAnswerer.acuityRight, "Right", "6/18"), rule(FakeAnswerer.acuityLeft, "Right", "6/18"),
        ])
        #expect(a.finding("acuity.right")?.text == "6/18")
        #expect(a.finding("acuity.left") == nil)
    }

    @Test(arguments: ["Her vision was 6/12 in the right eye", "Acuity was 6/12 on the right"])
    func aValueAfterWasIsTodays(note: String) throws {
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.acuityRight, "6/12", "6/12")])
        #expect(a.finding("acuity.right")?.text == "6/12")
    }

    @Test func anEarlierValueInBracketsIsNot() throws {
        let a = try analyzeOne("VA R 6/24 (was 6/12)", rules: [rule(FakeAnswerer.acuityRight, "was", "6/12")])
        #expect(a.finding("acuity.right") == nil)
    }
}

@Suite struct UnknownDrugWordTests {
    @Test(arguments: ["chorioretinopathy", "photocoagulation", "Panretinal", "fovea", "hypopyon", "Braratra"])
    func clinicWordsAreNoDrugEvenWhenTheModelIsSure(word: String) throws {
        let a = try analyzeOne("R) \(word) today", rules: [rule(FakeAnswerer.drugRight, word, word, 0.99)])
        #expect(a.finding("drug.right") == nil, "\(word)")
    }

    @Test(arguments: ["vabs", "zorbimab", "lucentiz"])
    func drugLikeWordsStay(word: String) throws {
        let a = try analyzeOne("R) \(word) today", rules: [rule(FakeAnswerer.drugRight, word, word, 0.9)])
        #expect(a.finding("drug.right") != nil, "\(word)")
    }

    @Test func bothAloneIsNoEye() throws {
        let a = try analyzeOne("Today: Vabysmo #3 given.\nVA R 6/9, L 6/12, both unchanged", rules: [
            rule(FakeAnswerer.drugRight, "Vabysmo", "Vabysmo"), rule(FakeAnswerer.drugLeft, "Vabysmo", "Vabysmo"),
        ])
        #expect(a.finding("drug.right") == nil)
        #expect(a.finding("drug.left") == nil)
    }
}

@Suite struct DrugGivenAsPlannedTests {
    @Test func givenOutweighsPlanned() throws {
        let a = try analyzeOne("Stye L upper lid - L) Cimerli deferred 1/52\nR) Cimerli given as planned", rules: [
            rule(FakeAnswerer.drugRight, "R) Cimerli", "Cimerli"), rule(FakeAnswerer.drugLeft, "L) Cimerli", "Cimerli"),
        ])
        #expect(a.finding("drug.right")?.text == "Cimerli")
        #expect(a.finding("drug.left") == nil)
    }
}

/// An engine whose null answer wins every question, with `span` as its best non-empty one.
struct NullWinsAnswerer: QuestionAnswering {
    var span: String
    var score: Float
    func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        let best = FakeAnswerer.locate(span, after: span, in: context, score: score)
        return questions.map { _ in QAResult(best: best, nullScore: 0.9, answer: nil) }
    }
}

@Suite struct MarkedDrugOverNullTests {
    func analyze(_ note: String, span: String, score: Float) throws -> NoteAnalysis {
        try ClinicPipeline(configuration: .default, answerer: NullWinsAnswerer(span: span, score: score)).analyze(text: note)[0]
    }

    @Test func aKnownDrugWithItsEyesMarkerBeatsTheNullAnswer() throws {
        let a = try analyze("VA R 6/6 L 6/36 L) vabysmo, rev 8/52", span: "vabysmo", score: 0.05)
        #expect(a.finding("drug.left")?.text == "vabysmo")
        #expect(a.finding("drug.right") == nil)
    }

    @Test(arguments: ["Plan: vabysmo today", "L) vabysmo deferred", "L) chorioretinopathy"])
    func otherwiseTheNullAnswerStands(note: String) throws {
        let span = note.contains("chorio") ? "chorioretinopathy" : "vabysmo"
        let a = try analyze(note, span: span, score: 0.05)
        #expect(a.finding("drug.left") == nil && a.finding("drug.right") == nil, "\(note)")
    }

    @Test func belowTheFloorItStands() throws {
        let a = try analyze("L) vabysmo", span: "vabysmo", score: 0.001)
        #expect(a.finding("drug.left") == nil)
    }
}

@Suite struct EarlierRowTests {
    @Test func aDatedRowOfTheHistoryIsNotToday() throws {
        let note = "Treatment history:\n- 06/2024: L Avastin #2\nToday 04/09/24: VA R 6/6 L 6/9. Observe."
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugLeft, "L Avastin", "Avastin")])
        #expect(a.finding("drug.left") == nil)
    }

    @Test func acuityOnTheDrugsLineIsNoDate() throws {
        let note = "VA cc OD 20/40 OS 20/25. Avastin OD #4 given\nseen today"
        let a = try analyzeOne(note, rules: [rule(FakeAnswerer.drugRight, "Avastin", "Avastin")])
        #expect(a.finding("drug.right")?.text == "Avastin")
    }
}
