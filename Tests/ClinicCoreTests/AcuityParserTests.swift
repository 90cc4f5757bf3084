import ClinicCore
import JSON
import Testing

@Suite struct AcuityParserTests {
    @Test func snellenMetric() throws {
        let a = try #require(AcuityParser.parse("6/9"))
        #expect(a.notation == .snellenMetric)
        #expect(Acuity.fmtLogMAR(a.logMAR!) == "0.18")
        #expect(a.snellenImperial == "20/30")
        #expect(a.letters == 76)
        #expect(a.decimal == 0.67)
        #expect(a.summary == "6/9 = logMAR 0.18")
        #expect(a.implausibility == nil)
    }

    @Test(arguments: [("6/6", "0.00", "20/20"), ("6/12", "0.30", "20/40"), ("6/7.5", "0.10", "20/25"), ("6/60", "1.00", "20/200"),
                      ("6/5", "-0.08", "20/16"), ("6/36", "0.78", "20/120"), ("3/60", "1.30", "20/400")])
    func metricLines(typed: String, logMAR: String, imperial: String) throws {
        let a = try #require(AcuityParser.parse(typed))
        #expect(Acuity.fmtLogMAR(a.logMAR!) == logMAR)
        #expect(a.snellenImperial == imperial)
    }

    @Test func imperialConvertsToMetric() throws {
        let a = try #require(AcuityParser.parse("20/40-2"))
        #expect(a.notation == .snellenImperial)
        #expect(a.letterAdjustment == -2)
        #expect(a.snellenMetric == "6/12-2")
        #expect(Acuity.fmtLogMAR(a.logMAR!) == "0.34")
    }

    @Test func lettersAdjustLogMARByTwoHundredthsEach() throws {
        #expect(Acuity.fmtLogMAR(AcuityParser.parse("6/9-1")!.logMAR!) == "0.20")
        #expect(Acuity.fmtLogMAR(AcuityParser.parse("6/12+2")!.logMAR!) == "0.26")
        #expect(AcuityParser.parse("6/12+2")?.snellenMetric == "6/12+2")
    }

    @Test func etdrsLetters() throws {
        let a = try #require(AcuityParser.parse("72 letters"))
        #expect(a.notation == .letters)
        #expect(Acuity.fmtLogMAR(a.logMAR!) == "0.26")
        #expect(a.letters == 72)
        #expect(AcuityParser.parse("81ltrs")?.letters == 81)
        #expect(AcuityParser.parse("85 letters")?.snellenMetric == "6/6")
        #expect(AcuityParser.parse("110 letters")?.implausibility != nil)
    }

    @Test(arguments: [("CF", 2.0, Acuity.Notation.countFingers), ("counting fingers", 2.0, .countFingers),
                      ("HM", 2.3, .handMovements), ("hand movements", 2.3, .handMovements), ("PL", 2.7, .perceptionOfLight),
                      ("LP", 2.7, .perceptionOfLight), ("NPL", 3.0, .noPerceptionOfLight), ("NLP", 3.0, .noPerceptionOfLight),
                      ("no PL", 3.0, .noPerceptionOfLight)])
    func lowVisionStandIns(typed: String, logMAR: Double, notation: Acuity.Notation) throws {
        let a = try #require(AcuityParser.parse(typed))
        #expect(a.notation == notation)
        #expect(a.logMAR == logMAR)
        #expect(a.letters == nil)
        #expect(a.decimal == nil)
        #expect(a.snellenMetric == nil)
    }

    @Test func countFingersKeepsDistance() throws {
        let a = try #require(AcuityParser.parse("CF 1m"))
        #expect(a.distance == "1m")
        #expect(a.typed == "CF 1m")
        #expect(a.summary == "CF 1m = logMAR 2.00")
    }

    @Test func logMARAndDecimal() throws {
        #expect(AcuityParser.parse("0.30 logMAR")?.notation == .logMAR)
        #expect(AcuityParser.parse("logMAR 0.3")?.logMAR == 0.3)
        #expect(AcuityParser.parse("0.18")?.notation == .logMAR)
        let d = try #require(AcuityParser.parse("0.5"))
        #expect(d.notation == .decimal)
        #expect(Acuity.fmtLogMAR(d.logMAR!) == "0.30")
        #expect(d.decimal == 0.5)
    }

    @Test func nearVisionHasNoLogMAR() throws {
        let a = try #require(AcuityParser.parse("N6"))
        #expect(a.notation == .near)
        #expect(a.logMAR == nil)
        #expect(a.summary == "N6 (near vision)")
    }

    @Test func firstValueWinsAndPinholeIsKeptAsTyped() throws {
        let a = try #require(AcuityParser.parse("6/24 PH 6/12"))
        #expect(a.typed == "6/24")
        #expect(a.typedRange == 0..<4)
    }

    @Test(arguments: ["4/52", "6/52", "2/7", "14/16", "12/03/24", "given", "", "R", "1/2/3"])
    func notAcuity(text: String) {
        #expect(AcuityParser.parse(text) == nil, "\(text)")
    }

    @Test(arguments: ["6/2", "20/5", "6/9-6", "6/3000", "logMAR 2.5"])
    func implausible(text: String) throws {
        let a = try #require(AcuityParser.parse(text))
        #expect(a.implausibility != nil, "\(text)")
    }

    @Test func jsonCarriesEveryNotation() throws {
        let o = try #require(AcuityParser.parse("6/12")).json
        #expect(o["notation"] == "snellen-metric")
        #expect(o["snellenMetric"] == "6/12")
        #expect(o["snellenImperial"] == "20/40")
        #expect(o["logMAR"] == .double(0.3))
        #expect(o["letters"] == 70)
        #expect(o["decimal"] == .double(0.5))
        #expect(o["plausible"] == true)
    }
}
