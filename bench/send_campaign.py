#!/usr/bin/python3
"""Benchmark: messages per second delivered by a campaign to a local SMTP sink.

Starts the real server on loopback (fresh data directory) and a minimal SMTP
sink (bench/fast_smtp_sink.py), imports N targets, launches a campaign through
an unlimited-rate SMTP profile, and prints the end-to-end delivery rate (first
to last message at the sink) and the time from launch to the last message.

Usage: bench/send_campaign.py [path/to/phishdrill] [--recipients N] [--workers N]
"""
import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_common import call, free_port, server_env, wait_healthy

HERE = os.path.dirname(os.path.abspath(__file__))



def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--recipients", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-send-")
    port, smtp_port = free_port(), free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    sink = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "fast_smtp_sink.py"),
                             str(smtp_port)], stdout=subprocess.PIPE, text=True)
    assert sink.stdout.readline().strip() == "ready"
    env = server_env(data_dir, port, free_port(), key, secrets.token_urlsafe(16),
                     PHISHDRILL_JOBS_WORKERS=str(args.workers))
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        rows = ["Email,First Name,Last Name"] + [
            f"p{i}@bench.example.com,First{i},Last{i}" for i in range(args.recipients)]
        group = call(base, key, "POST", "/api/v1/groups/import?name=bench",
                     ("\n".join(rows) + "\n").encode(), "text/csv")["group"]
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
            "group_ids": [group["id"]], "profile_id": profile["id"]})
        started = time.monotonic()
        call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch", {})
        deadline = started + 600
        while time.monotonic() < deadline:
            summary = call(base, key, "GET", f"/api/v1/campaigns/{campaign['id']}/summary")
            if summary["sent"] + summary["failed"] >= args.recipients:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=15)
        sink.terminate()
        received, span = sink.stdout.readline().split()
        sink.wait(timeout=5)
        shutil.rmtree(data_dir, ignore_errors=True)
    received, span = int(received), float(span)
    print(f"campaign_send recipients={args.recipients} workers={args.workers}")
    print(f"  delivered at the sink:   {received}")
    print(f"  sink first→last:         {span:.2f} s  ({received / span if span else 0:,.0f} msg/s)")
    print(f"  launch→all recorded:     {elapsed:.2f} s  ({args.recipients / elapsed:,.0f} msg/s)")
    print(f"  failed:                  {summary['failed']}")
    return 0 if received == args.recipients else 1


if __name__ == "__main__":
    sys.exit(main())
