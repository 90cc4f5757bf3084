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

    /// The sizes a config.json may give: well past every BERT and DistilBERT checkpoint (BERT-large has
    /// hidden 1024, 24 layers, 16 heads, intermediate 4096, 512 positions; multilingual vocabularies
    /// stay under 300,000), and small enough that no size product overflows.
    public static let limits = (vocabulary: 1...1_000_000, hidden: 1...8_192, layers: 1...128, heads: 1...256,
                                intermediate: 1...65_536, positions: 1...65_536, tokenTypes: 1...16)

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

        /// A size within `bounds`: a config.json value far past any real checkpoint (hidden size 1.2e9,
        /// 1e6 layers) would otherwise overflow or exhaust memory before any tensor is read.
        func size(_ key: String, _ bounds: ClosedRange<Int>) throws -> Int {
            let value = try config[key].int()
            guard value > 0 else { throw invalid("\(key) must be positive, found \(value)") }
            guard bounds.contains(value) else {
                throw invalid("\(key) \(value) is out of range (\(bounds.lowerBound) to \(bounds.upperBound)); this is no model the engine can run")
            }
            return value
        }
        let limits = Self.limits
        func requireGELU(_ key: String, default fallback: String) throws {
            let activation = try config[key].optionalString() ?? fallback
            guard activation == "gelu" else {
                throw invalid("\(key) \"\(activation)\" is not supported; expected \"gelu\" (the erf form)")
            }
        }

        vocabularySize = try size("vocab_size", limits.vocabulary)
        maxPositions = try size("max_position_embeddings", limits.positions)
        switch architecture {
        case .bert:
            hiddenSize = try size("hidden_size", limits.hidden)
            layerCount = try size("num_hidden_layers", limits.layers)
            headCount = try size("num_attention_heads", limits.heads)
            intermediateSize = try size("intermediate_size", limits.intermediate)
            tokenTypeCount = config["type_vocab_size"].isMissing ? 2 : try size("type_vocab_size", limits.tokenTypes)
            let epsilon = try config["layer_norm_eps"].optionalDouble() ?? 1e-12
            guard epsilon.isFinite, epsilon > 0, epsilon <= 1 else {
                throw invalid("layer_norm_eps \(epsilon) is out of range (above 0, at most 1)")
            }
            layerNormEpsilon = Float(epsilon)
            try requireGELU("hidden_act", default: "gelu")
            let positions = try config["position_embedding_type"].optionalString() ?? "absolute"
            guard positions == "absolute" else {
                throw invalid("position_embedding_type \"\(positions)\" is not supported; expected \"absolute\"")
            }
        case .distilBert:
            hiddenSize = try size("dim", limits.hidden)
            layerCount = try size("n_layers", limits.layers)
            headCount = try size("n_heads", limits.heads)
            intermediateSize = try size("hidden_dim", limits.intermediate)
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
