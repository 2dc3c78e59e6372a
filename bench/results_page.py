#!/usr/bin/python3
"""Benchmark: the admin web app's campaign results page with 100,000 recipients.

Starts the real server on loopback (fresh data directory), imports N targets
(CSV), and launches a campaign through an SMTP profile pointing at a closed
loopback port, spread (send_by) over a week: all N recipients exist and are
queued, nothing is sent while measuring. Then Chromium (Debian's, through
playwright-core in tests/browser) opens /campaigns/<id> and the time from the
start of the navigation until the counters show N recipients and the first
page of the recipients table is on screen is printed: cold (fresh browser
profile: the app's files are fetched) and warm (reloads). Also prints the
latency of the two API calls the page waits for. Target: < 1 s.

Usage: bench/results_page.py [path/to/phishdrill] [--recipients N] [--runs N]
Needs: node, tests/browser/node_modules (npm ci there), /usr/bin/chromium.
"""
import argparse
import json
import os
import secrets
import sqlite3
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

from bench_common import call, free_port, server_env, wait_healthy

HERE = os.path.dirname(os.path.abspath(__file__))
BROWSER_DIR = os.path.join(HERE, "..", "tests", "browser")


def timed_get(base, key, path, n=5):
    best = None
    for _ in range(n):
        t = time.perf_counter()
        req = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {key}"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def simulate_activity(data_dir: str, cid: int) -> None:
    """Writes a week of results straight into the database, as if the campaign had run:
    everyone sent over 5 days, 30 % opened, 12 % clicked, 4 % submitted, 8 % reported
    (first times within hours of delivery), with the campaign's people counters to
    match. Sending a real 100,000-message week would take the benchmark days."""
    db = sqlite3.connect(os.path.join(data_dir, "phishdrill.db"), timeout=30)
    start = int(time.time()) - 7 * 86400
    with db:
        db.execute(
            "UPDATE recipients SET state = 'sent', sent_at = ?2 + (id % 5000) * 86 + "
            "(id % 5) * 86400, "
            "status_rank = CASE WHEN id % 100 < 4 THEN 3 WHEN id % 100 < 12 THEN 2 "
            "WHEN id % 100 < 30 THEN 1 ELSE 0 END, "
            "reported_at = CASE WHEN id % 100 >= 92 THEN ?2 + (id % 5) * 86400 + 7200 ELSE 0 END "
            "WHERE campaign_id = ?1", (cid, start))
        db.execute(
            "UPDATE recipients SET "
            "first_opened_at = CASE WHEN status_rank >= 1 THEN sent_at + 600 + id % 3600 ELSE 0 END, "
            "first_clicked_at = CASE WHEN status_rank >= 2 THEN sent_at + 900 + id % 3600 ELSE 0 END, "
            "first_submitted_at = CASE WHEN status_rank >= 3 THEN sent_at + 1000 + id % 3600 "
            "ELSE 0 END WHERE campaign_id = ?1", (cid,))
        db.execute(
            "UPDATE campaigns SET opened = (SELECT COUNT(*) FROM recipients WHERE campaign_id = ?1 "
            "AND status_rank >= 1), clicked = (SELECT COUNT(*) FROM recipients WHERE campaign_id = ?1 "
            "AND status_rank >= 2), submitted = (SELECT COUNT(*) FROM recipients WHERE "
            "campaign_id = ?1 AND status_rank >= 3), reported = (SELECT COUNT(*) FROM recipients "
            "WHERE campaign_id = ?1 AND reported_at > 0) WHERE id = ?1", (cid,))
    db.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-activity", dest="activity", action="store_false",
                        help="leave the campaign unsent (by default a week of results is simulated)")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-results-")
    port = free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    email, password = "bench-admin@example.com", secrets.token_urlsafe(18)
    env = server_env(data_dir, port, free_port(), key, password,
                     PHISHDRILL_INITIAL_ADMIN_EMAIL=email)
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base)
        t0 = time.perf_counter()
        rows = ["Email,First Name,Last Name,Department"] + [
            f"p{i}@bench.example.com,First{i},Last{i},Dept{i % 40}" for i in range(args.recipients)]
        group = call(base, key, "POST", "/api/v1/groups/import?name=bench",
                     ("\n".join(rows) + "\n").encode(), "text/csv")["group"]
        t_import = time.perf_counter() - t0
        template = call(base, key, "POST", "/api/v1/templates", {
            "name": "bench", "subject": "Hello {{.FirstName}}",
            "html": "<p>Hi {{.FirstName}},</p><p><a href=\"{{.URL}}\">Open</a></p>{{.Tracker}}"})
        profile = call(base, key, "POST", "/api/v1/sending-profiles", {
            "name": "closed port", "kind": "smtp", "host": "127.0.0.1", "port": free_port(),
            "tls": "none", "from": "IT Desk <it@example.com>", "rate_per_minute": 0})
        now = datetime.now(timezone.utc)
        campaign = call(base, key, "POST", "/api/v1/campaigns", {
            "name": "bench", "templates": [{"template_id": template["id"]}],
            "group_ids": [group["id"]], "profile_id": profile["id"],
            "launch_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "send_by": (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")})
        t0 = time.perf_counter()
        call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch")
        t_launch = time.perf_counter() - t0
        cid = campaign["id"]
        if args.activity:
            simulate_activity(data_dir, cid)
        t_summary = timed_get(base, key, f"/api/v1/campaigns/{cid}/summary")
        t_page = timed_get(base, key, f"/api/v1/campaigns/{cid}/recipients?limit=25")
        print(f"seeded {args.recipients:,} recipients: CSV import {t_import:.2f} s, "
              f"launch {t_launch:.2f} s")
        print(f"API: summary {t_summary * 1000:.1f} ms, first page of recipients "
              f"{t_page * 1000:.1f} ms (best of 5)")
        try:  # the page's other calls: the campaign (with its results) and the timeline chart
            t_get = timed_get(base, key, f"/api/v1/campaigns/{cid}")
            t_timeline = timed_get(base, key, f"/api/v1/campaigns/{cid}/timeline")
            t_list = timed_get(base, key, "/api/v1/campaigns?limit=200")
            t_audience = timed_get(base, key, f"/api/v1/campaigns/{cid}/audience")
            print(f"API: campaign {t_get * 1000:.1f} ms, timeline {t_timeline * 1000:.1f} ms, "
                  f"campaign list (dashboard) {t_list * 1000:.1f} ms, audience {t_audience * 1000:.1f} ms "
                  f"(best of 5; {'a simulated week of results' if args.activity else 'nothing sent yet'})")
        except urllib.error.HTTPError as e:
            print(f"API: timeline/audience not available ({e.code})")
        try:  # the table's search and filters (server-side), when the server has them
            t_q = timed_get(base, key, f"/api/v1/campaigns/{cid}/recipients?limit=25&q=last{args.recipients - 1}")
            t_r = timed_get(base, key, f"/api/v1/campaigns/{cid}/recipients?limit=25&result=clicked")
            print(f"API: search for one person {t_q * 1000:.1f} ms, filter result=clicked "
                  f"{t_r * 1000:.1f} ms (best of 5)")
        except urllib.error.HTTPError as e:
            print(f"API: search/filters not available ({e.code})")

        ctx = {"base_url": base, "email": email, "password": password, "campaign_id": cid,
               "recipients": args.recipients, "runs": args.runs}
        proc = subprocess.run(["node", "admin_results_bench.mjs"], cwd=BROWSER_DIR,
                              env=dict(os.environ, PHISHDRILL_BROWSER_CONTEXT=json.dumps(ctx)),
                              capture_output=True, text=True, timeout=300)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        result = json.loads(lines[-1]) if lines else {"error": proc.stderr[-2000:]}
        if "error" in result:
            print("browser run failed:", result["error"], file=sys.stderr)
            return 1
        warm = ", ".join(f"{ms:.0f}" for ms in result["warm_ms"])
        print(f"results page, counters ({result['shown']} recipients) and first "
              f"{result['rows']} rows visible: cold {result['cold_ms']:.0f} ms; "
              f"warm median {result['warm_median_ms']:.0f} ms ({warm})")
        worst = max(result["cold_ms"], result["warm_median_ms"])
        print(f"target < 1000 ms: {'met' if worst < 1000 else 'MISSED'}")
        return 0 if worst < 1000 else 2
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
