import ClinicCore
import Testing

@Suite struct VisitDateTests {
    func dates(_ s: String) -> [String] {
        let scalars = Array(s.unicodeScalars)
        return VisitDate.dates(in: scalars, 0..<scalars.count).map(\.date.description)
    }

    @Test func readsUKDayFirstISOAndDottedDates() {
        #expect(dates("seen 12/03/24") == ["2024-03-12"])
        #expect(dates("2024-03-12 clinic") == ["2024-03-12"])
        #expect(dates("12.03.2024") == ["2024-03-12"])
        #expect(dates("1-2-2025") == ["2025-02-01"])
    }

    @Test func aMonthPastTwelveReadsTheUSWay() {
        #expect(dates("DOB 4/17/1958") == ["1958-04-17"])
        #expect(dates("03/04/2024") == ["2024-04-03"], "day first when both readings are dates")
    }

    @Test func hostileAndNonDateNumbersAreNoDate() {
        #expect(dates("99/99/99").isEmpty)
        #expect(dates("31/02/2024").isEmpty)
        #expect(dates("29/02/2023").isEmpty)
        #expect(dates("29/02/2024") == ["2024-02-29"])
        #expect(dates("99999999999999999999/12/2024").isEmpty)
        #expect(dates("12/03/99999999999999999999").isEmpty)
        #expect(dates("rev 4/52, VA 6/12, IOP 14/16").isEmpty)
        #expect(dates("1/2/3/4").isEmpty)
        #expect(dates("12/03/2024/5").isEmpty)
        #expect(dates("0/0/0000").isEmpty)
        #expect(dates("").isEmpty)
    }

    @Test func daysBetweenDates() throws {
        let a = try #require(VisitDate(year: 2024, month: 2, day: 1))
        let b = try #require(VisitDate(year: 2024, month: 3, day: 1))
        #expect(a.days(until: b) == 29)
        #expect(b.days(until: a) == -29)
        #expect(a < b)
        #expect(a.display == "01/02/2024")
        #expect(VisitDate(year: 2024, month: 13, day: 1) == nil)
        #expect(VisitDate(year: Int.max, month: 1, day: 1) == nil)
    }
}
