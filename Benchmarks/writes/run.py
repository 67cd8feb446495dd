#!/usr/bin/env python3
"""Single writes in one long-lived process: Locus against SQLite, in one run.

`../shared/bench`'s single_insert and single_update time the engine's second query in a fresh
process (`locus bench --warmup 1 --reps 1`), so they include what that process's first commit
pays once: SQLite creating the write-ahead log, writing its header and syncing it and its
directory. A server or an embedding app pays that once per process, not per write. This script
times the writes a long-lived process makes: every repetition commits (`locus bench
--commit-each`), against Python's sqlite3 in WAL mode with synchronous=NORMAL (the harness's
baseline settings), each write its own transaction, on tables of the same shape.

    python3 Benchmarks/writes/run.py [--locus .build/release/locus] [--reps 2000]

Standard library only. Prints median microseconds per write and the ratio.
"""

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import tempfile
import time

DOC = {"age": 21, "city": "Kosice", "name": "Temp User", "score": 97.364655, "tags": ["music", "sport"]}
PROFILES = 10_000


def locus(binary, *args):
    out = subprocess.run([binary, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"locus {' '.join(args[:2])} failed: {out.stderr.strip()}")
    return out.stdout


def locus_medians(binary, directory, reps):
    db = os.path.join(directory, "writes.locus")
    locus(binary, "collection", "create", "profiles_tmp", "--db", db)
    locus(binary, "collection", "create", "profiles", "--db", db)
    locus(binary, "query", "--db", db,
          f"FOR i IN 1..{PROFILES} INSERT MERGE({json.dumps(DOC)}, {{_key: CONCAT('p', i)}}) INTO profiles")
    medians = {}
    for name, query, bind in [
        ("single_insert", f"INSERT {json.dumps(DOC)} INTO profiles_tmp RETURN NEW._key", {}),
        ("single_update", "UPDATE @key WITH {last_seen: @ts} IN profiles RETURN NEW._key",
         {"key": "p4242", "ts": "2024-01-01T12:00:00Z"}),
    ]:
        out = locus(binary, "bench", "--db", db, "--bind", json.dumps(bind), "--warmup", "10", "--reps", str(reps),
                    "--commit-each", query)
        medians[name] = statistics.median(json.loads(out)["timings_ns"]) / 1000
    return medians


def sqlite_medians(directory, reps):
    con = sqlite3.connect(os.path.join(directory, "writes.sqlite"), isolation_level=None)
    for pragma in ["journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "temp_store=MEMORY"]:
        con.execute(f"PRAGMA {pragma}")
    con.execute("CREATE TABLE profiles_tmp(key TEXT PRIMARY KEY, doc TEXT NOT NULL)")
    con.execute("CREATE TABLE profiles(key TEXT PRIMARY KEY, doc TEXT NOT NULL)")
    con.execute("BEGIN")
    con.executemany("INSERT INTO profiles VALUES (?, ?)",
                    ((f"p{i}", json.dumps({**DOC, "_key": f"p{i}"})) for i in range(1, PROFILES + 1)))
    con.execute("COMMIT")
    medians = {}
    counter = iter(range(10**9))
    for name, sql, params in [
        ("single_insert", "INSERT INTO profiles_tmp(key, doc) VALUES (?, ?) RETURNING key",
         lambda: (f"t{next(counter)}", json.dumps(DOC))),
        ("single_update", "UPDATE profiles SET doc = json_set(doc, '$.last_seen', ?) WHERE key = ? RETURNING key",
         lambda: ("2024-01-01T12:00:00Z", "p4242")),
    ]:
        timings = []
        for rep in range(10 + reps):
            values = params()
            started = time.perf_counter_ns()
            con.execute(sql, values).fetchall()
            if rep >= 10:
                timings.append(time.perf_counter_ns() - started)
        medians[name] = statistics.median(timings) / 1000
    con.close()
    return medians


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--locus", default=os.environ.get("LOCUS_BINARY", ".build/release/locus"))
    ap.add_argument("--reps", type=int, default=2000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="locus-writes-") as directory:
        base = sqlite_medians(directory, a.reps)
        engine = locus_medians(a.locus, directory, a.reps)
    print(f"{'workload':16} {'sqlite µs':>10} {'locus µs':>10} {'ratio':>7}")
    for name in base:
        print(f"{name:16} {base[name]:10.1f} {engine[name]:10.1f} {engine[name] / base[name]:7.2f}")


if __name__ == "__main__":
    main()
