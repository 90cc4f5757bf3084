#!/usr/bin/env python3
"""Calibrate a decoding or plugin setting on annotated note sets, through the release binary.

usage: calibrate.py [--setting decode.nullThreshold] [--grid -2,-1,0,1] [--notes SET.jsonl ...] BINARY

For each value of the grid, writes a settings file with that value and scores `BINARY extract --config FILE`
with shared/eval/score.py on every set; prints EM per set and the pooled EM, and the value with the best
pooled EM (ties: the value closest to the setting's default, 0 unless --default says otherwise).
"""
import argparse
import json
import os
import re
import stat
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCORE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "shared", "eval", "score.py")


def settings(path, value):
    keys = path.split(".")
    if keys[0] == "decode":
        return {"decode": {keys[1]: value}}
    return {"plugins": {keys[0]: {keys[1]: value}}}


def score(binary, notes, config, model=None):
    with tempfile.TemporaryDirectory() as tmp:
        wrapper = os.path.join(tmp, "extract")
        with open(wrapper, "w") as f:
            extra = f' --model "{model}"' if model else ""
            f.write(f'#!/bin/sh\nshift\nexec "{binary}" extract --config "{config}"{extra} "$@"\n')
        os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IEXEC)
        run = subprocess.run([sys.executable, SCORE, "--notes", notes, wrapper], capture_output=True, text=True)
    m = re.search(r"^EM ([\d.]+) F1 ([\d.]+)$", run.stdout, re.M)
    if not m:
        sys.exit(f"score.py failed on {notes}: {run.stdout[-500:]} {run.stderr[-500:]}")
    n = sum(1 for _ in open(notes)) * 4
    return float(m.group(1)), n


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--setting", default="decode.nullThreshold")
    ap.add_argument("--grid", default="-0.3,-0.2,-0.1,-0.05,0,0.05,0.1,0.2,0.3")
    ap.add_argument("--default", type=float, default=0.0)
    ap.add_argument("--notes", action="append", default=[])
    ap.add_argument("--model", help="model directory (default: the binary's own choice)")
    ap.add_argument("binary")
    args = ap.parse_args(argv)
    notes = args.notes or [os.path.join(HERE, "realworld", "realworld.jsonl")]
    binary = os.path.abspath(args.binary)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for value in [float(v) for v in args.grid.split(",")]:
            config = os.path.join(tmp, "settings.json")
            with open(config, "w") as f:
                json.dump(settings(args.setting, value), f)
            per = [score(binary, n, config, args.model and os.path.abspath(args.model)) for n in notes]
            pooled = sum(em * n for em, n in per) / sum(n for _, n in per)
            rows.append((value, per, pooled))
            print(f"{args.setting}={value:+.3f}  " + "  ".join(f"{os.path.basename(p)} EM {em:6.2f}"
                  for p, (em, _) in zip(notes, per)) + f"  pooled EM {pooled:6.2f}", flush=True)
    best = max(rows, key=lambda r: (round(r[2], 6), -abs(r[0] - args.default)))
    print(f"best {args.setting}={best[0]:+.3f} pooled EM {best[2]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
