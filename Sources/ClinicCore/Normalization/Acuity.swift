import Foundation

/// A distance visual acuity as typed, with its equivalents in the other notations.
public struct Acuity: Sendable, Equatable {
    public enum Notation: String, Sendable, Equatable {
        case snellenMetric = "snellen-metric"
        case snellenImperial = "snellen-imperial"
        case decimal
        case logMAR
        case letters = "etdrs-letters"
        case countFingers = "count-fingers"
        case handMovements = "hand-movements"
        case perceptionOfLight = "perception-of-light"
        case noPerceptionOfLight = "no-perception-of-light"
        /// Near vision (N5, J2): real acuity, but not distance acuity, so it has no logMAR here.
        case near
    }

    public var notation: Notation
    /// The acuity value as typed ("6/9-1", "CF 1m") and where it is in the parsed text.
    public var typed: String
    public var typedRange: Range<Int>
    /// Letters read beyond (+) or missed (-) on the recorded line: "6/9-1" is -1.
    public var letterAdjustment: Int = 0
    /// Snellen fraction when typed as one.
    public var fraction: (numerator: Double, denominator: Double)?
    /// Testing distance for counting fingers ("1m", "3ft").
    public var distance: String?
    public var logMAR: Double?
    /// Why the value cannot be right (nil when it is plausible).
    public var implausibility: String?

    public static func == (a: Acuity, b: Acuity) -> Bool {
        a.notation == b.notation && a.typed == b.typed && a.typedRange == b.typedRange
            && a.letterAdjustment == b.letterAdjustment && a.fraction?.numerator == b.fraction?.numerator
            && a.fraction?.denominator == b.fraction?.denominator && a.distance == b.distance
            && a.logMAR == b.logMAR && a.implausibility == b.implausibility
    }

    /// Conventional logMAR stand-ins for vision below the chart.
    public static let countFingersLogMAR = 2.0
    public static let handMovementsLogMAR = 2.3
    public static let perceptionOfLightLogMAR = 2.7
    public static let noPerceptionOfLightLogMAR = 3.0
    /// Each letter read or missed moves logMAR by 0.02.
    public static let logMARPerLetter = 0.02

    /// ETDRS letters, 85 - 50 x logMAR, where that is a count on the chart (0...100).
    public var letters: Int? {
        guard let logMAR, isChartNotation else { return nil }
        let l = (85 - 50 * logMAR).rounded()
        return l >= 0 && l <= 100 ? Int(exactly: l) : nil
    }

    public var decimal: Double? {
        guard let logMAR, isChartNotation else { return nil }
        return (pow(10, -logMAR) * 100).rounded() / 100
    }

    var isChartNotation: Bool {
        switch notation {
        case .snellenMetric, .snellenImperial, .decimal, .logMAR, .letters: return true
        default: return false
        }
    }

    public var snellenMetric: String? {
        if notation == .snellenMetric, let f = fraction { return "\(Self.fmt(f.numerator))/\(Self.fmt(f.denominator))\(adjustmentSuffix)" }
        guard isChartNotation, let logMAR else { return nil }
        if notation == .snellenImperial, let f = fraction {
            return "6/\(Self.fmt(Self.snap(f.denominator * 6 / f.numerator, to: Self.metricLines)))\(adjustmentSuffix)"
        }
        return "6/\(Self.fmt(Self.snap(6 * pow(10, logMAR), to: Self.metricLines)))"
    }

    public var snellenImperial: String? {
        if notation == .snellenImperial, let f = fraction { return "\(Self.fmt(f.numerator))/\(Self.fmt(f.denominator))\(adjustmentSuffix)" }
        guard isChartNotation, let logMAR else { return nil }
        if notation == .snellenMetric, let f = fraction {
            return "20/\(Self.fmt(Self.snap(f.denominator * 20 / f.numerator, to: Self.imperialLines)))\(adjustmentSuffix)"
        }
        return "20/\(Self.fmt(Self.snap(20 * pow(10, logMAR), to: Self.imperialLines)))"
    }

    var adjustmentSuffix: String {
        letterAdjustment == 0 ? "" : (letterAdjustment > 0 ? "+\(letterAdjustment)" : "\(letterAdjustment)")
    }

    /// "6/9 = logMAR 0.18", "CF 1m = logMAR 2.00", "N6 (near vision)".
    public var summary: String {
        guard let logMAR else { return "\(typed) (near vision)" }
        if notation == .logMAR { return "logMAR \(Self.fmtLogMAR(logMAR))" }
        return "\(typed) = logMAR \(Self.fmtLogMAR(logMAR))"
    }

    static let metricLines: [Double] = [3, 3.8, 4.5, 4.8, 5, 6, 7.5, 9, 9.5, 12, 15, 18, 19, 24, 30, 36, 38, 48, 60, 95, 120, 190, 240, 360]
    static let imperialLines: [Double] = [10, 12.5, 15, 16, 20, 25, 30, 32, 40, 50, 60, 63, 70, 80, 100, 120, 125, 160, 200, 250, 320, 400, 640, 800, 1200]

    /// The chart line nearest (in log terms) to a computed denominator.
    static func snap(_ value: Double, to lines: [Double]) -> Double {
        lines.min { abs(log10($0 / value)) < abs(log10($1 / value)) } ?? value
    }

    static func fmt(_ x: Double) -> String {
        Int(exactly: x).map { String($0) } ?? String(format: "%.1f", x)
    }

    public static func fmtLogMAR(_ x: Double) -> String {
        let r = (x * 100).rounded() / 100
        return String(format: "%.2f", r == 0 ? 0 : r)
    }
}
