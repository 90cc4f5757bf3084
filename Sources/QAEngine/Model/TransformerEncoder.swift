import COpenBLAS
import Dispatch

/// Scratch memory for one forward pass, grown on demand and reused, so the hot loop allocates nothing.
final class Workspace {
    private(set) var tokenCapacity = 0
    private(set) var sequenceCapacity = 0
    private(set) var workerCapacity = 0
    private var storage: UnsafeMutablePointer<Float>?
    private(set) var hidden: UnsafeMutablePointer<Float>!
    private(set) var qkv: UnsafeMutablePointer<Float>!
    private(set) var attention: UnsafeMutablePointer<Float>!
    private(set) var projection: UnsafeMutablePointer<Float>!
    private(set) var intermediate: UnsafeMutablePointer<Float>!
    /// Attention scratch per worker (`Kernels.attentionScratch`): the scores and a transposed K.
    private(set) var scores: UnsafeMutablePointer<Float>!
    private(set) var logits: UnsafeMutablePointer<Float>!
    /// int8 runs only: each row of a product's input quantised for the kernel, and its scale.
    private(set) var quantized: UnsafeMutableRawPointer?
    private(set) var rowScales: UnsafeMutablePointer<Float>?
    private var quantizedRows = 0
    private var quantizedRowBytes = 0

    deinit {
        storage?.deallocate()
        quantized?.deallocate()
        rowScales?.deallocate()
    }

    /// Room for `tokens` quantised rows of up to `rowBytes` bytes.
    func reserveQuantized(tokens: Int, rowBytes: Int) {
        guard tokens > quantizedRows || rowBytes > quantizedRowBytes else { return }
        let rows = max(tokens, quantizedRows, 64), bytes = max(rowBytes, quantizedRowBytes)
        quantized?.deallocate()
        rowScales?.deallocate()
        quantized = .allocate(byteCount: rows * bytes, alignment: 64)
        rowScales = .allocate(capacity: rows)
        quantizedRows = rows
        quantizedRowBytes = bytes
    }

    func scores(worker: Int) -> UnsafeMutablePointer<Float> { scores + worker * scoresPerWorker }
    private var scoresPerWorker = 0

    func reserve(tokens: Int, longestSequence: Int, workers: Int, config: ModelConfig) {
        guard tokens > tokenCapacity || longestSequence > sequenceCapacity || workers > workerCapacity else { return }
        let t = max(tokens, tokenCapacity, 64)
        let l = max(longestSequence, sequenceCapacity, 64)
        let w = max(workers, workerCapacity, 1)
        let h = config.hiddenSize, f = config.intermediateSize
        let perWorker = Kernels.attentionScratch(length: l, headSize: config.headSize)
        let sizes = [t * h, t * 3 * h, t * h, t * h, t * f, w * perWorker, t * 2].map(FloatArena.paddedSize)
        storage?.deallocate()
        let raw = UnsafeMutableRawPointer.allocate(byteCount: sizes.reduce(0, +) * 4, alignment: 64)
        let base = raw.bindMemory(to: Float.self, capacity: sizes.reduce(0, +))
        storage = base
        var p = base
        func next(_ i: Int) -> UnsafeMutablePointer<Float> { defer { p += sizes[i] }; return p }
        hidden = next(0); qkv = next(1); attention = next(2); projection = next(3)
        intermediate = next(4); scores = next(5); logits = next(6)
        scoresPerWorker = perWorker
        tokenCapacity = t
        sequenceCapacity = l
        workerCapacity = w
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

/// The BERT/DistilBERT encoder and QA head, in fp32 or with int8 linear layers (`LayerWeights.linear`; attention, norms,
/// GELU and the QA head stay fp32). Sequences of a batch are packed end to end without padding:
/// projections and feed-forward layers run as one sgemm over all tokens, attention runs per sequence and head.
/// Work is split over `workers` threads (matrix columns, rows, or sequence x head pairs), each calling
/// single-threaded OpenBLAS, so attention and the element-wise kernels run in parallel too.
final class TransformerEncoder: @unchecked Sendable {
    let config: ModelConfig
    let weights: TransformerWeights
    let workers: Int

    init(config: ModelConfig, weights: TransformerWeights, workers: Int) {
        self.config = config
        self.weights = weights
        self.workers = max(1, workers)
    }

    var precision: Precision {
        if case .int8 = weights.layers.first?.linear { return .int8 }
        return .fp32
    }

    /// With `allPositions` false the last layer runs only for [CLS] and context tokens, the only positions an
    /// answer can use; the other positions' logits are then NaN.
    func logits(for windows: [QAWindow], allPositions: Bool, clsID: Int32, workspace: Workspace) throws -> BatchLogits {
        var offsets = [0]
        for w in windows { offsets.append(offsets.last! + w.count) }
        let tokens = offsets.last!
        guard tokens > 0 else { return BatchLogits(start: [], end: [], windowOffsets: offsets) }
        workspace.reserve(tokens: tokens, longestSequence: windows.map(\.count).max()!, workers: workers, config: config)
        if case .int8(let first) = weights.layers.first?.linear {
            let widest = max(first.qkv.inputs, first.output.inputs)
            workspace.reserveQuantized(tokens: tokens, rowBytes: Int8Matrix.activationRowBytes(first.qkv.kernel, inputs: widest))
        }
        try embed(windows, tokens: tokens, into: workspace.hidden)

        var rows = Array(0..<tokens)
        for (i, layer) in weights.layers.enumerated() {
            selfAttention(layer, windows: windows, offsets: offsets, tokens: tokens, workspace: workspace)
            if i == weights.layers.count - 1, !allPositions {
                rows = Self.answerPositions(windows, offsets: offsets, clsID: clsID)
                compactRows(rows, workspace: workspace)
            }
            feedForward(layer, rows: rows.count, workspace: workspace)
        }

        let logits = workspace.logits!
        gemm(m: rows.count, n: 2, k: config.hiddenSize, a: workspace.hidden, b: weights.qaWeight, c: logits, parallel: false)
        var start = [Float](repeating: .nan, count: tokens), end = [Float](repeating: .nan, count: tokens)
        for (i, t) in rows.enumerated() {
            start[t] = logits[2 * i] + weights.qaBias[0]
            end[t] = logits[2 * i + 1] + weights.qaBias[1]
        }
        return BatchLogits(start: start, end: end, windowOffsets: offsets)
    }

    /// Packed indices of the positions span decoding can choose: [CLS] (wherever its id appears) and the context.
    static func answerPositions(_ windows: [QAWindow], offsets: [Int], clsID: Int32) -> [Int] {
        var rows: [Int] = []
        for (w, window) in windows.enumerated() {
            let context = window.contextOffset..<(window.contextOffset + window.contextTokens.count)
            for i in 0..<window.count where i == 0 || context.contains(i) || window.inputIDs[i] == clsID {
                rows.append(offsets[w] + i)
            }
        }
        return rows
    }

    /// Moves the kept rows of the residual stream and the attention output to the front, in order.
    private func compactRows(_ rows: [Int], workspace: Workspace) {
        let h = config.hiddenSize
        for (i, r) in rows.enumerated() where i != r {
            (workspace.hidden + i * h).update(from: workspace.hidden + r * h, count: h)
            (workspace.attention + i * h).update(from: workspace.attention + r * h, count: h)
        }
    }

    private func embed(_ windows: [QAWindow], tokens: Int, into hidden: UnsafeMutablePointer<Float>) throws {
        let h = config.hiddenSize
        var row = hidden
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: h)
        defer { scratch.deallocate() }
        for w in windows {
            for (position, id) in w.inputIDs.enumerated() {
                let word = try weights.wordEmbeddings.row(Int(id), scratch: scratch)
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
        parallelRows(tokens) { range in
            Kernels.addLayerNorm(hidden + range.lowerBound * h, residual: nil, bias: nil, gain: weights.embeddingNormGain,
                                 beta: weights.embeddingNormBias, rows: range.count, width: h, epsilon: config.layerNormEpsilon)
        }
    }

    /// Q, K, V for every token, then per sequence and head softmax(QK^T / sqrt(d)) V into `attention`.
    private func selfAttention(_ layer: LayerWeights, windows: [QAWindow], offsets: [Int],
                               tokens: Int, workspace: Workspace) {
        let h = config.hiddenSize, heads = config.headCount, d = config.headSize
        let x = workspace.hidden!, qkv = workspace.qkv!, attention = workspace.attention!

        switch layer.linear {
        case .int8(let int8):
            gemm(int8.qkv, m: tokens, a: x, bias: layer.qkvBias, c: qkv, workspace: workspace)
        case .fp32(let fp32):
            gemm(m: tokens, n: 3 * h, k: h, a: x, b: fp32.qkv, packed: fp32.packed?[0], c: qkv) { columns in
                Kernels.addBias(qkv + columns.lowerBound, bias: layer.qkvBias + columns.lowerBound, rows: tokens,
                                width: columns.count, stride: 3 * h)
            }
        }

        let scale = 1 / Float(d).squareRoot()
        let jobs = windows.count * heads
        parallel { worker in
            let scores = workspace.scores(worker: worker)
            var job = worker
            while job < jobs {
                let (w, head) = job.quotientAndRemainder(dividingBy: heads)
                let rows = qkv + offsets[w] * 3 * h
                Kernels.attentionHead(q: rows + head * d, k: rows + h + head * d, v: rows + 2 * h + head * d, stride: 3 * h,
                                      length: windows[w].count, headSize: d, scale: scale, scratch: scores,
                                      out: attention + offsets[w] * h + head * d, outStride: h)
                job += workers
            }
        }
    }

    /// Attention output projection and layer norm, then the GELU feed-forward block and layer norm, on `rows` rows.
    /// In int8 the kernels dequantise straight into the fp32 epilogues: the bias is added while dequantising
    /// where nothing else follows it (Q, K, V; the GELU input), and left to the residual + layer norm pass otherwise.
    private func feedForward(_ layer: LayerWeights, rows: Int, workspace: Workspace) {
        let h = config.hiddenSize, f = config.intermediateSize, eps = config.layerNormEpsilon
        let x = workspace.hidden!, attention = workspace.attention!
        let projection = workspace.projection!, intermediate = workspace.intermediate!

        switch layer.linear {
        case .int8(let int8):
            gemm(int8.attentionOutput, m: rows, a: attention, bias: nil, c: projection, workspace: workspace)
        case .fp32(let fp32):
            gemm(m: rows, n: h, k: h, a: attention, b: fp32.attentionOutput, packed: fp32.packed?[1], c: projection)
        }
        parallelRows(rows) { r in
            Kernels.addLayerNorm(x + r.lowerBound * h, residual: projection + r.lowerBound * h, bias: layer.attentionOutputBias,
                                 gain: layer.attentionNormGain, beta: layer.attentionNormBias, rows: r.count, width: h, epsilon: eps)
        }
        switch layer.linear {
        case .int8(let int8):
            gemm(int8.intermediate, m: rows, a: x, bias: layer.intermediateBias, c: intermediate, workspace: workspace) { columns in
                Kernels.addBiasGELU(intermediate + columns.lowerBound, bias: nil, rows: rows, width: columns.count, stride: f,
                                    fused: true)
            }
            gemm(int8.output, m: rows, a: intermediate, bias: nil, c: projection, workspace: workspace)
        case .fp32(let fp32):
            gemm(m: rows, n: f, k: h, a: x, b: fp32.intermediate, packed: fp32.packed?[2], c: intermediate) { columns in
                Kernels.addBiasGELU(intermediate + columns.lowerBound, bias: layer.intermediateBias + columns.lowerBound,
                                    rows: rows, width: columns.count, stride: f)
            }
            gemm(m: rows, n: h, k: f, a: intermediate, b: fp32.output, packed: fp32.packed?[3], c: projection)
        }
        parallelRows(rows) { r in
            Kernels.addLayerNorm(x + r.lowerBound * h, residual: projection + r.lowerBound * h, bias: layer.outputBias,
                                 gain: layer.outputNormGain, beta: layer.outputNormBias, rows: r.count, width: h, epsilon: eps)
        }
    }

    /// C[m, n] = A[m, k] x B[k, n], row-major, split over the workers by blocks of columns (multiples of 16).
    /// Each worker then runs `epilogue` on its own columns, saving a separate parallel pass. With `packed` (B packed
    /// for the engine's kernel) the product runs there, else in OpenBLAS.
    private func gemm(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, packed: PackedFP32Matrix? = nil,
                      c: UnsafeMutablePointer<Float>, parallel: Bool = true, epilogue: ((Range<Int>) -> Void)? = nil) {
        guard m > 0 else { return }
        let parts = parallel ? workers : 1
        let block = ((n + parts - 1) / parts + 15) & ~15
        self.parallel(parts) { worker in
            let first = worker * block
            guard first < n else { return }
            let width = min(block, n - first)
            if let packed {
                packed.multiply(a, rows: m, columns: first..<(first + width), into: c, stride: n)
            } else {
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(width), Int32(k),
                            1, a, Int32(k), b + first, Int32(n), 0, c + first, Int32(n))
            }
            epilogue?(first..<(first + width))
        }
    }

    /// The int8 product C[m, n] = A[m, k] x W + bias: A's rows are quantised (split over the workers by rows), then
    /// the product is split by blocks of columns as in fp32, each worker running `epilogue` on its own columns.
    private func gemm(_ w: Int8Matrix, m: Int, a: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                      c: UnsafeMutablePointer<Float>, workspace: Workspace, epilogue: ((Range<Int>) -> Void)? = nil) {
        guard m > 0, let q = workspace.quantized, let scales = workspace.rowScales else { return }
        let k = w.inputs, n = w.outputs
        let rowBytes = Int8Matrix.activationRowBytes(w.kernel, inputs: k)
        parallelRows(m) { r in
            w.quantize(a + r.lowerBound * k, rows: r.count, stride: k, into: q + r.lowerBound * rowBytes,
                       scales: scales + r.lowerBound)
        }
        let block = ((n + workers - 1) / workers + 15) & ~15
        parallel(workers) { worker in
            let first = worker * block
            guard first < n else { return }
            let columns = first..<min(n, first + block)
            w.multiply(q, scales: scales, rows: m, columns: columns, bias: bias, into: c, stride: n)
            epilogue?(columns)
        }
    }

    private func parallelRows(_ rows: Int, _ body: (Range<Int>) -> Void) {
        let parts = min(workers, rows)
        guard parts > 1 else { return body(0..<rows) }
        let block = (rows + parts - 1) / parts
        parallel(parts) { worker in
            let range = (worker * block)..<min(rows, (worker + 1) * block)
            if !range.isEmpty { body(range) }
        }
    }

    private func parallel(_ parts: Int? = nil, _ body: (Int) -> Void) {
        let parts = parts ?? workers
        if parts <= 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            // Each part writes a disjoint slice of the workspace, and concurrentPerform returns only when all are done.
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: parts) { shared.value($0) }
        }
    }
}

private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
