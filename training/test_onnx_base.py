"""onnx_base rebuilds a BERT encoder from an ONNX export, plain or dynamically quantised, and checks it."""
import os

import numpy as np
import pytest
import torch

onnx = pytest.importorskip("onnx")
ort_quant = pytest.importorskip("onnxruntime.quantization")

import onnx_base  # noqa: E402

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + \
    "what drug was injected into the right eye ? r : eylea 2mg today . va 6 / 12 l 9 plan review 4 52".split()


def tiny_export(tmp_path, quantise):
    from transformers import BertConfig, BertModel
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=128, max_position_embeddings=128)
    model = BertModel(config, add_pooling_layer=False).eval()
    with torch.no_grad():  # distinct biases and norms: an exporter shares identical (zero) initializers
        for param in model.parameters():
            param.add_(torch.randn_like(param) * 0.05)
        for layer in model.encoder.layer:  # peaked attention, so that the head count shows in the output
            layer.attention.self.query.weight.mul_(8)
            layer.attention.self.key.weight.mul_(8)
    src = tmp_path / "src"
    src.mkdir()
    (src / "vocab.txt").write_text("\n".join(dict.fromkeys(VOCAB)) + "\n")
    config.to_json_file(str(src / "config.json"))
    ids = torch.tensor([[2, 10, 11, 3, 12, 13, 3]])
    path = str(src / ("float.onnx" if quantise else "model.onnx"))
    torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), path,
                      input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["last_hidden_state"], opset_version=14,
                      dynamic_axes={n: {0: "b", 1: "s"} for n in ("input_ids", "attention_mask", "token_type_ids")})
    if quantise:
        ort_quant.quantize_dynamic(path, str(src / "model.onnx"), per_channel=True,
                                   weight_type=ort_quant.QuantType.QInt8)
    return model, src


@pytest.mark.parametrize("quantise", [False, True])
def test_rebuilds_the_encoder(tmp_path, quantise):
    model, src = tiny_export(tmp_path, quantise)
    dst = tmp_path / "dst"
    onnx_base.main([str(src), str(dst), "--min-cosine", "0.9"])
    from safetensors.torch import load_file
    rebuilt = load_file(str(dst / "model.safetensors"))
    for name, value in model.state_dict().items():
        if name.endswith("position_ids"):
            continue
        assert name in rebuilt, name
        scale = float(value.abs().max())
        assert float((rebuilt[name] - value).abs().max()) <= (0.02 * scale if quantise else 1e-6), name


def test_a_wrong_head_count_fails_the_check(tmp_path):
    import json
    _, src = tiny_export(tmp_path, False)
    config = json.loads((src / "config.json").read_text())
    config["num_attention_heads"] = 1
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(config))
    with pytest.raises(SystemExit):
        onnx_base.main([str(src), str(tmp_path / "dst"), "--config", str(wrong), "--min-cosine", "0.999"])
