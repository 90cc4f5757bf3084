#!/usr/bin/env python3
"""Score a saved QA model directory on the handwritten check notes and/or a generated held-out split.

usage: evaluate.py MODEL_DIR [--handwritten FILE] [--heldout-notes N] [--misses]
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402
from transformers import AutoModelForQuestionAnswering, AutoTokenizer  # noqa: E402

import generate  # noqa: E402
from qa_data import build_features, examples_from_handwritten, examples_from_notes  # noqa: E402
from train import evaluate, fmt_table  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--handwritten", default=os.path.join(HERE, "handwritten_check.jsonl"))
    ap.add_argument("--heldout-notes", type=int, default=0)
    ap.add_argument("--data-seed", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=192)
    ap.add_argument("--misses", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(args.model, use_fast=True)
    model = AutoModelForQuestionAnswering.from_pretrained(args.model, torch_dtype=torch.float32)
    use_types = model.config.model_type != "distilbert"
    sets = []
    if args.handwritten:
        sets.append(("handwritten", examples_from_handwritten(args.handwritten), False))
    if args.heldout_notes:
        notes = generate.generate(args.heldout_notes, args.data_seed + 1000, "heldout")
        sets.append(("held-out", examples_from_notes(notes), True))
    for name, examples, labelled in sets:
        feats = build_features(tokenizer, examples, args.max_length, 64, labelled)[0]
        table, misses, _ = evaluate(model, examples, feats, torch.device("cpu"), use_types)
        print("{}: {}".format(name, fmt_table(table)))
        if args.misses:
            for ex, pred in misses:
                print("  miss {} got {!r} want {!r} | {!r}".format(ex["id"], pred, ex["gold"], ex["context"]))


if __name__ == "__main__":
    main()
