import ClinicCore
import Foundation
import JSON
import Testing

/// Configured pattern fields on PCRE2 (issue 12): invalid patterns are a configuration problem for that
/// field only, runaway ones are cut off per note, and offsets are Unicode scalars whatever comes before.
@Suite struct ConfiguredPatternLimitTests {
    func configuration(_ fields: JSON) -> (ClinicConfiguration, [String]) {
        ClinicConfiguration.parse(["fields": fields, "plugins": ["drug": false, "acuity": false]])
    }

    @Test(arguments: [("CST [0-9", "missing terminating ]"), ("CST (\\d+", "missing closing parenthesis"),
                      ("a{2,1}", "out of order"), ("(?<n>a)(?<n>b)", "same name")])
    func anInvalidPatternIsNamedWithOffsetAndDisablesOnlyItsField(pattern: String, reason: String) throws {
        let (config, problems) = configuration([
            ["id": "bad", "pattern": .string(pattern)], ["id": "cst", "pattern": "CST (\\d+)"],
        ])
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.hasPrefix("fields[0].pattern: invalid regular expression \"\(pattern)\" at character "), "\(problem)")
        #expect(problem.contains(reason), "\(problem)")
        #expect(config.configuredFields.map(\.id) == ["cst"])
        #expect(try analyzeOne("CST 301", configuration: config).finding("cst")?.text == "301")
    }

    @Test func theOffsetIsInCharactersOfThePattern() throws {
        let (_, problems) = configuration([["id": "bad", "pattern": "é😀(x"]])
        #expect(problems.first?.contains("at character 4:") == true, "\(problems)")
    }

    @Test func nestedQuantifiersOnEighteenLettersFinishQuickly() throws {
        let (config, problems) = configuration([["id": "aa", "pattern": "(a+)+$"]])
        #expect(problems.isEmpty)
        let started = Date()
        let a = try analyzeOne(String(repeating: "a", count: 18) + "b", configuration: config)
        #expect(Date().timeIntervalSince(started) < 1, "took \(Date().timeIntervalSince(started)) s (15 s on Swift Regex)")
        #expect(a.finding("aa") == nil)
    }

    @Test func aRunawayMatchLosesItsFieldOnThatNoteWithAWarning() throws {
        let (config, _) = configuration([["id": "aa", "label": "AA", "pattern": "(a+)+$"], ["id": "cst", "pattern": "CST (\\d+)"]])
        let started = Date()
        let a = try analyzeOne("CST 288 " + String(repeating: "a", count: 40) + "b", configuration: config)
        #expect(Date().timeIntervalSince(started) < 2)
        print("runaway pattern cut off after \(Int(Date().timeIntervalSince(started) * 1000)) ms")
        #expect(a.finding("aa") == nil)
        #expect(a.finding("cst")?.text == "288", "the note's other fields stand")
        let warning = try #require(a.diagnostics.first { $0.code == "aa" })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("AA: the pattern reached PCRE2's"), "\(warning.message)")
        #expect(try analyzeOne("aaa", configuration: config).finding("aa")?.text == "aaa", "the field still works on other notes")
    }

    @Test func offsetsAreScalarsAfterAccentsAndEmoji() throws {
        let (config, _) = configuration([["id": "cst", "pattern": "CST\\s*(\\d+)"]])
        // precomposed é (2 bytes, 1 scalar), decomposed e + U+0301 (2 scalars), 😀 (4 bytes), a flag (2 scalars)
        let prefix = "café cafe\u{301} 😀 🇬🇧 "
        let a = try analyzeOne(prefix + "CST 312", configuration: config)
        let f = try #require(a.finding("cst"))
        let start = prefix.unicodeScalars.count + 4
        #expect(f.range == start..<(start + 3))
        #expect(f.text == "312")
    }

    @Test func caselessMatchingFollowsUnicode() throws {
        let (config, _) = configuration([["id": "lens", "pattern": "lentille (\\w+)"], ["id": "oct", "pattern": "ÉPAISSEUR (\\d+)"]])
        let a = try analyzeOne("LENTILLE claire, épaisseur 250", configuration: config)
        #expect(a.finding("lens")?.text == "claire")
        #expect(a.finding("oct")?.text == "250")
    }
}
