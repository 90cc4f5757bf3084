import Testing
@testable import ClinicServer

/// Scores and trend values that are no finite number (a broken model's NaN) render, never trap (issue 12).
@Suite struct NonFiniteValueTests {
    @Test func percentOfNaNOrInfinity() {
        #expect(Markdown.percent(.nan) == "?")
        #expect(Markdown.percent(.infinity) == "?")
        #expect(Markdown.percent(0.5) == "50%")
        #expect(Markdown.percent(7) == "100%")
    }

    @Test func sparklineSkipsValuesThatAreNoNumber() {
        #expect(HoverFeature.sparkline([0, 1]) == "▁█")
        #expect(HoverFeature.sparkline([0, .nan, 1, .infinity]) == "▁ █ ")
        #expect(HoverFeature.sparkline([.nan]) == " ")
        #expect(HoverFeature.sparkline([-Double.greatestFiniteMagnitude, .greatestFiniteMagnitude]) == "▅▅")
    }
}
