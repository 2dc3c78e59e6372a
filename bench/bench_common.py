"""Helpers shared by the benchmark scripts: free loopback ports, the server's
environment for a throw-away data directory, JSON API calls, waiting for
/healthz, and the store the server runs on (`--store sqlite|postgres`) with one
way to run SQL on either."""
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PG_CLUSTER = os.path.join(HERE, "..", "scripts", "pg_test_cluster.sh")
STORES = ("sqlite", "postgres")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(data_dir, admin_port, phish_port, api_key, password, **extra):
    """Environment for `phishdrill serve` on loopback with its own data directory.

    The SMTP sinks run on loopback too, which the server refuses to connect to
    unless listed in PHISHDRILL_OUTBOUND_ALLOW."""
    env = dict(os.environ, PHISHDRILL_DATA_DIR=data_dir,
               PHISHDRILL_OUTBOUND_ALLOW="127.0.0.1/32,::1/128",
               PHISHDRILL_ADMIN_LISTEN=f"127.0.0.1:{admin_port}",
               PHISHDRILL_PHISH_LISTEN=f"127.0.0.1:{phish_port}",
               PHISHDRILL_INITIAL_ADMIN_PASSWORD=password,
               PHISHDRILL_INITIAL_API_KEY=api_key, PHISHDRILL_LOG_LEVEL="warn")
    env.update(extra)
    return env


def call(base, key, method, path, body=None, content_type="application/json", timeout=60):
    """One admin API call with the API key; returns the decoded JSON (or None)."""
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        req.add_header("Content-Type", content_type)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read() or b"null")


def wait_healthy(base, seconds=30, server=None):
    """Polls /healthz until it answers; fails early when `server` (a Popen) has exited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server exited with status {server.returncode}")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{base}/healthz did not answer within {seconds} s")


def stop_process(proc, seconds=30):
    """Terminates a process we started and waits for it (killed if it does not stop)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


def import_targets(base, key, count, header, row, name="bench", group_size=200_000):
    """Imports `count` targets through POST /api/v1/groups/import, `group_size` rows per
    upload (the route takes up to 16 MiB), `row(i)` giving the CSV line of target i.
    Returns the ids of the groups created."""
    ids = []
    for start in range(0, count, group_size):
        lines = [header] + [row(i) for i in range(start, min(start + group_size, count))]
        suffix = f"-{start}" if count > group_size else ""
        ids.append(call(base, key, "POST", f"/api/v1/groups/import?name={name}{suffix}",
                        ("\n".join(lines) + "\n").encode(), "text/csv",
                        timeout=600)["group"]["id"])
    return ids


def write_json(path, figures):
    """Writes a script's figures for bench/compare_backends.py (when --json is given)."""
    if path:
        with open(path, "w") as f:
            json.dump(figures, f, indent=1)


def add_store_arguments(parser):
    parser.add_argument("--store", choices=STORES, default="sqlite",
                        help="the server's database: the embedded SQLite file (default) or a "
                             "throw-away PostgreSQL 15 cluster with its durable defaults")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the figures to FILE as JSON (for compare_backends.py)")


def _params(params):
    for name, value in params.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or type(value) is not int:
            raise ValueError(f"SQL parameter {name}={value!r}: only integers, by :name")
    return params


class Store:
    """The server's database for one benchmark: a SQLite file in the data
    directory, or a throw-away PostgreSQL cluster (scripts/pg_test_cluster.sh
    with PD_PG_DURABLE=1: fsync and synchronous_commit on, as in production).

    SQL takes integer parameters by name (`:cid`), which both engines accept:
    sqlite3 binds them, psql interpolates its variables (so only integers are
    allowed). Use with `with`: the cluster is stopped on the way out."""

    def __init__(self, kind, data_dir):
        self.kind = kind
        self.data_dir = data_dir
        self.url = None
        self.cluster_dir = None
        self._pg_env = None

    def __enter__(self):
        # SIGTERM (compare_backends.py stopping a script at its time limit) unwinds
        # like an exception, so the server and the cluster are stopped on the way out.
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        if self.kind == "postgres":
            # Directly in the temp folder: when run as root the cluster runs as
            # an unprivileged user who must reach it.
            self.cluster_dir = tempfile.mkdtemp(prefix="pd-bench-pg-")
            try:
                out = subprocess.run([PG_CLUSTER, "start", self.cluster_dir], check=True,
                                     capture_output=True, text=True, timeout=180,
                                     env=dict(os.environ, PD_PG_DURABLE="1"),
                                     stdin=subprocess.DEVNULL).stdout
            except BaseException:
                self._stop_cluster()
                raise
            self.url = out.strip().splitlines()[-1]
            u = urllib.parse.urlsplit(self.url)
            # psql reads the connection from the environment: no password on a command line.
            self._pg_env = dict(os.environ, PGHOST=u.hostname, PGPORT=str(u.port),
                                PGUSER=urllib.parse.unquote(u.username),
                                PGPASSWORD=urllib.parse.unquote(u.password),
                                PGDATABASE=u.path.lstrip("/"), PGCONNECT_TIMEOUT="10")
        return self

    def __exit__(self, *exc):
        self._stop_cluster()

    def _stop_cluster(self):
        if self.cluster_dir:
            subprocess.run([PG_CLUSTER, "stop", self.cluster_dir], capture_output=True,
                           timeout=120, stdin=subprocess.DEVNULL)
            self.cluster_dir = None

    def server_env(self):
        """What the server's environment needs to use this store."""
        return {"PHISHDRILL_STORE_URL": self.url} if self.url else {}

    def describe(self):
        if self.kind == "sqlite":
            return "SQLite (WAL, synchronous=NORMAL)"
        return "PostgreSQL 15 (fsync=on, synchronous_commit=on)"

    # ------------------------------------------------------------------ SQL
    def _sqlite(self):
        import sqlite3
        return sqlite3.connect(os.path.join(self.data_dir, "phishdrill.db"), timeout=60)

    def _psql(self, script, params, stdout=subprocess.PIPE, single_transaction=False,
              timeout=600):
        cmd = ["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for name, value in params.items():
            cmd += ["-v", f"{name}={value}"]
        if single_transaction:
            cmd.append("-1")
        run = subprocess.run(cmd + ["-f", "-"], input=script.encode(), stdout=stdout,
                             stderr=subprocess.PIPE, env=self._pg_env, timeout=timeout)
        if run.returncode != 0:
            raise RuntimeError(f"psql failed: {run.stderr.decode(errors='replace')}")
        return run.stdout.decode() if stdout == subprocess.PIPE else None

    def query(self, sql, **params):
        """The rows of one query, as tuples of strings (PostgreSQL) or values (SQLite)."""
        _params(params)
        if self.kind == "sqlite":
            db = self._sqlite()
            try:
                return db.execute(sql, params).fetchall()
            finally:
                db.close()
        out = self._psql(sql.rstrip().rstrip(";") + ";\n", params)
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def execute(self, statements, **params):
        """Runs several statements (a list) in one transaction."""
        _params(params)
        if self.kind == "sqlite":
            db = self._sqlite()
            try:
                with db:
                    for sql in statements:
                        db.execute(sql, params)
            finally:
                db.close()
            return
        self._psql("".join(s.rstrip().rstrip(";") + ";\n" for s in statements), params,
                   single_transaction=True)

    def vacuum_analyze(self, table):
        """VACUUM ANALYZE on PostgreSQL (after a bulk write, as autovacuum would do in
        time); nothing on SQLite, which updates rows in place."""
        if self.kind == "postgres":
            if not re.fullmatch(r"[a-z_]+", table):
                raise ValueError(table)
            self._psql(f"VACUUM ANALYZE {table};\n", {})

    def copy_column(self, sql, path, **params):
        """Streams the first column of a query to `path`, one value a line (COPY on
        PostgreSQL). Returns the number of lines."""
        _params(params)
        if self.kind == "sqlite":
            db = self._sqlite()
            n = 0
            try:
                with open(path, "w") as f:
                    for (value,) in db.execute(sql, params):
                        f.write(f"{value}\n")
                        n += 1
            finally:
                db.close()
            return n
        with open(path, "wb") as f:
            self._psql(f"COPY ({sql}) TO STDOUT;\n", params, stdout=f)
        with open(path, "rb") as f:
            return sum(1 for _ in f)

    def database_pids(self):
        """The PostgreSQL cluster's processes (the postmaster and its children)."""
        if not self.cluster_dir:
            return []
        try:
            with open(os.path.join(self.cluster_dir, "data", "postmaster.pid")) as f:
                postmaster = int(f.readline())
        except (OSError, ValueError):
            return []
        pids = [postmaster]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == postmaster:
                            pids.append(int(entry))
                except (OSError, IndexError, ValueError):
                    pass
        return pids


def pss_mib(pids):
    """The proportional set size of these processes together, in MiB (shared pages,
    such as PostgreSQL's shared buffers, counted once overall)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


class PeakSampler:
    """Samples `measure()` every `interval` seconds in a thread and keeps the peak
    (for the PostgreSQL cluster's memory; the server's own peak is its VmHWM)."""

    def __init__(self, measure, interval=0.5):
        self.measure = measure
        self.interval = interval
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while True:
            self.peak = max(self.peak, self.measure())
            if self._stop.wait(self.interval):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.measure())


class ServerTimings:
    """The server's own time for admin API requests, from its access log: the `ms=`
    of each `event=http server=admin` line, from the request's header read to its
    answer written (the server must run with PHISHDRILL_LOG_LEVEL=info). Lines of
    requests answered on different threads may reach the log out of order, and the
    log is flushed within a second, so after each batch of requests to one path
    `collect` waits until all of that batch's lines are there before the next
    batch starts."""

    _LINE = re.compile(r"event=http server=admin .*?method=(\S+) path=(\S+) status=(\d+) "
                       r".*?ms=([\d.]+)")

    def __init__(self, data_dir):
        self.log = os.path.join(data_dir, "phishdrill.log")
        self.offset = 0

    def collect(self, method, path, count, seconds=15):
        """[(status, ms)] of the next `count` requests logged for `method path` (the
        path without its query), skipping other lines; raises after `seconds`."""
        found = []
        deadline = time.monotonic() + seconds
        while True:
            with open(self.log, "rb") as f:
                f.seek(self.offset)
                chunk = f.read()
            complete = chunk[:chunk.rfind(b"\n") + 1]  # a line may be half flushed
            for line in complete.decode(errors="replace").splitlines(keepends=True):
                self.offset += len(line.encode(errors="replace"))
                m = self._LINE.search(line)
                if m and m[1] == method and m[2] == path:
                    found.append((int(m[3]), float(m[4])))
                    if len(found) == count:
                        return found
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.log}: {len(found)} of {count} lines for {path}")
            time.sleep(0.05)
