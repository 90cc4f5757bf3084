import ClinicCore
import QAEngine

/// The one place the executable builds the engine, so the model class is wired in a single spot.
enum ModelLoading {
    static func load(directory: String, threads: Int, precision: Precision) throws -> any QuestionAnswering {
        try QAModel(directory: directory, threads: threads, precision: precision)
    }
}
