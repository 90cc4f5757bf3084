import JSON

/// The parts of a transformers `config.json` the forward pass needs.
public struct ModelConfig: Sendable, Equatable {
    public enum Architecture: String, Sendable {
        case bert = "BertForQuestionAnswering"
        case distilBert = "DistilBertForQuestionAnswering"
    }

    public var architecture: Architecture
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    /// 0 for DistilBERT, which has no token type embeddings.
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Float

    public var headSize: Int { hiddenSize / headCount }

    public init(architecture: Architecture, vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int,
                intermediateSize: Int, maxPositions: Int, tokenTypeCount: Int, layerNormEpsilon: Float) {
        self.architecture = architecture
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.layerNormEpsilon = layerNormEpsilon
    }

    public static func load(path: String) throws -> ModelConfig {
        let json: JSON
        do {
            json = try JSON.parse(bytes: readSmallFile(path))
        } catch let error as JSONParseError {
            throw QAEngineError.invalidConfig(path: path, reason: error.description)
        }
        return try ModelConfig(json: json, path: path)
    }

    /// Reads a parsed config.json; `path` only names the file in errors.
    public init(json: JSON, path: String = "config.json") throws {
        do {
            try self.init(reading: json, path: path)
        } catch let error as JSONTypeError {
            throw QAEngineError.invalidConfig(path: path, reason: error.description)
        }
    }

    private init(reading json: JSON, path: String) throws {
        func invalid(_ reason: String) -> QAEngineError { .invalidConfig(path: path, reason: reason) }
        guard case .object = json else { throw invalid("expected a JSON object, found \(json.typeName)") }
        let config = JSONReader(json)

        let architectures = try config["architectures"].optionalArray()?.map { try $0.string() }
        let modelType = try config["model_type"].optionalString()
        if let architectures {
            guard let known = architectures.lazy.compactMap(Architecture.init(rawValue:)).first else {
                throw invalid("architectures \(architectures) has no question-answering model; expected BertForQuestionAnswering or DistilBertForQuestionAnswering")
            }
            architecture = known
        } else {
            switch modelType {
            case "bert": architecture = .bert
            case "distilbert": architecture = .distilBert
            case let other?: throw invalid("model_type \"\(other)\" is not supported; expected \"bert\" or \"distilbert\"")
            case nil: throw invalid("neither architectures nor model_type says which model this is")
            }
        }

        func positive(_ key: String) throws -> Int {
            let value = try config[key].int()
            guard value > 0 else { throw invalid("\(key) must be positive, found \(value)") }
            return value
        }
        func requireGELU(_ key: String, default fallback: String) throws {
            let activation = try config[key].optionalString() ?? fallback
            guard activation == "gelu" else {
                throw invalid("\(key) \"\(activation)\" is not supported; expected \"gelu\" (the erf form)")
            }
        }

        vocabularySize = try positive("vocab_size")
        maxPositions = try positive("max_position_embeddings")
        switch architecture {
        case .bert:
            hiddenSize = try positive("hidden_size")
            layerCount = try positive("num_hidden_layers")
            headCount = try positive("num_attention_heads")
            intermediateSize = try positive("intermediate_size")
            tokenTypeCount = try config["type_vocab_size"].optionalInt() ?? 2
            layerNormEpsilon = Float(try config["layer_norm_eps"].optionalDouble() ?? 1e-12)
            try requireGELU("hidden_act", default: "gelu")
            let positions = try config["position_embedding_type"].optionalString() ?? "absolute"
            guard positions == "absolute" else {
                throw invalid("position_embedding_type \"\(positions)\" is not supported; expected \"absolute\"")
            }
        case .distilBert:
            hiddenSize = try positive("dim")
            layerCount = try positive("n_layers")
            headCount = try positive("n_heads")
            intermediateSize = try positive("hidden_dim")
            tokenTypeCount = 0
            layerNormEpsilon = 1e-12
            try requireGELU("activation", default: "gelu")
        }
        guard hiddenSize % headCount == 0 else {
            throw invalid("hidden size \(hiddenSize) is not a multiple of the \(headCount) attention heads")
        }
        guard hiddenSize % 8 == 0, intermediateSize % 8 == 0 else {
            throw invalid("hidden size \(hiddenSize) and intermediate size \(intermediateSize) must be multiples of 8 (the vectorised kernels' width)")
        }
        if architecture == .bert, tokenTypeCount < 2 {
            throw invalid("type_vocab_size \(tokenTypeCount) is too small: question-answering uses token types 0 and 1")
        }
    }
}
