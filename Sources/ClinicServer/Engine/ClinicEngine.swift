import ClinicCore
import JSON

/// The clinic analysis the server renders. The server knows nothing of particular fields:
/// it shows whatever findings and diagnostics the engine's plugins return.
public protocol ClinicEngine: Sendable {
    func notes(in text: String) -> [Note]
    /// The notes after an edit from those before it: `changed` is the span the edit wrote (offsets in
    /// `lines.text`), and the text after it moved by `delta`.
    func notes(in lines: LineIndex, reusing previous: [Note], changed: Range<Int>, delta: Int) -> [Note]
    /// Analyses the given notes (all notes when nil); implementations cache per note content.
    func analyze(text: String, notes: [Note]?, isCancelled: () -> Bool) throws -> [NoteAnalysis]
    /// Note-level analyses (without checks that read earlier notes); polls `isCancelled` between notes.
    func analyzeNotes(_ notes: [Note], isCancelled: () -> Bool) throws -> [NoteAnalysis]
    /// Note-level analyses in document order with the checks that read earlier notes added.
    func withDocumentChecks(_ analyses: [NoteAnalysis]) -> [NoteAnalysis]
    func summary(of analysis: NoteAnalysis, format: SummaryFormat) -> String
}

extension ClinicEngine {
    public func notes(in lines: LineIndex, reusing previous: [Note], changed: Range<Int>, delta: Int) -> [Note] {
        notes(in: lines.text)
    }
}

/// Builds engines from settings and loads the model they use. The server reads the clinic settings once per
/// distinct effective configuration, then calls `makeEngine` with them, and `loadModel` once per model path,
/// off the message thread.
public protocol ClinicEngineFactory: Sendable {
    /// Reads the clinic section of the settings; what is wrong with it is in the result's `problems`.
    func read(settings: JSON) -> EngineSettings
    /// The model directory: `explicit` (the server's --model), else the settings' `model`, relative to the
    /// folder of `settingsFile` when it was read from one; nil when none can be found.
    func modelPath(explicit: String?, settings: EngineSettings, settingsFile: String?) -> String?
    func loadModel(at path: String, settings: EngineSettings) throws -> any ModelHandle
    /// What besides the path tells loaded models apart (the precision): settings that change it load the model
    /// again. Empty by default.
    func modelVariant(settings: EngineSettings) -> String
    /// Builds an engine; `model` is nil when no model is available.
    func makeEngine(settings: EngineSettings, model: (any ModelHandle)?) -> any ClinicEngine
}

extension ClinicEngineFactory {
    public func modelVariant(settings: EngineSettings) -> String { "" }
}

/// The clinic settings as a factory read them, once per settings change.
public struct EngineSettings: Sendable {
    public var configuration: ClinicConfiguration
    /// Each names its JSON path; everything else in the settings applies.
    public var problems: [String]

    public init(configuration: ClinicConfiguration, problems: [String]) {
        self.configuration = configuration
        self.problems = problems
    }
}

/// A loaded model, opaque to the server.
public protocol ModelHandle: Sendable {}
