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

    public func modelPath(settings: JSON) -> String? {
        let (config, _) = ClinicConfiguration.parse(settings)
        return ModelLocator.resolve(explicit: config.modelPath, environment: environment, executablePath: executablePath)
    }

    public func loadModel(at path: String, settings: JSON) throws -> any ModelHandle {
        if let problem = ModelLocator.problem(with: path) { throw ModelUnavailable(description: problem) }
        let (config, _) = ClinicConfiguration.parse(settings)
        return LoadedModel(answerer: try loadAnswerer(path, config.modelThreads, config.modelPrecision))
    }

    public func modelVariant(settings: JSON) -> String {
        ClinicConfiguration.parse(settings).0.modelPrecision.rawValue
    }

    public func makeEngine(settings: JSON, model: (any ModelHandle)?) -> (any ClinicEngine, [String]) {
        let (config, problems) = ClinicConfiguration.parse(settings)
        let answerer = (model as? LoadedModel)?.answerer
        return (ClinicPipeline(configuration: config, answerer: answerer), problems.map { "clinic.\($0)" })
    }
}
