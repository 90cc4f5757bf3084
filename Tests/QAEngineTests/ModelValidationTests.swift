import Foundation
import JSON
import Testing
@testable import QAEngine

/// Model files are validated before use (issue 12): absurd config.json sizes, sizes the tensors do not bear
/// out, and NaN, infinite or random weights are each a clear error naming the file, never a crash.
@Suite struct ModelValidationTests {
    func loadError(_ model: String) -> String? {
        do {
            _ = try QAModel(directory: model, threads: 1)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("hidden_size", JSON.int(1_200_000_000)), ("vocab_size", .int(9_000_000_000_000_000_000)),
        ("num_hidden_layers", .int(1_000_000)), ("max_position_embeddings", .int(1_000_000_000_000)),
        ("intermediate_size", .int(1_000_000_000)), ("num_attention_heads", .int(100_000)),
        ("type_vocab_size", .int(1_000_000)),
    ])
    func anAbsurdSizeIsRejectedNamingTheKey(key: String, value: JSON) throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.setConfig(key, value)
        let error = try #require(loadError(model.directory))
        #expect(error.hasPrefix("\(model.configPath): \(key) \(value) is out of range"), "\(error)")
    }

    @Test(arguments: [JSON.double(-1), .double(1e300), .double(0)])
    func aLayerNormEpsilonOutOfRangeIsRejected(value: JSON) throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.setConfig("layer_norm_eps", value)
        #expect(loadError(model.directory)?.contains("layer_norm_eps") == true)
    }

    @Test func sizesWithinBoundsButNotTheTensorsAreRejectedBeforeAllocating() throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.setConfig("vocab_size", .int(1_000_000))
        try model.setConfig("num_hidden_layers", .int(128))
        let error = try #require(loadError(model.directory))
        #expect(error.contains("\(model.weightsPath): tensor bert.embeddings.word_embeddings.weight has shape [2268, 32], expected [1000000, 32] from config.json"), "\(error)")
    }

    /// Binary16 word embeddings stay in the file and each row is checked as a token needs it: the model loads,
    /// a note whose tokens avoid the bad row is answered, and one that needs it is an error naming the tensor.
    @Test(arguments: [(UInt32(0x7E00), "NaN"), (0x7C00, "an infinite value")])
    func aCorruptEmbeddingRowIsAnErrorWhenATokenNeedsIt(bits: UInt32, what: String) throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-distilbert"))  // stored as F16
        let clean = try QAModel(directory: model.directory, threads: 1)
        let eylea = try #require(clean.tokenizer.tokenize("eylea").first?.id)
        let width = clean.config.hiddenSize
        try model.setBits("distilbert.embeddings.word_embeddings.weight", index: Int(eylea) * width + 3, bits)
        let corrupt = try QAModel(directory: model.directory, threads: 1)
        let question = ["What drug was injected into the right eye?"]
        let others = clean.tokenizer.tokenize(question[0] + " R) avastin today").map(\.id)
        try #require(!others.contains(eylea), "the clean note must not need the corrupt row")
        #expect(try corrupt.answer(questions: question, context: "R) avastin today", options: DecodeOptions()).count == 1)
        let error = #expect(throws: QAEngineError.self) {
            try corrupt.answer(questions: question, context: "R) eylea today", options: DecodeOptions())
        }
        #expect(error.map { "\($0)" } == "\(model.weightsPath): tensor distilbert.embeddings.word_embeddings.weight holds "
            + "\(what) at element \(Int(eylea) * width + 3): the weights are corrupt")
    }

    @Test(arguments: [(UInt32(0x7FC0_0000), "NaN"), (0x7F80_0000, "an infinite value"), (0xFF80_0000, "an infinite value")])
    func nonFiniteWeightsAreRejectedNamingTheTensor(bits: UInt32, what: String) throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.setBits("bert.encoder.layer.1.output.dense.weight", index: 5, bits)
        let error = try #require(loadError(model.directory))
        #expect(error == "\(model.weightsPath): tensor bert.encoder.layer.1.output.dense.weight holds \(what) at element 5: the weights are corrupt")
    }

    @Test(arguments: [(UInt32(0x7E00), "NaN"), (0x7C00, "an infinite value")])
    func halfPrecisionWeightsThatAreNoNumberAreRejected(bits: UInt32, what: String) throws {
        let dir = try TemporaryDirectory()
        let shipped = CorruptModel(directory: try dir.copyModel("tiny-distilbert"))  // stored as F16
        try shipped.setBits("distilbert.transformer.layer.0.ffn.lin1.weight", index: 7, bits)
        #expect(loadError(shipped.directory) == "\(shipped.weightsPath): tensor distilbert.transformer.layer.0.ffn.lin1.weight holds \(what) at element 7: the weights are corrupt")
        let converted = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try converted.convertToHalf()
        #expect(loadError(converted.directory) == nil, "an F16 copy of a good F32 model loads")
        try converted.setBits("qa_outputs.weight", index: 3, bits)
        #expect(loadError(converted.directory)?.contains("tensor qa_outputs.weight holds \(what) at element 3") == true)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func randomBytesOfTheRightSizeAreRejected(seed: UInt64) throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.randomiseData(seed: seed)
        let error = try #require(loadError(model.directory))
        #expect(error.hasPrefix("\(model.weightsPath): "), "\(error)")
        #expect(error.contains("NaN") || error.contains("infinite"), "\(error)")
    }

    @Test func finiteWeightsWhoseLogitsOverflowAreCaughtByTheProbe() throws {
        let dir = try TemporaryDirectory()
        let model = CorruptModel(directory: try dir.copyModel("tiny-bert"))
        try model.fill("qa_outputs.weight", 3e38)
        let error = try #require(loadError(model.directory))
        #expect(error == "\(model.weightsPath): the weights give NaN or infinite logits on a probe input: they are corrupt or not a trained model")
    }

    @Test func theShippedFixturesStillLoad() throws {
        #expect(loadError(Fixtures.path("tiny-bert")) == nil)
        #expect(loadError(Fixtures.path("tiny-distilbert")) == nil)
    }
}
