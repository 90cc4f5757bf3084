/// Everything that can go wrong loading or running a model. Messages name the file and what was expected,
/// so a user pointing the server at the wrong directory can fix it from the message alone.
public enum QAEngineError: Error, Equatable, CustomStringConvertible {
    /// A file is missing, unreadable, or not a regular file.
    case unreadableFile(path: String, reason: String)
    /// A safetensors file whose layout breaks the format.
    case invalidSafetensors(path: String, reason: String)
    /// config.json is missing a member, has the wrong type, or describes an unsupported model.
    case invalidConfig(path: String, reason: String)
    /// vocab.txt or tokenizer_config.json cannot drive the tokenizer.
    case invalidVocabulary(path: String, reason: String)
    /// A tensor the architecture needs is absent or has the wrong shape.
    case invalidWeights(path: String, reason: String)
    /// The input cannot be encoded under the decoding options (for example a question longer than the window).
    case invalidInput(String)

    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason): return "\(path): \(reason)"
        case .invalidSafetensors(let path, let reason): return "\(path): not a valid safetensors file: \(reason)"
        case .invalidConfig(let path, let reason): return "\(path): \(reason)"
        case .invalidVocabulary(let path, let reason): return "\(path): \(reason)"
        case .invalidWeights(let path, let reason): return "\(path): \(reason)"
        case .invalidInput(let reason): return reason
        }
    }
}
