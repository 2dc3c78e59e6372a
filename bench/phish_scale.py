#!/usr/bin/python3
"""Benchmark: NIST Phish Scale ratings (issue #14) as a user meets them.

Starts the real server on loopback (fresh data directory, the shipped library and
Debian's Hunspell dictionaries), imports --people staff on one domain (so that
look-alike senders are judged), copies --templates library simulations into the
workspace, then times, each --repeat times, median and best of:
- the library list: all 64 simulations rated for this workspace and their results;
- one simulation with its branded preview and rating;
- a page of 50 templates, each rated with its results;
- the editor's live rating of an unsaved draft (POST /templates/rate);
- packs: exporting the whole library, importing it as 64 new simulations (once, then the
  same pack again: every folder checked and found unchanged), and the library list with
  the 64 imports merged in (the first list after the import parses them; later ones reuse them).
Prints a table. Usage: bench/phish_scale.py [BINARY] [--people N] [--templates N]
"""
import argparse
import io
import os
import tarfile
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
os.environ.setdefault("PHISHDRILL_BIN", os.path.join(HERE, "..", "build", "phishdrill"))
from campaign_support import make_group  # noqa: E402
from harness import Server  # noqa: E402

DRAFT = {"template": {
    "subject": "Urgent: verify your password",
    "html": "<p>Dear customer,</p><p>Your account will be suspended within 24 hours.</p>"
            "<p><a href='{{.URL}}'>https://northfield-health.org/login</a></p>",
    "from": "IT Service Desk <it@northfie1d-health.org>"}}


def timed(call, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        r = call()
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, r.text[:300]
    return statistics.median(times), min(times)


def renamed_pack(pack: bytes) -> bytes:
    """The exported library as new simulations: every folder and slug gets "-ours"."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(pack), mode="r:gz") as src, \
            tarfile.open(fileobj=out, mode="w:gz", format=tarfile.USTAR_FORMAT) as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            slug, rest = member.name.split("/", 1)
            if rest == "simulation.toml":
                data = data.replace(f'slug = "{slug}"'.encode(), f'slug = "{slug}-ours"'.encode())
            info = tarfile.TarInfo(f"{slug}-ours/{rest}")
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out.getvalue()


def once(call) -> tuple[float, float]:
    start = time.perf_counter()
    r = call()
    assert r.status_code in (200, 201), r.text[:300]
    ms = (time.perf_counter() - start) * 1000
    return ms, ms


def pack_rows(api, slugs: list[str], repeat: int) -> list:
    export = lambda: api.post("/api/v1/library/export", json={"simulations": slugs})  # noqa: E731
    rows = [(f"export the library as a pack ({len(slugs)})", timed(export, repeat))]
    pack = renamed_pack(export().content)
    gz = {"Content-Type": "application/gzip"}
    rows.append((f"import a pack of {len(slugs)} new simulations",
                 once(lambda: api.post("/api/v1/library/packs", data=pack, headers=gz))))
    rows.append(("first library list after the import",
                 once(lambda: api.get("/api/v1/library/simulations"))))
    rows.append((f"library list ({2 * len(slugs)}, {len(slugs)} imported)",
                 timed(lambda: api.get("/api/v1/library/simulations"), repeat)))
    reimport = lambda: api.post("/api/v1/library/packs", data=pack, headers=gz)  # noqa: E731
    rows.append(("the same pack again (all unchanged)", timed_created(reimport, repeat)))
    return rows


def timed_created(call, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        r = call()
        times.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 201, r.text[:300]
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", nargs="?")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--templates", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    if args.binary:
        os.environ["PHISHDRILL_BIN"] = os.path.abspath(args.binary)
    server = Server(name="pd-bench-scale")
    server.start()
    try:
        api = server.api()
        make_group(api, args.people, dom="northfield-health.org")
        slugs = [s["slug"] for s in api.get("/api/v1/library/simulations").json()["items"]]
        for slug in (slugs * (args.templates // len(slugs) + 1))[:args.templates]:
            assert api.post(f"/api/v1/library/simulations/{slug}/use", json={}).status_code == 201
        rows = [
            (f"library list ({len(slugs)} simulations rated)",
             timed(lambda: api.get("/api/v1/library/simulations"), args.repeat)),
            ("one simulation with preview and rating",
             timed(lambda: api.get(f"/api/v1/library/simulations/{slugs[0]}"), args.repeat)),
            ("templates, a page of 50 rated",
             timed(lambda: api.get("/api/v1/templates", params={"limit": 50}), args.repeat)),
            ("live rating of a draft (POST /templates/rate)",
             timed(lambda: api.post("/api/v1/templates/rate", json=DRAFT), args.repeat)),
        ] + pack_rows(api, slugs, args.repeat)
        width = max(len(name) for name, _ in rows)
        print(f"| {'figure (client ms)'.ljust(width)} | median | best |")
        print(f"|{'-' * (width + 2)}|--------|------|")
        for name, (median, best) in rows:
            print(f"| {name.ljust(width)} | {median:6.1f} | {best:4.1f} |")
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
