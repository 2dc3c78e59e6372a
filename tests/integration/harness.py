"""Integration-test harness for the phishdrill binary.

Starts the real server on loopback ports with a fresh data directory and drives
it over HTTP. Only the standard library, pytest and requests are used (Debian's
python3-pytest and python3-requests), so the suite runs without pip.
"""

from __future__ import annotations

import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO_ROOT / "build" / "phishdrill"
ADMIN_EMAIL = "admin@example.test"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
LOOPBACK_ALLOW_ENV = "PHISHDRILL_OUTBOUND_ALLOW"
HTTP_TIMEOUT = 60


def phishdrill_bin() -> str:
    """Path of the binary under test: $PHISHDRILL_BIN or build/phishdrill.

    A missing binary named explicitly by PHISHDRILL_BIN is an error; a missing
    default build skips (so `pytest --collect-only` and plain runs on an unbuilt
    tree say why nothing ran)."""
    env = os.environ.get("PHISHDRILL_BIN")
    if env:
        if not os.access(env, os.X_OK):
            pytest.fail(f"PHISHDRILL_BIN={env} is not an executable file")
        return env
    if not os.access(DEFAULT_BIN, os.X_OK):
        pytest.skip(f"phishdrill binary not built ({DEFAULT_BIN}); set PHISHDRILL_BIN")
    return str(DEFAULT_BIN)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def uniq(prefix: str = "x") -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


def random_password(n: int = 20) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(n))


def wait_until(pred, timeout: float, what: str, interval: float = 0.1):
    """Poll pred() until it returns something true (returned) or timeout seconds pass
    (AssertionError naming `what`). The one wait helper of the suite: tests wait for a
    condition, never for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------- HTTP


class ApiSession(requests.Session):
    """requests.Session bound to one base URL.

    Paths starting with "/" are joined to base_url. For cookie sessions the CSRF
    token is remembered and sent as X-CSRF-Token on unsafe methods unless the
    call passes csrf=False (or sets the header itself)."""

    def __init__(self, base_url: str, bearer: str | None = None):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.csrf_token: str | None = None
        self.bearer = bearer
        self.user: dict | None = None
        self.email: str | None = None
        self.password: str | None = None
        if bearer is not None:
            self.headers["Authorization"] = f"Bearer {bearer}"

    def request(self, method, url, *args, csrf=True, **kwargs):  # noqa: D401
        if isinstance(url, str) and url.startswith("/"):
            url = self.base_url + url
        if csrf and self.csrf_token and method.upper() in UNSAFE_METHODS:
            headers = dict(kwargs.pop("headers", None) or {})
            if not any(k.lower() == "x-csrf-token" for k in headers):
                headers["X-CSRF-Token"] = self.csrf_token
            kwargs["headers"] = headers
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(method, url, *args, **kwargs)

    def session_cookie(self) -> str | None:
        for c in self.cookies:
            if c.name == "pd_session":
                return c.value
        return None


def describe(r) -> str:
    body = r.text if hasattr(r, "text") else repr(r)
    if len(body) > 1500:
        body = body[:1500] + "...(truncated)"
    req = getattr(r, "request", None)
    where = f"{req.method} {req.url}" if req is not None else ""
    return f"{where} -> {r.status_code}: {body}"


def expect(r, status: int):
    """Assert the status code and return the parsed JSON body (or None)."""
    assert r.status_code == status, describe(r)
    if status == 204 or not r.content:
        return None
    ctype = r.headers.get("Content-Type", "")
    if "json" in ctype:
        return r.json()
    return r.text


def expect_error(r, status: int, code: str | tuple | None = None, field: str | None = None) -> dict:
    """Assert an error response of the brief's shape; return the "error" object."""
    assert r.status_code == status, describe(r)
    try:
        body = r.json()
    except ValueError:
        raise AssertionError(f"error body is not JSON: {describe(r)}")
    assert isinstance(body, dict) and isinstance(body.get("error"), dict), describe(r)
    err = body["error"]
    assert isinstance(err.get("code"), str) and isinstance(err.get("message"), str), describe(r)
    if code is not None:
        codes = code if isinstance(code, tuple) else (code,)
        assert err["code"] in codes, describe(r)
    if field is not None:
        assert err.get("field") == field, describe(r)
    return err


def list_all(client, path: str, limit: int = 500, params: dict | None = None) -> list:
    """Follow next_cursor through a paginated list; return all items."""
    items: list = []
    cursor = None
    for _ in range(10_000):
        q = dict(params or {})
        q["limit"] = limit
        if cursor is not None:
            q["cursor"] = cursor
        body = expect(client.get(path, params=q), 200)
        assert set(body) >= {"items", "next_cursor"}, body
        items.extend(body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            return items
        assert isinstance(cursor, str) and cursor, body
    raise AssertionError("pagination did not terminate")


class RawResponse:
    def __init__(self, status: int, headers: dict, body: bytes, request_desc: str):
        self.status_code = status
        self.headers = requests.structures.CaseInsensitiveDict(headers)
        self.content = body
        self.text = body.decode("utf-8", "replace")
        self.request = None
        self._desc = request_desc

    def json(self):
        import json

        return json.loads(self.text)


def raw_request(base_url: str, method: str, path: str, body: bytes, headers: dict,
                timeout: float = 120) -> RawResponse:
    """Send a (large) request over a plain socket and read the answer.

    Unlike requests, this notices a server that answers early (e.g. 413 after
    reading only the headers) and stops sending, so the response is not lost
    to a connection reset."""
    u = urlsplit(base_url)
    host, port = u.hostname, u.port
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}",
                f"Content-Length: {len(body)}", "Connection: close"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        sock.setblocking(False)
        view = memoryview(body)
        sent = 0
        deadline = time.monotonic() + timeout
        while sent < len(body) and time.monotonic() < deadline:
            r, w, _ = select.select([sock], [sock], [], 5)
            if r:
                break  # the server answered (or closed) before taking the whole body
            if w:
                try:
                    sent += sock.send(view[sent:sent + 262144])
                except (BlockingIOError, InterruptedError):
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    break
        sock.setblocking(True)
        sock.settimeout(timeout)
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
                if _response_complete(data):
                    break
        except ConnectionResetError:
            pass
    finally:
        sock.close()
    desc = f"{method} {base_url}{path} ({len(body)} bytes, sent {sent})"
    if not data:
        raise AssertionError(f"{desc}: connection closed/reset without any HTTP response")
    return _parse_response(data, desc)


def _split_head(data: bytes):
    i = data.find(b"\r\n\r\n")
    if i < 0:
        return None
    lines = data[:i].decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip()] = v.strip()
    return status, requests.structures.CaseInsensitiveDict(headers), data[i + 4:]


def _dechunk(body: bytes):
    out = b""
    while True:
        i = body.find(b"\r\n")
        if i < 0:
            return None
        size = int(body[:i].split(b";")[0], 16)
        if size == 0:
            return out
        if len(body) < i + 2 + size + 2:
            return None
        out += body[i + 2:i + 2 + size]
        body = body[i + 2 + size + 2:]


def _response_complete(data: bytes) -> bool:
    parsed = _split_head(data)
    if parsed is None:
        return False
    _, headers, rest = parsed
    if "Content-Length" in headers:
        return len(rest) >= int(headers["Content-Length"])
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        return _dechunk(rest) is not None
    return False


def _parse_response(data: bytes, desc: str) -> RawResponse:
    parsed = _split_head(data)
    if parsed is None:
        raise AssertionError(f"{desc}: incomplete HTTP response {data[:300]!r}")
    status, headers, rest = parsed
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        rest = _dechunk(rest) or b""
    elif "Content-Length" in headers:
        rest = rest[:int(headers["Content-Length"])]
    return RawResponse(status, dict(headers), rest, desc)


# --------------------------------------------------------------------------- server


def _postgres_schema_url(data_dir: Path) -> str | None:
    """With PHISHDRILL_TEST_STORE=postgres, the store URL for a server on data_dir: a schema of
    its own (named after the folder, so a restart on the same folder reaches the same data) in
    the database of PHISHDRILL_TEST_PG_URL, created when missing."""
    if os.environ.get("PHISHDRILL_TEST_STORE") != "postgres":
        return None
    url = os.environ.get("PHISHDRILL_TEST_PG_URL")
    if not url:
        pytest.fail("PHISHDRILL_TEST_STORE=postgres needs PHISHDRILL_TEST_PG_URL")
    schema = "it_" + re.sub(r"[^a-z0-9]", "_", data_dir.name.lower())
    subprocess.run(["psql", url, "-q", "-v", "ON_ERROR_STOP=1", "-c",
                    f"CREATE SCHEMA IF NOT EXISTS {schema}"],
                   check=True, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"


def _schema_of(store_url: str) -> tuple[str, str]:
    base, _, query = store_url.partition("?")
    return base, query.rsplit("%3D", 1)[1]


def _drop_postgres_schema(store_url: str):
    base, schema = _schema_of(store_url)
    subprocess.run(["psql", base, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                   capture_output=True, timeout=30, stdin=subprocess.DEVNULL)


class Server:
    """One phishdrill process with its own data dir and loopback ports (and, with
    PHISHDRILL_TEST_STORE=postgres, its own schema of the test PostgreSQL)."""

    def __init__(self, extra_env: dict | None = None, data_dir: str | Path | None = None,
                 name: str = "pd"):
        self.bin = phishdrill_bin()
        self._own_dir = data_dir is None
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix=f"{name}-"))
        self.admin_port = free_port()
        self.phish_port = free_port()
        while self.phish_port == self.admin_port:
            self.phish_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.admin_port}"
        self.phish_url = f"http://127.0.0.1:{self.phish_port}"
        self.admin_email = ADMIN_EMAIL
        self.admin_password = random_password(20)
        self.api_key = "pd_" + secrets.token_urlsafe(32)
        self.stdout_path = self.data_dir / "server.stdout"
        self.stderr_path = self.data_dir / "server.stderr"
        self.log_path = self.data_dir / "phishdrill.log"
        self.proc: subprocess.Popen | None = None
        self.exit_code: int | None = None
        self.killed = False
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PHISHDRILL_")}
        self.env.update({
            "PHISHDRILL_DATA_DIR": str(self.data_dir),
            "PHISHDRILL_ADMIN_LISTEN": f"127.0.0.1:{self.admin_port}",
            "PHISHDRILL_PHISH_LISTEN": f"127.0.0.1:{self.phish_port}",
            "PHISHDRILL_PHISH_BASE_URL": self.phish_url,
            "PHISHDRILL_INITIAL_ADMIN_EMAIL": self.admin_email,
            "PHISHDRILL_INITIAL_ADMIN_PASSWORD": self.admin_password,
            "PHISHDRILL_INITIAL_API_KEY": self.api_key,
            # The SMTP sinks and webhook receivers of the tests run on loopback,
            # which the server refuses to connect to unless listed. Tests of the
            # refusals start a server with extra_env={LOOPBACK_ALLOW_ENV: None}.
            LOOPBACK_ALLOW_ENV: "127.0.0.1/32,::1/128",
            # The shipped training modules (the server runs in its data dir).
            "PHISHDRILL_TRAINING_CONTENT_DIR": str(REPO_ROOT / "content" / "training"),
            "PHISHDRILL_LIBRARY_CONTENT_DIR": str(REPO_ROOT / "content" / "simulations"),
            "PHISHDRILL_REPORTING_ADDIN_DIR": str(REPO_ROOT / "content" / "addin"),
        })
        self.store_url = _postgres_schema_url(self.data_dir)
        if self.store_url:
            self.env["PHISHDRILL_STORE_URL"] = self.store_url
        for k, v in (extra_env or {}).items():
            if v is None:
                self.env.pop(k, None)
            else:
                self.env[k] = str(v)
        if "PHISHDRILL_INITIAL_ADMIN_PASSWORD" not in self.env:
            self.admin_password = None

    # -- lifecycle
    def start(self, timeout: float = 20.0) -> "Server":
        # The binary may be briefly missing while it is being rebuilt: wait (bounded).
        try:
            wait_until(lambda: os.access(self.bin, os.X_OK), 120, f"{self.bin}", interval=0.5)
        except AssertionError:
            pass  # Popen says what is wrong with it
        self._out = open(self.stdout_path, "ab")
        self._err = open(self.stderr_path, "ab")
        self.proc = subprocess.Popen([self.bin, "serve"], env=self.env, stdout=self._out,
                                     stderr=self._err, stdin=subprocess.DEVNULL,
                                     cwd=str(self.data_dir))
        self.exit_code = None
        self.killed = False
        last = None

        def healthy():
            nonlocal last
            if self.proc.poll() is not None:
                self._close_files()
                pytest.fail(f"phishdrill serve exited with {self.proc.returncode} during start\n"
                            + self.log_tail())
            try:
                r = requests.get(self.base_url + "/healthz", timeout=2)
                last = f"status {r.status_code}"
                return r.status_code == 200
            except requests.RequestException as e:
                last = repr(e)
                return False

        try:
            wait_until(healthy, timeout, "/healthz")
        except AssertionError:
            self.stop()
            pytest.fail(f"phishdrill did not answer /healthz within {timeout}s ({last})\n"
                        + self.log_tail())
        return self

    def stop(self, grace: float = 10.0) -> int | None:
        if self.proc is None:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.killed = True
                self.proc.kill()
                self.proc.wait(10)
        self.exit_code = self.proc.returncode
        self.proc = None
        self._close_files()
        return self.exit_code

    def kill9(self) -> None:
        """SIGKILL the server (no shutdown at all) and reap it; the data dir stays."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            self.exit_code = self.proc.returncode
            self.killed = True
            self.proc = None
        self._close_files()

    def restart(self, timeout: float = 20.0) -> "Server":
        """Start again on the same data dir (after stop() or kill9()). Keeps the ports
        when they can be bound again, else picks new ones (base URLs change then)."""
        if self.running:
            self.stop()
        for attr, var in (("admin_port", "PHISHDRILL_ADMIN_LISTEN"),
                          ("phish_port", "PHISHDRILL_PHISH_LISTEN")):
            port = getattr(self, attr)
            try:
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    s.bind(("127.0.0.1", port))
            except OSError:
                port = free_port()
                setattr(self, attr, port)
                self.env[var] = f"127.0.0.1:{port}"
        self.base_url = f"http://127.0.0.1:{self.admin_port}"
        self.phish_url = f"http://127.0.0.1:{self.phish_port}"
        self.env["PHISHDRILL_PHISH_BASE_URL"] = self.phish_url
        return self.start(timeout)

    def _close_files(self):
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f is not None and not f.closed:
                f.close()

    def dump_store(self) -> str:
        """The name of the file in data_dir that holds everything the store keeps: the SQLite
        database itself, or (PostgreSQL) a pg_dump of the server's schema written there now, so
        tests can search stored bytes on either backend."""
        if not self.store_url:
            return "phishdrill.db"
        base, schema = _schema_of(self.store_url)
        with open(self.data_dir / "postgres-dump.sql", "wb") as out:
            subprocess.run(["pg_dump", base, "-n", schema], stdout=out, check=True, timeout=60,
                           stdin=subprocess.DEVNULL)
        return "postgres-dump.sql"

    def cleanup(self):
        self.stop()
        if self._own_dir and os.environ.get("PHISHDRILL_KEEP_DATA") != "1":
            shutil.rmtree(self.data_dir, ignore_errors=True)
            if self.store_url:
                _drop_postgres_schema(self.store_url)

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n: int = 60) -> str:
        out = []
        for p in (self.stdout_path, self.stderr_path, self.log_path):
            try:
                lines = p.read_text("utf-8", "replace").splitlines()[-n:]
            except OSError:
                lines = ["(missing)"]
            out.append(f"--- {p.name} (last {n} lines)\n" + "\n".join(lines))
        return "\n".join(out)

    def wait_logged(self, session: requests.Session | None = None, url: str | None = None,
                    timeout: float = 10) -> str:
        """Make one request of its own (through session, to url: the admin server by
        default) and wait until its access-log line is in phishdrill.log and on stderr;
        returns that line. One logger writes the lines in order, and the file within a
        second (spdlog flush_every): once this line is there, so is the line of every
        request answered before it was sent (a request is logged just after its answer,
        and this one took a whole round trip more) - the signal to read the logs on."""
        marker = f"logged-{secrets.token_hex(6)}"
        (session or requests).get(f"{url or self.base_url}/{marker}", timeout=HTTP_TIMEOUT)

        def logged():
            lines = []
            for p in (self.log_path, self.stderr_path):
                text = p.read_bytes().decode("utf-8", "replace") if p.exists() else ""
                lines.append([line for line in text.split("\n") if f"path=/{marker} " in line])
            return lines[0][0] if all(lines) else None

        return wait_until(logged, timeout, f"the access-log line of /{marker}")

    # -- CLI
    def cli(self, *args: str, timeout: float = 60, input: str | None = None,
            env: dict | None = None) -> subprocess.CompletedProcess:
        e = dict(self.env)
        e.update(env or {})
        return subprocess.run([self.bin, *args], env=e, capture_output=True, text=True,
                              timeout=timeout, input=input, stdin=None if input else subprocess.DEVNULL)

    # -- clients
    def client(self) -> ApiSession:
        """No credentials."""
        return ApiSession(self.base_url)

    def api(self, key: str | None = None) -> ApiSession:
        return ApiSession(self.base_url, bearer=key or self.api_key)

    def login_raw(self, email: str, password: str):
        s = ApiSession(self.base_url)
        r = s.post("/api/v1/session", json={"email": email, "password": password})
        return s, r

    def login(self, email: str, password: str) -> ApiSession:
        s, r = self.login_raw(email, password)
        body = expect(r, 200)
        assert isinstance(body.get("csrf_token"), str) and body["csrf_token"], body
        assert s.session_cookie(), f"no pd_session cookie set: {r.headers}"
        s.csrf_token = body["csrf_token"]
        s.user = body["user"]
        s.email = email
        s.password = password
        return s

    def ready_session(self, email: str, password: str) -> ApiSession:
        """Log in; if the user must change the password, change it and log in again."""
        s = self.login(email, password)
        if s.user.get("must_change_password"):
            new = random_password(20)
            expect(s.post("/api/v1/me/password",
                          json={"current_password": password, "new_password": new}), 200)
            if email == self.admin_email:
                self.admin_password = new
            s = self.login(email, new)
            assert s.user.get("must_change_password") is False, s.user
        return s

    def admin_session(self) -> ApiSession:
        return self.ready_session(self.admin_email, self.admin_password)

    # -- users, keys
    def create_user(self, admin: ApiSession, role: str, email: str | None = None,
                    name: str | None = None) -> dict:
        email = email or f"{uniq(role)}@example.test"
        password = random_password(20)
        r = admin.post("/api/v1/users", json={"email": email, "name": name or f"{role} user",
                                              "role": role, "password": password})
        user = expect(r, 201)
        assert user["role"] == role and user["must_change_password"] is True, user
        return {"email": email, "password": password, "user": user}

    def user_session(self, admin: ApiSession, role: str) -> ApiSession:
        u = self.create_user(admin, role)
        return self.ready_session(u["email"], u["password"])

    def create_api_key(self, admin: ApiSession, role: str | None = None,
                       name: str | None = None) -> dict:
        body = {"name": name or uniq("key")}
        if role is not None:
            body["role"] = role
        k = expect(admin.post("/api/v1/api-keys", json=body), 201)
        assert k["key"].startswith("pd_"), k
        return k


# --------------------------------------------------------------------------- resources

def group_body(name=None, n_targets=0, domain=None):
    domain = domain or f"{secrets.token_hex(3)}.example.test"
    return {"name": uniq("group") if name is None else name,
            "targets": [{"email": f"t{i}@{domain}", "first_name": f"First{i}",
                         "last_name": f"Last{i}", "position": "Clerk", "department": "Ops"}
                        for i in range(n_targets)]}


def template_body(name=None, **over):
    b = {"name": uniq("tmpl") if name is None else name, "subject": "Hello {{.FirstName}}",
         "html": '<p>Hi {{.FirstName}}</p><a href="{{.URL}}">open</a>{{.Tracker}}',
         "text": "Hi {{.FirstName}}, open {{.URL}}", "from": "IT Desk <it@example.test>"}
    b.update(over)
    return b


def page_body(name=None, **over):
    b = {"name": uniq("page") if name is None else name, "html": "<html><body><form method=post>"
         "<input name=username><input type=password name=password></form></body></html>",
         "capture": "fields", "redirect_url": "https://example.test/done"}
    b.update(over)
    return b


def profile_body(name=None, **over):
    b = {"name": uniq("profile") if name is None else name, "kind": "smtp", "host": "smtp.example.test",
         "port": 587, "tls": "starttls", "username": "mailer", "from": "phish@example.test",
         "headers": [{"name": "X-Mailer", "value": "drill"}], "rate_per_minute": 60}
    b.update(over)
    return b


# name -> (collection path, body factory, update field, update value)
RESOURCES = {
    "groups": ("/api/v1/groups", lambda name=None: group_body(name, 2), "name", None),
    "templates": ("/api/v1/templates", template_body, "subject", "Updated subject {{.LastName}}"),
    "pages": ("/api/v1/pages", page_body, "html", "<html><body>updated</body></html>"),
    "sending-profiles": ("/api/v1/sending-profiles", profile_body, "host", "relay.example.test"),
}

RFC3339_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def crud_round_trip(c, path: str, create: dict, update: dict, writable: list[str],
                    check=None) -> dict:
    """POST, GET, list, PUT (full replace), GET, DELETE, GET=404 through client c.

    `writable` are the fields echoed back unchanged; `check(item, sent)` may add
    resource-specific assertions after create and update. Returns the last item."""
    item = expect(c.post(path, json=create), 201)
    assert isinstance(item.get("id"), int) and item["id"] > 0, item
    assert RFC3339_UTC.match(item["created_at"]) and RFC3339_UTC.match(item["updated_at"]), item
    for f in writable:
        assert item[f] == create[f], (f, item)
    if check:
        check(item, create)
    got = expect(c.get(f"{path}/{item['id']}"), 200)
    assert got == item, (got, item)
    listed = [i for i in list_all(c, path) if i["id"] == item["id"]]
    assert len(listed) == 1, listed
    for f in writable:
        assert listed[0][f] == create[f], (f, listed[0])

    upd = expect(c.put(f"{path}/{item['id']}", json=update), 200)
    assert upd["id"] == item["id"] and upd["created_at"] == item["created_at"], upd
    for f in writable:
        assert upd[f] == update[f], (f, upd)
    if check:
        check(upd, update)
    assert upd["updated_at"] >= item["updated_at"]
    assert expect(c.get(f"{path}/{item['id']}"), 200) == upd

    r = c.delete(f"{path}/{item['id']}")
    assert r.status_code == 204 and not r.content, describe(r)
    expect_error(c.get(f"{path}/{item['id']}"), 404, "not_found")
    expect_error(c.put(f"{path}/{item['id']}", json=update), 404, "not_found")
    expect_error(c.delete(f"{path}/{item['id']}"), 404, "not_found")
    assert item["id"] not in [i["id"] for i in list_all(c, path)]
    return upd
