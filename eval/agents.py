#!/usr/bin/env python3
"""Count the drug answers of `extract` that name no intravitreal agent of the drug list.

usage: agents.py BINARY NOTES.txt [NOTES.txt ...]

Every drug field the binary fills is either a known agent (normalized.known true: a name in ClinicCore's
DrugLexicon, exactly or within its spelling tolerance) or an unknown word kept above the plugin's
confidence floor. Prints the counts per file and each unknown answer, so a set can be checked for
"no drug answer that is not an intravitreal agent".
"""
import json
import subprocess
import sys


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    binary, files = argv[0], argv[1:]
    total_unknown = 0
    for path in files:
        run = subprocess.run([binary, "extract", "--format", "jsonl", path], capture_output=True, text=True, check=True)
        known = unknown = 0
        for line in run.stdout.splitlines():
            note = json.loads(line)
            for field in ("drug.right", "drug.left"):
                value = note["fields"].get(field)
                if not value:
                    continue
                if value["normalized"].get("known"):
                    known += 1
                else:
                    unknown += 1
                    print(f"  {path} note {note['note']} {field}: {value['text']!r} (not in the drug list)")
        total_unknown += unknown
        print(f"{path}: {known} drug answers name a known agent, {unknown} do not")
    print(f"not an intravitreal agent: {total_unknown}")


if __name__ == "__main__":
    main(sys.argv[1:])
