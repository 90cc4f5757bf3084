import Foundation

/// Finds the first visual-acuity value in a piece of text ("VA 6/9-1 PH 6/6", "CF 1m", "72 letters").
/// Fractions that are not acuity at all return nil: intervals (4/52 weeks, 2/7 days) and fractions
/// whose numerator is no testing distance (IOP "14/16", dates "12/03").
public enum AcuityParser {
    public static func parse(_ text: String) -> Acuity? {
        let t = NoteText(text)
        var candidates: [Acuity] = []
        if let a = fraction(t) { candidates.append(a) }
        if let a = letters(t) { candidates.append(a) }
        if let a = lowVision(t) { candidates.append(a) }
        if let a = explicitLogMAR(t) { candidates.append(a) }
        if let a = near(t) { candidates.append(a) }
        if let a = bareNumber(t) { candidates.append(a) }
        // The earliest value wins; on the same start the longer reading (e.g. "0.3 logMAR" over "0.3").
        return candidates.min {
            ($0.typedRange.lowerBound, -$0.typedRange.count) < ($1.typedRange.lowerBound, -$1.typedRange.count)
        }
    }

    // A regex literal is parsed and compiled again each time it is evaluated (70% of a note's analysis
    // time); as statics, once. Regex is not Sendable, but matching only reads it and its compiled program
    // is stored atomically on first use.
    nonisolated(unsafe) static let fractionPattern = /(\d{1,3}(?:\.\d+)?)\s*\/\s*(\d{1,4}(?:\.\d+)?)(?:\s?([+-])\s?(\d)(?![\d\/.]))?(?![\d\/])/
    nonisolated(unsafe) static let lettersPattern = /(?i)(\d{1,3})\s*(?:etdrs\s*)?(?:letters|letter|letrs|ltrs|ltr|lets|let)\b/
    nonisolated(unsafe) static let lowVisionNplPattern = /(?i)\b(?:npl|nlp|no\s*pl|no\s*lp|no\s+light\s+perception|no\s+perception\s+of\s+light)\b/
    nonisolated(unsafe) static let lowVisionPlPattern = /(?i)\b(?:pl|lp|light\s+perception|perception\s+of\s+light|perceives\s+light)(?:\s*\+|\b)/
    nonisolated(unsafe) static let lowVisionHmPattern = /(?i)\b(?:hms?|hand\s+movements?|hand\s+motions?)\b/
    nonisolated(unsafe) static let lowVisionCfPattern = /(?i)\b(?:cf|fc|count(?:ing)?\s+fingers?|finger\s+count(?:ing|s)?)\b(?:\s*(?:at\s*)?(\d+(?:\.\d+)?)\s*(cm|m|ft|feet|foot|metres?|meters?|")(?![a-z]))?/
    nonisolated(unsafe) static let explicitLogMARBeforePattern = /(?i)\blog\s*mar\s*[:=]?\s*(-?\d(?:\.\d{1,2})?)(?![\d\/])/
    nonisolated(unsafe) static let explicitLogMARAfterPattern = /(?i)(-?\d(?:\.\d{1,2})?)\s*log\s*mar\b/
    nonisolated(unsafe) static let nearPattern = /\b([NJ])\s?(\d{1,2})\b(?![\/.])/
    nonisolated(unsafe) static let bareNumberPattern = /(-?\d\.\d{1,2})(?![\d\/])/

    /// Snellen denominators that are really interval shorthand: weeks (/52) and days (/7).
    static let intervalDenominators: Set<Double> = [52, 7]

    static func fraction(_ t: NoteText) -> Acuity? {
        let regex = fractionPattern
        for m in t.string.matches(of: regex) where !t.continuesNumber(before: m.range) {
            guard let num = Double(m.output.1), let den = Double(m.output.2), num > 0, den > 0 else { continue }
            if intervalDenominators.contains(den) { continue }
            let imperial = num == 20 || num == 10
            guard imperial || num <= 6 else { continue }
            var adj = 0
            if let sign = m.output.3, let digit = m.output.4, let n = Int(digit) { adj = sign == "-" ? -n : n }
            let range = t.offsets(of: m.range)
            var a = Acuity(notation: imperial ? .snellenImperial : .snellenMetric, typed: t[range], typedRange: range)
            a.fraction = (numerator: num, denominator: den)
            a.letterAdjustment = adj
            let logMAR = -log10(num / den) - Double(adj) * Acuity.logMARPerLetter
            a.logMAR = logMAR
            if logMAR < -0.32 {
                a.implausibility = "better than any chart line (logMAR \(Acuity.fmtLogMAR(logMAR)))"
            } else if logMAR > 2.0 {
                a.implausibility = "worse than the chart measures (logMAR \(Acuity.fmtLogMAR(logMAR))); record CF/HM/PL instead"
            } else if abs(adj) > 4 {
                a.implausibility = "\(abs(adj)) letters \(adj < 0 ? "missed" : "read") on one line: a line has at most 5 letters, so record the next line"
            }
            return a
        }
        return nil
    }

    static func letters(_ t: NoteText) -> Acuity? {
        let regex = lettersPattern
        guard let m = t.string.matches(of: regex).first(where: { !t.continuesNumber(before: $0.range) }),
              let n = Int(m.output.1) else { return nil }
        let range = t.offsets(of: m.range)
        var a = Acuity(notation: .letters, typed: t[range], typedRange: range)
        a.logMAR = Double(85 - n) / 50
        if n > 100 { a.implausibility = "\(n) letters: the ETDRS chart has 100" }
        return a
    }

    static func lowVision(_ t: NoteText) -> Acuity? {
        let npl = lowVisionNplPattern
        let pl = lowVisionPlPattern
        let hm = lowVisionHmPattern
        let cf = lowVisionCfPattern
        var found: [Acuity] = []
        func add(_ r: Range<String.Index>, _ notation: Acuity.Notation, _ logMAR: Double, distance: String? = nil) {
            let range = t.offsets(of: r)
            var a = Acuity(notation: notation, typed: t[range], typedRange: range)
            a.logMAR = logMAR
            a.distance = distance
            found.append(a)
        }
        if let m = t.string.firstMatch(of: npl) { add(m.range, .noPerceptionOfLight, Acuity.noPerceptionOfLightLogMAR) }
        if let m = t.string.firstMatch(of: pl) { add(m.range, .perceptionOfLight, Acuity.perceptionOfLightLogMAR) }
        if let m = t.string.firstMatch(of: hm) { add(m.range, .handMovements, Acuity.handMovementsLogMAR) }
        if let m = t.string.firstMatch(of: cf) {
            let dist = m.output.1.map { "\($0)\(m.output.2.map(String.init) ?? "")" }
            add(m.range, .countFingers, Acuity.countFingersLogMAR, distance: dist)
        }
        // "NPL" contains no "PL" word, but "no PL" does: prefer the longer reading at the same place.
        return found.min {
            ($0.typedRange.lowerBound, -$0.typedRange.count) < ($1.typedRange.lowerBound, -$1.typedRange.count)
        }
    }

    static func explicitLogMAR(_ t: NoteText) -> Acuity? {
        let before = explicitLogMARBeforePattern
        let after = explicitLogMARAfterPattern
        let m1 = t.string.firstMatch(of: before).map { ($0.range, $0.output.1) }
        let m2 = t.string.matches(of: after).first { !t.continuesNumber(before: $0.range) }.map { ($0.range, $0.output.1) }
        let best = [m1, m2].compactMap { $0 }.min { $0.0.lowerBound < $1.0.lowerBound }
        guard let (r, value) = best, let v = Double(value) else { return nil }
        let range = t.offsets(of: r)
        var a = Acuity(notation: .logMAR, typed: t[range], typedRange: range)
        a.logMAR = v
        if v < -0.3 || v > 1.7 { a.implausibility = "logMAR \(value) is outside the chart (-0.30 to 1.70)" }
        return a
    }

    static func near(_ t: NoteText) -> Acuity? {
        guard let m = t.string.firstMatch(of: nearPattern), let n = Int(m.output.2) else { return nil }
        let range = t.offsets(of: m.range)
        var a = Acuity(notation: .near, typed: t[range], typedRange: range)
        let valid = m.output.1 == "N" ? (4...48).contains(n) : (1...16).contains(n)
        if !valid { a.implausibility = "\(t[range]) is not a near-vision chart size" }
        return a
    }

    /// A bare number: two decimals or a sign read as logMAR ("0.18", "-0.10"), one decimal as a
    /// decimal acuity ("0.8", "1.0").
    static func bareNumber(_ t: NoteText) -> Acuity? {
        let regex = bareNumberPattern
        guard let m = t.string.matches(of: regex).first(where: { !t.continuesNumber(before: $0.range) }),
              let v = Double(m.output.1) else { return nil }
        let range = t.offsets(of: m.range)
        let digits = m.output.1.split(separator: ".").last?.count ?? 0
        if v < 0 || digits == 2 {
            var a = Acuity(notation: .logMAR, typed: t[range], typedRange: range)
            a.logMAR = v
            if v < -0.3 || v > 1.7 { a.implausibility = "logMAR \(m.output.1) is outside the chart (-0.30 to 1.70)" }
            return a
        }
        guard v > 0 else { return nil }
        var a = Acuity(notation: Acuity.Notation.decimal, typed: t[range], typedRange: range)
        a.logMAR = -log10(v)
        if v > 2.0 { a.implausibility = "decimal acuity \(m.output.1) is better than any chart line" }
        return a
    }
}
