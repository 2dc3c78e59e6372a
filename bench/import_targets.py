#!/usr/bin/python3
"""Benchmark: import 10,000 targets from one CSV upload.

Starts the real server on loopback with a fresh data directory, uploads a
generated 10,000-row CSV to POST /api/v1/groups/import (all-or-nothing, one
transaction), and prints the wall time of the request as the client sees it,
best and median of several runs (each run imports into a new group; runs after
the first update the existing targets instead of inserting them).

Usage: bench/import_targets.py [path/to/phishdrill] [--rows N] [--runs N]
       [--store sqlite|postgres] [--json FILE]
Target (issue #2): under 1 s for 10,000 rows.
"""
import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_common import (Store, add_store_arguments, free_port, server_env, stop_process,
                          wait_healthy, write_json)



def make_csv(rows):
    lines = ["First Name,Last Name,Email,Position,Department"]
    for i in range(rows):
        lines.append(f"First{i},Last{i},person{i}@bench.example.com,Clerk {i % 40},Dept {i % 12}")
    return ("\n".join(lines) + "\n").encode()


def request(url, key, method="GET", body=None, content_type=None):
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if content_type:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=60) as resp:
        return resp.status, resp.read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    add_store_arguments(parser)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-")
    try:
        with Store(args.store, data_dir) as store:
            return run(args, store, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args, store, data_dir):
    port = free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    env = server_env(data_dir, port, free_port(), key, secrets.token_urlsafe(16),
                     **store.server_env())
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, server=server)
        body = make_csv(args.rows)
        times = []
        for run in range(args.runs):
            started = time.perf_counter()
            status, _ = request(f"{base}/api/v1/groups/import?name=bench-{run}", key, "POST", body,
                                "text/csv")
            times.append(time.perf_counter() - started)
            assert status == 201, status
    finally:
        stop_process(server)
    print(f"csv_import store={args.store} rows={args.rows} bytes={len(body)} runs={args.runs}")
    print(f"  store:           {store.describe()}")
    print(f"  first (inserts): {times[0]:.3f} s")
    print(f"  best:            {min(times):.3f} s")
    print(f"  median:          {statistics.median(times):.3f} s")
    print(f"  rows/s (best):   {args.rows / min(times):,.0f}")
    target = 1.0
    verdict = "PASS" if times[0] < target else "FAIL"
    print(f"  target < {target:.1f} s for the first import: {verdict}")
    write_json(args.json, {"store": args.store, "rows": args.rows, "first_s": times[0],
                           "best_s": min(times), "median_s": statistics.median(times),
                           "times_s": times, "ok": verdict == "PASS"})
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
