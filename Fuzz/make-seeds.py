#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora (Fuzz/corpus/<target>/) from the test suites' inputs and the
examples. Re-run after changing it; the seeds are committed so a fresh checkout fuzzes from them."""
import hashlib, json, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Fuzz", "corpus")
FIXTURES = os.path.join(ROOT, "Tests", "QAEngineTests", "Fixtures")

def write(target, items):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):
        os.remove(os.path.join(d, old))
    for data in items:
        if isinstance(data, str):
            data = data.encode()
        with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
            f.write(data)

def frame(body):
    body = body.encode() if isinstance(body, str) else body
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()

INITIALIZE = '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"clinic":{"hintStyle":"full"}}}}'
DID_OPEN = '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///f.clinic","languageId":"clinic","version":1,"text":"R) eylea 2mg\\nVA 6/9"}}}'
HOVER = '{"jsonrpc":"2.0","id":"h","method":"textDocument/hover","params":{"textDocument":{"uri":"file:///f.clinic"},"position":{"line":0,"character":3}}}'

# FramingTests, ProtocolEdgeTests and issue 12's framing abuse.
framer = [
    frame(INITIALIZE) + frame(DID_OPEN) + frame(HOVER),
    b"Content-Length: 2\r\n\r\n{}Content-Length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[1,2,3]",
    b"Content-Type: x\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}",
    b"Content-Length: -5\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
    b"Content-Length: 999999999999\r\n\r\nContent-Length: 2\r\n\r\n{}",
    b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"Content-Length: 2\n\n{}Content-Length: 2\r\n\r\n[]",
    b"garbage\x00\xff\r\nContent-Length: 2\r\n\r\n{}",
    b"Content-Length: 10\r\n\r\n{\"a\"",
    frame(b"{\"x\":" + frame("{}") + b"}") + frame("42") + frame("null"),
    frame('{"jsonrpc":"2.0","id":2,"method":"shutdown"}') + frame('{"jsonrpc":"2.0","method":"exit"}'),
]
write("FuzzFramer", framer)

json_seeds = [INITIALIZE, DID_OPEN, HOVER, "42", "null", "true", "[1,2.5,-0.0,1e999,12345678901234567890]",
              '{"a\\u0000b":"\\ud83d\\ude00","a":1,"a":2}', "[" * 40 + "]" * 40, '"\\u00e9\\n\\t\\/"',
              read("Tests/QAEngineTests/Fixtures/tiny-bert/config.json"),
              read("Tests/QAEngineTests/Fixtures/unicode.json")]
write("FuzzJSON", json_seeds)

# Notes: one options byte, eight answer-choice bytes, then the document.
choices = [bytes([o]) + c for o, c in [(0, b"\x40\x88\x80\x90\x10\x85\xc0\x8f"), (5, b"\x01\x0f\x00\x00\xff\xff\x20\x81"),
                                          (2, b"\x00" * 8), (4, b"\x30\x86\x60\x8a\x90\x83\xd0\x8c")]]
note_docs = [read("examples/" + f) for f in sorted(os.listdir(os.path.join(ROOT, "examples")))]
note_docs += [t.encode() for t in [
    "R) eylea rev 99999999999999999999 wks", "IOP 12/14, 12345678901234567890/52", "rev 12345678901234567890/12",
    "IOP 99999999999999999999/12345678901234567890", "#99999999999999999999 eylea no. 12345678901234567890",
    "VA R 6/9 L 6/12\r\nR eye: lucentis 0.5mg\r\n\r\nL) avastin, not injected R\rVA CF HM PL NPL 0.3 logMAR 20/40",
    "Clinic summary: Right eye drug: Eylea; Left eye drug: none\nR eylea\n\u00e9\u0301 \U0001F600 \u2028 6/9-2",
    "R) faricimab #1 ozurdex L eye IOP 30 VA 6/60 previously 6/6"]]
write("FuzzNotes", [c + d for i, d in enumerate(note_docs) for c in [choices[i % len(choices)]]])

settings = [
    '{"clinic":{"hintStyle":"short","debounceMs":50,"trace":"verbose","summaryFormat":"json","holdBackWhileTyping":false}}',
    '{"fields":[{"id":"cst","label":"CST","pattern":"CST\\\\s*(\\\\d+)"},{"id":"bad","pattern":"CST [0-9"},{"id":"aa","pattern":"(a+)+$"}]}',
    '{"fields":[{"id":"oct","label":"OCT","pattern":"OCT (dry|wet)","group":0,"caseSensitive":true},{"id":"lens","question":"What is the lens status?"}],'
    '"questions":{"lens":"Lens?","drug.right":"Which drug went into the right eye?"}}',
    '{"plugins":{"iop":false,"check.low-confidence":{"threshold":0.4},"drug":{"enabled":true}},"noteSeparator":"line","modelThreads":2}',
    '{"decode":{"nullThreshold":0,"maxAnswerLength":15,"maxSequenceLength":64,"docStride":128},"model":null}',
    "\ufeff" + '{"model":"/path/to/model","hintStyle":"off"}',
    '{"x":1,"y":[],"debounceMs":-1,"fields":[{"id":"z","pattern":"a(b)","group":2},{"id":"\u00e9","pattern":"\u00e9\U0001F600(x"}]}',
]
write("FuzzSettings", settings)

def safetensors(tensors):
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data

small = safetensors([("a", "F32", [2, 2], struct.pack("<4f", 1, -2, 0.5, float("nan"))),
                     ("b", "F16", [3], struct.pack("<3H", 0x3C00, 0x7C00, 0x0001)),
                     ("c", "BF16", [1, 2], struct.pack("<2H", 0x3F80, 0xFF80)), ("d", "I64", [1], struct.pack("<q", -1))])
weights = read("Tests/QAEngineTests/Fixtures/tiny-distilbert/model.safetensors")
header_only = weights[:8 + struct.unpack("<Q", weights[:8])[0]]
tiny_bert = json.loads(read("Tests/QAEngineTests/Fixtures/tiny-bert/config.json"))
hostile = [dict(tiny_bert, hidden_size=1_200_000_000), dict(tiny_bert, vocab_size=9e18), dict(tiny_bert, num_hidden_layers=1_000_000),
           dict(tiny_bert, max_position_embeddings=10**12), dict(tiny_bert, intermediate_size=10**9), dict(tiny_bert, layer_norm_eps=0)]
write("FuzzModel", [read("Tests/QAEngineTests/Fixtures/tiny-bert/config.json"), read("Tests/QAEngineTests/Fixtures/tiny-distilbert/config.json"),
                    small, header_only, b"\x00" * 8, b"\xff" * 16] + [json.dumps(c) for c in hostile])
print("seeds written to", OUT)
