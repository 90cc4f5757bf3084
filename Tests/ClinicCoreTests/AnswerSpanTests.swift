@testable import ClinicCore
import Testing

@Suite struct AnswerSpanTests {
    func clean(_ s: String, labels: Set<String> = []) -> String? {
        let t = NoteText(s)
        return AnswerSpan.clean(0..<t.count, in: t, labels: labels).map { t[$0] }
    }

    @Test func trimsSurroundingPunctuation() {
        #expect(clean(" eylea. ") == "eylea")
        #expect(clean("(6/9)") == "6/9")
        #expect(clean("6/9,") == "6/9")
        #expect(clean("Eylea (aflibercept)") == "Eylea (aflibercept)")
        #expect(clean("\"lucentis\";") == "lucentis")
    }

    @Test func stripsEyeMarkersAtTheEdges() {
        #expect(clean("R) eylea") == "eylea")
        #expect(clean("l)eylea") == "eylea")
        #expect(clean("6/9 R") == "6/9")
        #expect(clean("6/12 OD") == "6/12")
        #expect(clean("O.D. 20/40") == "20/40")
        #expect(clean("right eye 6/9") == "6/9")
        #expect(clean("Eylea HD") == "Eylea HD")
    }

    @Test func stripsLabelsOnlyWhenAsked() {
        #expect(clean("VA 6/9", labels: ["va"]) == "6/9")
        #expect(clean("VA: R 6/9", labels: ["va"]) == "6/9")
        #expect(clean("VA 6/9") == "VA 6/9")
    }

    @Test func nothingLeftIsNil() {
        #expect(clean(" ., ") == nil)
        #expect(clean("") == nil)
    }

    @Test func aLoneMarkerStays() {
        // A marker with nothing after it is left for the plugin to judge, not emptied.
        #expect(clean("R") == "R")
    }
}
