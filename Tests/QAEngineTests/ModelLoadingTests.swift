import Foundation
import JSON
import Testing
@testable import QAEngine

@Suite struct ModelLoadingTests {
    static let bertConfig: JSON = [
        "architectures": ["BertForQuestionAnswering"], "model_type": "bert", "vocab_size": 100, "hidden_size": 32,
        "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 64, "max_position_embeddings": 64,
        "type_vocab_size": 2, "layer_norm_eps": 1e-6, "hidden_act": "gelu",
    ]

    func configError(_ json: JSON) -> String? {
        do {
            _ = try ModelConfig(json: json, path: "dir/config.json")
            return nil
        } catch let error as QAEngineError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func readsBertAndDistilBertConfigs() throws {
        let bert = try ModelConfig(json: Self.bertConfig)
        #expect(bert == ModelConfig(architecture: .bert, vocabularySize: 100, hiddenSize: 32, layerCount: 2, headCount: 4,
                                    intermediateSize: 64, maxPositions: 64, tokenTypeCount: 2, layerNormEpsilon: 1e-6))
        let distil = try ModelConfig(json: ["model_type": "distilbert", "vocab_size": 10, "dim": 16, "n_layers": 1,
                                            "n_heads": 2, "hidden_dim": 32, "max_position_embeddings": 8])
        #expect(distil.architecture == .distilBert && distil.tokenTypeCount == 0 && distil.layerNormEpsilon == 1e-12)
    }

    @Test func explainsBadConfigs() {
        var noQA = Self.bertConfig
        noQA["architectures"] = ["BertModel"]
        #expect(configError(noQA)?.contains("has no question-answering model") == true)
        var missing = Self.bertConfig
        missing["hidden_size"] = nil
        #expect(configError(missing) == "dir/config.json: hidden_size: missing integer")
        var wrongType = Self.bertConfig
        wrongType["num_attention_heads"] = "twelve"
        #expect(configError(wrongType) == "dir/config.json: num_attention_heads: expected integer, found string")
        var relu = Self.bertConfig
        relu["hidden_act"] = "relu"
        #expect(configError(relu)?.contains("hidden_act \"relu\" is not supported") == true)
        var heads = Self.bertConfig
        heads["num_attention_heads"] = 5
        #expect(configError(heads)?.contains("not a multiple of the 5 attention heads") == true)
        #expect(configError(["model_type": "gpt2"])?.contains("model_type \"gpt2\" is not supported") == true)
        #expect(configError([:])?.contains("neither architectures nor model_type") == true)
        #expect(configError([1, 2])?.contains("expected a JSON object") == true)
    }

    func modelError(_ directory: String) -> String? {
        do {
            _ = try QAModel(directory: directory, threads: 1)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func namesTheMissingFile() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.copyModel("tiny-bert")
        try FileManager.default.removeItem(atPath: model + "/config.json")
        #expect(modelError(model) == "\(model)/config.json: No such file or directory")
        #expect(modelError(dir.path + "/nowhere")?.contains("not a model directory") == true)
    }

    @Test func rejectsInvalidConfigJSON() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.copyModel("tiny-bert")
        try Data("{\"vocab_size\": ".utf8).write(to: URL(fileURLWithPath: model + "/config.json"))
        #expect(modelError(model)?.hasPrefix("\(model)/config.json: invalid JSON") == true)
    }

    @Test func rejectsWeightsThatDoNotMatchTheConfig() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.copyModel("tiny-bert")
        var config = try JSON.parse(String(contentsOfFile: model + "/config.json", encoding: .utf8))
        config["intermediate_size"] = 128
        try Data(config.serialized().utf8).write(to: URL(fileURLWithPath: model + "/config.json"))
        #expect(modelError(model)?.contains("has shape [64, 32], expected [128, 32] from config.json") == true)
        config["intermediate_size"] = 64
        config["num_hidden_layers"] = 3
        try Data(config.serialized().utf8).write(to: URL(fileURLWithPath: model + "/config.json"))
        #expect(modelError(model)?.contains("missing tensor bert.encoder.layer.2.attention.self.query.weight") == true)
    }

    @Test func rejectsTruncatedWeights() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.copyModel("tiny-distilbert")
        let path = model + "/model.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        #expect(modelError(model)?.hasPrefix("\(path): not a valid safetensors file") == true)
    }

    @Test func rejectsVocabularyLargerThanTheEmbeddings() throws {
        let dir = try TemporaryDirectory()
        let model = try dir.copyModel("tiny-bert")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: model + "/vocab.txt"))
        handle.seekToEndOfFile()
        handle.write(Data("extra1\nextra2\n".utf8))
        try handle.close()
        #expect(modelError(model)?.contains("but \(model)/config.json has vocab_size") == true)
    }
}
