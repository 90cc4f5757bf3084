"""Checks of the note generator: exact spans, both-eye labels, unanswerable no-eye drugs, held-out isolation.

Run: python3 -m pytest training/test_generate.py
"""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import lexicon  # noqa: E402
from lexicon import H  # noqa: E402

N = 2000
OLD_LAYOUTS = {"terse", "lines", "per_eye", "numbered", "narrative"}
HELD_LAYOUTS = {str(x) for x in generate.LAYOUTS if isinstance(x, H)}


@pytest.fixture(scope="module")
def notes():
    return {split: generate.generate(N, 11 if split == "train" else 1011, split) for split in ("train", "heldout")}


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_every_span_is_exact(notes, split):
    for note in notes[split]:
        text = note["text"]
        assert text == text.strip()
        assert set(note["answers"]) == set(generate.FIELDS)
        for field, a in note["answers"].items():
            if a is None:
                continue
            assert a["text"] and a["text"] == a["text"].strip(), (note["id"], field, a)
            assert text[a["start"]:a["start"] + len(a["text"])] == a["text"], (note["id"], field, a)


def test_deterministic_for_a_seed():
    for split in ("train", "heldout"):
        assert generate.generate(300, 5, split) == generate.generate(300, 5, split)
    assert generate.generate(50, 5, "train") != generate.generate(50, 6, "train")


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_both_eye_mentions_label_both_fields(notes, split):
    both = [n for n in notes[split] if "both_drug" in n["style"]]
    assert len(both) > 50
    for n in both:
        r, l = n["answers"]["drug.right"], n["answers"]["drug.left"]
        assert r is not None and l is not None, n
        assert r["text"] == l["text"], n
    va_both = [n for n in notes[split] if "both_va" in n["style"]]
    assert va_both
    for n in va_both:
        assert n["answers"]["acuity.right"] == n["answers"]["acuity.left"] is not None or \
            n["answers"]["acuity.right"]["start"] == n["answers"]["acuity.left"]["start"], n


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_no_eye_drugs_are_unanswerable(notes, split):
    noeye = [n for n in notes[split] if "noeye_drug" in n["style"]]
    assert len(noeye) > 20
    for n in noeye:
        assert n["answers"]["drug.right"] is None and n["answers"]["drug.left"] is None, n
    one = [n for n in notes[split] if "one_eye" in n["style"]]
    assert one
    for n in one:
        answered = {f.split(".")[1] for f, a in n["answers"].items() if a}
        assert len(answered) <= 1, n


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_dna_and_cancellations(notes, split):
    for n in notes[split]:
        if "dna" in n["style"]:
            assert all(a is None for a in n["answers"].values()), n
        if n["layout"] == "cancel":
            assert n["answers"]["drug.right"] is None or n["answers"]["drug.left"] is None, n


NOT_INTRAVITREAL = ["atorvastatin", "simvastatin", "metformin", "gliclazide", "insulin", "apixaban", "warfarin",
                    "aspirin", "clopidogrel", "amlodipine", "ramipril", "amoxicillin", "doxycycline", "prednisolone",
                    "acetazolamide", "diamox", "chloramphenicol", "pred forte", "latanoprost", "timolol", "verteporfin",
                    "cefuroxime", "sf6", "c3f8", "prp", "yag"]


@pytest.mark.parametrize("split", ["train", "heldout"])
def test_hard_negatives_are_never_answers(notes, split):
    for n in notes[split]:
        for field in ("drug.right", "drug.left"):
            a = n["answers"][field]
            if a:
                assert not any(w in a["text"].lower() for w in NOT_INTRAVITREAL), (n["id"], a)


def held_vocabulary():
    items = []
    for name in dir(lexicon):
        value = getattr(lexicon, name)
        if isinstance(value, list):
            for x in value:
                if isinstance(x, tuple):
                    items += [y for y in x if isinstance(y, H)]
                elif isinstance(x, H):
                    items.append(x)
        elif isinstance(value, dict):
            for v in value.values():
                items += [y for y in v if isinstance(y, H)] if isinstance(v, list) else []
    train_markers = {str(m) for pair in lexicon.SIDE_PAIRS for m in pair if not isinstance(m, H)}
    # "Rt." is also "Rt" at the end of a sentence: not checkable as text
    return [str(x) for x in items if "{" not in x and not (x.endswith(".") and x[:-1] in train_markers)]


# literal pieces of held-out formats in the new grammars, which no train-visible format contains
HELD_LITERALS = ["☑", "☐", "<< today", "[today]", "Study eye", "Intravitreal record", "Best regards", "Problems:",
                 "running total", "Regular medicines", "B/E ", "Agent given:", "Injected by:",
                 "Treated eye", "Administered", "Prior tx", "administered", "postponed", "withheld",
                 "changed to", "still present", ">> ", "Subject:", "macular service", "would like time to consider",
                 "planned for the", "Vision stands at", "was injected into the", "this morning", "was given to each eye",
                 "with each eye", "Right (OD)", "Left (OS)", "Both (OU)"]


def test_held_out_items_never_in_train(notes):
    train = notes["train"]
    assert not [n for n in train if n["layout"] in HELD_LAYOUTS]
    assert {"soap", "email"} <= HELD_LAYOUTS
    text = "\n".join(n["text"] for n in train)
    for item in held_vocabulary():
        if re.fullmatch(r"[\d./+-]+", item):  # a number: bounded by non-number characters
            pattern = r"(?<![\w./+-])" + re.escape(item) + r"(?![\w./+-]|\d)"
        else:
            pattern = r"(?<!\w)" + re.escape(item) + r"(?!\w)"
        hit = re.search(pattern, text)
        assert hit is None, (item, text[max(0, hit.start() - 60):hit.end() + 60])
    for lit in HELD_LITERALS:
        assert lit not in text, lit
    held_text = "\n".join(n["text"] for n in notes["heldout"])
    assert sum(lit in held_text for lit in HELD_LITERALS) > len(HELD_LITERALS) // 2


def test_layout_shares_and_lengths(notes):
    train = notes["train"]
    layouts = [n["layout"] for n in train]
    old = sum(x in OLD_LAYOUTS for x in layouts) / len(train)
    assert 0.40 <= old <= 0.50, old
    for new in ("letter", "ehr", "log", "cancel", "both", "noeye"):
        assert layouts.count(new) / len(train) >= 0.04, new
    words = sorted(len(n["text"].split()) for n in train)
    mean = sum(words) / len(words)
    assert mean <= 22.0 * 1.6, mean  # 22.0 words: the mean before the broadened layouts
    long = sum("long" in n["style"] for n in train) / len(train)
    assert 0.06 <= long <= 0.16, long
