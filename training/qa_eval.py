"""Span decoding as the transformers 4.x question-answering pipeline does it, and SQuAD 2.0 scoring."""
import re
from collections import defaultdict

import numpy as np


def decode_window(start_logits, end_logits, offsets, max_answer_len=15, words=None):
    """Best (score, char_start, char_end) span of one window and its null score p_start[CLS] * p_end[CLS].

    Like the pipeline: everything but context tokens and [CLS] is masked to -10000 before the two softmaxes;
    spans run from a context token s to a context token e with s <= e < s + max_answer_len; with `words`
    (per-token whole-word character spans) the span is widened to whole words as the pipeline does.
    """
    allowed = np.array([o is not None for o in offsets])
    allowed[0] = True
    start = np.where(allowed, start_logits, -10000.0)
    end = np.where(allowed, end_logits, -10000.0)
    start = np.exp(start - start.max())
    start /= start.sum()
    end = np.exp(end - end.max())
    end /= end.sum()
    null = float(start[0] * end[0])
    ctx = np.array([o is not None for o in offsets])
    start = np.where(ctx, start, 0.0)
    end = np.where(ctx, end, 0.0)
    outer = np.triu(np.outer(start, end))
    outer = np.tril(outer, max_answer_len - 1)
    s, e = np.unravel_index(int(np.argmax(outer)), outer.shape)
    score = float(outer[s, e])
    if score <= 0.0:
        return None, null
    if words is not None:
        return (score, words[s][0], words[e][1]), null
    return (score, offsets[s][0], offsets[e][1]), null


def predict(examples, features, start_logits, end_logits, max_answer_len=15, align_words=True):
    """Answer text per example id ('' for no answer): the best span over windows unless the null score wins."""
    best = {}
    null = {}
    for i, feat in enumerate(features):
        ex = feat["example"]
        span, null_score = decode_window(start_logits[i], end_logits[i], feat["offsets"], max_answer_len,
                                         feat.get("words") if align_words else None)
        null[ex] = min(null.get(ex, 1.0), null_score)
        if span and (ex not in best or span[0] > best[ex][0]):
            best[ex] = span
    out = {}
    for ex_index, ex in enumerate(examples):
        span = best.get(ex_index)
        if span is None or null.get(ex_index, 0.0) > span[0]:
            out[ex["id"]] = ""
        else:
            out[ex["id"]] = ex["context"][span[1]:span[2]]
    return out


def norm(s):
    s = s.lower().strip()
    s = re.sub(r"^[\s.,;:()\[\]'\"]+|[\s.,;:()\[\]'\"]+$", "", s)
    return " ".join(s.split())


def token_f1(pred, gold):
    p, g = norm(pred).split(), norm(gold).split()
    common = sum(min(p.count(t), g.count(t)) for t in set(p))
    if common == 0:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def score_one(pred, gold):
    if gold is None:
        return (1.0, 1.0) if not pred else (0.0, 0.0)
    if not pred:
        return 0.0, 0.0
    return max(float(norm(pred) == norm(a)) for a in gold), max(token_f1(pred, a) for a in gold)


def score(examples, predictions):
    """EM/F1 in percent: overall, per field, and for answerable / unanswerable questions."""
    totals = defaultdict(lambda: [0, 0.0, 0.0])
    misses = []
    for ex in examples:
        pred = predictions[ex["id"]]
        em, f1 = score_one(pred, ex["gold"])
        kind = "has_answer" if ex["gold"] is not None else "no_answer"
        for key in ("all", ex["field"], kind):
            row = totals[key]
            row[0] += 1
            row[1] += em
            row[2] += f1
        if em < 1:
            misses.append((ex, pred))
    table = {k: {"n": n, "em": 100 * em / n, "f1": 100 * f1 / n} for k, (n, em, f1) in totals.items()}
    return table, misses
