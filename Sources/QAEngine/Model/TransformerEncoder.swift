import COpenBLAS

/// Scratch memory for one forward pass, grown on demand and reused, so the hot loop allocates nothing.
final class Workspace {
    private(set) var tokenCapacity = 0
    private(set) var sequenceCapacity = 0
    private var storage: UnsafeMutablePointer<Float>?
    private(set) var hidden: UnsafeMutablePointer<Float>!
    private(set) var qkv: UnsafeMutablePointer<Float>!
    private(set) var attention: UnsafeMutablePointer<Float>!
    private(set) var projection: UnsafeMutablePointer<Float>!
    private(set) var intermediate: UnsafeMutablePointer<Float>!
    private(set) var scores: UnsafeMutablePointer<Float>!
    private(set) var logits: UnsafeMutablePointer<Float>!

    deinit { storage?.deallocate() }

    func reserve(tokens: Int, longestSequence: Int, config: ModelConfig) {
        guard tokens > tokenCapacity || longestSequence > sequenceCapacity else { return }
        let t = max(tokens, tokenCapacity, 64)
        let l = max(longestSequence, sequenceCapacity, 64)
        let h = config.hiddenSize, f = config.intermediateSize
        let sizes = [t * h, t * 3 * h, t * h, t * h, t * f, l * l, t * 2].map(FloatArena.paddedSize)
        storage?.deallocate()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: sizes.reduce(0, +) * 4, alignment: 64)
        let base = raw.bindMemory(to: Float.self, capacity: sizes.reduce(0, +))
        storage = base
        var p = base
        func next(_ i: Int) -> UnsafeMutablePointer<Float> { defer { p += sizes[i] }; return p }
        hidden = next(0); qkv = next(1); attention = next(2); projection = next(3)
        intermediate = next(4); scores = next(5); logits = next(6)
        tokenCapacity = t
        sequenceCapacity = l
    }
}

/// Start and end logits of every window of one batch, windows packed one after another.
public struct BatchLogits: Sendable {
    public var start: [Float]
    public var end: [Float]
    /// Offset of each window's first token in `start`/`end`; one extra entry holds the total.
    public var windowOffsets: [Int]

    public func start(window w: Int) -> ArraySlice<Float> { start[windowOffsets[w]..<windowOffsets[w + 1]] }
    public func end(window w: Int) -> ArraySlice<Float> { end[windowOffsets[w]..<windowOffsets[w + 1]] }
}

/// The BERT/DistilBERT encoder and QA head in fp32. Sequences of a batch are packed end to end without padding:
/// projections and feed-forward layers run as one sgemm over all tokens, attention runs per sequence and head.
final class TransformerEncoder: @unchecked Sendable {
    let config: ModelConfig
    let weights: TransformerWeights

    init(config: ModelConfig, weights: TransformerWeights) {
        self.config = config
        self.weights = weights
    }

    func logits(for windows: [QAWindow], workspace: Workspace) -> BatchLogits {
        var offsets = [0]
        for w in windows { offsets.append(offsets.last! + w.count) }
        let tokens = offsets.last!
        let longest = windows.map(\.count).max() ?? 0
        guard tokens > 0 else { return BatchLogits(start: [], end: [], windowOffsets: offsets) }
        workspace.reserve(tokens: tokens, longestSequence: longest, config: config)
        embed(windows, tokens: tokens, into: workspace.hidden)
        for layer in weights.layers {
            encoderLayer(layer, windows: windows, offsets: offsets, tokens: tokens, workspace: workspace)
        }
        let h = config.hiddenSize
        let logits = workspace.logits!
        gemmTransposed(m: tokens, n: 2, k: h, a: workspace.hidden, b: weights.qaWeight, c: logits)
        var start = [Float](repeating: 0, count: tokens), end = [Float](repeating: 0, count: tokens)
        for t in 0..<tokens {
            start[t] = logits[2 * t] + weights.qaBias[0]
            end[t] = logits[2 * t + 1] + weights.qaBias[1]
        }
        return BatchLogits(start: start, end: end, windowOffsets: offsets)
    }

    private func embed(_ windows: [QAWindow], tokens: Int, into hidden: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize
        var row = hidden
        for w in windows {
            for (position, id) in w.inputIDs.enumerated() {
                let word = weights.wordEmbeddings + Int(id) * h
                let pos = weights.positionEmbeddings + position * h
                if let types = weights.tokenTypeEmbeddings {
                    let type = types + Int(w.tokenTypeIDs[position]) * h
                    for k in 0..<h { row[k] = word[k] + pos[k] + type[k] }
                } else {
                    for k in 0..<h { row[k] = word[k] + pos[k] }
                }
                row += h
            }
        }
        Kernels.addLayerNorm(hidden, residual: nil, bias: nil, gain: weights.embeddingNormGain,
                             beta: weights.embeddingNormBias, rows: tokens, width: h, epsilon: config.layerNormEpsilon)
    }

    private func encoderLayer(_ layer: LayerWeights, windows: [QAWindow], offsets: [Int], tokens: Int, workspace: Workspace) {
        let h = config.hiddenSize, f = config.intermediateSize
        let heads = config.headCount, d = config.headSize
        let x = workspace.hidden!, qkv = workspace.qkv!, attention = workspace.attention!
        let projection = workspace.projection!, intermediate = workspace.intermediate!, scores = workspace.scores!

        gemmTransposed(m: tokens, n: 3 * h, k: h, a: x, b: layer.qkvWeight, c: qkv)
        Kernels.addBias(qkv, bias: layer.qkvBias, rows: tokens, width: 3 * h)

        let scale = 1 / Float(d).squareRoot()
        for (w, offset) in offsets.dropLast().enumerated() {
            let length = windows[w].count
            let rows = qkv + offset * 3 * h
            for head in 0..<heads {
                let q = rows + head * d, k = rows + h + head * d, v = rows + 2 * h + head * d
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(d),
                            scale, q, Int32(3 * h), k, Int32(3 * h), 0, scores, Int32(length))
                Kernels.softmaxRows(scores, rows: length, width: length)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(d), Int32(length),
                            1, scores, Int32(length), v, Int32(3 * h), 0, attention + offset * h + head * d, Int32(h))
            }
        }

        gemmTransposed(m: tokens, n: h, k: h, a: attention, b: layer.attentionOutputWeight, c: projection)
        Kernels.addLayerNorm(x, residual: projection, bias: layer.attentionOutputBias, gain: layer.attentionNormGain,
                             beta: layer.attentionNormBias, rows: tokens, width: h, epsilon: config.layerNormEpsilon)

        gemmTransposed(m: tokens, n: f, k: h, a: x, b: layer.intermediateWeight, c: intermediate)
        Kernels.addBiasGELU(intermediate, bias: layer.intermediateBias, rows: tokens, width: f)
        gemmTransposed(m: tokens, n: h, k: f, a: intermediate, b: layer.outputWeight, c: projection)
        Kernels.addLayerNorm(x, residual: projection, bias: layer.outputBias, gain: layer.outputNormGain,
                             beta: layer.outputNormBias, rows: tokens, width: h, epsilon: config.layerNormEpsilon)
    }

    /// C[m, n] = A[m, k] x B[n, k]^T: a PyTorch `Linear` without its bias.
    private func gemmTransposed(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                                c: UnsafeMutablePointer<Float>) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(k), 0, c, Int32(n))
    }
}
