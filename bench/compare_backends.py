#!/usr/bin/python3
"""Runs every server benchmark on SQLite, then on PostgreSQL, in one run, and
prints one table of the figures side by side (issue #12).

Each benchmark script runs as its own process with `--store sqlite` and then
`--store postgres` (a throw-away PostgreSQL 15 cluster with its durable
defaults: fsync and synchronous_commit on) and writes its figures as JSON; its
own output is shown as it goes. Everything runs on loopback; every load is
bounded (wrk durations, request counts, a time limit per script).

  benchmark                  full size                       --quick
  bench/import_targets.py    10,000 rows, 5 imports          10,000 rows, 2 imports
  bench/send_campaign.py     10,000 messages                 2,000 messages
  bench/results_page.py      100,000 and 1,000,000           5,000 and 20,000
                             recipients (API only)           recipients
  bench/tracking_hits.py     1,000,000 recipients, 8 s       20,000 recipients, 2 s
                             per load                        per load

Usage: bench/compare_backends.py [build/phishdrill] [--quick] [--stores sqlite,postgres]
       [--json FILE]
"""
import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"


def plan(quick):
    """(key, title, script, arguments, time limit in seconds) for each benchmark."""
    if quick:
        results_sizes, tracking = (5_000, 20_000), ["--recipients", "20000", "--seconds", "2"]
        imports, send = ["--rows", "10000", "--runs", "2"], ["--recipients", "2000"]
    else:
        results_sizes, tracking = (100_000, 1_000_000), []
        imports, send = ["--rows", "10000", "--runs", "5"], ["--recipients", "10000"]
    steps = [("import", "import_targets.py", imports, 300),
             ("send", "send_campaign.py", send, 900)]
    for n in results_sizes:
        steps.append((f"results_{n}", "results_page.py",
                      ["--recipients", str(n), "--no-browser"], 1800))
    steps.append(("tracking", "tracking_hits.py", tracking, 1800))
    return steps, results_sizes


def run_step(binary, script, args, store, limit, json_path):
    """Runs one benchmark script on one store; returns (figures or None, exit status)."""
    cmd = [PYTHON, os.path.join(HERE, script), binary, "--store", store, "--json", json_path,
           *args]
    print(f"\n$ {' '.join(cmd[1:])}", flush=True)
    started = time.monotonic()
    proc = subprocess.Popen(cmd)
    try:
        rc = proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        # SIGTERM lets the script stop its server and its PostgreSQL cluster.
        print(f"  ... stopping it after {limit} s", flush=True)
        proc.terminate()
        rc = "timeout"
    except KeyboardInterrupt:  # the script got the SIGINT too: let it clean up
        rc = "interrupted"
    finally:
        try:
            proc.wait(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if rc == "interrupted":
        raise KeyboardInterrupt
    print(f"  ({time.monotonic() - started:.0f} s, exit status {rc})", flush=True)
    try:
        with open(json_path) as f:
            return json.load(f), rc
    except (OSError, ValueError):
        return None, rc


def num(value, fmt="{:,.0f}"):
    return "—" if value is None else fmt.format(value)


def get(figures, *path):
    for key in path:
        if figures is None:
            return None
        figures = figures.get(key) if isinstance(figures, dict) else None
    return figures


def median(values):
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def server_ms(figures, api):
    times = get(figures, "api", api, "server_ms")
    if not times:
        return "—"
    return f"{median(times):.1f} ({min(times):.1f})"


def rows_for(results, results_sizes, stores):
    """The table's rows: (label, one cell per store)."""
    rows = []

    def add(label, fn):
        rows.append((label, [fn(store) for store in stores]))

    def fig(key, store):
        return results.get((key, store))

    def tracking_rate(label):
        def cell(store):
            t = fig("tracking", store)
            rate, health = get(t, label, "rate"), get(t, "healthz", "rate")
            if rate is None:
                return "failed" if t is None else "—"
            ratio = f" ({rate / health:.0%} of /healthz)" if health else ""
            return f"{rate:,.0f}{ratio}"
        return cell

    t_any = next((fig("tracking", s) for s in stores if fig("tracking", s)), None)
    n_track = get(t_any, "recipients")
    secs = get(t_any, "seconds")
    suffix = f" at {n_track:,} recipients, {secs} s" if n_track else ""
    add(f"durable pixel hits/s{suffix}", tracking_rate("pixel"))
    add(f"durable clicks/s{suffix}", tracking_rate("click"))
    add("/healthz req/s (same server, same run)",
        lambda s: num(get(fig("tracking", s), "healthz", "rate")))
    add("tracking p99 latency, pixel / click (ms)", lambda s: (
        f"{num(get(fig('tracking', s), 'pixel', 'p99_ms'), '{:.1f}')} / "
        f"{num(get(fig('tracking', s), 'click', 'p99_ms'), '{:.1f}')}"))
    add("every answered hit in the database",
        lambda s: {True: "yes", False: "NO"}.get(get(fig("tracking", s), "ok"), "—"))

    def rss(store):
        t = fig("tracking", store)
        if t is None:
            return "—"
        text = f"{t['rss_peak_mib']:.0f}"
        if t.get("db_pss_peak_mib") is not None:
            text += f" (+ PostgreSQL {t['db_pss_peak_mib']:.0f} PSS)"
        return text
    add("server RSS peak over import, launch and hits (MiB)", rss)
    add(f"launch of {n_track:,} (s)" if n_track else "launch (tracking run) (s)",
        lambda s: num(get(fig("tracking", s), "launch_s"), "{:.1f}"))

    s_any = next((fig("send", s) for s in stores if fig("send", s)), None)
    n_send = get(s_any, "recipients")
    add(f"send rate, {num(n_send)} messages, at the sink (msg/s)",
        lambda s: num(get(fig("send", s), "sink_rate")))
    add("send: launch until all recorded sent (msg/s)",
        lambda s: num(get(fig("send", s), "recorded_rate")))

    i_any = next((fig("import", s) for s in stores if fig("import", s)), None)
    n_import = get(i_any, "rows")
    add(f"CSV import of {num(n_import)}: first (inserts) / median (s)", lambda s: (
        f"{num(get(fig('import', s), 'first_s'), '{:.3f}')} / "
        f"{num(get(fig('import', s), 'median_s'), '{:.3f}')}"))

    for n in results_sizes:
        key = f"results_{n}"
        add(f"launch of {n:,} (s)", lambda s, key=key: num(get(fig(key, s), "launch_s"), "{:.2f}"))
    for n in results_sizes:
        key = f"results_{n}"
        for label, api in [("counters (summary)", "summary"),
                           ("first page of recipients", "first_page")]:
            add(f"{n:,}: {label}, server ms median (best)",
                lambda s, key=key, api=api: server_ms(fig(key, s), api))
        add(f"{n:,}: timeline, server ms median (best)",
            lambda s, key=key: server_ms(fig(key, s), "timeline"))
        add(f"{n:,}: search for one person (q), server ms median (best)",
            lambda s, key=key: server_ms(fig(key, s), "search_one"))
    return rows


def print_table(rows, stores):
    names = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
    widths = [max(len(r[0]) for r in rows)] + [
        max(len(names[s]), *(len(r[1][i]) for r in rows)) for i, s in enumerate(stores)]
    line = "| " + " | ".join(["figure".ljust(widths[0])] +
                             [names[s].ljust(w) for s, w in zip(stores, widths[1:])]) + " |"
    print(line)
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for label, cells in rows:
        print("| " + " | ".join([label.ljust(widths[0])] +
                                [c.ljust(w) for c, w in zip(cells, widths[1:])]) + " |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", nargs="?", default="build/phishdrill")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and 2-second loads: a smoke run, not figures")
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    args = parser.parse_args()
    stores = args.stores.split(",")
    binary = os.path.abspath(args.binary)
    with open(binary, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]

    steps, results_sizes = plan(args.quick)
    started = datetime.datetime.now(datetime.timezone.utc)
    load = os.getloadavg()
    results, status = {}, {}
    with tempfile.TemporaryDirectory(prefix="pd-bench-compare-") as tmp:
        for key, script, script_args, limit in steps:
            for store in stores:
                figures, rc = run_step(binary, script, script_args, store, limit,
                                       os.path.join(tmp, f"{key}-{store}.json"))
                results[(key, store)] = figures
                status[(key, store)] = rc
    finished = datetime.datetime.now(datetime.timezone.utc)

    print(f"\ncompare_backends {'--quick ' if args.quick else ''}binary={args.binary} "
          f"(sha256 {digest}) {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC, "
          f"{os.cpu_count()} cores, load average at start {load[0]:.1f}")
    print("server times: the `ms=` of the server's own access-log line (header read to answer "
          "written), median (best) of 5 sequential requests")
    print()
    print_table(rows_for(results, results_sizes, stores), stores)
    failed = [f"{key} on {store} ({rc})" for (key, store), rc in status.items() if rc != 0]
    if failed:
        print("\nnon-zero exit (a target missed, or a failure; see above): " + ", ".join(failed))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"binary": args.binary, "sha256": digest, "quick": args.quick,
                       "started": started.isoformat(), "load_average": load,
                       "results": {f"{k}:{s}": v for (k, s), v in results.items()},
                       "status": {f"{k}:{s}": v for (k, s), v in status.items()}}, f, indent=1)
    return 0 if not any(results[k] is None for k in results) else 1


if __name__ == "__main__":
    sys.exit(main())
