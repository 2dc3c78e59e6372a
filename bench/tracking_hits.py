#!/usr/bin/python3
"""Benchmark: durable tracking hits per second, next to the same server's
/healthz rate (the HTTP stack's ceiling on this machine).

Starts the real server on loopback with a fresh data directory, launches a
campaign of N recipients (default 1,000,000) through an outbox profile paced
at one message a minute (so every rid is real and the sender stays idle), reads
the rids from the database (one streaming query; COPY on PostgreSQL), then
drives wrk (keep-alive, loopback only, bounded duration) against:
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
       [--connections C] [--threads T] [--store sqlite|postgres] [--json FILE]
With --store postgres the server runs on a throw-away PostgreSQL 15 cluster
with its durable defaults (fsync, synchronous_commit on); RSS is then the
server's, and the cluster's memory (PSS) is printed beside it.
Target (issue #12): ≥ half the /healthz rate at 1,000,000 recipients.
"""
import argparse
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time

from bench_common import (PeakSampler, Store, add_store_arguments, call, free_port,
                          import_targets, pss_mib, server_env, stop_process, wait_healthy,
                          write_json)

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
    add_store_arguments(parser)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="pd-bench-track-")
    try:
        with Store(args.store, data_dir) as store:
            return run(args, store, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def seed_and_hit(args, store, data_dir, server, base, key, phish, results):
    """Imports and launches the campaign, reads its rids, then runs the three loads
    (filling `results`). Returns launch time, rids, rid read time and the server's RSS."""
    wait_healthy(base, server=server)
    group_ids = import_targets(base, key, args.recipients, "Email,First Name",
                               lambda i: f"p{i}@bench.example.com,P{i}", "bench", GROUP_SIZE)
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
    call(base, key, "POST", f"/api/v1/campaigns/{campaign['id']}/launch", {}, timeout=900)
    launch_seconds = time.monotonic() - started
    # One streaming query (COPY on PostgreSQL) to a file, then shuffled.
    rids_file = os.path.join(data_dir, "rids.txt")
    started = time.monotonic()
    store.copy_column("SELECT rid FROM recipients WHERE campaign_id = :cid", rids_file,
                      cid=campaign["id"])
    with open(rids_file) as f:
        rids = f.read().split()
    read_seconds = time.monotonic() - started
    random.Random(7).shuffle(rids)
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
    return (launch_seconds, len(rids), read_seconds, rss_before, rss_mib(server.pid),
            rss_mib(server.pid, "VmHWM"))


def run(args, store, data_dir):
    admin_port, phish_port = free_port(), free_port()
    key = "pd_" + secrets.token_urlsafe(32)
    phish = f"http://127.0.0.1:{phish_port}"
    env = server_env(data_dir, admin_port, phish_port, key, secrets.token_urlsafe(16),
                     PHISHDRILL_PHISH_BASE_URL=phish, PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS="0",
                     PHISHDRILL_PHISH_IP_HITS_PER_SECOND="0", **store.server_env())
    results = {}
    # The PostgreSQL cluster's memory, sampled over import, launch and hits.
    with PeakSampler(lambda: pss_mib(store.database_pids())) as db_memory:
        server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.DEVNULL)
        try:
            seeded = seed_and_hit(args, store, data_dir, server, f"http://127.0.0.1:{admin_port}",
                                  key, phish, results)
        finally:
            stop_process(server)
    launch_seconds, launched, read_seconds, rss_before, rss_after, rss_peak = seeded
    stored = {kind: int(n) for kind, n in
              store.query("SELECT kind, COUNT(*) FROM events GROUP BY kind")}

    health = results["healthz"][0] / results["healthz"][3]
    print(f"tracking_hits store={args.store} recipients={args.recipients} "
          f"connections={args.connections} wrk_threads={args.threads} seconds={args.seconds} "
          f"(2-core machine; wrk shares it)")
    print(f"  store: {store.describe()}")
    print(f"  launch of {launched:,} recipients: {launch_seconds:.1f} s; rids read in "
          f"{read_seconds:.2f} s; server RSS {rss_before:.0f} MiB before the hits, "
          f"{rss_after:.0f} MiB after, peak {rss_peak:.0f} MiB")
    db_peak = db_memory.peak if args.store == "postgres" else None
    if db_peak is not None:
        print(f"  PostgreSQL processes: peak {db_peak:.0f} MiB (PSS summed over the cluster, "
              f"sampled every {db_memory.interval} s over import, launch and hits)")
    ok = True
    figures = {"store": args.store, "recipients": args.recipients, "seconds": args.seconds,
               "connections": args.connections, "launch_s": launch_seconds,
               "rss_before_mib": rss_before, "rss_after_mib": rss_after,
               "rss_peak_mib": rss_peak, "db_pss_peak_mib": db_peak}
    for label, (requests, errors, non2xx, secs, p50, p99, cpu) in results.items():
        rate = requests / secs
        ratio = f"  {rate / health:5.0%} of /healthz" if label != "healthz" else ""
        # Server CPU per answer: steadier than req/s when wrk and noisy neighbours share cores.
        per_request = cpu / requests * 1e6 if requests else 0
        print(f"  {label:8s} {rate:10,.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms  "
              f"server cpu {per_request:5.1f} us/req  errors {errors} non-2xx {non2xx}{ratio}")
        ok &= errors == 0 and non2xx == 0
        if label != "healthz" and requests * 3 // 4 >= launched:
            # Three requests in four take a new rid: past the last one the walk wraps round.
            print(f"  WARNING: {requests:,} {label} requests for {launched:,} rids wrapped round "
                  f"them (some rid hit more than three times): raise --recipients or lower "
                  f"--seconds")
            figures["wrapped"] = True
        figures[label] = {"rate": rate, "requests": requests, "errors": errors,
                          "non2xx": non2xx, "p50_ms": p50, "p99_ms": p99,
                          "server_cpu_us": per_request}
    opened, clicked = stored.get("opened", 0), stored.get("clicked", 0)
    print(f"  events in the database: opened {opened} (wrk answered {results['pixel'][0]}), "
          f"clicked {clicked} (wrk answered {results['click'][0]})")
    ok &= opened >= results["pixel"][0] and clicked >= results["click"][0]
    figures.update(stored_opened=opened, stored_clicked=clicked, ok=ok)
    write_json(args.json, figures)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
