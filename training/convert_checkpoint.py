#!/usr/bin/env python3
"""Convert a transformers 4.17-style QA checkpoint (pytorch_model.bin pickle) to the layout the engine loads.

Input directory: pytorch_model.bin, config.json, vocab.txt (tokenizer_config.json optional).
Output directory: model.safetensors (float32 or float16), config.json, vocab.txt, tokenizer_config.json if given.
Tensor names are kept as saved (bert.* / distilbert.* and qa_outputs.*); non-weight buffers such as
`*.position_ids` are dropped. The pickle is read with torch.load(weights_only=True), which refuses code objects.

usage: convert_checkpoint.py SRC_DIR DST_DIR [--dtype float16|float32]
"""
import argparse
import json
import os
import shutil
import sys

import torch
from safetensors.torch import save_file

DTYPES = {"float32": torch.float32, "float16": torch.float16}
COPIED = ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json")


class ConversionError(Exception):
    pass


def load_state_dict(src):
    path = os.path.join(src, "pytorch_model.bin")
    if not os.path.isfile(path):
        raise ConversionError("{}: no pytorch_model.bin".format(src))
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # a truncated or non-PyTorch file: say which and why
        raise ConversionError("{}: cannot read as a PyTorch state dict: {}".format(path, err)) from err
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ConversionError("{}: expected a dict of tensors".format(path))
    return state


def convert_tensors(state, dtype):
    out = {}
    for name, tensor in state.items():
        if name.endswith("position_ids"):
            continue
        if not tensor.is_floating_point():
            raise ConversionError("tensor {} has non-float dtype {}".format(name, tensor.dtype))
        out[name] = tensor.detach().to(dtype).contiguous().clone()
    if not any(n.startswith("qa_outputs.") for n in out):
        raise ConversionError("no qa_outputs.* tensors: not a question-answering checkpoint")
    return out


def check_config(src, tensors):
    path = os.path.join(src, "config.json")
    if not os.path.isfile(path):
        raise ConversionError("{}: no config.json".format(src))
    with open(path) as fh:
        config = json.load(fh)
    model_type = config.get("model_type")
    prefix = {"bert": "bert.", "distilbert": "distilbert."}.get(model_type)
    if prefix is None:
        raise ConversionError("config.json model_type {!r} is not bert or distilbert".format(model_type))
    words = tensors.get(prefix + "embeddings.word_embeddings.weight")
    if words is None:
        raise ConversionError("no {}embeddings.word_embeddings.weight".format(prefix))
    if words.shape[0] != config.get("vocab_size"):
        raise ConversionError("word embeddings have {} rows, config vocab_size is {}".format(
            words.shape[0], config.get("vocab_size")))
    vocab = os.path.join(src, "vocab.txt")
    if not os.path.isfile(vocab):
        raise ConversionError("{}: no vocab.txt".format(src))
    with open(vocab, encoding="utf-8") as fh:
        lines = sum(1 for _ in fh)
    if lines != config["vocab_size"]:
        raise ConversionError("vocab.txt has {} entries, config vocab_size is {}".format(lines, config["vocab_size"]))
    return config


def convert(src, dst, dtype="float32"):
    if dtype not in DTYPES:
        raise ConversionError("dtype must be one of {}".format(", ".join(DTYPES)))
    tensors = convert_tensors(load_state_dict(src), DTYPES[dtype])
    config = check_config(src, tensors)
    os.makedirs(dst, exist_ok=True)
    save_file(tensors, os.path.join(dst, "model.safetensors"), metadata={"format": "pt"})
    config["torch_dtype"] = dtype
    with open(os.path.join(dst, "config.json"), "w") as fh:
        json.dump(config, fh, indent=2, sort_keys=True)
        fh.write("\n")
    for name in COPIED:
        if os.path.isfile(os.path.join(src, name)):
            shutil.copyfile(os.path.join(src, name), os.path.join(dst, name))
    return tensors


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="float32")
    args = ap.parse_args(argv)
    try:
        tensors = convert(args.src, args.dst, args.dtype)
    except ConversionError as err:
        sys.exit("convert_checkpoint: " + str(err))
    print("wrote {} tensors to {}".format(len(tensors), os.path.join(args.dst, "model.safetensors")))


if __name__ == "__main__":
    main()
