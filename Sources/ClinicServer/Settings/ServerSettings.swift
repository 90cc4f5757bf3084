import ClinicCore
import JSON

public enum HintStyle: String, Sendable, CaseIterable {
    /// The plugin's short hint ("L", "R logMAR 0.18").
    case short
    /// The field label and the normalised value ("Left eye drug: Eylea (aflibercept)").
    case full
    case off
}

public enum TraceLevel: String, Sendable, CaseIterable, Comparable {
    case off, messages, verbose
    public static func < (a: TraceLevel, b: TraceLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Settings the server itself uses; everything else in the settings object belongs to the clinic
/// configuration and is handed to the engine factory untouched.
public struct ServerSettings: Sendable, Equatable {
    public var debounceMilliseconds = 60
    public var hintStyle = HintStyle.short
    public var summaryFormat = SummaryFormat.line
    public var trace = TraceLevel.off
    /// While the results are older than the text, serve them moved through the edits, without the
    /// findings an edit touched (the word being typed), instead of analysing on each keystroke.
    public var holdBackWhileTyping = true

    public init() {}

    static let keys: Set<String> = ["debounceMs", "hintStyle", "summaryFormat", "trace", "holdBackWhileTyping"]

    /// Reads the server keys of a settings section; returns the settings, the section without the
    /// server keys (the clinic configuration) and one problem per bad value. Bad values keep their default.
    public static func parse(_ section: JSON, path: String) -> (ServerSettings, clinic: JSON, problems: [String]) {
        var settings = ServerSettings()
        var problems: [String] = []
        guard case .object(var object) = section else { return (settings, .object(JSONObject()), problems) }
        let r = JSONReader(section, path: path)
        func read<T>(_ key: String, _ body: (JSONReader) throws -> T?) -> T? {
            do { return try body(r[key]) } catch let e as JSONTypeError { problems.append(e.description) } catch {}
            return nil
        }
        func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) -> E? where E.RawValue == String {
            read(key) { field in
                guard let raw = try field.optionalString() else { return nil }
                guard let value = E(rawValue: raw) else {
                    let allowed = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                    throw field.fail("expected one of \(allowed), found \"\(raw)\"")
                }
                return value
            }
        }
        if let ms = read("debounceMs", { field -> Int? in
            guard let ms = try field.optionalInt() else { return nil }
            guard (0...10_000).contains(ms) else { throw field.fail("expected 0 to 10000 milliseconds, found \(ms)") }
            return ms
        }) { settings.debounceMilliseconds = ms }
        if let v = choice("hintStyle", HintStyle.self) { settings.hintStyle = v }
        if let v = choice("summaryFormat", SummaryFormat.self) { settings.summaryFormat = v }
        if let v = choice("trace", TraceLevel.self) { settings.trace = v }
        if let v = read("holdBackWhileTyping", { try $0.optionalBool() }) { settings.holdBackWhileTyping = v }
        for key in keys { object[key] = nil }
        return (settings, .object(object), problems)
    }
}

enum SettingsJSON {
    /// The clinic section of a settings payload: the `clinic` member when there is one, else the
    /// whole object (editors differ in how they nest server settings).
    static func section(_ settings: JSON) -> JSON {
        if case .object = settings["clinic"] { return settings["clinic"] }
        if case .object = settings { return settings }
        return .object(JSONObject())
    }

    /// Members of `overlay` replace those of `base`; objects merge recursively.
    static func merge(_ base: JSON, _ overlay: JSON) -> JSON {
        guard case .object(var merged) = base, case .object(let top) = overlay else {
            return overlay.isNull ? base : overlay
        }
        for (key, value) in top { merged[key] = merge(merged[key] ?? .null, value) }
        return .object(merged)
    }
}
