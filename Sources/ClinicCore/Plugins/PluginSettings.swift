import JSON

/// An option a plugin accepts in `plugins.<id>`, with its type and default.
public struct PluginOption: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number(ClosedRange<Double>)
        case bool
        case string
    }
    public var key: String
    public var kind: Kind
    public var defaultValue: JSON
    public var help: String
    public init(key: String, kind: Kind, defaultValue: JSON, help: String) {
        self.key = key
        self.kind = kind
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// A plugin's effective settings: whether it runs and its option values (every declared option
/// present, defaults filled in).
public struct PluginSettings: Sendable, Equatable {
    public var enabled: Bool
    public var options: [String: JSON]
    public init(enabled: Bool, options: [String: JSON]) {
        self.enabled = enabled
        self.options = options
    }

    public func double(_ key: String) -> Double? { options[key]?.doubleValue }
    public func bool(_ key: String) -> Bool? { options[key]?.boolValue }
    public func string(_ key: String) -> String? { options[key]?.stringValue }
}

/// How the registry knows a plugin: its id (also its configuration key), whether it runs unless
/// configured otherwise, its options, and how to build it.
public struct PluginDescriptor: Sendable {
    public var id: String
    public var summary: String
    public var enabledByDefault: Bool
    public var options: [PluginOption]
    public var make: @Sendable (PluginSettings, ClinicConfiguration) -> any ClinicPlugin

    public init(id: String, summary: String, enabledByDefault: Bool = true, options: [PluginOption] = [],
                make: @escaping @Sendable (PluginSettings, ClinicConfiguration) -> any ClinicPlugin) {
        self.id = id
        self.summary = summary
        self.enabledByDefault = enabledByDefault
        self.options = options
        self.make = make
    }

    public var defaultSettings: PluginSettings {
        PluginSettings(enabled: enabledByDefault,
                       options: Dictionary(uniqueKeysWithValues: options.map { ($0.key, $0.defaultValue) }))
    }
}

/// A number option with its key, range, default and help stated once: the descriptor lists `option`,
/// the plugin reads `settings[option]`.
public struct NumberOption: Sendable {
    public let key: String
    public let range: ClosedRange<Double>
    public let defaultValue: Double
    public let help: String
    public init(_ key: String, _ range: ClosedRange<Double>, default defaultValue: Double, help: String) {
        self.key = key
        self.range = range
        self.defaultValue = defaultValue
        self.help = help
    }
    public var option: PluginOption {
        PluginOption(key: key, kind: .number(range),
                     defaultValue: Int(exactly: defaultValue).map(JSON.int) ?? .double(defaultValue), help: help)
    }
}

/// A yes/no option, stated once as `NumberOption` is.
public struct FlagOption: Sendable {
    public let key: String
    public let defaultValue: Bool
    public let help: String
    public init(_ key: String, default defaultValue: Bool, help: String) {
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
    }
    public var option: PluginOption { PluginOption(key: key, kind: .bool, defaultValue: .bool(defaultValue), help: help) }
}

extension PluginSettings {
    /// The option's value; its declared default when the settings lack it (they hold every declared
    /// option, so only a plugin built by hand from partial settings sees the default here).
    public subscript(_ o: NumberOption) -> Double { double(o.key) ?? o.defaultValue }
    public subscript(_ o: FlagOption) -> Bool { bool(o.key) ?? o.defaultValue }
}
