#!/usr/bin/env python3
"""Lists every field answer that differs between two `clinic-lsp extract --format jsonl` outputs of the same notes.

usage: diff_extract.py A.jsonl B.jsonl            compare two saved outputs
       diff_extract.py --run BINARY NOTES.txt     run extract with --precision fp32 and int8 and compare

Prints one line per changed answer (file, note, field, first line of the note, answer in A -> answer in B) and a
last line "N of M answers changed". Exit status 0 either way; 2 when the outputs do not describe the same notes.
"""
import json
import subprocess
import sys


def load(lines):
    return [json.loads(line) for line in lines if line.strip()]


def text(value):
    if value is None:
        return None
    return value.get("text") if isinstance(value, dict) else str(value)


def diff(a, b, names=("A", "B")):
    if len(a) != len(b) or any(x["text"] != y["text"] for x, y in zip(a, b)):
        print(f"the outputs do not hold the same notes ({len(a)} and {len(b)})", file=sys.stderr)
        return 2
    changed = total = 0
    for x, y in zip(a, b):
        for field in x["fields"]:
            total += 1
            old, new = text(x["fields"][field]), text(y["fields"].get(field))
            if old != new:
                changed += 1
                first = x["text"].split("\n")[0][:60]
                print(f"{x['file']} note {x['note']} {field} [{first}]: {old!r} ({names[0]}) -> {new!r} ({names[1]})")
    print(f"{changed} of {total} answers changed")
    return 0


def run(binary, notes, precision):
    out = subprocess.run([binary, "extract", "--format", "jsonl", "--precision", precision, notes],
                         capture_output=True, text=True, check=True)
    return load(out.stdout.splitlines())


def main(argv):
    if len(argv) == 3 and argv[0] == "--run":
        return diff(run(argv[1], argv[2], "fp32"), run(argv[1], argv[2], "int8"), ("fp32", "int8"))
    if len(argv) == 2:
        with open(argv[0]) as fa, open(argv[1]) as fb:
            return diff(load(fa), load(fb))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
