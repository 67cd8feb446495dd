"""Change streams over HTTP against real `locus serve --pop` processes: a batch after a
position as JSON lines, long polls woken by commits (local and merged from another PoP, with
their origin), timeouts, many waiting subscribers that hold no worker thread, and the error
of a server whose databases are no PoPs; and the same changes pushed over WebSockets."""
import json
import threading
import time

import pytest

from conftest import local_fabric
from test_http import call


def fabric_pops(start_server):
    name, fab = local_fabric()
    fra = start_server(["--pop", "fra", "--dir", fab])
    iad = start_server(["--pop", "iad", "--dir", fab, "--peer", fra.url, "--every", "0.2"])
    return name, fra, iad


def lines(server, collection, **params):
    """The entries and the resume position of one changes request."""
    import base64
    import http.client
    from conftest import ROOT_PASSWORD
    host, port = server.url.split("://")[1].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    auth = "Basic " + base64.b64encode(f"root:{ROOT_PASSWORD}".encode()).decode()
    conn.request("GET", f"/_api/changes/{collection}?{query}", headers={"Authorization": auth})
    resp = conn.getresponse()
    payload = resp.read().decode()
    conn.close()
    if resp.status != 200:
        return resp.status, json.loads(payload), None
    entries = [json.loads(line) for line in payload.splitlines() if line]
    return resp.status, entries, int(resp.getheader("x-locus-position"))


def test_changes_and_long_polls(start_server):
    name, fra, iad = fabric_pops(start_server)
    assert call(fra, "POST", "/_api/collection", {"name": "users"})[0] == 200
    assert call(fra, "GET", "/_api/collection/users")[1]["hasStream"] is True
    for i in range(3):
        assert call(fra, "POST", "/_api/document/users", {"_key": f"u{i}", "n": i})[0] == 202
    assert call(fra, "PATCH", "/_api/document/users/u0", {"m": 1})[0] == 202
    assert call(fra, "DELETE", "/_api/document/users/u1")[0] == 202
    status, entries, position = lines(fra, "users", since=0)
    assert status == 200
    assert [(e["operation"], e["key"]) for e in entries] == [
        ("insert", "u0"), ("insert", "u1"), ("insert", "u2"), ("update", "u0"), ("remove", "u1")]
    assert entries[3]["document"]["m"] == 1 and "document" not in entries[4]
    assert position == entries[-1]["position"]
    # Resuming after a position; a limit leaves the rest for the next call.
    assert [e["key"] for e in lines(fra, "users", since=entries[2]["position"])[1]] == ["u0", "u1"]
    assert len(lines(fra, "users", since=0, limit=2)[1]) == 2

    # A long poll from now returns as soon as a commit arrives.
    outcome = {}

    def poll():
        started = time.time()
        outcome["answer"] = lines(fra, "users", timeout=20)
        outcome["waited"] = time.time() - started

    t = threading.Thread(target=poll)
    t.start()
    time.sleep(0.5)
    assert call(fra, "POST", "/_api/document/users", {"_key": "late"})[0] == 202
    t.join(30)
    status, entries, _ = outcome["answer"]
    assert [e["key"] for e in entries] == ["late"] and outcome["waited"] < 10

    # Nothing new: the poll ends at its timeout, empty, with the position to resume from.
    started = time.time()
    status, entries, resume = lines(fra, "users", since=position + 10_000_000, timeout=0.5)
    assert status == 200 and entries == [] and time.time() - started >= 0.4

    # At the other PoP the merged changes arrive with their origin.
    deadline = time.time() + 30
    while time.time() < deadline and call(iad, "GET", "/_api/collection/users")[0] != 200:
        time.sleep(0.1)
    seen = []
    since = 0
    while time.time() < deadline and not any(e.get("key") == "late" for e in seen):
        status, got, since = lines(iad, "users", since=since, timeout=5)
        seen += got
    assert {e["key"] for e in seen if e["operation"] == "insert"} >= {"u0", "u2", "late"}
    assert all(e["origin"] == "fra" for e in seen)


def test_waiting_subscribers_hold_no_worker(start_server):
    name, fra, _ = fabric_pops(start_server)
    call(fra, "POST", "/_api/collection", {"name": "quiet"})
    results = []
    threads = [threading.Thread(target=lambda: results.append(lines(fra, "quiet", timeout=8))) for _ in range(40)]
    for t in threads:
        t.start()
    time.sleep(1)
    # 40 waiting polls and 8 workers: the server still answers at once.
    started = time.time()
    assert call(fra, "GET", "/_api/version")[0] == 200
    assert call(fra, "POST", "/_api/document/quiet", {"_key": "wake"})[0] == 202
    assert time.time() - started < 2
    for t in threads:
        t.join(30)
    assert len(results) == 40 and all([e["key"] for e in r[1]] == ["wake"] for r in results)


def test_streams_need_a_pop(server):
    call(server, "POST", "/_api/collection", {"name": "plain"})
    status, body, _ = lines(server, "plain", since=0)
    assert status == 400 and body["errorNum"] == 10 and "PoP" in body["errorMessage"]


def socket(server, path, password=None):
    import base64
    import websocket
    from conftest import ROOT_PASSWORD
    auth = "Basic " + base64.b64encode(f"root:{password or ROOT_PASSWORD}".encode()).decode()
    return websocket.create_connection(server.url.replace("http://", "ws://") + path, header=[f"Authorization: {auth}"], timeout=20)


def test_websocket_pushes_changes_as_they_commit(start_server):
    import websocket
    name, fra, iad = fabric_pops(start_server)
    call(fra, "POST", "/_api/collection", {"name": "users"})
    assert call(fra, "POST", "/_api/document/users", {"_key": "first"})[0] == 202
    # From position 0: the past first, then each commit as it happens.
    ws = socket(fra, f"/_fabric/{name}/_ws/changes/users?since=0")
    assert json.loads(ws.recv())["key"] == "first"
    live = socket(fra, "/_ws/changes/users")
    for i in range(20):
        started = time.time()
        assert call(fra, "POST", "/_api/document/users", {"_key": f"k{i}", "n": i})[0] == 202
        change = json.loads(live.recv())
        assert change["key"] == f"k{i}" and change["operation"] == "insert" and change["document"]["n"] == i
        assert time.time() - started < 5
    assert [json.loads(ws.recv())["key"] for _ in range(20)] == [f"k{i}" for i in range(20)]
    assert call(fra, "DELETE", "/_api/document/users/k0")[0] == 202
    assert json.loads(live.recv()) | {"position": 0} == {"position": 0, "collection": "users", "operation": "remove", "key": "k0"}
    ws.close()
    live.close()
    # Merged changes reach a subscriber at the other PoP, with their origin.
    for _ in range(100):
        if call(iad, "GET", "/_api/collection/users")[0] == 200:
            break
        time.sleep(0.1)
    remote = socket(iad, "/_ws/changes/users?since=0")
    got = []
    while len(got) < 20:
        got.append(json.loads(remote.recv()))
    assert all(c["origin"] == "fra" for c in got)
    remote.close()
    # A refused socket says why, as ArangoDB shapes errors, and closes: wrong password (401,
    # error 11), unknown collection (404, error 1203); without an upgrade the route answers 400.
    for path, password, code, num in [("/_ws/changes/users", "wrong", 401, 11), ("/_ws/changes/nothing", None, 404, 1203)]:
        refused = socket(fra, path, password=password)
        error = json.loads(refused.recv())
        assert error["error"] is True and error["code"] == code and error["errorNum"] == num
        assert refused.recv() == ""  # the close frame
        refused.close()
    status, body, _ = call(fra, "GET", "/_ws/changes/users")
    assert status == 400 and "WebSocket" in body["errorMessage"]
