import ClinicCore
import JSON
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsAskTheFourQuestions() {
        let p = ClinicPipeline(configuration: .default, answerer: nil)
        #expect(p.fieldIDs == ["drug.right", "drug.left", "acuity.right", "acuity.left", "iop.right", "iop.left", "review"])
        #expect(p.fields.compactMap(\.question) == [
            "What drug was injected into the right eye?", "What drug was injected into the left eye?",
            "What is the visual acuity of the right eye?", "What is the visual acuity of the left eye?",
        ])
        #expect(p.needsModel)
    }

    @Test func settingsApply() throws {
        let settings = try JSON.parse("""
            {"model": "/m", "modelThreads": 4, "noteSeparator": "line",
             "plugins": {"iop": false, "review": {"enabled": false}, "check.low-confidence": {"threshold": 0.25}},
             "questions": {"drug.right": "Which drug went into the right eye?"},
             "decode": {"nullThreshold": 1.5, "maxAnswerLength": 10}}
            """)
        let (c, problems) = ClinicConfiguration.parse(settings)
        #expect(problems.isEmpty)
        #expect(c.modelPath == "/m")
        #expect(c.modelThreads == 4)
        #expect(c.noteSeparator == .line)
        #expect(!c.isEnabled("iop") && !c.isEnabled("review") && c.isEnabled("drug"))
        #expect(c.pluginOverrides["check.low-confidence"]?.double("threshold") == 0.25)
        #expect(c.decode.nullThreshold == 1.5)
        #expect(c.decode.maxAnswerLength == 10)
        let p = ClinicPipeline(configuration: c, answerer: nil)
        #expect(p.fields.first?.question == "Which drug went into the right eye?")
        #expect(!p.fieldIDs.contains("iop.right"))
    }

    @Test func problemsNameTheirPathAndTheRestApplies() throws {
        let settings = try JSON.parse("""
            {"noteSeperator": "line", "modelThreads": "two", "noteSeparator": "paragraph",
             "plugins": {"iop": "off", "nope": true, "drug": {"colour": 1}, "check.acuity-drop": {"logMAR": 9},
                         "review": false},
             "questions": {"iop.right": "x", "acuity.left": 3},
             "fields": [{"id": "drug.right", "question": "q"}, {"id": "a b", "question": "q"},
                        {"id": "x", "question": "q", "pattern": "p"}, {"id": "y", "pattern": "("},
                        {"id": "z", "pattern": "a(b)", "group": 2}, {"id": "ok", "pattern": "CST (\\\\d+)"}],
             "decode": {"docStride": 0}}
            """)
        let (c, problems) = ClinicConfiguration.parse(settings)
        let expected = [
            "noteSeperator: unknown setting",
            "modelThreads: expected an integer from 1 to 64, found \"two\"",
            "noteSeparator: expected \"blankLine\" or \"line\", found \"paragraph\"",
            "plugins.iop: expected true, false or an object of options, found \"off\"",
            "plugins.nope: unknown plugin",
            "plugins.drug.colour: unknown option of plugin drug (known: enabled, rejectNonDrug, unknownMinScore, rejectNotGiven, markedMinScore, alternativeMinScore, requireEye)",
            "plugins.check.acuity-drop.logMAR: expected a number from 0.02 to 3, found 9",
            "questions.iop.right: no model-backed field \"iop.right\"",
            "questions.acuity.left: expected a non-empty question, found 3",
            "fields[0].id: field \"drug.right\" is already defined",
            "fields[1].id: expected a field id of letters, digits",
            "fields[2]: a field declares exactly one of \"question\" or \"pattern\"",
            "fields[3].pattern: invalid regular expression",
            "fields[4].group: expected a capture group number from 0 to 1, found 2",
            "decode.docStride: expected an integer from 8 to 256, found 0",
        ]
        for e in expected {
            #expect(problems.contains { $0.hasPrefix(e) }, "missing problem: \(e)\n\(problems.joined(separator: "\n"))")
        }
        #expect(problems.count == expected.count, "\(problems.joined(separator: "\n"))")
        #expect(!c.isEnabled("review"))
        #expect(c.isEnabled("iop"))
        #expect(c.configuredFields.map(\.id) == ["ok"])
        #expect(c.noteSeparator == .blankLine)
    }

    @Test func baseIsKeptForWhatIsNotSaid() {
        var base = ClinicConfiguration.default
        base.noteSeparator = .line
        let (c, problems) = ClinicConfiguration.parse(["plugins": ["iop": false]], base: base)
        #expect(problems.isEmpty)
        #expect(c.noteSeparator == .line)
        #expect(!c.isEnabled("iop"))
    }

    @Test func nonObjectSettings() {
        #expect(ClinicConfiguration.parse(.null).1.isEmpty)
        #expect(ClinicConfiguration.parse([1, 2]).1 == ["settings: expected object, found array"])
    }

    @Test func disablingTheModelPluginsMeansNoModelIsNeeded() {
        let (c, _) = ClinicConfiguration.parse(["plugins": ["drug": false, "acuity": false]])
        #expect(!ClinicPipeline(configuration: c, answerer: nil).needsModel)
    }

    @Test func everyRegisteredPluginHasAUniqueIdAndFields() {
        let ids = PluginRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        let fieldIDs = PluginRegistry.all.flatMap { $0.make($0.defaultSettings, .default).fields.map(\.id) }
        #expect(Set(fieldIDs).count == fieldIDs.count)
        for d in PluginRegistry.all { #expect(d.make(d.defaultSettings, .default).id == d.id) }
    }
}
