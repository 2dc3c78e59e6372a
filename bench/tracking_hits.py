#!/usr/bin/python3
"""Benchmark: durable tracking hits per second, next to the same server's
/healthz rate (the HTTP stack's ceiling on this machine).

Starts the real server on loopback with a fresh data directory, launches a
campaign of N recipients (default 1,000,000) through an outbox profile paced
at one message a minute (so every rid is real and the sender stays idle), reads
the rids from the database, then drives wrk (keep-alive, loopback only,
bounded duration) against:
  - GET /healthz                          (no database work)
  - GET /track?rid=…  (open pixel)        (each hit committed before the answer)
  - GET /?rid=…       (click → landing page)
Hits model a real campaign, not a warm cache: most requests are a person's
first (a rid never hit before, in an order unrelated to the database's), and
some return to a rid hit a little earlier; no rid is hit more than three times
per endpoint. Each tracking answer is sent only after its event is committed
by the group-committing writer. Prints requests/s for each and the ratio to /healthz,
and checks that the database holds at least as many events as wrk counted
2xx answers.

Usage: bench/tracking_hits.py [build/phishdrill] [--recipients N] [--seconds S]
       [--connections C] [--threads T]
Target (issue #12): ≥ half the /healthz rate at 1,000,000 recipients.
"""
import argparse
import os
import random
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from bench_common import call, free_port, server_env, wait_healthy

GROUP_SIZE = 200_000  # targets per CSV import (the route takes up to 16 MiB)

LUA = r"""
local rids = {}
for line in io.lines(os.getenv("PD_RIDS")) do rids[#rids + 1] = line end
local path = os.getenv("PD_PATH")
-- Each wrk thread walks its own stride of the (shuffled) rids: three requests
-- in four go to a rid never hit before; the fourth returns to one of the last
-- 4,096 first hits, unless that rid already had its three hits.
local next_new, hits, recent = 0, {}, {}
setup = function(thread)
  thread:set("offset", math.random(#rids))
end
local function pick()
  if math.random(4) == 4 and #recent > 0 then
    local r = recent[math.random(#recent)]
    if hits[r] < 3 then return r end
  end
  next_new = next_new + 1
  local r = ((offset or 0) + next_new) % #rids + 1
  hits[r] = 0
  recent[((next_new - 1) % 4096) + 1] = r
  return r
end
request = function()
  local r = pick()
  hits[r] = hits[r] + 1
  return wrk.format("GET", path .. rids[r], {["User-Agent"] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
    ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    ["Accept-Language"] = "en-US,en;q=0.9"})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d seconds=%.3f p50=%.2f p99=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""



def run_wrk(url, path, rids_file, seconds, connections, threads, lua_file):
    env = dict(os.environ, PD_RIDS=rids_file, PD_PATH=path)
    run = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                          "-s", lua_file, url], env=env, capture_output=True, text=True,
                         timeout=seconds + 30)
    out = run.stdout
    m = re.search(r"RESULT requests=(\d+) errors=(\d+) non2xx=(\d+) seconds=([\d.]+) "
                  r"p50=([\d.]+) p99=([\d.]+)", out)
    if not m:
        raise RuntimeError(f"wrk gave no result: {run.stdout}{run.stderr}")
    requests, errors, non2xx, secs, p50, p99 = m.groups()
    return int(requests), int(errors), int(non2xx), float(secs), float(p50), float(p99)


def rss_mib(pid, field="VmRSS"):
    """The process's resident memory now (VmRSS) or at its peak (VmHWM), in MiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0


def cpu_seconds(pid):
    """User + system CPU time the process has used so far (from /proc)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--recipients", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-track-")
    admin_port, phish_port = free_port(), free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    phish = f"http://127.0.0.1:{phish_port}"
    env = server_env(data_dir, admin_port, phish_port, key, secrets.token_urlsafe(16),
                     PHISHDRILL_PHISH_BASE_URL=phish, PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS="0",
                     PHISHDRILL_PHISH_IP_HITS_PER_SECOND="0")
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{admin_port}"
    results = {}
    try:
        wait_healthy(base)
        group_ids = []
        for start in range(0, args.recipients, GROUP_SIZE):
            rows = ["Email,First Name"] + [f"p{i}@bench.example.com,P{i}" for i in
                                           range(start, min(start + GROUP_SIZE, args.recipients))]
            group_ids.append(call(base, key, "POST", f"/api/v1/groups/import?name=bench-{start}",
                                  ("\n".join(rows) + "\n").encode(), "text/csv")["group"]["id"])
        template = call(base, key, "POST", "/api/v1/templates", {
            "name": "bench", "subject": "Hi", "html": "<a href=\"{{.URL}}\">x</a>{{.Tracker}}"})
        page = call(base, key, "POST", "/api/v1/pages", {
            "name": "bench", "capture": "fields",
            "html": "<html><body><form><input name=\"user\"><input type=\"password\" "
                    "name=\"pw\"></form></body></html>"})
        profile = call(base, key, "POST", "/api/v1/sending-profiles", {
            "name": "outbox", "kind": "outbox", "from": "IT <it@example.com>",
            "rate_per_minute": 1})
        campaign = call(base, key, "POST", "/api/v1/campaigns", {
            "name": "bench", "templates": [{"template_id": template["id"]}],
            "group_ids": group_ids, "profile_id": profile["id"], "page_id": page["id"]})
        started = time.monotonic()
        call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch", {})
        launch_seconds = time.monotonic() - started
        db = sqlite3.connect(os.path.join(data_dir, "phishdrill.db"))
        rids = [row[0] for row in db.execute("SELECT rid FROM recipients WHERE campaign_id = ?",
                                              (campaign["id"],))]
        db.close()
        random.Random(7).shuffle(rids)
        rids_file = os.path.join(data_dir, "rids.txt")
        with open(rids_file, "w") as f:
            f.write("\n".join(rids) + "\n")
        rss_before = rss_mib(server.pid)
        lua_file = os.path.join(data_dir, "hits.lua")
        with open(lua_file, "w") as f:
            f.write(LUA)
        for label, path in [("healthz", "/healthz?x="), ("pixel", "/track?rid="),
                            ("click", "/?rid=")]:
            cpu_before = cpu_seconds(server.pid)
            results[label] = run_wrk(phish, path, rids_file, args.seconds, args.connections,
                                     args.threads, lua_file)
            results[label] += (cpu_seconds(server.pid) - cpu_before,)
        rss_after = rss_mib(server.pid)
        rss_peak = rss_mib(server.pid, "VmHWM")
    finally:
        server.terminate()
        server.wait(timeout=30)
    db = sqlite3.connect(os.path.join(data_dir, "phishdrill.db"))
    stored = dict(db.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind").fetchall())
    db.close()
    shutil.rmtree(data_dir, ignore_errors=True)

    health = results["healthz"][0] / results["healthz"][3]
    print(f"tracking_hits recipients={args.recipients} connections={args.connections} "
          f"wrk_threads={args.threads} seconds={args.seconds} (2-core machine; wrk shares it)")
    print(f"  launch of {len(rids):,} recipients: {launch_seconds:.1f} s; server RSS "
          f"{rss_before:.0f} MiB before the hits, {rss_after:.0f} MiB after, peak {rss_peak:.0f} MiB")
    ok = True
    for label, (requests, errors, non2xx, secs, p50, p99, cpu) in results.items():
        rate = requests / secs
        ratio = f"  {rate / health:5.0%} of /healthz" if label != "healthz" else ""
        # Server CPU per answer: steadier than req/s when wrk and noisy neighbours share cores.
        per_request = cpu / requests * 1e6 if requests else 0
        print(f"  {label:8s} {rate:10,.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
              f"server cpu {per_request:5.1f} us/req  errors {errors} non-2xx {non2xx}{ratio}")
        ok &= errors == 0 and non2xx == 0
    opened, clicked = stored.get("opened", 0), stored.get("clicked", 0)
    print(f"  events in the database: opened {opened} (wrk answered {results['pixel'][0]}), "
          f"clicked {clicked} (wrk answered {results['click'][0]})")
    ok &= opened >= results["pixel"][0] and clicked >= results["click"][0]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
