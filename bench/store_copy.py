#!/usr/bin/python3
"""Benchmark: `phishdrill store copy` of a large SQLite install into PostgreSQL.

Starts the real server on loopback with a fresh data directory (SQLite),
imports N targets (default 1,000,000) and launches a campaign to all of them
through an outbox profile paced at one message a minute (so every recipient
row is real and the sender stays idle), stops the server, then copies its
SQLite file into an empty schema of the PostgreSQL at PHISHDRILL_TEST_PG_URL
(scripts/pg_test_cluster.sh start DIR prints one) and prints the copy's wall
time, recipient rows per second and the copy process's peak RSS (memory must
stay bounded: rows are streamed, never a table in memory). The schema is
dropped afterwards.

Usage: PHISHDRILL_TEST_PG_URL=postgres://… bench/store_copy.py [build/phishdrill]
       [--recipients N]
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

from bench_common import call, free_port, server_env, wait_healthy

GROUP_SIZE = 200_000  # targets per CSV import (the route takes up to 16 MiB)


def psql(url, sql):
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120)


def fill(binary, data_dir, recipients):
    """A SQLite install with one campaign of `recipients` people; returns launch seconds."""
    admin_port, phish_port = free_port(), free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    env = server_env(data_dir, admin_port, phish_port, key, secrets.token_urlsafe(16),
                     PHISHDRILL_PHISH_BASE_URL=f"http://127.0.0.1:{phish_port}")
    env.pop("PHISHDRILL_STORE_URL", None)
    server = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{admin_port}"
    try:
        wait_healthy(base)
        group_ids = []
        for start in range(0, recipients, GROUP_SIZE):
            rows = ["Email,First Name"] + [f"p{i}@bench.example.com,P{i}" for i in
                                           range(start, min(start + GROUP_SIZE, recipients))]
            group_ids.append(call(base, key, "POST", f"/api/v1/groups/import?name=bench-{start}",
                                  ("\n".join(rows) + "\n").encode(), "text/csv")["group"]["id"])
        template = call(base, key, "POST", "/api/v1/templates", {
            "name": "bench", "subject": "Hi", "html": "<a href=\"{{.URL}}\">x</a>{{.Tracker}}"})
        profile = call(base, key, "POST", "/api/v1/sending-profiles", {
            "name": "outbox", "kind": "outbox", "from": "IT <it@example.com>",
            "rate_per_minute": 1})
        campaign = call(base, key, "POST", "/api/v1/campaigns", {
            "name": "bench", "templates": [{"template_id": template["id"]}],
            "group_ids": group_ids, "profile_id": profile["id"]})
        started = time.monotonic()
        call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch", {})
        return time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=60)


def run_copy(binary, data_dir, target):
    """Runs the copy; returns its output, wall seconds, exit status and peak RSS (MiB)."""
    with tempfile.TemporaryFile("w+") as out:
        started = time.monotonic()
        proc = subprocess.Popen([binary, "store", "copy", "--from",
                                 f"sqlite:{data_dir}/phishdrill.db", "--to", target],
                                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return out.read(), seconds, proc.returncode, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--recipients", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("PHISHDRILL_TEST_PG_URL")
    if not url:
        sys.exit("set PHISHDRILL_TEST_PG_URL (scripts/pg_test_cluster.sh start DIR prints one)")

    data_dir = tempfile.mkdtemp(prefix="pd-bench-copy-")
    schema = "bench_copy_" + secrets.token_hex(4)
    target = url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    try:
        launch_seconds = fill(args.binary, data_dir, args.recipients)
        db_mib = os.path.getsize(os.path.join(data_dir, "phishdrill.db")) / 2**20
        psql(url, f"CREATE SCHEMA {schema}")
        output, seconds, status, peak_mib = run_copy(args.binary, data_dir, target)
        if status != 0:
            sys.exit(f"store copy failed ({status}):\n{output}")
    finally:
        try:
            psql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"store_copy recipients={args.recipients:,} (SQLite file {db_mib:.0f} MiB; launch "
          f"{launch_seconds:.1f} s)")
    print(f"  copy: {seconds:.1f} s, {args.recipients / seconds:,.0f} recipients/s, "
          f"peak RSS of the copy {peak_mib:.0f} MiB")
    print("\n".join(line for line in output.splitlines()
                    if " recipients " in f"{line} " or line.startswith("Copied ")))


if __name__ == "__main__":
    main()
