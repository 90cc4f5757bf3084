"""SQuAD 2.0-style features for extractive QA: question first, context second, [CLS] for no answer."""
import json
import random

from generate import FIELDS, QUESTIONS


def examples_from_notes(notes):
    """One example per (note, field); gold holds the answer text list (or None) for scoring."""
    out = []
    for note in notes:
        for field in FIELDS:
            answer = note["answers"][field]
            out.append({
                "id": "{}:{}".format(note["id"], field), "field": field, "layout": note.get("layout", ""),
                "question": QUESTIONS[field], "context": note["text"],
                "answer_start": answer["start"] if answer else None, "answer_text": answer["text"] if answer else None,
                "gold": [answer["text"]] if answer else None,
            })
    return out


def examples_from_handwritten(path):
    out = []
    with open(path) as fh:
        for line in fh:
            if not line.strip():
                continue
            note = json.loads(line)
            for field in FIELDS:
                gold = note["gold"][field]
                out.append({"id": "{}:{}".format(note["id"], field), "field": field, "layout": "handwritten",
                            "question": QUESTIONS[field], "context": note["text"], "answer_start": None,
                            "answer_text": None, "gold": gold})
    return out


def build_features(tokenizer, examples, max_length, stride, with_labels):
    """Tokenise (question, context) pairs; long contexts overflow into windows that share the example index.

    With labels, a window whose context does not contain the whole answer points at [CLS] (index 0).
    """
    enc = tokenizer([e["question"] for e in examples], [e["context"] for e in examples], truncation="only_second",
                    max_length=max_length, stride=stride, return_overflowing_tokens=True, return_offsets_mapping=True,
                    padding=False)
    features, misaligned = [], 0
    for i, input_ids in enumerate(enc["input_ids"]):
        ex_index = enc["overflow_to_sample_mapping"][i]
        seq_ids = enc.sequence_ids(i)
        offsets = [o if seq_ids[k] == 1 else None for k, o in enumerate(enc["offset_mapping"][i])]
        feat = {"input_ids": input_ids, "token_type_ids": enc["token_type_ids"][i],
                "example": ex_index, "offsets": offsets, "words": word_spans(enc.word_ids(i), offsets)}
        if with_labels:
            ex = examples[ex_index]
            start_pos = end_pos = 0
            if ex["answer_start"] is not None:
                a_start, a_end = ex["answer_start"], ex["answer_start"] + len(ex["answer_text"])
                ctx = [k for k, o in enumerate(offsets) if o is not None]
                if offsets[ctx[0]][0] <= a_start and offsets[ctx[-1]][1] >= a_end:
                    s = next(k for k in ctx if offsets[k][1] > a_start)
                    e = max(k for k in ctx if offsets[k][0] < a_end)
                    if offsets[s][0] != a_start or offsets[e][1] != a_end:
                        misaligned += 1
                    start_pos, end_pos = s, e
            feat["start_positions"], feat["end_positions"] = start_pos, end_pos
        features.append(feat)
    return features, misaligned


def word_spans(word_ids, offsets):
    """Per context token, the character span of the whole pre-tokenizer word it belongs to.

    The transformers QA pipeline widens an answer to whole words (align_to_words) this way.
    """
    extent = {}
    for k, (w, o) in enumerate(zip(word_ids, offsets)):
        if o is not None and w is not None:
            lo, hi = extent.get(w, (o[0], o[1]))
            extent[w] = (min(lo, o[0]), max(hi, o[1]))
    return [extent[w] if o is not None and w is not None else None for w, o in zip(word_ids, offsets)]


def batches(features, batch_size, rng, bucket=50):
    """Shuffled batches of similar lengths (less padding), deterministic for a seeded rng."""
    order = list(range(len(features)))
    rng.shuffle(order)
    chunk = batch_size * bucket
    out = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c:c + chunk], key=lambda k: len(features[k]["input_ids"]))
        out += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(out)
    return out


def collate(features, idx, pad_id, torch, with_labels=True):
    width = max(len(features[k]["input_ids"]) for k in idx)
    ids = torch.full((len(idx), width), pad_id, dtype=torch.long)
    types = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros((len(idx), width), dtype=torch.long)
    for row, k in enumerate(idx):
        n = len(features[k]["input_ids"])
        ids[row, :n] = torch.tensor(features[k]["input_ids"])
        types[row, :n] = torch.tensor(features[k]["token_type_ids"])
        mask[row, :n] = 1
    batch = {"input_ids": ids, "token_type_ids": types, "attention_mask": mask}
    if with_labels:
        batch["start_positions"] = torch.tensor([features[k]["start_positions"] for k in idx])
        batch["end_positions"] = torch.tensor([features[k]["end_positions"] for k in idx])
    return batch


def seeded_rng(seed):
    return random.Random(seed)
