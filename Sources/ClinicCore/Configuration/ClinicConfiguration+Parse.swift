import Foundation
import JSON
import QAEngine

extension ClinicConfiguration {
    /// Reads a settings object (from .clinic-lsp.json, initializationOptions or
    /// didChangeConfiguration) on top of `base`. Unknown or wrongly typed settings are reported as
    /// problems, each naming its JSON path, and skipped; the rest applies.
    ///
    ///     {"model": "/path/to/model", "modelThreads": 2, "precision": "int8" | "fp32", "noteSeparator": "blankLine" | "line",
    ///      "plugins": {"iop": false, "check.low-confidence": {"threshold": 0.4}},
    ///      "questions": {"drug.right": "Which drug went into the right eye?"},
    ///      "fields": [{"id": "lens", "label": "Lens", "question": "What is the lens status?"},
    ///                 {"id": "cst", "label": "CST", "pattern": "CST\\s*(\\d+)"}],
    ///      "decode": {"nullThreshold": 0, "maxAnswerLength": 15},
    ///      "patientHeader": "^Bay \\d+:"}
    public static func parse(_ settings: JSON, base: ClinicConfiguration = .default) -> (ClinicConfiguration, [String]) {
        var config = base
        var problems: [String] = []
        let root = JSONReader(settings)
        guard let members = try? root.object() else {
            if !settings.isNull { problems.append("settings: expected object, found \(settings.typeName)") }
            return (config, problems)
        }
        // Fields first: questions may name a field declared in the same settings.
        let ordered = members.filter { $0.key == "fields" } + members.filter { $0.key != "fields" }
        for (key, value) in ordered {
            switch key {
            case "model":
                if value.isMissing { config.modelPath = nil }
                else if let s = value.value.stringValue, !s.isEmpty { config.modelPath = s }
                else { problems.append(describe(value, "a model directory path (string) or null")) }
            case "modelThreads":
                if let n = value.value.intValue, (1...64).contains(n) { config.modelThreads = n }
                else { problems.append(describe(value, "an integer from 1 to 64")) }
            case "precision":
                if let s = value.value.stringValue, let p = Precision(rawValue: s) { config.modelPrecision = p }
                else { problems.append(describe(value, "\"int8\" or \"fp32\"")) }
            case "noteSeparator":
                if let s = value.value.stringValue, let sep = NoteSeparator(rawValue: s) { config.noteSeparator = sep }
                else { problems.append(describe(value, "\"blankLine\" or \"line\"")) }
            case "plugins": parsePlugins(value, into: &config, problems: &problems)
            case "questions": parseQuestions(value, into: &config, problems: &problems)
            case "fields": parseFields(value, into: &config, problems: &problems)
            case "decode": parseDecode(value, into: &config, problems: &problems)
            case "patientHeader":
                if value.isMissing || value.value.isNull { config.patientHeader = nil; break }
                guard let p = value.value.stringValue, !p.isEmpty else {
                    problems.append(describe(value, "a regular expression (string) or null"))
                    break
                }
                // Compiled once, here, as configured field patterns are: an invalid pattern is reported and ignored.
                do { config.patientHeader = try BoundedRegex(p, caseSensitive: false) } catch {
                    problems.append("\(value.path): \(error)")
                }
            default: problems.append("\(value.path): unknown setting")
            }
        }
        return (config, problems)
    }

    static func describe(_ r: JSONReader, _ expected: String) -> String {
        let found: String
        switch r.value {
        case .string(let s): found = "\"\(s)\""
        case .int, .double, .bool: found = r.value.serialized()
        default: found = r.value.typeName
        }
        return "\(r.path): expected \(expected), found \(found)"
    }

    static func parsePlugins(_ r: JSONReader, into config: inout ClinicConfiguration, problems: inout [String]) {
        guard let members = try? r.object() else { problems.append(describe(r, "an object keyed by plugin id")); return }
        for (id, value) in members {
            guard let d = PluginRegistry.descriptor(id) else {
                let known = PluginRegistry.all.map(\.id).joined(separator: ", ")
                problems.append("\(value.path): unknown plugin (known: \(known))")
                continue
            }
            var settings = config.settings(for: d)
            if let b = value.value.boolValue {
                settings.enabled = b
            } else if let options = try? value.object() {
                for (key, option) in options {
                    if key == "enabled" {
                        if let b = option.value.boolValue { settings.enabled = b }
                        else { problems.append(describe(option, "a boolean")) }
                        continue
                    }
                    guard let spec = d.options.first(where: { $0.key == key }) else {
                        let known = (["enabled"] + d.options.map(\.key)).joined(separator: ", ")
                        problems.append("\(option.path): unknown option of plugin \(id) (known: \(known))")
                        continue
                    }
                    switch spec.kind {
                    case .bool:
                        if let b = option.value.boolValue { settings.options[key] = .bool(b) }
                        else { problems.append(describe(option, "a boolean")) }
                    case .string:
                        if let s = option.value.stringValue { settings.options[key] = .string(s) }
                        else { problems.append(describe(option, "a string")) }
                    case .number(let range):
                        if let x = option.value.doubleValue, range.contains(x) { settings.options[key] = .double(x) }
                        else { problems.append(describe(option, "a number from \(fmt(range.lowerBound)) to \(fmt(range.upperBound))")) }
                    }
                }
            } else {
                problems.append(describe(value, "true, false or an object of options"))
                continue
            }
            config.pluginOverrides[id] = settings
        }
    }

    static func fmt(_ x: Double) -> String { Int(exactly: x).map { String($0) } ?? String(x) }

    /// Field ids the built-in plugins fill in, with their default questions (nil for pattern fields).
    static var builtInFields: [FieldSpec] {
        PluginRegistry.all.flatMap { $0.make($0.defaultSettings, ClinicConfiguration()).fields }
    }

    static func parseQuestions(_ r: JSONReader, into config: inout ClinicConfiguration, problems: inout [String]) {
        guard let members = try? r.object() else { problems.append(describe(r, "an object from field id to question")); return }
        let modelBacked = builtInFields.filter(\.isModelBacked).map(\.id)
            + config.configuredFields.filter { if case .question = $0.source { return true } else { return false } }.map(\.id)
        for (id, value) in members {
            guard modelBacked.contains(id) else {
                problems.append("\(value.path): no model-backed field \"\(id)\" (known: \(modelBacked.joined(separator: ", ")))")
                continue
            }
            guard let q = value.value.stringValue, !q.trimmingCharacters(in: .whitespaces).isEmpty else {
                problems.append(describe(value, "a non-empty question"))
                continue
            }
            config.questions[id] = q
        }
    }

    static func parseFields(_ r: JSONReader, into config: inout ClinicConfiguration, problems: inout [String]) {
        guard let items = try? r.array() else { problems.append(describe(r, "an array of field declarations")); return }
        var fields: [ConfiguredField] = []
        var taken = Set(builtInFields.map(\.id))
        for item in items {
            guard (try? item.object()) != nil else { problems.append(describe(item, "an object")); continue }
            let allowed: Set<String> = ["id", "label", "question", "pattern", "group", "caseSensitive"]
            for (key, v) in (try? item.object()) ?? [] where !allowed.contains(key) {
                problems.append("\(v.path): unknown member of a field declaration (known: id, label, question, pattern, group, caseSensitive)")
            }
            guard let id = item["id"].value.stringValue, isValidFieldID(id) else {
                problems.append(describe(item["id"], "a field id of letters, digits, \".\", \"-\" or \"_\""))
                continue
            }
            guard !taken.contains(id) else { problems.append("\(item["id"].path): field \"\(id)\" is already defined"); continue }
            let label: String
            if item["label"].isMissing { label = id }
            else if let s = item["label"].value.stringValue { label = s }
            else { problems.append(describe(item["label"], "a string")); continue }
            let question = item["question"], pattern = item["pattern"]
            switch (question.isMissing, pattern.isMissing) {
            case (false, true):
                guard let q = question.value.stringValue, !q.isEmpty else { problems.append(describe(question, "a non-empty question")); continue }
                fields.append(ConfiguredField(id: id, label: label, source: .question(q)))
            case (true, false):
                guard let p = pattern.value.stringValue else { problems.append(describe(pattern, "a regular expression (string)")); continue }
                let caseSensitive: Bool
                if item["caseSensitive"].isMissing { caseSensitive = false }
                else if let b = item["caseSensitive"].value.boolValue { caseSensitive = b }
                else { problems.append(describe(item["caseSensitive"], "a boolean")); continue }
                // Compiled once, here: an invalid pattern is this field's problem, never the server's.
                let regex: BoundedRegex
                do { regex = try BoundedRegex(p, caseSensitive: caseSensitive) } catch {
                    problems.append("\(pattern.path): \(error)")
                    continue
                }
                var group: Int?
                if !item["group"].isMissing {
                    let groups = regex.captureCount
                    guard let g = item["group"].value.intValue, (0...groups).contains(g) else {
                        problems.append(describe(item["group"], "a capture group number from 0 to \(groups)"))
                        continue
                    }
                    group = g
                }
                fields.append(ConfiguredField(id: id, label: label, source: .pattern(regex, group: group)))
            default:
                problems.append("\(item.path): a field declares exactly one of \"question\" or \"pattern\"")
                continue
            }
            taken.insert(id)
        }
        config.configuredFields = fields
    }

    static func isValidFieldID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ShorthandLexer.isDigit($0))) || $0 == "." || $0 == "-" || $0 == "_"
        }
    }

    static func parseDecode(_ r: JSONReader, into config: inout ClinicConfiguration, problems: inout [String]) {
        guard let members = try? r.object() else { problems.append(describe(r, "an object")); return }
        for (key, v) in members {
            switch key {
            case "nullThreshold":
                if let x = v.value.doubleValue, x.isFinite, abs(x) <= 100 { config.decode.nullThreshold = Float(x) }
                else { problems.append(describe(v, "a number from -100 to 100")) }
            case "maxAnswerLength":
                if let n = v.value.intValue, (1...64).contains(n) { config.decode.maxAnswerLength = n }
                else { problems.append(describe(v, "an integer from 1 to 64")) }
            case "maxSequenceLength":
                if let n = v.value.intValue, (32...512).contains(n) { config.decode.maxSequenceLength = n }
                else { problems.append(describe(v, "an integer from 32 to 512")) }
            case "docStride":
                if let n = v.value.intValue, (8...256).contains(n) { config.decode.docStride = n }
                else { problems.append(describe(v, "an integer from 8 to 256")) }
            case "alternatives":
                if let n = v.value.intValue, (0...16).contains(n) { config.decode.alternatives = n }
                else { problems.append(describe(v, "an integer from 0 to 16")) }
            default:
                problems.append("\(v.path): unknown setting (known: nullThreshold, maxAnswerLength, maxSequenceLength, docStride, alternatives)")
            }
        }
        if config.decode.docStride >= config.decode.maxSequenceLength {
            problems.append("\(r.path).docStride: must be smaller than maxSequenceLength")
            config.decode.docStride = min(128, config.decode.maxSequenceLength / 2)
        }
    }
}
