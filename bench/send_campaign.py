#!/usr/bin/python3
"""Benchmark: messages per second delivered by a campaign to a local SMTP sink.

Starts the real server on loopback (fresh data directory) and a minimal SMTP
sink (bench/fast_smtp_sink.py), imports N targets, launches a campaign through
an unlimited-rate SMTP profile, and prints the end-to-end delivery rate (first
to last message at the sink) and the time from launch to the last message.

Usage: bench/send_campaign.py [path/to/phishdrill] [--recipients N] [--workers N]
       [--store sqlite|postgres] [--json FILE]
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

from bench_common import (Store, add_store_arguments, call, free_port, import_targets,
                          server_env, stop_process, wait_healthy, write_json)

HERE = os.path.dirname(os.path.abspath(__file__))



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--recipients", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=600,
                        help="give up waiting for the campaign after this many seconds")
    add_store_arguments(parser)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-send-")
    try:
        with Store(args.store, data_dir) as store:
            return run(args, store, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args, store, data_dir):
    port, smtp_port = free_port(), free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    sink = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fast_smtp_sink.py"),
                             str(smtp_port)], stdout=subprocess.PIPE, text=True)
    server = None
    try:
        assert sink.stdout.readline().strip() == "ready"
        env = server_env(data_dir, port, free_port(), key, secrets.token_urlsafe(16),
                         PHISHDRILL_JOBS_WORKERS=str(args.workers), **store.server_env())
        server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, server=server)
        group_ids = import_targets(base, key, args.recipients, "Email,First Name,Last Name",
                                   lambda i: f"p{i}@bench.example.com,First{i},Last{i}")
        template = call(base, key, "POST", "/api/v1/templates", {
            "name": "bench", "subject": "Hello {{.FirstName}}",
            "html": "<p>Hi {{.FirstName}} {{.LastName}},</p><p><a href=\"{{.URL}}\">Open</a></p>"
                    "{{.Tracker}}",
            "text": "Hi {{.FirstName}}, open {{.URL}}"})
        profile = call(base, key, "POST", "/api/v1/sending-profiles", {
            "name": "sink", "kind": "smtp", "host": "127.0.0.1", "port": smtp_port,
            "tls": "none", "from": "IT Desk <it@example.com>", "rate_per_minute": 0})
        campaign = call(base, key, "POST", "/api/v1/campaigns", {
            "name": "bench", "templates": [{"template_id": template["id"]}],
            "group_ids": group_ids, "profile_id": profile["id"]})
        started = time.monotonic()
        call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch", {}, timeout=600)
        deadline = started + args.timeout
        while time.monotonic() < deadline:
            summary = call(base, key, "GET", f"/api/v1/campaigns/{campaign['id']}/summary")
            if summary["sent"] + summary["failed"] >= args.recipients:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        stop_process(server)
        sink.terminate()  # it prints its count and span on SIGTERM, then exits
        received, span = (sink.stdout.readline().split() + ["0", "0"])[:2]
        try:
            sink.wait(timeout=5)
        except subprocess.TimeoutExpired:
            sink.kill()
            sink.wait()
    received, span = int(received), float(span)
    print(f"campaign_send store={args.store} recipients={args.recipients} workers={args.workers}")
    print(f"  store:                   {store.describe()}")
    print(f"  delivered at the sink:   {received}")
    print(f"  sink first→last:         {span:.2f} s  ({received / span if span else 0:,.0f} msg/s)")
    print(f"  launch→all recorded:     {elapsed:.2f} s  ({args.recipients / elapsed:,.0f} msg/s)")
    print(f"  failed:                  {summary['failed']}")
    ok = received == args.recipients
    write_json(args.json, {"store": args.store, "recipients": args.recipients,
                           "workers": args.workers, "delivered": received,
                           "sink_span_s": span, "sink_rate": received / span if span else 0,
                           "recorded_s": elapsed, "recorded_rate": args.recipients / elapsed,
                           "failed": summary["failed"], "ok": ok})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
