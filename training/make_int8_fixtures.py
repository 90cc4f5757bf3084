"""Writes PyTorch's dynamically quantised logits for the tiny parity models (run once with the pinned training venv).

For each of Tests/QAEngineTests/Fixtures/tiny-bert and tiny-distilbert, the model is quantised with
torch.ao.quantization.quantize_dynamic: every nn.Linear gets per-output-channel symmetric int8 weights and
per-tensor activations quantised at run time (fbgemm on x86), the scheme closest to the Swift engine's int8
path (which quantises activations per row instead). Each window of the existing qa-<model>.json fixture is run
through it and its start/end logits written to qa-<model>-int8.json, in the same case/question/window order.

Usage: python training/make_int8_fixtures.py [--fixtures Tests/QAEngineTests/Fixtures]
"""

import argparse
import json
from pathlib import Path

import torch
import transformers
from transformers import AutoModelForQuestionAnswering


def f32(x) -> float:
    return float(torch.tensor(float(x), dtype=torch.float32))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, default=Path("Tests/QAEngineTests/Fixtures"))
    args = parser.parse_args()
    assert transformers.__version__ == "4.46.3", f"pinned transformers 4.46.3, found {transformers.__version__}"
    torch.set_num_threads(1)
    torch.backends.quantized.engine = "fbgemm"
    for name in ("tiny-bert", "tiny-distilbert"):
        model = AutoModelForQuestionAnswering.from_pretrained(args.fixtures / name, torch_dtype=torch.float32).eval()
        qconfig = torch.ao.quantization.per_channel_dynamic_qconfig
        quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear: qconfig}, dtype=torch.qint8)
        fixture = json.loads((args.fixtures / f"qa-{name}.json").read_text(encoding="utf-8"))
        cases, worst = [], 0.0
        for case in fixture["cases"]:
            questions = []
            for question in case["questions"]:
                windows = []
                for window in question["windows"]:
                    kwargs = {"input_ids": torch.tensor([window["input_ids"]])}
                    if name == "tiny-bert":
                        kwargs["token_type_ids"] = torch.tensor([window["token_type_ids"]])
                    with torch.no_grad():
                        out = quantized(**kwargs)
                    start = [f32(x) for x in out.start_logits[0]]
                    end = [f32(x) for x in out.end_logits[0]]
                    exact = window["start_logits"] + window["end_logits"]
                    scale = max(1.0, max(abs(x) for x in exact))
                    worst = max(worst, max(abs(a - b) / scale for a, b in zip(exact, start + end)))
                    windows.append({"start_logits": start, "end_logits": end})
                questions.append({"windows": windows})
            cases.append({"name": case["name"], "questions": questions})
        path = args.fixtures / f"qa-{name}-int8.json"
        path.write_text(json.dumps({"model": name, "torch": torch.__version__, "scheme": "quantize_dynamic, "
                                    "per_channel_dynamic_qconfig, fbgemm", "cases": cases},
                                   separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"{path.name}: largest relative difference from PyTorch fp32 {worst:.3f}")


if __name__ == "__main__":
    main()
