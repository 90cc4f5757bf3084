import ClinicCore
import JSON
import QAEngine

extension ClinicPipeline: ClinicEngine {
    public func summary(of analysis: NoteAnalysis, format: SummaryFormat) -> String {
        analysis.summary(format: format)
    }
}

/// The production engine factory: ClinicPipeline over a model loaded by `loadAnswerer`.
public struct PipelineEngineFactory: ClinicEngineFactory {
    /// Loads a model directory with the given number of threads and the linear layers' precision.
    public typealias AnswererLoader = @Sendable (_ directory: String, _ threads: Int, _ precision: Precision) throws -> any QuestionAnswering

    struct LoadedModel: ModelHandle {
        let answerer: any QuestionAnswering
    }

    struct ModelUnavailable: Error, CustomStringConvertible {
        var description: String
    }

    let environment: [String: String]
    let executablePath: String
    let loadAnswerer: AnswererLoader

    public init(environment: [String: String], executablePath: String, loadAnswerer: @escaping AnswererLoader) {
        self.environment = environment
        self.executablePath = executablePath
        self.loadAnswerer = loadAnswerer
    }

    public func read(settings: JSON) -> EngineSettings {
        let (configuration, problems) = ClinicConfiguration.parse(settings)
        return EngineSettings(configuration: configuration, problems: problems.map { "clinic.\($0)" })
    }

    public func modelPath(explicit: String?, settings: EngineSettings, settingsFile: String?) -> String? {
        ModelLocator.resolve(explicit: explicit, setting: settings.configuration.modelPath, settingsFile: settingsFile,
                             environment: environment, executablePath: executablePath)
    }

    public func loadModel(at path: String, settings: EngineSettings) throws -> any ModelHandle {
        if let problem = ModelLocator.problem(with: path) { throw ModelUnavailable(description: problem) }
        let config = settings.configuration
        return LoadedModel(answerer: try loadAnswerer(path, config.modelThreads, config.modelPrecision))
    }

    public func modelVariant(settings: EngineSettings) -> String {
        settings.configuration.modelPrecision.rawValue
    }

    public func makeEngine(settings: EngineSettings, model: (any ModelHandle)?) -> any ClinicEngine {
        ClinicPipeline(configuration: settings.configuration, answerer: (model as? LoadedModel)?.answerer)
    }
}
