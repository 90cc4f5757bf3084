#!/usr/bin/env python3
"""Latency of clinic-lsp as a clinician types, measured over the real LSP wire.

Plain python3, no dependencies. Reports:
  * start-up: initialize -> first publishDiagnostics of a small document (model load included);
  * typing: in one note of a 300-note document, didChange -> publishDiagnostics of that version,
    one keystroke at a time (each waits for its diagnostics), p50/p95;
  * bursts: a word typed faster than the debounce, last didChange -> its diagnostics;
  * flicker: inlay hints asked after every keystroke of a burst, counting hints shown mid-word that
    the final result does not have, with and without holding back findings at the cursor; and, for a
    client that takes inlayHint/refresh, the hints on screen just before each next key at 150 ms a key;
  * peak RSS of the server (VmHWM);
  * hover while busy: hover on the analysed 300-note document while the worker analyses another
    300-note document (with the model when --model is given), p50/p95/max, target p95 < 20 ms.
Usage: bench/lsp_latency.py [--binary .build/release/clinic-lsp] [--model DIR] [--debounce 60]
       [--only-hover-while-busy]
"""
import argparse, json, os, random, statistics, sys, time

from lsp_wire import LSPServer

NOTE_STYLES = [
    "R) eylea 2mg given. VA R 6/{r} L 6/{l}. IOP {p}/{q}. rev 4/52",
    "VA cc OD 20/{u} OS 20/{v}. Avastin OD #{n} given. RTC {w} wks",
    "L) lucentis. VA L 6/{l} PH 6/9\nOCT: dry. IOP {p}/{q}\nPlan: T&E, rev {w}/52",
    "wet AMD both eyes. R) vabysmo l) nil today\nVA R {e} letters L CF\nrev 6/52",
    "DMO. Ozurdex LE. IOPs RE {p}, LE {q} mmHg. VA 6/{r} R, 6/{l} L. f/u 3/12",
]


def make_document(notes, seed=7):
    rnd = random.Random(seed)
    out = []
    for i in range(notes):
        style = NOTE_STYLES[i % len(NOTE_STYLES)]
        out.append(f"{i + 1}/03/24 " + style.format(
            r=rnd.choice([6, 9, 12, 18]), l=rnd.choice([6, 9, 12, 24]), p=rnd.randint(10, 24), q=rnd.randint(10, 24),
            u=rnd.choice([20, 25, 40, 60]), v=rnd.choice([20, 30, 50]), n=rnd.randint(1, 12), w=rnd.choice([4, 6, 8]),
            e=rnd.randint(40, 85)))
    return "\n\n".join(out) + "\n"


class Server(LSPServer):
    def __init__(self, *args):
        # Messages a wait did not want, kept for a later wait: a publish can land before the response
        # to a request sent after its didChange.
        self.backlog = []
        super().__init__(*args)

    def received(self, t, body):
        m = json.loads(body)
        if m.get("method") in ("workspace/inlayHint/refresh", "window/workDoneProgress/create") and "id" in m:
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
        self.inbox.put((t, m))

    def wait(self, match, timeout=60):
        for k, (t, m) in enumerate(self.backlog):
            if match(m):
                del self.backlog[k]
                return t, m
        deadline = time.perf_counter() + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError("no matching message")
            t, m = self.inbox.get(timeout=left)
            if match(m):
                return t, m
            self.backlog.append((t, m))

    def call(self, method, params, timeout=60):
        i = self.request(method, params)
        return self.wait(lambda m: m.get("id") == i and "method" not in m, timeout)[1].get("result")

    def initialize(self):
        t0 = time.perf_counter()
        self.call("initialize", {"processId": None, "capabilities": {}, "initializationOptions": {"clinic": self.settings}})
        self.notify("initialized", {})
        return t0

    def diagnostics(self, uri, version, timeout=60):
        return self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"]["uri"] == uri and m["params"].get("version") == version, timeout)

    def peak_rss_mb(self):
        return self.rss_mb("VmHWM:")


def open_doc(server, uri, text):
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "clinic", "version": 1, "text": text}})


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def end_of(text):
    lines = text.split("\n")
    return {"line": len(lines) - 1, "character": len(lines[-1].encode("utf-16-le")) // 2}


def type_text(server, uri, text, version, word, interval, ask_hints):
    """Types `word` at the end of the note that ends `text`, one keystroke per `interval` seconds."""
    shown = []
    for c in word:
        pos = end_of(text)
        version += 1
        text += c
        sent = server.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": c}]})
        if ask_hints:
            line = pos["line"]
            hints = server.call("textDocument/inlayHint", {"textDocument": {"uri": uri},
                                "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}})
            shown.append({(h["position"]["line"], h["position"]["character"], h["label"]) for h in hints or []})
        if interval:
            time.sleep(max(0, interval - (time.perf_counter() - sent)))
    return text, version, sent, shown


def between_keys(a, settings, interval):
    """Hints a refresh-capable client shows just before each next key, typing `interval` s a key, that the
    settled result does not have."""
    s = Server(a.binary, a.model, settings)
    s.call("initialize", {"processId": None, "capabilities": {"workspace": {"inlayHint": {"refreshSupport": True}}},
                          "initializationOptions": {"clinic": settings}})
    s.notify("initialized", {})
    uri = "file:///bench/between.clinic"
    text = make_document(20).rstrip("\n")
    open_doc(s, uri, text)
    s.diagnostics(uri, 1)
    version, transient, steps = 1, 0, 0

    def hints(line):
        return {(h["position"]["line"], h["position"]["character"], h["label"]) for h in s.call("textDocument/inlayHint", {
            "textDocument": {"uri": uri}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}}) or []}
    for word in ["\n\nIOP 21/19. VA R 6/12 L 6/18", "\n\nR) eylea, L) avastin. rev 12/52"]:
        shown = []
        for c in word:
            pos = end_of(text)
            version += 1
            text += c
            sent = s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                            "contentChanges": [{"range": {"start": pos, "end": pos}, "text": c}]})
            time.sleep(max(0, interval - (time.perf_counter() - sent)))
            shown.append(hints(pos["line"]))
        s.diagnostics(uri, version)
        time.sleep(0.6)  # past the pause that ends a hold-back
        line = end_of(text)["line"]
        final = hints(line)
        transient += sum(len({h for h in seen if h[0] == line} - final) for seen in shown)
        steps += len(shown)
    s.close()
    return transient, steps


def note_lines(text):
    """The first line of each note of a document of notes separated by blank lines."""
    lines, out = text.split("\n"), []
    for i, line in enumerate(lines):
        if line.strip() and (i == 0 or not lines[i - 1].strip()):
            out.append(i)
    return out


def hover_while_busy(a, settings, window_s=5.0):
    """Hover on an analysed document while the worker analyses another: hover is answered on the message
    queue from the latest results, so it must not wait for the model."""
    s = Server(a.binary, a.model, settings)
    s.call("initialize", {"processId": None, "capabilities": {"window": {"workDoneProgress": True}},
                          "initializationOptions": {"clinic": settings}})
    s.notify("initialized", {})

    def progress(kind, token=None, done=False):
        def match(m):
            if m.get("method") != "$/progress" or m["params"]["value"].get("kind") != kind:
                return False
            if token is not None and m["params"]["token"] != token:
                return False
            # A job superseded (the model loaded after the open) ends too, with another message.
            return not done or m["params"]["value"].get("message", "").endswith(" notes")
        return match
    uri, other = "file:///bench/hovered.clinic", "file:///bench/busy.clinic"
    doc = make_document(a.notes)
    open_doc(s, uri, doc)
    s.wait(progress("end", done=True), timeout=600)
    s.backlog.clear()
    open_doc(s, other, make_document(a.notes, seed=11))
    _, begun = s.wait(progress("begin"), timeout=60)
    other_done = progress("end", token=begun["params"]["token"])
    starts, rnd, hovers, busy = note_lines(doc), random.Random(5), [], True
    deadline = time.perf_counter() + window_s
    while time.perf_counter() < deadline and len(hovers) < 200:
        line = rnd.choice(starts)
        t0 = time.perf_counter()
        r = s.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": 3}})
        elapsed = (time.perf_counter() - t0) * 1000
        if any(other_done(m) for _, m in s.backlog):
            busy = False  # the other document is done: later hovers would not measure a busy worker
            break
        if r is None:
            raise RuntimeError(f"no hover on line {line}")
        hovers.append(elapsed)
        time.sleep(0.01)
    s.close()
    if not hovers:
        raise RuntimeError("the other document was analysed before any hover")
    return {"p50": round(pct(hovers, 50), 2), "p95": round(pct(hovers, 95), 2), "max": round(max(hovers), 2),
            "n": len(hovers), "worker_busy_throughout": busy, "target_p95": 20}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=".build/release/clinic-lsp")
    ap.add_argument("--model")
    ap.add_argument("--debounce", type=int, default=60)
    ap.add_argument("--notes", type=int, default=300)
    ap.add_argument("--keystrokes", type=int, default=60)
    ap.add_argument("--only-hover-while-busy", action="store_true", help="measure only hover while the worker is busy")
    a = ap.parse_args()
    settings = {"debounceMs": a.debounce}
    report = {}
    if a.only_hover_while_busy:
        print(json.dumps({"hover_while_worker_busy_ms": hover_while_busy(a, settings)}, indent=2))
        return

    s = Server(a.binary, a.model, settings)
    t0 = s.initialize()
    uri = "file:///bench/small.clinic"
    open_doc(s, uri, make_document(3))
    t, _ = s.diagnostics(uri, 1)
    report["startup_first_diagnostics_ms"] = round((t - t0) * 1000, 1)
    s.close()

    s = Server(a.binary, a.model, settings)
    s.initialize()
    uri = "file:///bench/big.clinic"
    doc = make_document(a.notes)
    t_open = time.perf_counter()
    open_doc(s, uri, doc)
    t, _ = s.diagnostics(uri, 1, timeout=600)
    report["open_300_notes_full_analysis_ms"] = round((t - t_open) * 1000, 1)

    # Type into the middle note: split the document there and type at that note's end.
    notes = doc.rstrip("\n").split("\n\n")
    middle = len(notes) // 2
    head = "\n\n".join(notes[:middle + 1])
    tail = "\n\n" + "\n\n".join(notes[middle + 1:]) + "\n"
    version = 1
    phrase = " IOP 17/18. R) eylea given, VA R 6/12 L 6/9 rev 6/52" * 3
    latencies = []
    text = head
    for c in phrase[:a.keystrokes]:
        pos = end_of(text)
        version += 1
        text += c
        sent = s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                        "contentChanges": [{"range": {"start": pos, "end": pos}, "text": c}]})
        t, _ = s.diagnostics(uri, version)
        latencies.append((t - sent) * 1000)
    report["keystroke_to_diagnostics_ms"] = {"p50": round(pct(latencies, 50), 1), "p95": round(pct(latencies, 95), 1),
                                             "n": len(latencies), "target_p95": 100}

    bursts = []
    for word in [" IOP 21/19", " rev 3/12", " L) lucentis"] * 3:
        text, version, sent, _ = type_text(s, uri, text, version, word, 0.03, False)
        t, _ = s.diagnostics(uri, version)
        bursts.append((t - sent) * 1000)
    report["burst_last_keystroke_to_diagnostics_ms"] = {"p50": round(pct(bursts, 50), 1), "max": round(max(bursts), 1)}
    report["peak_rss_mb"] = round(s.peak_rss_mb(), 1)
    s.close()

    for hold in (True, False):
        s = Server(a.binary, a.model, dict(settings, holdBackWhileTyping=hold))
        s.initialize()
        uri = "file:///bench/flicker.clinic"
        base = make_document(20).rstrip("\n")
        open_doc(s, uri, base)
        s.diagnostics(uri, 1)
        text, version, transient, steps = base, 1, 0, 0
        for word in ["\n\nIOP 21/19. VA R 6/12 L 6/18", "\n\nR) eylea, L) avastin. rev 12/52"]:
            text, version, sent, shown = type_text(s, uri, text, version, word, 0.04, True)
            s.diagnostics(uri, version)
            line = end_of(text)["line"]
            final = {(h["position"]["line"], h["position"]["character"], h["label"]) for h in s.call("textDocument/inlayHint", {
                "textDocument": {"uri": uri}, "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 0}}}) or []}
            # Hints shown on the new note's line while it was typed that the settled result lacks.
            seen = {h for h in set().union(*shown) if h[0] == line}
            transient += len(seen - final)
            steps += len(shown)
        report[f"flicker_transient_hints_holdBack_{str(hold).lower()}"] = {"transient": transient, "keystrokes": steps}
        s.close()

    for hold in (True, False):
        transient, steps = between_keys(a, dict(settings, holdBackWhileTyping=hold), 0.15)
        report[f"flicker_between_keys_150ms_holdBack_{str(hold).lower()}"] = {"transient": transient, "keystrokes": steps}

    report["hover_while_worker_busy_ms"] = hover_while_busy(a, settings)

    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
