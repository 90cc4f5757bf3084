import ClinicCore
import QAEngine

/// The one place the executable builds the engine, so the model class is wired in a single spot.
enum ModelLoading {
    static func load(directory: String, threads: Int, precision: Precision) throws -> any QuestionAnswering {
        try QAModel(directory: directory, threads: threads, precision: precision)
    }

    /// For batch work: the model on `threads` threads, and `threads` single-threaded models sharing its weights
    /// that can answer `threads` notes at once (none when `threads` is 1).
    static func loadWithWorkers(directory: String, threads: Int, precision: Precision) throws
        -> (model: any QuestionAnswering, workers: [any QuestionAnswering]) {
        let model = try QAModel(directory: directory, threads: threads, precision: precision)
        let workers: [any QuestionAnswering] = threads > 1 ? (0..<threads).map { _ in model.sharingWeights(threads: 1) } : []
        return (model, workers)
    }
}
