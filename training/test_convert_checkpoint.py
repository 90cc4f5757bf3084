"""pytest for convert_checkpoint.py: a random DistilBertForQuestionAnswering saved as pytorch_model.bin."""
import json
import os
import sys

import pytest
import torch
from safetensors.torch import load_file
from transformers import DistilBertConfig, DistilBertForQuestionAnswering, DistilBertTokenizerFast

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import convert_checkpoint  # noqa: E402

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "what", "drug", "was", "injected", "into", "the", "right",
         "left", "eye", "?", "eylea", "r", ")", "l", "6", "/", "9", "12", "avastin", "##s", "va"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A transformers 4.17-style checkpoint directory: pytorch_model.bin, config.json, vocab.txt."""
    src = tmp_path_factory.mktemp("published")
    torch.manual_seed(0)
    config = DistilBertConfig(vocab_size=len(WORDS), dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                              max_position_embeddings=64)
    model = DistilBertForQuestionAnswering(config).eval()
    model.save_pretrained(src, safe_serialization=False)
    (src / "vocab.txt").write_text("\n".join(WORDS) + "\n")
    assert (src / "pytorch_model.bin").is_file() and not (src / "model.safetensors").exists()
    return src, model


def test_converted_tensors_equal_the_originals(published, tmp_path):
    src, model = published
    convert_checkpoint.convert(str(src), str(tmp_path), "float32")
    converted = load_file(str(tmp_path / "model.safetensors"))
    original = {k: v for k, v in model.state_dict().items() if not k.endswith("position_ids")}
    assert set(converted) == set(original)
    for name, tensor in original.items():
        assert converted[name].dtype == torch.float32
        assert torch.equal(converted[name], tensor), name
    assert (tmp_path / "vocab.txt").read_text() == (src / "vocab.txt").read_text()
    assert json.loads((tmp_path / "config.json").read_text())["architectures"] == ["DistilBertForQuestionAnswering"]


def test_transformers_loads_the_converted_dir_with_the_same_logits(published, tmp_path):
    src, model = published
    convert_checkpoint.convert(str(src), str(tmp_path), "float32")
    loaded = DistilBertForQuestionAnswering.from_pretrained(str(tmp_path)).eval()
    tokenizer = DistilBertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    enc = tokenizer("what drug was injected into the right eye?", "r) eylea l) avastin va r 6/9",
                    return_tensors="pt")
    with torch.no_grad():
        want, got = model(**enc), loaded(**enc)
    assert torch.equal(want.start_logits, got.start_logits)
    assert torch.equal(want.end_logits, got.end_logits)


def test_float16_conversion_rounds_each_tensor(published, tmp_path):
    src, model = published
    convert_checkpoint.convert(str(src), str(tmp_path), "float16")
    converted = load_file(str(tmp_path / "model.safetensors"))
    for name, tensor in model.state_dict().items():
        if not name.endswith("position_ids"):
            assert converted[name].dtype == torch.float16
            assert torch.equal(converted[name], tensor.half()), name


def test_missing_weights_is_a_clear_error(tmp_path):
    with pytest.raises(convert_checkpoint.ConversionError, match="no pytorch_model.bin"):
        convert_checkpoint.convert(str(tmp_path), str(tmp_path / "out"))


def test_vocab_size_mismatch_is_rejected(published, tmp_path):
    src, _ = published
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("pytorch_model.bin", "config.json"):
        (broken / name).write_bytes((src / name).read_bytes())
    (broken / "vocab.txt").write_text("\n".join(WORDS[:-1]) + "\n")
    with pytest.raises(convert_checkpoint.ConversionError, match="vocab.txt has"):
        convert_checkpoint.convert(str(broken), str(tmp_path / "out"))
