"""Raw HTTP against `locus serve`: error shapes, authentication failures, body limits, TLS,
cursor expiry, lock timeouts, restarts and graceful shutdown, the `--db` and `--pop` forms."""
import base64
import hashlib
import hmac
import http.client
import json
import os
import signal
import ssl
import subprocess
import tempfile
import time

import pytest

from conftest import BINARY, ROOT_PASSWORD, Server, local_fabric


def call(server, method, path, body=None, headers=None, auth=("root", ROOT_PASSWORD), raw=None, context=None):
    host, port = server.url.split("://")[1].rsplit(":", 1)
    if server.url.startswith("https"):
        conn = http.client.HTTPSConnection(host, int(port), timeout=30, context=context)
    else:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
    h = dict(headers or {})
    if auth:
        h["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    conn.request(method, path, body=data, headers=h)
    resp = conn.getresponse()
    payload = resp.read()
    conn.close()
    parsed = json.loads(payload) if payload and resp.getheader("content-type", "").startswith("application/json") else None
    return resp.status, parsed, resp


def assert_error(status_body, status, num):
    status_got, body, _ = status_body
    assert status_got == status, body
    assert body["error"] is True and body["code"] == status and body["errorNum"] == num and body["errorMessage"]


def test_error_shapes(server):
    assert_error(call(server, "GET", "/_api/no/such/route"), 404, 404)
    assert_error(call(server, "GET", "/nothing"), 404, 404)
    assert_error(call(server, "PATCH", "/_api/collection"), 405, 405)
    assert_error(call(server, "POST", "/_api/collection", raw=b"{not json"), 400, 600)
    assert_error(call(server, "GET", "/_api/collection/nope"), 404, 1203)
    assert_error(call(server, "GET", "/_db/nodb/_api/collection"), 404, 1228)
    status, body, _ = call(server, "POST", "/_api/cursor", {"query": "FOR x IN 1..2\nRETURN x +"})
    assert status == 400 and body["errorNum"] == 1501 and body["line"] == 2 and "position 2:" in body["errorMessage"]
    assert_error(call(server, "POST", "/_api/cursor", {"query": "RETURN @x"}), 400, 1551)
    assert_error(call(server, "POST", "/_api/cursor", {"query": ""}), 400, 1502)
    assert_error(call(server, "POST", "/_api/cursor", {"query": "RETURN 1", "options": {"bogus": 1}}), 400, 10)
    # A success body never carries errorNum.
    status, body, _ = call(server, "GET", "/_api/version")
    assert status == 200 and "errorNum" not in body and body["server"] == "locus"


def test_authentication_failures(server):
    assert_error(call(server, "GET", "/_api/collection", auth=None), 401, 11)
    assert_error(call(server, "GET", "/_api/collection", auth=("root", "wrong")), 401, 11)
    assert_error(call(server, "POST", "/_open/auth", {"username": "root", "password": "wrong"}, auth=None), 401, 401)
    status, body, _ = call(server, "POST", "/_open/auth", {"username": "root", "password": ROOT_PASSWORD}, auth=None)
    token = body["jwt"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["iss"] == "arangodb" and claims["preferred_username"] == "root" and claims["exp"] > time.time()
    ok = call(server, "GET", "/_api/collection", auth=None, headers={"Authorization": "bearer " + token})
    assert ok[0] == 200
    forged = base64.urlsafe_b64encode(json.dumps({**claims, "preferred_username": "root", "exp": claims["exp"] + 1}).encode()).decode().rstrip("=")
    assert_error(call(server, "GET", "/_api/collection", auth=None, headers={"Authorization": f"bearer {header}.{forged}.{signature}"}), 401, 11)
    expired = dict(claims, exp=int(time.time()) - 10)
    key = open(os.path.join(server.data, ".jwt-secret"), "rb").read()
    body64 = base64.urlsafe_b64encode(json.dumps(expired).encode()).decode().rstrip("=")
    sig = base64.urlsafe_b64encode(hmac.new(key, f"{header}.{body64}".encode(), hashlib.sha256).digest()).decode().rstrip("=")
    assert_error(call(server, "GET", "/_api/collection", auth=None, headers={"Authorization": f"bearer {header}.{body64}.{sig}"}), 401, 11)
    assert oct(os.stat(os.path.join(server.data, ".jwt-secret")).st_mode & 0o777) == "0o600"


def test_documents_over_raw_http(server):
    call(server, "POST", "/_api/collection", {"name": "raw"})
    status, meta, _ = call(server, "POST", "/_api/document/raw", {"_key": "k", "v": 1})
    assert status == 202 and meta["_id"] == "raw/k"
    status, _, resp = call(server, "HEAD", "/_api/document/raw/k")
    assert status == 200
    assert call(server, "HEAD", "/_api/document/raw/missing")[0] == 404
    status, _, _ = call(server, "GET", "/_api/document/raw/k", headers={"If-None-Match": '"' + meta["_rev"] + '"'})
    assert status == 304
    status, body, _ = call(server, "GET", "/_api/document/raw/k", headers={"If-Match": '"stale"'})
    assert status == 412 and body["errorNum"] == 1200 and body["_rev"] == meta["_rev"]
    status, items, resp = call(server, "POST", "/_api/document/raw", [{"_key": "k"}, {"_key": "l"}, 5])
    assert status == 202 and items[0]["errorNum"] == 1210 and items[1]["_key"] == "l" and items[2]["errorNum"] == 1227
    assert json.loads(resp.getheader("x-arango-error-codes")) == {"1210": 1, "1227": 1}
    status, doc, _ = call(server, "GET", "/_fabric/_system/_api/document/raw/l")
    assert status == 200 and doc["_key"] == "l"


def test_cursor_expiry_and_retry(server):
    status, body, _ = call(server, "POST", "/_api/cursor", {"query": "FOR i IN 1..5 RETURN i", "batchSize": 2, "ttl": 1})
    assert status == 201 and body["hasMore"] and body["result"] == [1, 2]
    time.sleep(2.5)
    assert_error(call(server, "POST", "/_api/cursor/" + body["id"]), 404, 1600)
    status, body, _ = call(server, "POST", "/_api/cursor", {"query": "FOR i IN 1..5 RETURN i", "batchSize": 2, "options": {"allowRetry": True}})
    cursor, batch = body["id"], body["nextBatchId"]
    first = call(server, "POST", f"/_api/cursor/{cursor}/{batch}")[1]
    again = call(server, "POST", f"/_api/cursor/{cursor}/{batch}")[1]
    assert first["result"] == again["result"] == [3, 4]
    assert call(server, "PUT", f"/_api/cursor/{cursor}")[1]["result"] == [5]
    assert call(server, "DELETE", f"/_api/cursor/{cursor}")[0] == 202
    assert_error(call(server, "DELETE", f"/_api/cursor/{cursor}"), 404, 1600)


def test_lock_timeout_between_stream_transactions(server):
    call(server, "POST", "/_api/collection", {"name": "locked"})
    status, first, _ = call(server, "POST", "/_api/transaction/begin", {"collections": {"write": ["locked"]}})
    assert status == 201
    tid = first["result"]["id"]
    started = time.time()
    assert_error(call(server, "POST", "/_api/transaction/begin", {"collections": {"write": ["locked"]}, "lockTimeout": 1}), 409, 18)
    assert time.time() - started < 10
    call(server, "POST", "/_api/document/locked", {"_key": "in-tx"}, headers={"x-arango-trx-id": tid})
    assert call(server, "GET", "/_api/document/locked/in-tx")[0] == 404
    status, body, _ = call(server, "GET", "/_api/transaction")
    assert any(t["id"] == tid for t in body["transactions"])
    assert call(server, "DELETE", f"/_api/transaction/{tid}")[1]["result"]["status"] == "aborted"
    assert call(server, "GET", "/_api/document/locked/in-tx")[0] == 404
    assert_error(call(server, "PUT", "/_api/transaction/999999"), 404, 1655)


def test_body_limit(start_server):
    s = start_server(["--data", "{data}", "--max-body", "1000"])
    call(s, "POST", "/_api/collection", {"name": "c"})
    assert_error(call(s, "POST", "/_api/document/c", {"x": "y" * 2000}), 413, 413)
    assert call(s, "POST", "/_api/document/c", {"x": "y" * 100})[0] == 202


def test_refuses_to_start_without_a_root_password():
    data = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if k != "LOCUS_ROOT_PASSWORD"}
    run = subprocess.run([BINARY, "serve", "--data", data, "--listen", "127.0.0.1:0"], env=env, capture_output=True, timeout=30)
    assert run.returncode == 1 and b"LOCUS_ROOT_PASSWORD" in run.stderr


def test_no_auth_and_single_file(start_server):
    path = os.path.join(tempfile.mkdtemp(), "one.db")
    s = start_server(["--db", path, "--no-auth"], password=None)
    assert call(s, "GET", "/_api/collection", auth=None)[0] == 200
    assert_error(call(s, "POST", "/_api/database", {"name": "other"}, auth=None), 403, 11)
    assert call(s, "GET", "/_api/database", auth=None)[1]["result"] == ["_system"]


def test_tls(start_server):
    tmp = tempfile.mkdtemp()
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    s = start_server(["--data", "{data}", "--tls-cert", cert, "--tls-key", key])
    assert s.url.startswith("https://")
    context = ssl.create_default_context(cafile=cert)
    status, body, _ = call(s, "GET", "/_api/version", context=context)
    assert status == 200 and body["server"] == "locus"
    with pytest.raises(ssl.SSLError):
        call(s, "GET", "/_api/version", context=ssl.create_default_context())


def test_restart_keeps_data_and_shutdown_rolls_back(start_server):
    s = start_server(["--data", "{data}"])
    call(s, "POST", "/_api/database", {"name": "keep"})
    call(s, "POST", "/_db/keep/_api/collection", {"name": "c"})
    call(s, "POST", "/_db/keep/_api/document/c", {"_key": "committed"})
    tid = call(s, "POST", "/_db/keep/_api/transaction/begin", {"collections": {"write": ["c"]}})[1]["result"]["id"]
    call(s, "POST", "/_db/keep/_api/document/c", {"_key": "uncommitted"}, headers={"x-arango-trx-id": tid})
    assert s.stop(signal.SIGTERM) == 0
    again = start_server(["--data", s.data])
    assert "keep" in call(again, "GET", "/_api/database")[1]["result"]
    assert call(again, "GET", "/_db/keep/_api/document/c/committed")[0] == 200
    assert call(again, "GET", "/_db/keep/_api/document/c/uncommitted")[0] == 404
    assert again.stop(signal.SIGINT) == 0


def test_pop_serves_api_and_sync_on_one_port(start_server):
    name, fab = local_fabric()
    fra = start_server(["--pop", "fra", "--dir", fab])
    call(fra, "POST", f"/_fabric/{name}/_api/collection", {"name": "users"})
    assert call(fra, "POST", f"/_fabric/{name}/_api/document/users", {"_key": "u1"})[0] == 202
    assert call(fra, "GET", "/_api/document/users/u1")[0] == 200
    status, identity, _ = call(fra, "GET", "/_api/sync/identity", auth=None)
    assert status == 200 and identity["pop"] == "fra" and identity["fabric"] == name
    iad = start_server(["--pop", "iad", "--dir", fab, "--peer", fra.url, "--every", "0.2"])
    call(iad, "POST", "/_api/collection", {"name": "users"})
    for _ in range(100):
        if call(iad, "GET", f"/_fabric/{name}/_api/document/users/u1")[0] == 200:
            break
        time.sleep(0.1)
    assert call(iad, "GET", f"/_fabric/{name}/_api/document/users/u1")[0] == 200


def test_running_queries_are_listed_and_killed(server):
    import threading
    outcome = {}

    def slow():
        outcome["answer"] = call(server, "POST", "/_api/cursor", {"query": "FOR a IN 1..100000 FOR b IN 1..100000 FILTER RAND() > 2 RETURN a"})

    t = threading.Thread(target=slow)
    t.start()
    running = []
    for _ in range(100):
        running = [q for q in call(server, "GET", "/_api/query/current")[1] if "RAND() > 2" in q["query"]]
        if running:
            break
        time.sleep(0.05)
    assert running and running[0]["state"] == "executing"
    assert call(server, "DELETE", "/_api/query/" + running[0]["id"])[0] == 200
    t.join(30)
    status, body, _ = outcome["answer"]
    assert status == 410 and body["errorNum"] == 1500
    assert_error(call(server, "DELETE", "/_api/query/" + running[0]["id"]), 404, 1591)


def test_stream_cursor_runs_lazily(server):
    call(server, "POST", "/_api/collection", {"name": "streamed"})
    call(server, "POST", "/_api/import?collection=streamed&type=array", [{"_key": str(i), "n": i} for i in range(50)])
    status, body, _ = call(server, "POST", "/_api/cursor",
                           {"query": "FOR d IN streamed SORT d.n RETURN d.n", "batchSize": 20, "options": {"stream": True}})
    assert status == 201 and body["result"] == list(range(20)) and body["hasMore"]
    # The cursor reads one snapshot: a write after it started is not in it.
    call(server, "POST", "/_api/document/streamed", {"_key": "late", "n": 1000})
    rows = body["result"]
    while body["hasMore"]:
        body = call(server, "PUT", "/_api/cursor/" + body["id"])[1]
        rows += body["result"]
    assert rows == list(range(50)) and body["extra"]["stats"]["scannedFull"] == 50
    # Closing a stream cursor early stops its query; errors arrive as for any cursor.
    status, body, _ = call(server, "POST", "/_api/cursor",
                           {"query": "FOR a IN 1..100000 FOR b IN 1..100000 RETURN b", "batchSize": 5, "options": {"stream": True}})
    assert body["result"] == [1, 2, 3, 4, 5]
    assert call(server, "DELETE", "/_api/cursor/" + body["id"])[0] == 202
    status, body, _ = call(server, "POST", "/_api/cursor",
                           {"query": "FOR i IN 1..10 RETURN i / 0 == null ? FAIL('stop') : i", "batchSize": 2, "options": {"stream": True}})
    assert status == 400 and body["errorNum"] == 1569
