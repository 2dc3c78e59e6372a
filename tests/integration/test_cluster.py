"""Several nodes behind a load balancer (issue #12).

Three `phishdrill serve` processes share one PostgreSQL schema (each with its own data dir
holding the same secret.key) behind Debian's HAProxy on loopback: an admin and a phish
frontend, round-robin, health checks on /healthz, `option redispatch` and `retries` so a
dead node is skipped. Through the balancer an admin logs in, imports 5,000 targets as CSV
and launches a campaign with a deadline (so every message is due at once) through a
rate-limited sending profile to the real SMTP sink (which requires AUTH, so every node must
open the password another node sealed). While mail flows,
the node that served the login is killed with SIGKILL, and tracking hits for delivered
messages go through the phish frontend. Then:

  - every address received the message, and an address received twice only with the same
    Message-ID (messages in flight at the kill are resent once their lease expires);
  - the sink's arrival rate never exceeded the profile's rate (with the limiter's burst of
    one second's worth, at least one) over any 1 s or 10 s window: the rate holds across nodes;
  - every hit answered 2xx is among the campaign's events, with the client's address as
    HAProxy forwarded it (X-Forwarded-For from a trusted proxy), not one the client claimed;
  - the admin session obtained before the kill still reads and writes on the other nodes.

Runs once, in the PostgreSQL run of the suite (PHISHDRILL_TEST_STORE=postgres with
PHISHDRILL_TEST_PG_URL), and only where `haproxy` is installed (scripts/bootstrap.sh).
"""

from __future__ import annotations

import collections
import csv
import io
import json
import math
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest
import requests

from campaign_support import (
    GROUPS,
    create_campaign,
    events,
    launch,
    make_template,
    recipients,
    smtp_profile,
    strip_brackets,
    summary,
    utc_in,
    wait_summary,
)
from harness import (
    ApiSession,
    Server,
    _drop_postgres_schema,
    _postgres_schema_url,
    expect,
    free_port,
    page_body,
    uniq,
    wait_until,
)
from smtp_sink import SinkMessage, SmtpSink
from tracking_support import PhishClient, fresh_ip, message_parts, rid_of
from training_support import import_module, module_tar

pytestmark = [
    pytest.mark.skipif(os.environ.get("PHISHDRILL_TEST_STORE") != "postgres",
                       reason="the cluster test runs once, in the PostgreSQL run "
                              "(PHISHDRILL_TEST_STORE=postgres)"),
    pytest.mark.skipif(not os.environ.get("PHISHDRILL_TEST_PG_URL"),
                       reason="PHISHDRILL_TEST_PG_URL is not set (nodes share one PostgreSQL)"),
    pytest.mark.skipif(shutil.which("haproxy") is None,
                       reason="haproxy is not installed (scripts/bootstrap.sh installs it)"),
]

N_NODES = 3
N_TARGETS = 5000
RATE_PER_MINUTE = 6000  # the profile's limit, for the whole cluster (100 a second)
SEND_BY_SECONDS = 10  # the campaign's deadline after launch: everything due at once
WORKERS = 4  # jobs.workers on each node
LEASE_SECONDS = 5  # jobs.lease_seconds: how soon a dead node's claims return to the queue
KILL_AFTER = 500  # messages at the sink before one node is killed
HIT_EVERY = 5  # tracking hits (pixel and click) for every 5th delivered message
FORGED_ADDRESS = "198.51.100.7"  # what a client claims in its own X-Forwarded-For
SINK_AUTH = ("mailer", "sink-" + secrets.token_hex(8))
KIND_EVENT = {"pixel": "opened", "click": "clicked"}


# --------------------------------------------------------------------------- HAProxy


def haproxy_config(admin_port: int, phish_port: int, nodes: list[Server]) -> str:
    """The balancer of docs/deployment.md on loopback, without TLS. X-Served-By (the
    node's name) lets the test see where each answer came from. The guide also drops the
    X-Forwarded-For a client sends before HAProxy adds its own; here the client's header is
    kept, so the test sees which of the two the nodes believe (the one HAProxy added last)."""
    def backend(name: str, port_of) -> str:
        servers = "\n".join(f"    server {n.env['PHISHDRILL_NODE_NAME']} 127.0.0.1:{port_of(n)}"
                            for n in nodes)
        return (f"backend {name}\n"
                "    balance roundrobin\n"
                "    option httpchk\n"
                "    http-check send meth GET uri /healthz\n"
                "    http-check expect status 200\n"
                "    default-server check inter 500ms fall 2 rise 2\n"
                "    http-response set-header X-Served-By %s\n"
                f"{servers}\n")

    return ("global\n"
            "    maxconn 2000\n"
            "\n"
            "defaults\n"
            "    mode http\n"
            "    timeout connect 2s\n"
            "    timeout client 60s\n"
            "    timeout server 60s\n"
            "    timeout http-keep-alive 10s\n"
            "    option forwardfor\n"
            "    retries 3\n"
            "    option redispatch 1\n"
            "\n"
            "frontend admin\n"
            f"    bind 127.0.0.1:{admin_port}\n"
            "    default_backend admin_nodes\n"
            "\n"
            "frontend phish\n"
            f"    bind 127.0.0.1:{phish_port}\n"
            "    default_backend phish_nodes\n"
            "\n"
            + backend("admin_nodes", lambda n: n.admin_port) + "\n"
            + backend("phish_nodes", lambda n: n.phish_port))


class Cluster:
    """The sink, N_NODES nodes on one schema with one secret.key, and HAProxy in front."""

    def __init__(self):
        self.started_at = time.monotonic()
        self.dir = Path(tempfile.mkdtemp(prefix="pd-cluster-"))
        self.store_url = _postgres_schema_url(self.dir)
        self.sink: SmtpSink | None = None
        self.nodes: list[Server] = []
        self.haproxy: subprocess.Popen | None = None
        self.haproxy_log = self.dir / "haproxy.log"
        self.lb_admin_port = free_port()
        self.lb_phish_port = free_port()
        while self.lb_phish_port == self.lb_admin_port:
            self.lb_phish_port = free_port()
        self.admin_url = f"http://127.0.0.1:{self.lb_admin_port}"
        self.phish_url = f"http://127.0.0.1:{self.lb_phish_port}"

    def start(self) -> "Cluster":
        self.sink = SmtpSink(auth=":".join(SINK_AUTH), directory=self.dir / "sink").start()
        key = secrets.token_bytes(32)  # what load_or_create_key reads: 32 raw bytes
        first = None
        for i in range(N_NODES):
            env = {
                "PHISHDRILL_STORE_URL": self.store_url,
                "PHISHDRILL_NODE_NAME": f"node-{i + 1}",
                "PHISHDRILL_PHISH_BASE_URL": self.phish_url,  # links point at the balancer
                "PHISHDRILL_ADMIN_TRUSTED_PROXIES": "127.0.0.1",
                "PHISHDRILL_PHISH_TRUSTED_PROXIES": "127.0.0.1",
                "PHISHDRILL_JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
                "PHISHDRILL_JOBS_WORKERS": str(WORKERS),
            }
            if first is not None:  # one configuration for every node, as in a deployment
                env["PHISHDRILL_INITIAL_ADMIN_PASSWORD"] = first.admin_password
                env["PHISHDRILL_INITIAL_API_KEY"] = first.api_key
            node = Server(extra_env=env, data_dir=self.dir / f"{self.dir.name}-node{i + 1}")
            node.data_dir.mkdir(mode=0o700)
            # Server made a schema of its own for the folder: the nodes use the shared one.
            if node.store_url:
                _drop_postgres_schema(node.store_url)
            node.store_url = None
            key_file = node.data_dir / "secret.key"
            key_file.write_bytes(key)
            key_file.chmod(0o600)
            self.nodes.append(node)
            # The first node migrates and creates the first admin; the others find both.
            node.start(timeout=30)
            first = first or node
        self._start_haproxy()
        return self

    def _start_haproxy(self) -> None:
        cfg = self.dir / "haproxy.cfg"
        cfg.write_text(haproxy_config(self.lb_admin_port, self.lb_phish_port, self.nodes))
        check = subprocess.run(["haproxy", "-c", "-q", "-f", str(cfg)], capture_output=True,
                               text=True, timeout=30, stdin=subprocess.DEVNULL)
        assert check.returncode == 0, f"haproxy -c: {check.stdout}{check.stderr}"
        self._haproxy_out = open(self.haproxy_log, "ab")
        self.haproxy = subprocess.Popen(["haproxy", "-f", str(cfg), "-db"],
                                        stdin=subprocess.DEVNULL, stdout=self._haproxy_out,
                                        stderr=subprocess.STDOUT)

        def answers() -> bool:
            if self.haproxy.poll() is not None:
                raise AssertionError(f"haproxy exited with {self.haproxy.returncode}: "
                                     + self.haproxy_log.read_text("utf-8", "replace"))
            try:
                return all(requests.get(f"{url}/healthz", timeout=2).status_code == 200
                           for url in (self.admin_url, self.phish_url))
            except requests.RequestException:
                return False

        wait_until(answers, 20, "haproxy to answer /healthz on both frontends")

    def live_names(self) -> set[str]:
        return {n.env["PHISHDRILL_NODE_NAME"] for n in self.nodes if n.running}

    def stop_processes(self) -> None:
        """HAProxy and the nodes (SIGTERM, bounded); the sink keeps running."""
        if self.haproxy is not None:
            if self.haproxy.poll() is None:
                self.haproxy.terminate()
                try:
                    self.haproxy.wait(10)
                except subprocess.TimeoutExpired:
                    self.haproxy.kill()
                    self.haproxy.wait(10)
            self.haproxy = None
            self._haproxy_out.close()
        for node in self.nodes:
            node.stop()

    def cleanup(self) -> None:
        self.stop_processes()
        if self.sink is not None:
            self.sink.stop()
        if os.environ.get("PHISHDRILL_KEEP_DATA") != "1":
            if self.store_url:
                _drop_postgres_schema(self.store_url)
            shutil.rmtree(self.dir, ignore_errors=True)

    def logs(self) -> str:
        out = [f"--- haproxy\n{self.haproxy_log.read_text('utf-8', 'replace')[-3000:]}"]
        out += [f"=== {n.env['PHISHDRILL_NODE_NAME']}\n{n.log_tail(20)}" for n in self.nodes]
        return "\n".join(out)


@pytest.fixture
def cluster():
    c = Cluster()
    try:
        yield c.start()
    finally:
        c.cleanup()


# --------------------------------------------------------------------------- tracking load


class HitSender(threading.Thread):
    """Follows the sink's messages as they arrive and, for every HIT_EVERY-th one, opens the
    pixel and clicks the link through the balancer's phish frontend - from a loopback
    address of its own (a new one every 25 messages), every other message with a forged
    X-Forwarded-For. Keeps each answer: (recipient's email, kind, client address, status)."""

    def __init__(self, sink: SmtpSink, phish_url: str):
        super().__init__(daemon=True)
        self.sink = sink
        self.phish_url = phish_url
        self.stop = threading.Event()
        self.answered: list[tuple[str, str, str, int]] = []  # email, kind, address, status
        self.errors = collections.Counter()

    def run(self) -> None:
        seq, n, client = 1, 0, None
        try:
            while not self.stop.is_set():
                path = self.sink.dir / f"msg-{seq:07d}.json"
                if not path.exists():  # the sink writes them in order, each atomically
                    self.stop.wait(0.05)  # poll for the next message
                    continue
                seq += 1
                if seq % HIT_EVERY:
                    continue
                msg = SinkMessage(json.loads(path.read_bytes()), path)
                email = msg.rcpt_tos[0].lower()
                rid = rid_of(message_parts(msg.msg)["text/plain"])
                if n % 25 == 0:
                    if client is not None:
                        client.close()
                    client = PhishClient(self.phish_url, source_ip=fresh_ip())
                n += 1
                forged = {"X-Forwarded-For": FORGED_ADDRESS} if n % 2 else {}
                for kind in ("pixel", "click"):
                    try:
                        r = client.hit(kind, rid, headers=forged, timeout=10)
                    except requests.RequestException as e:
                        self.errors[type(e).__name__] += 1
                        continue
                    self.answered.append((email, kind, client.source_ip, r.status_code))
        finally:
            if client is not None:
                client.close()

    def acknowledged(self) -> list[tuple[str, str, str]]:
        return [(email, kind, ip) for email, kind, ip, status in self.answered
                if 200 <= status < 300]


# --------------------------------------------------------------------------- helpers


def targets_csv(dom: str) -> tuple[bytes, list[str]]:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["Email", "First Name", "Last Name", "Position", "Department"])
    emails = [f"person{i:05d}@{dom}" for i in range(N_TARGETS)]
    for i, e in enumerate(emails):
        w.writerow([e, f"First{i}", f"Last{i}", "Clerk", "Ops"])
    return buf.getvalue().encode(), emails


def login(url: str, email: str, password: str) -> tuple[ApiSession, str]:
    s = ApiSession(url)
    r = s.post("/api/v1/session", json={"email": email, "password": password})
    body = expect(r, 200)
    s.csrf_token = body["csrf_token"]
    assert s.session_cookie() and body["user"]["must_change_password"] is False, body
    return s, r.headers["X-Served-By"]


def max_in_window(times: list[float], seconds: float) -> int:
    """Most arrivals within any half-open window (t - seconds, t] (times sorted)."""
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - seconds:
            j += 1
        best = max(best, i - j + 1)
    return best


def served_by_each(admin: ApiSession, live: set[str], request) -> dict[str, int]:
    """Repeat request() (bounded) until every live node has answered it 2xx once; returns
    node -> status. Round-robin brings each node's turn within a few requests."""
    seen: dict[str, int] = {}
    for _ in range(6 * len(live)):
        r = request()
        assert 200 <= r.status_code < 300, f"{r.status_code} from {r.headers.get('X-Served-By')}" \
                                           f": {r.text[:300]}"
        seen[r.headers["X-Served-By"]] = r.status_code
        if set(seen) >= live:
            break
    assert set(seen) == live, (seen, live)
    return seen


# --------------------------------------------------------------------------- the test


def test_three_nodes_behind_haproxy_survive_kill9(cluster):
    c, sink = cluster, cluster.sink
    first = c.nodes[0]
    created = [n.env["PHISHDRILL_NODE_NAME"] for n in c.nodes
               if "event=initial_admin_created" in n.stderr_path.read_text("utf-8", "replace")]
    assert created == ["node-1"], f"first admin created by {created}"

    # 1. Everything through the balancer, in a cookie session.
    admin, login_node = login(c.admin_url, first.admin_email, first.admin_password)
    dom = f"{secrets.token_hex(3)}.example.test"
    data, emails = targets_csv(dom)
    imp = expect(admin.post(f"{GROUPS}/import", params={"name": uniq("cluster")}, data=data,
                            headers={"Content-Type": "text/csv"}, timeout=120), 201)
    assert imp["imported"] == N_TARGETS, imp
    tmpl = make_template(admin)
    page = expect(admin.post("/api/v1/pages", json=page_body()), 201)
    profile = smtp_profile(admin, sink, rate=RATE_PER_MINUTE, username=SINK_AUTH[0],
                           password=SINK_AUTH[1])
    # Without a deadline the launch itself paces the send times at the profile's rate, which
    # no node can exceed; a deadline a few seconds away makes every message due at once, and
    # then only the profile's limit stands between the queue and the relay.
    camp = create_campaign(admin, [tmpl["id"]], [imp["group"]["id"]], profile["id"],
                           page_id=page["id"], send_by=utc_in(SEND_BY_SECONDS))
    cid = camp["id"]
    hits = HitSender(sink, c.phish_url)
    try:
        hits.start()
        t_launch = time.time()
        assert launch(admin, cid)["counts"]["recipients"] == N_TARGETS

        # 2. Kill the node that created the session, with mail flowing.
        n_kill = sink.wait_for_count(KILL_AFTER, 60)
        assert n_kill >= KILL_AFTER, f"only {n_kill} messages within 60 s\n{c.logs()}"
        victim = next(n for n in c.nodes if n.env["PHISHDRILL_NODE_NAME"] == login_node)
        victim.kill9()
        t_kill = time.time()
        n_at_kill = sink.count()
        live = c.live_names()

        # 3. The session from before the kill, at once (HAProxy's checks have not noticed
        # yet: redispatch skips the dead node) and on every node still alive.
        me = served_by_each(admin, live, lambda: admin.get("/api/v1/me"))
        writes = served_by_each(admin, live, lambda: admin.post(
            GROUPS, json={"name": uniq("after-kill"),
                          "targets": [{"email": f"{uniq('late')}@{dom}"}]}))
        me_body = expect(admin.get("/api/v1/me"), 200)
        assert me_body["user"]["email"] == first.admin_email, me_body
        assert me_body["csrf_token"] == admin.csrf_token, me_body

        # 4. Every recipient sent: the dead node's claims come back after their lease.
        budget = N_TARGETS / (RATE_PER_MINUTE / 60) * 1.3 + 20
        s = wait_summary(admin, cid, lambda s: s["sent"] + s["failed"] >= N_TARGETS, budget,
                         f"sent == {N_TARGETS}", interval=1.0)
        t_done = time.time()
        assert s["sent"] == N_TARGETS and s["failed"] == 0, s
    finally:
        hits.stop.set()
        hits.join(30)
    assert not hits.is_alive(), "the hit sender did not stop"
    assert n_at_kill < N_TARGETS, "the campaign finished before the kill: nothing tested"

    # 5. A training module imported through the balancer reaches every node still alive
    # (each keeps its modules on its own disk; the store hands the import to the others).
    expect(import_module(admin, module_tar("cluster-module", version=1)), 201)
    answered: dict[str, int] = {}

    def every_node_has_it() -> bool:
        r = admin.get("/api/v1/training/modules/cluster-module")
        answered[r.headers.get("X-Served-By", "?")] = r.status_code
        return all(answered.get(name) == 200 for name in live)

    wait_until(every_node_has_it, 15, f"every live node to serve the import ({answered})",
               interval=0.2)

    # 6. The results, read through the balancer before it goes.
    rcpts = {r["email"]: r for r in recipients(admin, cid)}
    assert len(rcpts) == N_TARGETS and {r["state"] for r in rcpts.values()} == {"sent"}
    evs = events(admin, cid)
    assert summary(admin, cid)["sent"] == N_TARGETS
    c.stop_processes()
    # Once the sink has ended every connection, nothing more can arrive: counts are final.
    wait_until(lambda: not sink.open_connections(), 30, "the sink to end every connection")
    msgs = sink.messages()
    elapsed = time.monotonic() - c.started_at  # with the cluster's start

    per: dict[str, list[SinkMessage]] = collections.defaultdict(list)
    for m in msgs:
        assert len(m.rcpt_tos) == 1, m
        per[m.rcpt_tos[0].lower()].append(m)
    headers = BytesHeaderParser(policy=policy.default)
    mids = {a: {strip_brackets(headers.parsebytes(m.raw)["Message-ID"]) for m in v}
            for a, v in per.items()}
    dups = {a: len(v) for a, v in per.items() if len(v) > 1}
    times = sorted(m.received_at for m in msgs)
    rate = RATE_PER_MINUTE / 60
    burst = max(1.0, rate)
    # Arrivals in a window were sent in it (at most burst + rate x window) or were already on
    # their way when it opened (at most one per worker).
    in_flight = N_NODES * WORKERS
    windows = {w: (max_in_window(times, w), math.floor(rate * w + burst) + in_flight)
               for w in (1, 10)}
    acked = hits.acknowledged()
    statuses = collections.Counter(status for _, _, _, status in hits.answered)
    hit_events = [e for e in evs if e["kind"] in ("opened", "clicked")]
    kinds_at = collections.Counter(e["kind"] for e in evs)
    print(f"\n{N_NODES} nodes behind HAProxy, {N_TARGETS} recipients at {RATE_PER_MINUTE}/min: "
          f"login on {login_node}, killed after {n_at_kill} messages "
          f"({t_kill - t_launch:.1f}s after launch); all sent {t_done - t_launch:.1f}s after "
          f"launch; {len(msgs)} messages delivered, {len(dups)} addresses twice; "
          f"max arrivals per window (limit): "
          + ", ".join(f"{w}s {got} ({lim})" for w, (got, lim) in windows.items())
          + f"; hits sent {len(hits.answered)} (statuses {dict(statuses)}, errors "
          f"{dict(hits.errors)}) of which 2xx {len(acked)}; hit events stored {len(hit_events)} "
          f"({dict(kinds_at)}); session after the kill: GET on {sorted(me)}, POST on "
          f"{sorted(writes)}; test took {elapsed:.1f}s")

    # 7. Mail: everyone, at most the in-flight ones twice, never with another Message-ID.
    missing = set(emails) - set(per)
    assert not missing, f"{len(missing)} addresses never got a message: {sorted(missing)[:5]}"
    assert set(per) == set(emails), set(per) - set(emails)
    for a, ids in mids.items():
        assert ids == {rcpts[a]["message_id"]}, (a, ids, rcpts[a]["message_id"])
    assert len(dups) <= WORKERS, f"more duplicates than the dead node had workers: {dups}"

    # 8. Tracking: every hit answered 2xx is recorded, from the address HAProxy saw.
    assert len(acked) >= 100, f"only {len(acked)} hits answered 2xx: {statuses} {hits.errors}"
    have = collections.Counter((e["recipient_id"], e["kind"]) for e in hit_events)
    want = collections.Counter((rcpts[a]["id"], KIND_EVENT[k]) for a, k, _ in acked)
    lost = {k: (n, have.get(k, 0)) for k, n in want.items() if have.get(k, 0) < n}
    assert not lost, (f"{sum(n - h for n, h in lost.values())} acknowledged hits not in the "
                      f"events, (recipient, kind): (acked, stored) {dict(list(lost.items())[:10])}")

    # The two properties below are checked together, so that one failing does not hide the
    # other.
    failures = []
    have_ip = collections.Counter((e["recipient_id"], e["kind"], e["ip"]) for e in hit_events)
    want_ip = collections.Counter((rcpts[a]["id"], KIND_EVENT[k], ip) for a, k, ip in acked)
    wrong = sum(n - have_ip.get(k, 0) for k, n in want_ip.items() if have_ip.get(k, 0) < n)
    recorded = collections.Counter(e["ip"] for e in hit_events)
    if wrong:
        failures.append(f"{wrong} of {len(acked)} acknowledged hits are not recorded with the "
                        f"client's address (the last X-Forwarded-For, which HAProxy added); "
                        f"addresses recorded most: {dict(recorded.most_common(3))} (what the "
                        f"client claimed itself: {FORGED_ADDRESS})")

    # 9. The profile's rate holds for the cluster, not per node.
    for w, (got, limit) in windows.items():
        if got > limit:
            failures.append(f"{got} messages arrived within {w} s; the profile allows "
                            f"{RATE_PER_MINUTE}/min, so at most {limit} (burst {burst:.0f}, "
                            f"{in_flight} in flight)")
    assert not failures, "\n".join(failures)
