/// `review`: when the patient is to be seen again. Clinic shorthand writes intervals as fractions
/// of a year, month or week: "4/52" four weeks, "3/12" three months, "2/7" two days; or in words
/// after a review cue: "rev 6 wks", "RTC 4 weeks", "f/u in 3 months", "review 4-6 weeks".
public struct ReviewPlugin: ClinicPlugin {
    public static let descriptor = PluginDescriptor(
        id: "review",
        summary: "Review interval (\"4/52\", \"3/12\", \"2/7\", \"rev 6 wks\", \"RTC 4 weeks\").",
        make: { _, _ in ReviewPlugin() })

    public typealias Unit = IntervalValue.Unit

    static let cues: Set<String> = ["rev", "review", "rv", "rtc", "fu", "followup", "recall", "appt", "return", "see", "next"]
    /// Words that make a fraction a duration of history rather than a review: before ("x 2/52",
    /// "for 3/7") or after it ("2/52 ago", "3/12 hx").
    static let historyCuesBefore: Set<String> = ["for", "x", "since", "over", "past", "last"]
    static let historyCuesAfter: Set<String> = ["ago", "hx", "history", "hist"]
    static let unitWords: [String: Unit] = [
        "d": .days, "day": .days, "days": .days, "dys": .days,
        "w": .weeks, "wk": .weeks, "wks": .weeks, "week": .weeks, "weeks": .weeks, "weekly": .weeks,
        "m": .months, "mo": .months, "mos": .months, "mth": .months, "mths": .months, "month": .months, "months": .months,
        "y": .years, "yr": .years, "yrs": .years, "year": .years, "years": .years,
    ]
    static let numberWords: [String: Double] = [
        "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12,
    ]
    static let fractionUnits: [Double: Unit] = [52: .weeks, 12: .months, 7: .days]
    /// The longest interval read as a review (100 years); a longer one ("rev 99999999999999999999 wks")
    /// is no review at all, and would not fit the whole number of days the finding carries.
    static let longestIntervalDays = 36_525.0

    public let fields = [FieldSpec(id: "review", label: "Review in")]

    struct Interval { var range: Range<Int>; var value: Double; var upTo: Double?; var unit: Unit; var cued: Bool }

    public func analyze(context: NoteContext) -> PluginOutput {
        let intervals = Self.intervals(in: context.tokens)
        guard let best = intervals.first(where: \.cued) ?? intervals.first else { return PluginOutput() }
        let amount = best.upTo.map { "\(Self.fmt(best.value))-\(Self.fmt($0)) \(best.unit.rawValue)" }
            ?? "\(Self.fmt(best.value)) \(best.unit.name(best.value))"
        let field = fields[0]
        return PluginOutput(findings: [Finding(field: field.id, label: field.label, range: best.range,
                                               text: context.text[best.range],
                                               value: .interval(IntervalValue(value: best.value, upTo: best.upTo, unit: best.unit)),
                                               summary: amount, hint: "review \(amount)", score: 1)])
    }

    /// Every interval in the note, in order. "x/12" counts only next to a review cue, because
    /// "6/12" alone is an acuity; "x/52" and "x/7" count unless they are a duration of history ("x 2/52").
    static func intervals(in t: [ShorthandToken]) -> [Interval] {
        var out: [Interval] = []
        var i = 0
        while i < t.count {
            let cued = cueBefore(t, i)
            if let n = t[i].number, i + 2 < t.count, t[i + 1].isSymbol("/"), let d = t[i + 2].number,
               adjacent(t, i, i + 2), let unit = fractionUnits[d],
               !(i + 3 < t.count && t[i + 3].isSymbol("/")), !(i > 0 && t[i - 1].isSymbol("/")),
               n > 0, n == n.rounded(), plausible(n, unit) {
                let cuedAfter = i + 3 < t.count && t[i + 3].word.map(cues.contains) == true
                let history = !cued && ((i > 0 && t[i - 1].word.map(historyCuesBefore.contains) == true)
                    || (i + 3 < t.count && t[i + 3].word.map(historyCuesAfter.contains) == true))
                if !history, unit != .months || cued || cuedAfter {
                    out.append(Interval(range: t[i].range.lowerBound..<t[i + 2].range.upperBound, value: n, upTo: nil,
                                        unit: unit, cued: cued || cuedAfter))
                    i += 3
                    continue
                }
            }
            if cued, let n = t[i].number ?? t[i].word.flatMap({ numberWords[$0] }), n > 0 {
                var j = i + 1
                var upTo: Double?
                if j + 1 < t.count, t[j].isSymbol("-") || t[j].word == "to", let m = t[j + 1].number, m > n {
                    upTo = m
                    j += 2
                }
                if j < t.count, let w = t[j].word, let unit = unitWords[w], plausible(upTo ?? n, unit) {
                    out.append(Interval(range: t[i].range.lowerBound..<t[j].range.upperBound, value: n, upTo: upTo,
                                        unit: unit, cued: true))
                    i = j + 1
                    continue
                }
            }
            i += 1
        }
        return out
    }

    /// A review cue within the three tokens before `i` on the same line ("rev", "RTC", "f/u in", "review in").
    static func cueBefore(_ t: [ShorthandToken], _ i: Int) -> Bool {
        var k = i - 1
        var seen = 0
        while k >= 0, seen < 4, !t[k].isLineBreak {
            if let w = t[k].word {
                if cues.contains(w) { return true }
                // "f/u" and "r/v"
                if (w == "u" || w == "v"), k >= 2, t[k - 1].isSymbol("/"), t[k - 2].word == (w == "u" ? "f" : "r") { return true }
            }
            k -= 1
            seen += 1
        }
        return false
    }

    static func adjacent(_ t: [ShorthandToken], _ a: Int, _ b: Int) -> Bool {
        t[b].range.lowerBound - t[a].range.upperBound <= 3
    }

    static func plausible(_ n: Double, _ unit: Unit) -> Bool { n * unit.days <= longestIntervalDays }

    static func fmt(_ x: Double) -> String { Int(exactly: x).map { String($0) } ?? String(x) }
}
