import ClinicCore
import Testing

/// Numbers typed into a note that no Int (or no Double) holds are read as no value, never trapped on
/// (issue 12: "rev 99999999999999999999 wks" and "12345678901234567890/52" killed the server).
@Suite struct HostileNumberTests {
    static let nines400 = String(repeating: "9", count: 400)

    @Test(arguments: [
        "R) eylea rev 99999999999999999999 wks",
        "12345678901234567890/52",
        "rev 12345678901234567890/12",
        "rev 4-99999999999999999999 wks",
        "rev \(nines400) wks",  // past Double's range: the lexer reads infinity
        "\(nines400)/52",
        "RTC 9999999999999999/7",
    ])
    func anAbsurdIntervalIsNoReview(note: String) throws {
        #expect(try analyzeOne(note).finding("review") == nil, "\(note)")
    }

    @Test(arguments: [
        "IOP 99999999999999999999/12345678901234567890",
        "IOP R \(nines400) L 14",
        "VA 6/99999999999999999999 L 99999999999999999999 letters",
        "CF 99999999999999999999m, N99999999999999999999",
        "#99999999999999999999 eylea no. 12345678901234567890",
    ])
    func otherHugeNumbersAnalyseWithoutTrapping(note: String) throws {
        _ = try analyzeOne(note)
    }

    @Test func theLongestPlausibleIntervalIsStillRead() throws {
        let f = try #require(try analyzeOne("rev 5200/52").finding("review"))
        #expect(f.normalized["days"] == 36_400)
        #expect(try analyzeOne("rev 5300/52").finding("review") == nil, "more than 100 years")
    }
}
