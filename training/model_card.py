"""MODEL.md for the trained clinic QA model, in the style of a Hugging Face model card."""
import lexicon
from generate import LAYOUTS, QUESTIONS

FIELD_ROWS = ["all", "drug.right", "drug.left", "acuity.right", "acuity.left", "has_answer", "no_answer",
              "token_level"]


def held_out_vocabulary():
    def held(items):
        return ", ".join("`{}`".format(x) for x in items if isinstance(x, lexicon.H))
    pairs = ", ".join("`{}`/`{}`".format(r, l) for r, l in lexicon.SIDE_PAIRS if isinstance(r, lexicon.H))
    return [
        "- drugs and misspellings: " + held(lexicon.DRUGS),
        "- laterality: " + pairs + "; both eyes: " + held(lexicon.BOTH_EYES),
        "- acuity: " + held(lexicon.SNELLEN_METRIC + lexicon.SNELLEN_IMPERIAL + lexicon.DECIMAL + lexicon.LOGMAR +
                            lexicon.LOW_VISION) + ", ETDRS 60-64 letters, " + held(lexicon.LETTERS_FMT),
        "- layouts: " + ", ".join("`{}`".format(x) for x in LAYOUTS if isinstance(x, lexicon.H)) +
        " (SOAP), plus held-out fragment formats in every grammar (see `training/generate.py`, items in `H(...)`)",
    ]


def score_table(table):
    lines = ["| subset | n | EM | F1 |", "|---|---:|---:|---:|"]
    for key in FIELD_ROWS:
        if key in table:
            row = table[key]
            lines.append("| {} | {} | {:.2f} | {:.2f} |".format(key, row["n"], row["em"], row["f1"]))
    return lines


def trained_parts(a):
    """What the run updated: CPU recipes keep the embeddings and the lowest layers as the base has them."""
    frozen = []
    if a.get("freeze_embeddings") or a.get("freeze_layers"):
        frozen.append("embeddings")
    if a.get("freeze_layers"):
        n = a["freeze_layers"]
        frozen.append("encoder layer 0" if n == 1 else "encoder layers 0-{}".format(n - 1))
    kept = " (top layers dropped, {} kept)".format(a["num_layers"]) if a.get("num_layers") else ""
    return ("all but " + " and ".join(frozen) + " (frozen)" if frozen else "all") + kept


def render(run, config):
    a = run["args"]
    hist = run["history"]
    last = hist[-1]
    arch = (config.architectures or [config.model_type])[0]
    out = [
        "---",
        "language: en",
        "license: apache-2.0",
        "library_name: transformers",
        "pipeline_tag: question-answering",
        "base_model: sentence-transformers/all-MiniLM-L6-v2",
        "tags: [extractive-qa, squad_v2, ophthalmology, clinical-notes]",
        "---",
        "",
        "# clinic-qa-minilm-l6",
        "",
        "Extractive question answering over ophthalmology injection-clinic notes: which drug went into which eye",
        "today, and each eye's visual acuity. Unanswerable questions return no answer (SQuAD 2.0 style, [CLS]).",
        "",
        "## Model",
        "- architecture: `{}` ({} layers, hidden {}, {} heads, vocab {}), {:.1f} M parameters".format(
            arch, config.num_hidden_layers if hasattr(config, "num_hidden_layers") else config.n_layers,
            config.hidden_size if hasattr(config, "hidden_size") else config.dim,
            config.num_attention_heads if hasattr(config, "num_attention_heads") else config.n_heads,
            config.vocab_size, run["params"] / 1e6),
        "- base: all-MiniLM-L6-v2 (`{}`), uncased WordPiece vocabulary; QA head `qa_outputs` freshly initialised".format(
            a["base"].split("site-packages/")[-1]),
        "- files: `model.safetensors` (float16, standard Hugging Face names `bert.*`, `qa_outputs.*`), "
        "`config.json`, `vocab.txt`, `tokenizer_config.json`",
        "",
        "## Questions (use exactly these strings)",
    ]
    out += ["- `{}`: \"{}\"".format(k, v) for k, v in QUESTIONS.items()]
    out += [
        "",
        "Answers are spans as typed: the drug's name words without dose or injection count (`Eylea 2mg #3` -> `Eylea`,",
        "`Eylea HD`), the acuity token (`6/9-1`, `20/40`, `0.30`, `72 letters`, `CF 2ft`, `HM`); the unaided value",
        "when a pinhole or earlier value follows (`6/24 PH 6/12` -> `6/24`); one both-eyes mention (`OU`, `bilat`,",
        "`R+L`, `both eyes`) answers both eyes' questions with the same span.",
        "",
        "## Training data",
        "Synthetic notes from `training/generate.py` (seeded fragment grammars written from the project's",
        "DOMAIN.md): UK and US styles; terse one-liners, multi-line notes with headers, per-eye lines, numbered plans,",
        "narrative; every laterality notation, marker before or after the value, missing spaces; Snellen metric and",
        "imperial with letter suffixes, logMAR, decimal, ETDRS letters, CF/HM/PL/NPL; brand, generic, biosimilar,",
        "misspelt and invented drug names, dose suffixes and counts. Hard negatives: drugs discussed, declined,",
        "refused, deferred, planned, stopped or given earlier, switches; acuity look-alikes (4/52, rev 6/12, 2/7,",
        "IOP 14/16, dates, N6/J2 near vision, pinhole values, `(was 6/9)`), `OD` meaning once daily, noise sections.",
        "",
        "- train: {} notes x 4 questions = {} features (generator seed {})".format(
            run["train_notes"], run["train_features"], a["data_seed"]),
        "- held-out: {} notes x 4 questions (seed {}); the train split never sees these held-out items, which the".format(
            run["heldout_notes"], a["data_seed"] + 1000),
        "  held-out split uses half of the time:",
    ]
    out += ["  " + line for line in held_out_vocabulary()]
    out += [
        "- handwritten check: {} hand-written notes (`training/handwritten_check.jsonl`), never trained on".format(
            run["handwritten_notes"]),
        "",
        "## Method and hyperparameters",
        "SQuAD 2.0-style fine-tuning: `[CLS] question [SEP] note [SEP]`, fast-tokenizer offsets to token labels,",
        "[CLS] for unanswerable, cross-entropy on start and end. Evaluation decodes like the transformers 4.x",
        "question-answering pipeline: softmax over context tokens and [CLS], best span with length <= 15 tokens,",
        "no answer when p_start[CLS] x p_end[CLS] beats it. EM/F1 use SQuAD normalisation (lower case, strip",
        "surrounding punctuation and brackets, collapse whitespace; empty vs empty scores 1). The pipeline widens",
        "a span to whole words (`R6/9` stays `R6/9`); the `token_level` row decodes without that widening, from the",
        "start token's first character to the end token's last, as shared/REFERENCES.md describes.",
        "",
        "| hyperparameter | value |", "|---|---|",
        "| optimizer | AdamW (weight decay {}, none on bias/LayerNorm), grad-norm clip 1.0 |".format(a["weight_decay"]),
        "| learning rate | {} with linear warm-up ({:.0f}% of steps) and linear decay to 0 |".format(
            a["lr"], 100 * a["warmup"]),
        "| batch size | {} (length-bucketed, dynamic padding) |".format(a["batch_size"]),
        "| epochs | {} |".format(a["epochs"]),
        "| trained parts | {} |".format(trained_parts(a)),
        "| max sequence length / stride | {} / {} |".format(a["max_length"], a["stride"]),
        "| seed | {} (torch, numpy, random; data seed {}) |".format(a["seed"], a["data_seed"]),
        "",
        "## Results per epoch (held-out split)",
        "",
        "| epoch | train loss | validation loss | held-out EM | held-out F1 | handwritten EM | seconds |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in hist:
        hw = row["handwritten"]["all"]["em"] if row["handwritten"] else float("nan")
        out.append("| {} | {:.4f} | {:.4f} | {:.2f} | {:.2f} | {:.2f} | {:.0f} |".format(
            row["epoch"], row["train_loss"], row["val_loss"], row["heldout"]["all"]["em"],
            row["heldout"]["all"]["f1"], hw, row["epoch_seconds"]))
    out += ["", "## Final evaluation", "", "Held-out split (held-out templates and vocabulary):", ""]
    out += score_table(last["heldout"])
    if last["handwritten"]:
        out += ["", "Handwritten check notes:", ""] + score_table(last["handwritten"])
    out += [
        "",
        "## Training run",
        "- command: `{}`".format(run["command"]),
        "- time: {:.1f} min in total on {}".format(run["seconds"] / 60, run["machine"]),
        "",
        "## Intended use and limitations",
        "- Intended for the clinic-lsp editor assistant: suggestions shown next to the note, checked by the",
        "  clinician who wrote it. It is not a medical device and must not be the only record of a treatment.",
        "- Trained only on synthetic notes; the held-out and handwritten figures measure generalisation within that",
        "  synthetic family and a small hand-written set, not on real clinic records. Expect misses on unusual",
        "  phrasing, unseen abbreviations, long narrative letters and notes that describe several visits.",
        "- English only, uncased; one note per context (up to {} tokens with the question, longer notes are".format(
            a["max_length"]),
        "  split into windows). Answers are the text as typed: the clinic layer normalises drug names and acuities.",
        "- Ambiguous shorthand (`BE`, `OD` as once daily) is resolved from context and can be wrong.",
        "",
    ]
    return "\n".join(out)
