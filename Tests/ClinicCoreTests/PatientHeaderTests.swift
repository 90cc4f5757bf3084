import ClinicCore
import Testing

@Suite struct PatientHeaderTests {
    func header(_ note: String, configured: BoundedRegex? = nil) -> PatientHeader? {
        let text = NoteText(note)
        return PatientHeaderReader(configured: configured).header(in: text, tokens: ShorthandLexer.tokens(text.scalars))
    }

    @Test(arguments: [
        ("NHS no 943 218 7765\nR) eylea", "nhs:9432187765", "NHS no 943 218 7765"),
        ("NHS: 943-218-7765", "nhs:9432187765", "NHS: 943-218-7765"),
        ("Hosp no RX448213", "hosp:rx448213", "Hosp no RX448213"),
        ("Hospital number: 0012345", "hosp:0012345", "Hospital number: 0012345"),
        ("MRN 4471902", "mrn:4471902", "MRN 4471902"),
        ("Patient: HOLLOWAY, Peter  MRN 4471902", "mrn:4471902", "Patient: HOLLOWAY, Peter  MRN 4471902"),
        ("Name: Joan Whitfield\nVA R 6/9", "name:joan whitfield", "Name: Joan Whitfield"),
        ("Patient: Joan Whitfield, DOB 14/07/1941", "name:joan whitfield|dob:1941-07-14", "Patient: Joan Whitfield, DOB 14/07/1941"),
        ("DOB 14/07/1941", "dob:1941-07-14", "DOB 14/07/1941"),
        ("D.O.B. 14.07.1941", "dob:1941-07-14", "D.O.B. 14.07.1941"),
        ("Date of birth: 1941-07-14", "dob:1941-07-14", "Date of birth: 1941-07-14"),
        ("Re: Mr Anton Keller, born 07.06.1947", "dob:1947-06-07", "Re: Mr Anton Keller, born 07.06.1947"),
    ])
    func recognisesEachHeaderForm(note: String, key: String, text: String) throws {
        let h = try #require(header(note), "\(note)")
        #expect(h.key == key)
        #expect(h.text == text)
        #expect(h.range == 0..<text.unicodeScalars.count)
    }

    @Test func consecutiveHeaderLinesAreOneHeader() throws {
        let note = "R) eylea\nName: Joan Whitfield\nNHS 9432187765\nVA R 6/9"
        let h = try #require(header(note))
        #expect(h.text == "Name: Joan Whitfield\nNHS 9432187765")
        #expect(h.key == "nhs:9432187765")
        #expect(h.range == 9..<44)
    }

    @Test(arguments: ["Patient declined lucentis", "Name the drug given", "Pt: declined injection", "R) eylea 2mg", "NHS number not known",
                      "MRN pending", "DOB not given", "VA R 6/9 L 6/12 IOP 14/16 rev 4/52", "Hosp RX448213",
                      "NHS 99999999999999999999999"])
    func ordinaryLinesAreNoHeader(note: String) {
        #expect(header(note) == nil, "\(note)")
    }

    @Test func aConfiguredHeadingIsAHeader() throws {
        let regex = try BoundedRegex("^Bay \\d+:", caseSensitive: false)
        let h = try #require(header("bay 4: Mrs Smith\nR) eylea", configured: regex))
        #expect(h.text == "bay 4: Mrs Smith")
        #expect(h.key == "heading:bay 4 mrs smith")
        #expect(header("R) eylea in bay 4:", configured: regex) == nil)
    }

    @Test func configuredHeadingIsValidatedWithTheSettings() throws {
        let (bad, problems) = ClinicConfiguration.parse(["patientHeader": "Bay ("])
        #expect(bad.patientHeader == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("patientHeader: invalid regular expression") == true, "\(problems)")
        let (wrongType, typeProblems) = ClinicConfiguration.parse(["patientHeader": 3])
        #expect(wrongType.patientHeader == nil)
        #expect(typeProblems == ["patientHeader: expected a regular expression (string) or null, found 3"])
        let (good, none) = ClinicConfiguration.parse(["patientHeader": "^Bed \\d+"])
        #expect(none.isEmpty)
        #expect(good.patientHeader?.pattern == "^Bed \\d+")
    }

    @Test func visitDateIsTodaysLineElseTheLatestDatedLine() {
        func date(_ note: String) -> String? {
            let text = NoteText(note)
            return PatientHeaderReader(configured: nil).visit(in: text, tokens: ShorthandLexer.tokens(text.scalars)).date?.description
        }
        #expect(date("12/03/24 R) eylea 2mg") == "2024-03-12")
        #expect(date("Date of visit: 2024-03-12\nR) eylea") == "2024-03-12")
        #expect(date("Seen 12/03/24\nR) eylea") == "2024-03-12")
        #expect(date("01/02/24 L avastin\n12/03/24 (today) L eylea\n05/01/24 L avastin") == "2024-03-12")
        #expect(date("01/02/24 L avastin\n12/03/24 L eylea") == "2024-03-12", "the latest row")
        #expect(date("Name: Joan Whitfield DOB 14/07/1941\nR) eylea") == nil, "a date of birth is no visit")
        #expect(date("R) eylea, next appt 12/05/24") == nil, "a date within a sentence is none")
        #expect(date("R) eylea given today") == nil)
        #expect(date("99/99/99 R) eylea") == nil)
    }
}
