import CInt8Kernels

/// fp32 storage for all weights, 64-byte aligned, owned for the model's lifetime.
final class FloatArena: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let capacity: Int
    private var used = 0

    init(capacity: Int) {
        self.capacity = capacity
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1) * 4, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(capacity, 1))
    }

    deinit { base.deallocate() }

    /// The next `count` floats, starting on a 64-byte boundary.
    func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let p = base + used
        used += (count + 15) & ~15
        precondition(used <= capacity, "weight arena overflow")
        return p
    }

    static func paddedSize(_ count: Int) -> Int { (count + 15) & ~15 }
}

/// One encoder layer in the layout the forward pass wants. fp32 matrices are stored transposed from PyTorch's
/// [out, in] to [in, out], so every product is a plain row-major sgemm (OpenBLAS packs that layout faster),
/// and Q, K and V sit side by side in one [H, 3H] matrix so a single sgemm projects all three. For int8 the four
/// matrices are quantised straight from the file's [out, in] rows and no fp32 copy is kept.
struct LayerWeights {
    var linear: LinearWeights
    var qkvBias: UnsafeMutablePointer<Float>
    var attentionOutputBias: UnsafeMutablePointer<Float>
    var attentionNormGain: UnsafeMutablePointer<Float>
    var attentionNormBias: UnsafeMutablePointer<Float>
    var intermediateBias: UnsafeMutablePointer<Float>
    var outputBias: UnsafeMutablePointer<Float>
    var outputNormGain: UnsafeMutablePointer<Float>
    var outputNormBias: UnsafeMutablePointer<Float>
}

/// A layer's four linear weights in the precision the model was loaded for.
enum LinearWeights {
    case fp32(FP32LayerWeights)
    case int8(Int8LayerWeights)
}

struct FP32LayerWeights {
    /// [H, 3H]: Q, K and V side by side.
    var qkv: UnsafeMutablePointer<Float>
    var attentionOutput: UnsafeMutablePointer<Float>
    var intermediate: UnsafeMutablePointer<Float>
    var output: UnsafeMutablePointer<Float>
    /// The same four packed for the engine's fp32 kernel, where the CPU runs it.
    var packed: [PackedFP32Matrix]?

    init(qkv: UnsafeMutablePointer<Float>, attentionOutput: UnsafeMutablePointer<Float>,
         intermediate: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, hidden h: Int, intermediateSize f: Int) {
        self.qkv = qkv
        self.attentionOutput = attentionOutput
        self.intermediate = intermediate
        self.output = output
        let all = [PackedFP32Matrix(weights: qkv, inputs: h, outputs: 3 * h),
                   PackedFP32Matrix(weights: attentionOutput, inputs: h, outputs: h),
                   PackedFP32Matrix(weights: intermediate, inputs: h, outputs: f),
                   PackedFP32Matrix(weights: output, inputs: f, outputs: h)].compactMap { $0 }
        packed = all.count == 4 ? all : nil
    }
}

/// An embedding matrix [rows, width], fp32 in memory (checked finite when loaded) or binary16 rows in a mapped
/// file, each checked as it is converted: a load then reads only the rows its tokens use instead of scanning and
/// paging in the whole table (23 MB for MiniLM's vocabulary), and a corrupt row is still an error, at first use.
struct EmbeddingTable: @unchecked Sendable {
    let width: Int
    private let fp32: UnsafePointer<Float>?
    private let f16: UnsafeRawPointer?
    /// The file and tensor, for the error a corrupt binary16 row gives.
    private let source: (path: String, tensor: String)

    init(width: Int, fp32: UnsafePointer<Float>) {
        self.width = width
        self.fp32 = fp32
        f16 = nil
        source = ("", "")
    }

    /// `f16`: little-endian binary16 rows, alive as long as the table is used.
    init(width: Int, f16: UnsafeRawPointer, path: String, tensor: String) {
        self.width = width
        fp32 = nil
        self.f16 = f16
        source = (path, tensor)
    }

    /// Row `i` as floats: in the table itself, or converted (exactly) into `scratch`, which holds `width` floats.
    func row(_ i: Int, scratch: UnsafeMutablePointer<Float>) throws -> UnsafePointer<Float> {
        if let fp32 { return fp32 + i * width }
        if let f16 {
            let bad = ci8_f16_to_f32(f16 + 2 * i * width, scratch, width)
            if bad >= 0 {
                throw QAEngineError.invalidWeights(path: source.path, reason: "tensor \(source.tensor) holds "
                    + "\(scratch[Int(bad)].isNaN ? "NaN" : "an infinite value") at element \(i * width + Int(bad)): the weights are corrupt")
            }
        }
        return UnsafePointer(scratch)
    }
}

final class TransformerWeights: @unchecked Sendable {
    let config: ModelConfig
    let arena: FloatArena
    /// [vocabulary, H]. Binary16 in the file stays there and is converted a row at a time as tokens need it: the
    /// largest tensor (47 MB as fp32 for MiniLM) was a quarter of a model load spent converting and paging it in.
    let wordEmbeddings: EmbeddingTable
    /// Keeps the mapping `wordEmbeddings` may point into.
    let file: SafeTensorsFile
    let positionEmbeddings: UnsafeMutablePointer<Float>
    /// nil for DistilBERT.
    let tokenTypeEmbeddings: UnsafeMutablePointer<Float>?
    let embeddingNormGain: UnsafeMutablePointer<Float>
    let embeddingNormBias: UnsafeMutablePointer<Float>
    let layers: [LayerWeights]
    /// [H, 2]: start and end logits.
    let qaWeight: UnsafeMutablePointer<Float>
    let qaBias: UnsafeMutablePointer<Float>

    /// With `int8Kernel` the linear layers are quantised for that kernel, else they load as fp32.
    init(file: SafeTensorsFile, config: ModelConfig, int8Kernel: Int8Kernel? = nil) throws {
        self.config = config
        self.file = file
        let h = config.hiddenSize, f = config.intermediateSize
        let names = WeightNames(architecture: config.architecture, available: Set(file.tensors.keys))
        // Every tensor is checked against config.json before anything is allocated, so the arena is never
        // sized from a config.json the file does not bear out.
        for (key, shape) in Self.expectedShapes(config) {
            let name = try names.resolve(key, path: file.path)
            guard let info = file.tensors[name], info.shape == shape else {
                throw QAEngineError.invalidWeights(path: file.path, reason: "tensor \(name) has shape \(file.tensors[name]?.shape ?? []), expected \(shape) from config.json")
            }
        }

        var total = 0
        func reserve(_ n: Int) { total += FloatArena.paddedSize(n) }
        let wordName = try names.resolve(.wordEmbeddings, path: file.path)
        let wordsInFile = file.rawData(wordName).flatMap { $0.dtype == .f16 ? $0.bytes : nil }
        if wordsInFile == nil { reserve(config.vocabularySize * h) }
        reserve(config.maxPositions * h)
        if config.tokenTypeCount > 0 { reserve(config.tokenTypeCount * h) }
        reserve(h); reserve(h)
        for _ in 0..<config.layerCount {
            if int8Kernel == nil { reserve(3 * h * h); reserve(h * h); reserve(f * h); reserve(h * f) }
            reserve(3 * h)
            reserve(h); reserve(h); reserve(h)
            reserve(f); reserve(h); reserve(h); reserve(h)
        }
        reserve(2 * h); reserve(2)
        let arena = FloatArena(capacity: total)
        self.arena = arena

        func load(_ key: WeightNames.Key, _ shape: [Int], into p: UnsafeMutablePointer<Float>? = nil) throws -> UnsafeMutablePointer<Float> {
            let name = try names.resolve(key, path: file.path)
            guard let info = file.tensors[name], info.shape == shape else {
                throw QAEngineError.invalidWeights(path: file.path, reason: "tensor \(name) has shape \(file.tensors[name]?.shape ?? []), expected \(shape) from config.json")
            }
            let count = shape.reduce(1, *)
            let destination = p ?? arena.take(count)
            try file.read(name, into: UnsafeMutableBufferPointer(start: destination, count: count))
            // NaN or infinite weights (corruption, random bytes) would make every answer NaN, silently.
            let found = ci8_first_nonfinite(destination, count)
            if found >= 0 {
                let bad = Int(found)
                throw QAEngineError.invalidWeights(path: file.path, reason: "tensor \(name) holds "
                    + "\(destination[bad].isNaN ? "NaN" : "an infinite value") at element \(bad): the weights are corrupt")
            }
            return destination
        }
        var staging = [Float](repeating: 0, count: max(h * f, 3 * h * h))
        /// Loads a Linear weight [out, in] as columns `column..<column + out` of an [in, columns] matrix.
        func loadTransposed(_ key: WeightNames.Key, out: Int, in inputs: Int, into matrix: UnsafeMutablePointer<Float>,
                            columns: Int, column: Int = 0) throws {
            try staging.withUnsafeMutableBufferPointer { buffer in
                let source = try load(key, [out, inputs], into: buffer.baseAddress!)
                for o in 0..<out {
                    for i in 0..<inputs { matrix[i * columns + column + o] = source[o * inputs + i] }
                }
            }
        }
        func linear(_ key: WeightNames.Key, out: Int, in inputs: Int) throws -> UnsafeMutablePointer<Float> {
            let matrix = arena.take(out * inputs)
            try loadTransposed(key, out: out, in: inputs, into: matrix, columns: out)
            return matrix
        }
        /// The [out, in] weights of `keys` stacked row by row (Q, K, V make one [3H, H] matrix), quantised.
        func quantized(_ keys: [WeightNames.Key], out: Int, in inputs: Int, kernel: Int8Kernel) throws -> Int8Matrix {
            try staging.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                for (i, key) in keys.enumerated() { _ = try load(key, [out, inputs], into: base + i * out * inputs) }
                return try Int8Matrix(kernel: kernel, weights: base, outputs: keys.count * out, inputs: inputs,
                                      outStride: inputs, inStride: 1)
            }
        }

        if let bytes = wordsInFile, let base = bytes.baseAddress {
            wordEmbeddings = EmbeddingTable(width: h, f16: base, path: file.path, tensor: wordName)
        } else {
            wordEmbeddings = EmbeddingTable(width: h, fp32: try load(.wordEmbeddings, [config.vocabularySize, h]))
        }
        positionEmbeddings = try load(.positionEmbeddings, [config.maxPositions, h])
        tokenTypeEmbeddings = config.tokenTypeCount > 0 ? try load(.tokenTypeEmbeddings, [config.tokenTypeCount, h]) : nil
        embeddingNormGain = try load(.embeddingNormGain, [h])
        embeddingNormBias = try load(.embeddingNormBias, [h])
        var layers: [LayerWeights] = []
        for i in 0..<config.layerCount {
            let linears: LinearWeights
            if let kernel = int8Kernel {
                linears = .int8(Int8LayerWeights(
                    qkv: try quantized([.query(i, .weight), .key(i, .weight), .value(i, .weight)], out: h, in: h, kernel: kernel),
                    attentionOutput: try quantized([.attentionOutput(i, .weight)], out: h, in: h, kernel: kernel),
                    intermediate: try quantized([.intermediate(i, .weight)], out: f, in: h, kernel: kernel),
                    output: try quantized([.output(i, .weight)], out: h, in: f, kernel: kernel)))
            } else {
                let qkv = arena.take(3 * h * h)
                try loadTransposed(.query(i, .weight), out: h, in: h, into: qkv, columns: 3 * h, column: 0)
                try loadTransposed(.key(i, .weight), out: h, in: h, into: qkv, columns: 3 * h, column: h)
                try loadTransposed(.value(i, .weight), out: h, in: h, into: qkv, columns: 3 * h, column: 2 * h)
                linears = .fp32(FP32LayerWeights(
                    qkv: qkv,
                    attentionOutput: try linear(.attentionOutput(i, .weight), out: h, in: h),
                    intermediate: try linear(.intermediate(i, .weight), out: f, in: h),
                    output: try linear(.output(i, .weight), out: h, in: f), hidden: h, intermediateSize: f))
            }
            let qkvBias = arena.take(3 * h)
            _ = try load(.query(i, .bias), [h], into: qkvBias)
            _ = try load(.key(i, .bias), [h], into: qkvBias + h)
            _ = try load(.value(i, .bias), [h], into: qkvBias + 2 * h)
            layers.append(LayerWeights(
                linear: linears, qkvBias: qkvBias,
                attentionOutputBias: try load(.attentionOutput(i, .bias), [h]),
                attentionNormGain: try load(.attentionNorm(i, .weight), [h]),
                attentionNormBias: try load(.attentionNorm(i, .bias), [h]),
                intermediateBias: try load(.intermediate(i, .bias), [f]),
                outputBias: try load(.output(i, .bias), [h]),
                outputNormGain: try load(.outputNorm(i, .weight), [h]),
                outputNormBias: try load(.outputNorm(i, .bias), [h])))
        }
        self.layers = layers
        qaWeight = try linear(.qaOutputs(.weight), out: 2, in: h)
        qaBias = try load(.qaOutputs(.bias), [2])
        // Everything but binary16 word embeddings read in place has been converted: about 40 MB of file pages
        // for a 6-layer base that would otherwise stay resident.
        file.dropPages(keeping: wordsInFile != nil ? [wordName] : [])
    }

    /// Each tensor the forward pass reads, with the shape config.json implies, in loading order.
    static func expectedShapes(_ config: ModelConfig) -> [(WeightNames.Key, [Int])] {
        let h = config.hiddenSize, f = config.intermediateSize
        var shapes: [(WeightNames.Key, [Int])] = [(.wordEmbeddings, [config.vocabularySize, h]),
                                                  (.positionEmbeddings, [config.maxPositions, h])]
        if config.tokenTypeCount > 0 { shapes.append((.tokenTypeEmbeddings, [config.tokenTypeCount, h])) }
        shapes += [(.embeddingNormGain, [h]), (.embeddingNormBias, [h])]
        for i in 0..<config.layerCount {
            shapes += [(.query(i, .weight), [h, h]), (.key(i, .weight), [h, h]), (.value(i, .weight), [h, h]),
                       (.query(i, .bias), [h]), (.key(i, .bias), [h]), (.value(i, .bias), [h]),
                       (.attentionOutput(i, .weight), [h, h]), (.attentionOutput(i, .bias), [h]),
                       (.attentionNorm(i, .weight), [h]), (.attentionNorm(i, .bias), [h]),
                       (.intermediate(i, .weight), [f, h]), (.intermediate(i, .bias), [f]),
                       (.output(i, .weight), [h, f]), (.output(i, .bias), [h]),
                       (.outputNorm(i, .weight), [h]), (.outputNorm(i, .bias), [h])]
        }
        return shapes + [(.qaOutputs(.weight), [2, h]), (.qaOutputs(.bias), [2])]
    }
}

/// Where BertForQuestionAnswering and DistilBertForQuestionAnswering checkpoints keep each weight. Names without
/// the `bert.`/`distilbert.` prefix and old `gamma`/`beta` layer-norm names are accepted too.
struct WeightNames {
    enum Part { case weight, bias }
    enum Key {
        case wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNormGain, embeddingNormBias
        case query(Int, Part), key(Int, Part), value(Int, Part), attentionOutput(Int, Part), attentionNorm(Int, Part)
        case intermediate(Int, Part), output(Int, Part), outputNorm(Int, Part)
        case qaOutputs(Part)
    }

    let architecture: ModelConfig.Architecture
    let available: Set<String>

    func resolve(_ key: Key, path: String) throws -> String {
        let candidates = self.candidates(key)
        if let name = candidates.first(where: available.contains) { return name }
        throw QAEngineError.invalidWeights(path: path, reason: "missing tensor \(candidates[0]) (a \(architecture.rawValue) checkpoint needs it)")
    }

    private func candidates(_ key: Key) -> [String] {
        let (prefix, name, isNorm) = location(key)
        var bases = [name]
        if isNorm {
            bases.append(name.replacingSuffix(".weight", with: ".gamma").replacingSuffix(".bias", with: ".beta"))
        }
        guard let prefix else { return bases }
        return bases.map { prefix + $0 } + bases
    }

    private func location(_ key: Key) -> (prefix: String?, name: String, isNorm: Bool) {
        func part(_ p: Part) -> String { p == .weight ? "weight" : "bias" }
        switch architecture {
        case .bert:
            let layer = { (i: Int) in "encoder.layer.\(i)." }
            switch key {
            case .wordEmbeddings: return ("bert.", "embeddings.word_embeddings.weight", false)
            case .positionEmbeddings: return ("bert.", "embeddings.position_embeddings.weight", false)
            case .tokenTypeEmbeddings: return ("bert.", "embeddings.token_type_embeddings.weight", false)
            case .embeddingNormGain: return ("bert.", "embeddings.LayerNorm.weight", true)
            case .embeddingNormBias: return ("bert.", "embeddings.LayerNorm.bias", true)
            case .query(let i, let p): return ("bert.", layer(i) + "attention.self.query." + part(p), false)
            case .key(let i, let p): return ("bert.", layer(i) + "attention.self.key." + part(p), false)
            case .value(let i, let p): return ("bert.", layer(i) + "attention.self.value." + part(p), false)
            case .attentionOutput(let i, let p): return ("bert.", layer(i) + "attention.output.dense." + part(p), false)
            case .attentionNorm(let i, let p): return ("bert.", layer(i) + "attention.output.LayerNorm." + part(p), true)
            case .intermediate(let i, let p): return ("bert.", layer(i) + "intermediate.dense." + part(p), false)
            case .output(let i, let p): return ("bert.", layer(i) + "output.dense." + part(p), false)
            case .outputNorm(let i, let p): return ("bert.", layer(i) + "output.LayerNorm." + part(p), true)
            case .qaOutputs(let p): return (nil, "qa_outputs." + part(p), false)
            }
        case .distilBert:
            let layer = { (i: Int) in "transformer.layer.\(i)." }
            switch key {
            case .wordEmbeddings: return ("distilbert.", "embeddings.word_embeddings.weight", false)
            case .positionEmbeddings: return ("distilbert.", "embeddings.position_embeddings.weight", false)
            case .tokenTypeEmbeddings: return ("distilbert.", "embeddings.token_type_embeddings.weight", false)
            case .embeddingNormGain: return ("distilbert.", "embeddings.LayerNorm.weight", true)
            case .embeddingNormBias: return ("distilbert.", "embeddings.LayerNorm.bias", true)
            case .query(let i, let p): return ("distilbert.", layer(i) + "attention.q_lin." + part(p), false)
            case .key(let i, let p): return ("distilbert.", layer(i) + "attention.k_lin." + part(p), false)
            case .value(let i, let p): return ("distilbert.", layer(i) + "attention.v_lin." + part(p), false)
            case .attentionOutput(let i, let p): return ("distilbert.", layer(i) + "attention.out_lin." + part(p), false)
            case .attentionNorm(let i, let p): return ("distilbert.", layer(i) + "sa_layer_norm." + part(p), true)
            case .intermediate(let i, let p): return ("distilbert.", layer(i) + "ffn.lin1." + part(p), false)
            case .output(let i, let p): return ("distilbert.", layer(i) + "ffn.lin2." + part(p), false)
            case .outputNorm(let i, let p): return ("distilbert.", layer(i) + "output_layer_norm." + part(p), true)
            case .qaOutputs(let p): return (nil, "qa_outputs." + part(p), false)
            }
        }
    }
}

extension String {
    fileprivate func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
