"""The server under abuse, and the HTTP half of the bad-input sampler.

Each abuse runs while a well-behaved client reads a document in a loop; the server must keep
serving it, answer the abuser with coded errors (400 with errorNum 10 when it does not speak
HTTP), and keep its memory bounded. The figures (peak RSS, the good client's p99) are printed.
The sampler sends malformed requests made by mutating valid ones: 1,000 by default, 10,000 with
LOCUS_SLOW_TESTS=1, which also raises the abuse (10,000 connections instead of 2,000, 2,000
cursors instead of 300, 1,000 bad credentials instead of 120).
"""
import base64
import json
import os
import random
import resource
import socket
import threading
import time

from conftest import ROOT_PASSWORD

SLOW = os.environ.get("LOCUS_SLOW_TESTS") == "1"
AUTH = "Basic " + base64.b64encode(("root:" + ROOT_PASSWORD).encode()).decode()


def rss_peak_kb(server):
    with open("/proc/%d/status" % server.process.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def exchange(port, raw, timeout=10):
    """Sends raw bytes on a fresh connection; returns (status or None, body bytes)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(raw)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    if not data.startswith(b"HTTP/1."):
        return None, data
    # A mutated request may read as two; the first answer is the one that counts.
    head, _, rest = data.partition(b"\r\n\r\n")
    length = len(rest)
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return int(head.split(b" ")[1]), rest[:length]


def exchange_all(port, raw, timeout=10):
    """Sends raw bytes on a fresh connection, without closing its sending side; returns
    (whether the server closed the connection, every byte it sent)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    data = b""
    try:
        s.sendall(raw)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                return False, data
            if not chunk:
                return True, data
            data += chunk
    finally:
        s.close()


def request(method, path, body=b"", headers=None):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: 127.0.0.1", "Authorization: " + AUTH, "Connection: close"]
    for k, v in (headers or {}).items():
        lines.append("%s: %s" % (k, v))
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class GoodClient:
    """Reads one document over keep-alive HTTP in a loop and keeps every latency."""

    def __init__(self, port):
        self.port = port
        self.latencies = []
        self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                conn.request("GET", "/_api/document/abuse/good", headers={"Authorization": AUTH})
                r = conn.getresponse()
                r.read()
                if r.status != 200:
                    self.failures += 1
            except Exception:
                self.failures += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.latencies.append(time.perf_counter() - start)
            time.sleep(0.002)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def p99_ms(self):
        xs = sorted(self.latencies)
        return 1000 * xs[int(0.99 * (len(xs) - 1))] if xs else float("nan")


def setup_collection(server):
    for raw in [
        request("POST", "/_api/collection", json.dumps({"name": "abuse"}).encode()),
        request("POST", "/_api/document/abuse", json.dumps({"_key": "good", "v": 1}).encode()),
    ]:
        status, body = exchange(server.port, raw)
        assert status in (200, 201, 202, 409), (status, body)


def report(name, server, client):
    print("abuse, %s: good client %d requests, %d failed, p99 %.1f ms; server peak RSS %d MB"
          % (name, len(client.latencies), client.failures, client.p99_ms(), rss_peak_kb(server) // 1024))
    assert client.failures == 0
    assert len(client.latencies) > 0
    assert server.process.poll() is None


def test_slow_clients(server):
    setup_collection(server)
    with GoodClient(server.port) as client:
        slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(20)]
        raw = request("GET", "/_api/version")
        # One byte a tenth of a second from each of 20 clients, for 3 seconds.
        for i in range(30):
            for s in slow:
                try:
                    s.send(raw[i:i + 1])
                except OSError:
                    pass
            time.sleep(0.1)
        for s in slow:
            s.close()
    report("20 slow clients", server, client)


def test_oversized_and_malformed(server):
    setup_collection(server)
    with GoodClient(server.port) as client:
        # A header far past any sane size: refused, never taken in whole.
        status, body = exchange(server.port, request("GET", "/_api/version", headers={"X-Big": "a" * 200_000}))
        assert status == 400 and json.loads(body)["errorNum"] == 10, (status, body)
        # Requests HTTP/1.1 cannot read: 400 with 10, after the answer to a good request before them.
        for raw in [b"GARBAGE\r\n\r\n", b"GET /_api/version HTTP/1.1\r\nBad Header\r\n\r\n",
                    b"GET /_api/version HTTP/1.1\r\nHost: x"]:
            status, body = exchange(server.port, raw)
            assert status == 400 and json.loads(body)["errorNum"] == 10, (raw, status, body)
        raw = request("GET", "/_api/version").replace(b"Connection: close", b"Connection: keep-alive") + b"GARBAGE\r\n\r\n"
        closed, answers = exchange_all(server.port, raw)
        assert closed and answers.startswith(b"HTTP/1.1 200 ") and answers.count(b"HTTP/1.1 400 ") == 1, answers
        # A body past the limit the server was given (64 MiB by default) is 413 without reading it all.
        head = ("POST /_api/document/abuse HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Length: %d\r\n\r\n"
                % (AUTH, 200 << 20)).encode()
        status, body = exchange(server.port, head + b"{" * 1000)
        assert status == 413 and json.loads(body)["errorNum"] == 413
        # A body that ends before its Content-Length (the client stops sending): 400 with 10.
        status, body = exchange(server.port, request("POST", "/_api/document/abuse", b"{}").replace(
            b"Content-Length: 2", b"Content-Length: 50"))
        assert status == 400 and json.loads(body)["errorNum"] == 10, (status, body)
        # Malformed JSON: 400 with errorNum 600.
        for bad in [b"{", b"{\"a\": }", b"\xff\xfe", b"[1, 2", b"{\"a\": 1e999999}"]:
            status, body = exchange(server.port, request("POST", "/_api/document/abuse", bad))
            assert status == 400 and json.loads(body)["errorNum"] == 600, (bad, status, body)
    report("oversized and malformed requests", server, client)


def test_many_connections(start_server):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    connections = 10_000 if SLOW else 2_000
    wanted = connections + 200
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, wanted)), hard))
    s = start_server(["--data", "{data}"])
    setup_collection(s)
    opened = []
    with GoodClient(s.port) as client:
        try:
            for _ in range(min(connections, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 200)):
                opened.append(socket.create_connection(("127.0.0.1", s.port), timeout=10))
        except OSError as e:
            print("abuse: stopped opening connections at %d: %s" % (len(opened), e))
        status, _ = exchange(s.port, request("GET", "/_api/version"))
        assert status == 200
        for c in opened:
            c.close()
    print("abuse: %d idle connections held at once" % len(opened))
    assert len(opened) >= min(connections, 1000)
    report("%d connections" % len(opened), s, client)


def test_cursor_and_transaction_exhaustion(server):
    setup_collection(server)
    with GoodClient(server.port) as client:
        opened = 0
        for _ in range(2000 if SLOW else 300):
            status, body = exchange(server.port, request(
                "POST", "/_api/cursor", json.dumps({"query": "FOR i IN 1..100 RETURN i", "batchSize": 1, "ttl": 5}).encode()))
            assert status == 201, body
            opened += 1
        # Write transactions queue on the PoP's one write lock: all but the first time out with 18.
        first = json.loads(exchange(server.port, request("POST", "/_api/transaction/begin", json.dumps(
            {"collections": {"write": ["abuse"]}}).encode()))[1])["result"]["id"]
        for _ in range(20):
            status, body = exchange(server.port, request("POST", "/_api/transaction/begin", json.dumps(
                {"collections": {"write": ["abuse"]}, "lockTimeout": 0.05}).encode()))
            assert status == 409 and json.loads(body)["errorNum"] == 18, (status, body)
        status, _ = exchange(server.port, request("DELETE", "/_api/transaction/%s" % first))
        assert status == 200
    report("%d cursors left open, 20 transactions refused" % opened, server, client)


def test_wrong_credentials_at_high_rate(server):
    setup_collection(server)
    forged = "bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJyb290In0.AAAA"
    wrong = "Basic " + base64.b64encode(b"root:wrong").decode()
    codes = {}
    with GoodClient(server.port) as client:
        for i in range(1000 if SLOW else 120):
            raw = request("GET", "/_api/version").replace(AUTH.encode(), (wrong if i % 3 == 0 else forged).encode())
            status, body = exchange(server.port, raw)
            assert status == 401 and json.loads(body)["errorNum"] == 11, (status, body)
            codes[status] = codes.get(status, 0) + 1
    report("%d requests with wrong or forged credentials" % sum(codes.values()), server, client)


def test_disconnect_in_the_middle_of_a_stream_cursor(server):
    setup_collection(server)
    status, _ = exchange(server.port, request("POST", "/_api/cursor", json.dumps(
        {"query": "FOR i IN 1..5000 INSERT {_key: CONCAT('s', i), v: i} INTO abuse"}).encode()))
    assert status == 201
    with GoodClient(server.port) as client:
        for _ in range(50):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(request("POST", "/_api/cursor", json.dumps(
                {"query": "FOR d IN abuse RETURN d", "batchSize": 10, "ttl": 2, "options": {"stream": True}}).encode()))
            s.recv(100)  # the first bytes of the answer, then gone
            s.close()
            # And one that leaves before its answer comes.
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(request("POST", "/_api/cursor", json.dumps({"query": "FOR d IN abuse RETURN d"}).encode()))
            s.close()
    report("100 clients gone in the middle of a cursor", server, client)


MUTATION_TOKENS = [b"\r\n", b"\r\n\r\n", b" ", b"/", b"..", b"%", b"%00", b"%zz", b"?", b"&", b"=", b"{", b"}", b"[",
                   b"\"", b":", b"\x00", b"\xff", b"Content-Length: 99999\r\n", b"Transfer-Encoding: chunked\r\n",
                   b"x-arango-trx-id: 12345\r\n", b"-1", b"9" * 30, b"HTTP/1.1", b"_db/", b"_api/", b"\xc3\x28"]


def mutate(rng, raw):
    b = bytearray(raw)
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(b))
        op = rng.randint(0, 5)
        if op == 0 and b:
            b[min(at, len(b) - 1)] ^= 1 << rng.randint(0, 7)
        elif op == 1 and b:
            del b[at:at + rng.randint(1, 12)]
        elif op == 2:
            b[at:at] = rng.choice(MUTATION_TOKENS)
        elif op == 3:
            b[at:at] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 6)))
        elif op == 4:
            del b[at:]
        else:
            b[at:at + rng.randint(1, 4)] = rng.choice(MUTATION_TOKENS)
    return bytes(b)


def test_malformed_requests_get_coded_errors(server):
    setup_collection(server)
    seeds = [
        request("GET", "/_api/version?details=true"),
        request("GET", "/_api/document/abuse/good"),
        request("POST", "/_api/document/abuse?returnNew=true", b'{"a": [1, {"b": null}], "c": "text"}'),
        request("POST", "/_api/cursor", b'{"query": "FOR d IN abuse FILTER d.v == @v RETURN d", "bindVars": {"v": 1}, "batchSize": 2}'),
        request("PUT", "/_api/cursor/1"),
        request("POST", "/_api/import?collection=abuse&type=documents", b'{"x": 1}\n{"x": 2}\n'),
        request("PATCH", "/_db/_system/_api/document/abuse/good", b'{"v": 2}', {"If-Match": "\"_abc\""}),
        request("POST", "/_api/transaction/begin", b'{"collections": {"read": ["abuse"]}}'),
        request("POST", "/_api/gharial", b'{"name": "g", "edgeDefinitions": []}'),
        request("GET", "/_fabric/_system/_api/kv"),
    ]
    rng = random.Random(7)
    count = 10_000 if SLOW else 1_000
    outcomes = {}
    with GoodClient(server.port) as client:
        for i in range(count):
            raw = mutate(rng, seeds[i % len(seeds)])
            status, body = exchange(server.port, raw)
            # Every answer is coded, even to a request HTTP itself cannot read: never a bare
            # status, never a connection closed without one, unless nothing was asked.
            if status is None and not raw.strip():
                key = "nothing sent"
            elif status is None:
                raise AssertionError(("closed without an answer", raw, body))
            elif status >= 400:
                doc = json.loads(body)
                assert doc["error"] is True and isinstance(doc["errorNum"], int) and doc["code"] == status, (raw, body)
                key = doc["errorNum"]
            else:
                key = "accepted"
            outcomes[key] = outcomes.get(key, 0) + 1
    top = sorted(outcomes.items(), key=lambda kv: -kv[1])
    print("bad-input sampler, HTTP requests: %d inputs: %s" % (count, ", ".join("%s×%d" % kv for kv in top)))
    report("%d malformed requests" % count, server, client)
