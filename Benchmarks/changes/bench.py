"""Change-stream latency and fan-out of `locus serve --pop` over loopback WebSockets.

1. Latency: one subscriber; commits (single-document inserts over HTTP keep-alive) at a steady
   rate; each document carries the wall time just before its insert was sent, so the figure
   is an upper bound of commit-to-subscriber time (it includes the insert's own request).
2. Fan-out: SUBSCRIBERS sockets on one collection, spread over PROCESSES reader processes
   (one selector thread each, so that the client's interpreter lock does not hold the writer
   back); RATE commits a second for SECONDS; every subscriber must receive every commit;
   prints the p50/p99/max delivery latency over all deliveries and whether any fell behind.

Run by Benchmarks/changes/run.sh (release build, the test venv's websocket-client)."""
import base64
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import websocket

BINARY = os.environ.get("LOCUS_BINARY", ".build/release/locus")
SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", "200"))
RATE = float(os.environ.get("RATE", "100"))
SECONDS = float(os.environ.get("SECONDS", "5"))
PROCESSES = int(os.environ.get("PROCESSES", "4"))
LATENCY_COMMITS = int(os.environ.get("LATENCY_COMMITS", "2000"))
AUTH = "Basic " + base64.b64encode(b"root:bench").decode()


def start():
    fab = os.path.join(tempfile.mkdtemp(), "fab")
    fabric = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "fabrics", "trio.json")
    subprocess.run([BINARY, "fabric", "init", "--fabric", fabric, "--dir", fab, "--pops", "fra"], check=True, capture_output=True)
    env = dict(os.environ, LOCUS_ROOT_PASSWORD="bench")
    p = subprocess.Popen([BINARY, "serve", "--pop", "fra", "--dir", fab, "--listen", "127.0.0.1:0"], stderr=subprocess.PIPE, env=env)
    line = p.stderr.readline().decode()
    url = line.split("listening on ")[1].split(",")[0].strip()
    return p, url


class Writer:
    def __init__(self, url):
        host, port = url.split("://")[1].rsplit(":", 1)
        self.conn = http.client.HTTPConnection(host, int(port))

    def post(self, path, body):
        self.conn.request("POST", path, body=json.dumps(body), headers={"Authorization": AUTH, "Content-Type": "application/json"})
        r = self.conn.getresponse()
        r.read()
        assert r.status in (200, 201, 202), r.status


def subscribe(url, collection):
    return websocket.create_connection(url.replace("http://", "ws://") + f"/_ws/changes/{collection}",
                                       header=[f"Authorization: {AUTH}"], timeout=60)


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def latency(url, w):
    w.post("/_api/collection", {"name": "lat"})
    ws = subscribe(url, "lat")
    lat, after_ack, requests = [], [], []
    gap = 1 / 500
    for i in range(LATENCY_COMMITS):
        sent = time.time()
        w.post("/_api/document/lat", {"t": sent, "i": i})
        acked = time.time()
        change = json.loads(ws.recv())
        now = time.time()
        lat.append(now - change["document"]["t"])
        after_ack.append(max(0.0, now - acked))
        requests.append(acked - sent)
        time.sleep(gap)
    ws.close()
    print(f"latency   1 subscriber, {LATENCY_COMMITS} commits: send-to-delivery p50 {statistics.median(lat) * 1e3:.2f} ms, "
          f"p99 {pct(lat, 0.99) * 1e3:.2f} ms, max {max(lat) * 1e3:.2f} ms; the insert request alone p50 "
          f"{statistics.median(requests) * 1e3:.2f} ms, p99 {pct(requests, 0.99) * 1e3:.2f} ms; delivery after the insert's answer "
          f"p50 {statistics.median(after_ack) * 1e3:.2f} ms, p99 {pct(after_ack, 0.99) * 1e3:.2f} ms")


def reader(url, count, total, ready, results):
    """One process of subscribers: `count` sockets served by one thread with a selector."""
    import selectors
    sockets = [subscribe(url, "fan") for _ in range(count)]
    ready.put(count)
    sel = selectors.DefaultSelector()
    received = {}
    for ws in sockets:
        sel.register(ws.sock, selectors.EVENT_READ, ws)
        received[ws] = 0
    delays = []
    deadline = time.time() + 600
    while sel.get_map() and time.time() < deadline:
        for key, _ in sel.select(timeout=1):
            ws = key.data
            change = json.loads(ws.recv())
            delays.append(time.time() - change["document"]["t"])
            received[ws] += 1
            if received[ws] == total:
                sel.unregister(ws.sock)
    results.put((sum(1 for n in received.values() if n == total), delays))
    for ws in sockets:
        ws.close()


def fanout(url, w):
    import multiprocessing
    w.post("/_api/collection", {"name": "fan"})
    total = int(RATE * SECONDS)
    processes = max(1, min(PROCESSES, SUBSCRIBERS))
    ready, results = multiprocessing.Queue(), multiprocessing.Queue()
    share = [SUBSCRIBERS // processes + (1 if i < SUBSCRIBERS % processes else 0) for i in range(processes)]
    workers = [multiprocessing.Process(target=reader, args=(url, n, total, ready, results)) for n in share]
    for p in workers:
        p.start()
    for _ in workers:
        ready.get(timeout=300)
    started = time.time()
    for i in range(total):
        due = started + i / RATE
        now = time.time()
        if due > now:
            time.sleep(due - now)
        w.post("/_api/document/fan", {"t": time.time(), "i": i})
    sent = time.time() - started
    complete, everything = 0, []
    for _ in workers:
        c, d = results.get(timeout=900)
        complete += c
        everything += d
    for p in workers:
        p.join()
    print(f"fan-out   {SUBSCRIBERS} subscribers in {processes} processes x {total} commits at {total / sent:.0f}/s: "
          f"{complete}/{SUBSCRIBERS} received all; deliveries {len(everything)} ({len(everything) / sent:.0f}/s while writing), "
          f"p50 {statistics.median(everything) * 1e3:.1f} ms, p99 {pct(everything, 0.99) * 1e3:.1f} ms, max {max(everything) * 1e3:.1f} ms")
    return len(everything)


def cpu_seconds(pid):
    """User plus system CPU time of a process so far."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    server, url = start()
    try:
        w = Writer(url)
        if "latency" in sys.argv[1:] or len(sys.argv) == 1:
            latency(url, w)
        if "fanout" in sys.argv[1:] or len(sys.argv) == 1:
            before = cpu_seconds(server.pid)
            deliveries = fanout(url, w)
            used = cpu_seconds(server.pid) - before
            print(f"server    {used:.2f} CPU s for the fan-out run: {used / deliveries * 1e6:.1f} us per delivery "
                  f"(sockets opened, inserts and deliveries together)")
    finally:
        server.terminate()
        server.wait()
