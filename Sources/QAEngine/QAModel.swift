import CInt8Kernels
import COpenBLAS
import Foundation

/// An extractive QA model loaded from a Hugging Face model directory (`config.json`, `vocab.txt`,
/// `model.safetensors`, optionally `tokenizer_config.json`). Load once; `answer` is safe to call from any thread
/// (calls are serialised, each using all of the model's BLAS threads).
public final class QAModel: QuestionAnswering, @unchecked Sendable {
    public let directory: String
    public let config: ModelConfig
    public let tokenizer: WordPieceTokenizer
    /// Threads used by each forward pass (each running single-threaded OpenBLAS on its share).
    public let threads: Int
    /// The linear layers' arithmetic, and for int8 the kernel running it.
    public let precision: Precision
    public let int8Kernel: Int8Kernel?

    private let encoder: TransformerEncoder
    private let lock = NSLock()
    private let workspace = Workspace()

    /// With `precision` int8 the kernel is `int8Kernel`, else the one $CLINIC_INT8_KERNEL forces, else the
    /// fastest this CPU runs.
    public init(directory: String, threads: Int = 2, precision: Precision = .fp32, int8Kernel: Int8Kernel? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw QAEngineError.unreadableFile(path: directory, reason: "not a model directory (expected config.json, vocab.txt and model.safetensors in it)")
        }
        guard threads >= 1 else { throw QAEngineError.invalidInput("threads must be at least 1, got \(threads)") }
        Self.singleThreadedBLAS
        self.directory = directory
        self.threads = threads
        self.precision = precision
        if precision == .int8 {
            let kernel = try int8Kernel ?? Int8Kernel.selected(environment: ProcessInfo.processInfo.environment)
            guard kernel.isSupported else {
                throw QAEngineError.invalidInput("this CPU cannot run the \(kernel.rawValue) int8 kernel")
            }
            self.int8Kernel = kernel
        } else {
            self.int8Kernel = nil
        }
        let configPath = joinPath(directory, "config.json")
        config = try ModelConfig.load(path: configPath)
        tokenizer = try WordPieceTokenizer.load(directory: directory)
        guard tokenizer.vocabulary.count <= config.vocabularySize else {
            throw QAEngineError.invalidVocabulary(
                path: joinPath(directory, "vocab.txt"),
                reason: "\(tokenizer.vocabulary.count) tokens, but \(configPath) has vocab_size \(config.vocabularySize)")
        }
        let weightsFile = try SafeTensorsFile(path: joinPath(directory, "model.safetensors"))
        encoder = TransformerEncoder(config: config,
                                     weights: try TransformerWeights(file: weightsFile, config: config, int8Kernel: self.int8Kernel),
                                     workers: threads)
        try probe(weightsPath: weightsFile.path)
    }

    /// Once per process: OpenBLAS on one thread (the encoder splits the work itself, and nested OpenBLAS threads
    /// would only contend with it) and its idle pool stopped. This OpenBLAS restarts the pool whenever
    /// openblas_set_num_threads is called after that, so nothing else calls it.
    private static let singleThreadedBLAS: Void = {
        openblas_set_num_threads(1)
        ci8_stop_blas_threads()
    }()

    private init(sharing other: QAModel, threads: Int) {
        directory = other.directory
        config = other.config
        tokenizer = other.tokenizer
        self.threads = threads
        precision = other.precision
        int8Kernel = other.int8Kernel
        encoder = TransformerEncoder(config: other.config, weights: other.encoder.weights, workers: threads)
        maxBatchTokens = other.maxBatchTokens
    }

    /// A model answering with this one's weights and tokenizer (nothing is loaded or copied) but its own scratch
    /// memory and lock, each forward pass on `threads` threads: several of them answer different contexts at the
    /// same time, which keeps every core busy with less waiting than splitting one small pass over them.
    public func sharingWeights(threads: Int) -> QAModel {
        QAModel(sharing: self, threads: max(1, threads))
    }

    /// One forward pass over "[CLS] [SEP]": finite weights can still overflow (random bytes of the right size
    /// read as floats up to 3e38), and a model whose logits are NaN or infinite would answer nothing, silently.
    private func probe(weightsPath: String) throws {
        let window = QAWindow(inputIDs: [tokenizer.clsID, tokenizer.sepID], tokenTypeIDs: [0, 0], contextOffset: 1,
                              contextTokens: 0..<0)
        let logits = try run([window], allPositions: true)
        guard logits.start.allSatisfy(\.isFinite), logits.end.allSatisfy(\.isFinite) else {
            throw QAEngineError.invalidWeights(
                path: weightsPath, reason: "the weights give NaN or infinite logits on a probe input: they are corrupt or not a trained model")
        }
    }

    public func answer(questions: [String], context: String, options: DecodeOptions) throws -> [QAResult] {
        let contextScalars = Array(context.unicodeScalars)
        let batch = try encode(questions: questions, context: context, options: options)
        guard !batch.encodings.isEmpty else { return [] }
        let decoder = SpanDecoder(clsID: tokenizer.clsID, maxAnswerLength: options.maxAnswerLength)
        guard !batch.encodings[0].context.isEmpty else {
            // Nothing to point at: only [CLS] is selectable, so the null answer has probability 1.
            return questions.map { _ in QAResult(best: nil, nullScore: 1, answer: nil) }
        }
        let logits = try run(batch.encodings.flatMap(\.windows))
        var results: [QAResult] = []
        var firstWindow = 0
        for encoding in batch.encodings {
            results.append(decoder.decode(encoding: encoding, logits: logits, firstWindow: firstWindow,
                                          contextScalars: contextScalars, nullThreshold: options.nullThreshold,
                                          alternatives: options.alternatives))
            firstWindow += encoding.windows.count
        }
        return results
    }

    /// Each question's windows over the context, as the pipeline would feed them to the model.
    public func encode(questions: [String], context: String, options: DecodeOptions) throws -> (encodings: [QAEncoding], context: [Token]) {
        guard options.maxAnswerLength >= 1 else {
            throw QAEngineError.invalidInput("maxAnswerLength must be at least 1, got \(options.maxAnswerLength)")
        }
        let maxLength = min(options.maxSequenceLength, config.maxPositions)
        var scratch = NormalizedText()
        let contextTokens = tokenizer.tokenize(context, scratch: &scratch)
        let encodings = try questions.map { question in
            try QAEncoding(question: tokenizer.tokenize(question, scratch: &scratch), context: contextTokens,
                           clsID: tokenizer.clsID, sepID: tokenizer.sepID,
                           maxSequenceLength: maxLength, docStride: options.docStride)
        }
        return (encodings, contextTokens)
    }

    /// Start and end logits for a batch of windows, in as few forward passes as `maxBatchTokens` allows. Unless
    /// `allPositions` is set, only the positions an answer can use ([CLS] and the context) are computed in the
    /// last layer; the others are NaN.
    /// Throws when a binary16 embedding row a token needs is NaN or infinite (`EmbeddingTable`).
    public func run(_ windows: [QAWindow], allPositions: Bool = false) throws -> BatchLogits {
        lock.lock()
        defer { lock.unlock() }
        // OpenBLAS was set to one thread once, at the first load (singleThreadedBLAS): the encoder parallelises
        // itself. Setting it again here would restart the pool that was shut down.
        var result = BatchLogits(start: [], end: [], windowOffsets: [0])
        var group: [QAWindow] = []
        var groupTokens = 0
        func flush() throws {
            guard !group.isEmpty else { return }
            let logits = try encoder.logits(for: group, allPositions: allPositions, clsID: tokenizer.clsID, workspace: workspace)
            let base = result.start.count
            result.start += logits.start
            result.end += logits.end
            result.windowOffsets += logits.windowOffsets.dropFirst().map { $0 + base }
            group.removeAll(keepingCapacity: true)
            groupTokens = 0
        }
        for window in windows {
            if groupTokens + window.count > maxBatchTokens { try flush() }
            group.append(window)
            groupTokens += window.count
        }
        try flush()
        return result
    }

    /// Tokens per forward pass. Four questions over a clinic note are a few hundred tokens and run as one pass;
    /// a very long document is split so scratch memory stays around 30 MB (MiniLM) instead of growing with it.
    var maxBatchTokens = 2048
}
