import ClinicCore
import QAEngine

/// The one place the executable builds the engine, so the model class is wired in a single spot.
enum ModelLoading {
    static func load(directory: String, threads: Int) throws -> any QuestionAnswering {
        throw ModelLoadingError(message: "this build has no question-answering engine yet (QAModel has not landed)")
    }
}

struct ModelLoadingError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
