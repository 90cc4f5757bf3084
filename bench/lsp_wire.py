"""clinic-lsp over stdio for the benchmarks: the process, LSP framing both ways, and its memory figures.

Plain python3, no dependencies. Subclasses decide what a received body becomes (`received`) and how a
request's response is waited for (`call`).
"""
import json, queue, re, subprocess, threading, time


class LSPServer:
    shutdown_timeout = 60

    def __init__(self, binary, model, settings):
        args = [binary] + (["--model", model] if model else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.inbox = queue.Queue()
        self.next_id = 1
        self.settings = settings
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                c = out.read(1)
                if not c:
                    return
                header += c
            length = int(re.search(rb"Content-Length: *(\d+)", header).group(1))
            body = out.read(length)
            self.received(time.perf_counter(), body)

    def received(self, t, body):
        """Queues (arrival time, raw body)."""
        self.inbox.put((t, body))

    def send(self, msg):
        body = json.dumps(msg).encode()
        with self.lock:
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()
        return time.perf_counter()

    def notify(self, method, params):
        return self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method, params):
        i = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": i, "method": method, "params": params})
        return i

    def rss_mb(self, key="VmRSS:"):
        """The server's resident memory in MB (`VmHWM:` for its peak)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
        return float("nan")

    def close(self):
        try:
            self.call("shutdown", None, timeout=self.shutdown_timeout)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()
