import JSON
import QAEngine

/// A field declared in configuration rather than in code: a question for the model, or a regular
/// expression.
public struct ConfiguredField: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case question(String)
        /// A pattern compiled when the configuration was read. `group`: which capture group is the value
        /// (nil: the first group if there is one, else the whole match).
        case pattern(BoundedRegex, group: Int?)
    }
    public var id: String
    public var label: String
    public var source: Source
    public init(id: String, label: String, source: Source) {
        self.id = id
        self.label = label
        self.source = source
    }
}

/// Everything configurable in the clinic layer. Read it from JSON settings with `parse`.
public struct ClinicConfiguration: Sendable, Equatable {
    public static let `default` = ClinicConfiguration()

    /// Model directory; nil = the default model (see `ModelLocator`).
    public var modelPath: String?
    /// Threads the engine may use.
    public var modelThreads: Int = 2
    /// The engine's linear layers: int8, the default since it held accuracy (dev EM 100.00 both, real-world
    /// 96.18 against fp32's 96.32, one answer of 1,190 changed; docs/ENGINE.md), or fp32, the reference.
    public var modelPrecision: Precision = .int8
    public var noteSeparator: NoteSeparator = .blankLine
    /// Settings given for plugins, by plugin id; plugins not listed run with their defaults.
    public var pluginOverrides: [String: PluginSettings] = [:]
    /// Questions that replace a model-backed field's default question, by field id.
    public var questions: [String: String] = [:]
    public var configuredFields: [ConfiguredField] = []
    /// A heading that starts a new patient, besides the built-in headers (`PatientHeaderReader`):
    /// matched against each line of a note, compiled when the settings are read.
    public var patientHeader: BoundedRegex?
    public var decode = ClinicConfiguration.defaultDecode

    /// The engine's decoding with the null threshold calibrated for the shipped model on the real-world
    /// development notes (`eval/calibrate.py`: 0.5 scored EM 93.82 against 93.24 at the pipeline's 0);
    /// a model brought by the user may want its own (`decode.nullThreshold`).
    public static let defaultDecode: DecodeOptions = {
        var d = DecodeOptions()
        d.nullThreshold = 0.5
        // The drug plugin weighs the model's runners-up when its rules reject the best span.
        d.alternatives = 4
        return d
    }()

    public init() {}

    public func settings(for descriptor: PluginDescriptor) -> PluginSettings {
        pluginOverrides[descriptor.id] ?? descriptor.defaultSettings
    }

    /// The question for a model-backed field: the configured one, else the plugin's default.
    public func question(for fieldID: String, default question: String) -> String {
        questions[fieldID] ?? question
    }

    public func isEnabled(_ pluginID: String) -> Bool {
        guard let d = PluginRegistry.descriptor(pluginID) else { return false }
        return settings(for: d).enabled
    }
}
