/// A calendar date a note gives: UK order, day/month/year ("12/03/24", "12.03.2024"), or ISO
/// year-month-day ("2024-03-12"). A day-first reading that is no date but reads as month/day/year
/// ("4/17/1958") is taken the US way. Every number is read from at most four digits and checked
/// against the calendar, so "99/99/99" or a run of digits is no date, never a trap.
public struct VisitDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// yyyymmdd in four bytes: every note's analysis carries one.
    private let packed: Int32

    public var year: Int { Int(packed / 10_000) }
    public var month: Int { Int(packed / 100 % 100) }
    public var day: Int { Int(packed % 100) }

    /// Nil unless the three numbers are a day of the Gregorian calendar between 1900 and 2199.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2199).contains(year), (1...12).contains(month), day >= 1,
              day <= Self.daysIn(month: month, year: year), let packed = Int32(exactly: year * 10_000 + month * 100 + day)
        else { return nil }
        self.packed = packed
    }

    public static func < (a: VisitDate, b: VisitDate) -> Bool { a.packed < b.packed }

    /// "2024-03-12".
    public var description: String { "\(year)-\(Self.two(month))-\(Self.two(day))" }

    /// "12/03/2024", as a UK clinic writes it.
    public var display: String { "\(Self.two(day))/\(Self.two(month))/\(year)" }

    /// Days from `self` to `later` (negative when `later` is earlier).
    public func days(until later: VisitDate) -> Int { later.dayNumber - dayNumber }

    /// Days since 1 March of year 0 (proleptic Gregorian), for differences.
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let m = month <= 2 ? month + 9 : month - 3
        return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day - 1
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Every date in `scalars[range]`, in order, with where it is: three runs of one to four digits
    /// joined by the same separator ("/", "." or "-"), not part of a longer number or fraction.
    public static func dates(in scalars: [Unicode.Scalar], _ range: Range<Int>) -> [(date: VisitDate, range: Range<Int>)] {
        var out: [(VisitDate, Range<Int>)] = []
        let r = range.clamped(to: 0..<scalars.count)
        var i = r.lowerBound
        while i < r.upperBound {
            guard isDigit(scalars[i]), i == r.lowerBound || !continuesNumber(scalars[i - 1]) else { i += 1; continue }
            if let (date, end) = date(at: i, scalars, limit: r.upperBound) {
                out.append((date, i..<end))
                i = end
            } else {
                while i < r.upperBound, isDigit(scalars[i]) { i += 1 }
            }
        }
        return out
    }

    /// The date starting at `start`, and the offset just past it.
    static func date(at start: Int, _ s: [Unicode.Scalar], limit: Int) -> (VisitDate, Int)? {
        guard let (a, aDigits, afterA) = digits(s, start, limit), afterA < limit else { return nil }
        let sep = s[afterA]
        guard sep == "/" || sep == "." || sep == "-",
              let (b, bDigits, afterB) = digits(s, afterA + 1, limit), afterB < limit, s[afterB] == sep,
              let (c, cDigits, end) = digits(s, afterB + 1, limit) else { return nil }
        // Not a piece of something longer: "1/2/3/4", "12.03.2024.5".
        if end < limit, isDigit(s[end]) || (s[end] == sep && end + 1 < limit && isDigit(s[end + 1])) { return nil }
        if aDigits == 4 {
            guard bDigits <= 2, cDigits <= 2, let d = VisitDate(year: a, month: b, day: c) else { return nil }
            return (d, end)
        }
        guard aDigits <= 2, bDigits <= 2, cDigits == 2 || cDigits == 4 else { return nil }
        let year = cDigits == 4 ? c : (c < 50 ? 2000 + c : 1900 + c)
        if let d = VisitDate(year: year, month: b, day: a) { return (d, end) }
        if let d = VisitDate(year: year, month: a, day: b) { return (d, end) }
        return nil
    }

    /// One to four digits at `i` as a number, how many, and the offset after them; nil for none or
    /// for more than four (no part of a date).
    static func digits(_ s: [Unicode.Scalar], _ i: Int, _ limit: Int) -> (Int, Int, Int)? {
        var j = i
        var value = 0
        while j < limit, isDigit(s[j]) {
            guard j - i < 4 else { return nil }
            value = value * 10 + Int(s[j].value - 48)
            j += 1
        }
        return j > i ? (value, j - i, j) : nil
    }

    static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    static func continuesNumber(_ c: Unicode.Scalar) -> Bool { isDigit(c) || c == "/" || c == "." }
}
