import QAEngine

/// A field a plugin fills in. A field with a `question` is model-backed: the pipeline puts the
/// question to the engine (with every other question for the note, in one batched call).
public struct FieldSpec: Sendable, Equatable {
    public var id: String
    public var label: String
    public var question: String?
    public init(id: String, label: String, question: String? = nil) {
        self.id = id
        self.label = label
        self.question = question
    }
    public var isModelBacked: Bool { question != nil }

    /// One model-backed field per eye (`\(prefix).right`, `\(prefix).left`), each asking the configured
    /// question or its default.
    static func perEye(prefix: String, label: String, defaultQuestions: [Eye: String],
                       configuration: ClinicConfiguration) -> [FieldSpec] {
        Eye.allCases.map { eye in
            let fid = "\(prefix).\(eye.rawValue)"
            return FieldSpec(id: fid, label: "\(eye == .right ? "Right" : "Left") eye \(label)",
                             question: configuration.question(for: fid, default: defaultQuestions[eye]!))
        }
    }
}

/// What a plugin sees of one note. Offsets are scalar offsets relative to the start of the note.
public struct NoteContext: Sendable {
    public let text: NoteText
    public let tokens: [ShorthandToken]
    /// The engine's results for the model-backed fields, by field id (absent without a model).
    public let answers: [String: QAResult]
    /// Findings of the plugins that ran before this one (registry order).
    public let findings: [Finding]
    /// Every enabled field, in registry order.
    public let fields: [FieldSpec]

    public init(text: NoteText, answers: [String: QAResult], findings: [Finding], fields: [FieldSpec]) {
        self.text = text
        tokens = ShorthandLexer.tokens(text.scalars)
        self.answers = answers
        self.findings = findings
        self.fields = fields
    }

    init(text: NoteText, tokens: [ShorthandToken], answers: [String: QAResult], findings: [Finding], fields: [FieldSpec]) {
        self.text = text
        self.tokens = tokens
        self.answers = answers
        self.findings = findings
        self.fields = fields
    }

    public func field(_ id: String) -> FieldSpec? { fields.first { $0.id == id } }
}

public struct PluginOutput: Sendable, Equatable {
    public var findings: [Finding]
    public var diagnostics: [ClinicDiagnostic]
    public init(findings: [Finding] = [], diagnostics: [ClinicDiagnostic] = []) {
        self.findings = findings
        self.diagnostics = diagnostics
    }
}

/// One field extractor or check. Plugins are built from their settings by `PluginRegistry` and run
/// in registry order; each sees one note at a time (and, for document-level checks, the analyses
/// of the notes before it).
public protocol ClinicPlugin: Sendable {
    /// Id, options and constructor, as the registry lists them; the id is the plugin's configuration key.
    static var descriptor: PluginDescriptor { get }
    var id: String { get }
    /// The fields this plugin fills in ([] for checks).
    var fields: [FieldSpec] { get }
    /// Findings and diagnostics for one note, offsets relative to the note.
    func analyze(context: NoteContext) -> PluginOutput
    /// Whether `analyzeDocument` needs the other notes of the document.
    var usesOtherNotes: Bool { get }
    /// Diagnostics that depend on other notes of the same patient: `analyses` are the document's
    /// note-level analyses in document order with their patients assigned; each diagnostic goes to
    /// the analysis at `note` (offsets into the document).
    func analyzeDocument(_ analyses: [NoteAnalysis]) -> [(note: Int, diagnostic: ClinicDiagnostic)]
}

extension ClinicPlugin {
    public var id: String { Self.descriptor.id }
    public var fields: [FieldSpec] { [] }
    public func analyze(context: NoteContext) -> PluginOutput { PluginOutput() }
    public var usesOtherNotes: Bool { false }
    public func analyzeDocument(_ analyses: [NoteAnalysis]) -> [(note: Int, diagnostic: ClinicDiagnostic)] { [] }
}
