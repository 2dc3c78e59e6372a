"""Helpers shared by the training tests (test_training_api.py, test_training_portal.py,
test_training_mail.py): settings, assignments, the SMTP sink's training emails, the
portal's quiz forms and direct (short) writes to the server's SQLite database."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from campaign_support import rfc3339
from harness import REPO_ROOT, expect, list_all, uniq, wait_until
from tracking_support import message_parts

CONTENT = REPO_ROOT / "content" / "training"
MODULES = "/api/v1/training/modules"
SETTINGS = "/api/v1/training/settings"
ASSIGN = "/api/v1/training/assignments"
REPORT = "/api/v1/training/report"
AUDIT = "/api/v1/audit-log"
SLUG = "spotting-red-flags"

DEFAULT_SETTINGS = {"profile_id": None, "portal_base_url": "", "remind_days_before": 2,
                    "overdue_every_days": 3, "max_overdue_reminders": 3,
                    "cc_manager_when_overdue": False, "link_valid_days": 30,
                    "follow_up_delay_seconds": 30}

LINK_RE = re.compile(r"(https?://[^\s\"<>]+?/learn/)([A-Za-z0-9_-]{16,128})\b")
NONCE_RE = re.compile(r'name="nonce"\s+value="([^"]+)"')


def due_in(days: float) -> str:
    return rfc3339(datetime.now(timezone.utc) + timedelta(days=days))


def put_settings(api, **over) -> dict:
    body = dict(DEFAULT_SETTINGS)
    body.update(over)
    return expect(api.put(SETTINGS, json=body), 200)


def module(api, slug: str = SLUG) -> dict:
    return expect(api.get(f"{MODULES}/{slug}"), 200)


def assign(api, slug: str = SLUG, target_ids=(), group_ids=(), days: float = 7,
           status: int = 201) -> dict:
    body = {"module": slug, "target_ids": list(target_ids), "group_ids": list(group_ids),
            "due_at": due_in(days)}
    return expect(api.post(ASSIGN, json=body), status)


def assignments(api, **params) -> list:
    return list_all(api, ASSIGN, params=params)


def assignment(api, aid: int) -> dict:
    return expect(api.get(f"{ASSIGN}/{aid}"), 200)


def group_targets(api, gid: int) -> list:
    return list_all(api, f"/api/v1/groups/{gid}/targets")


def make_people(api, n: int, manager: str | None = None, first=None) -> dict:
    """A fresh group of n people on a fresh domain; returns the group with "people":
    [{id, email, first_name, ...}] in email order."""
    dom = f"{uniq('tr')}.example.test"
    targets = []
    for i in range(n):
        t = {"email": f"p{i}@{dom}", "first_name": first(i) if first else f"Pat{i}",
             "last_name": f"Lee{i}", "position": "Clerk", "department": "Pharmacy"}
        if manager:
            t["manager_email"] = manager
        targets.append(t)
    g = expect(api.post("/api/v1/groups", json={"name": uniq("tgroup"), "targets": targets}), 201)
    people = sorted(group_targets(api, g["id"]), key=lambda t: t["email"])
    assert len(people) == n, people
    g["people"] = people
    g["domain"] = dom
    return g


# --------------------------------------------------------------------------- quiz forms


def nonce_of(html: str) -> str:
    m = NONCE_RE.search(html)
    assert m, f"no nonce in quiz page: {html[:800]!r}"
    return m.group(1)


def right_form(mod: dict, nonce: str) -> list:
    form = [("nonce", nonce)]
    for q in mod["quiz"]:
        for a in q["answers"]:
            form.append((f"q.{q['id']}", str(a)))
    return form


def wrong_form(mod: dict, nonce: str) -> list:
    """Every question answered with one wrong choice (score 0)."""
    form = [("nonce", nonce)]
    for q in mod["quiz"]:
        wrong = next(i for i in range(len(q["choices"])) if i not in q["answers"])
        form.append((f"q.{q['id']}", str(wrong)))
    return form


# --------------------------------------------------------------------------- mail


def wait_mail(sink, pred, timeout: float, what: str) -> list:
    """Messages in the sink matching pred, waiting (bounded) until at least one does."""
    try:
        return wait_until(lambda: [m for m in sink.messages() if pred(m)], timeout, what)
    except AssertionError:
        seen = [(m.rcpt_tos, m.msg["Subject"]) for m in sink.messages()][-10:]
        raise AssertionError(f"no mail {what} within {timeout}s; last seen {seen}") from None


def to(addr: str, subject_prefix: str | None = None):
    addr = addr.lower()

    def pred(m):
        if addr not in [r.lower() for r in m.rcpt_tos]:
            return False
        return subject_prefix is None or str(m.msg["Subject"]).startswith(subject_prefix)
    return pred


def mails_to(sink, addr: str, subject_prefix: str | None = None) -> list:
    return [m for m in sink.messages() if to(addr, subject_prefix)(m)]


def text_of(m) -> str:
    return message_parts(m.msg).get("text/plain", "")


def portal_link(m) -> tuple[str, str]:
    """(link, token) of the personal portal link in a training email."""
    parts = message_parts(m.msg)
    found = LINK_RE.search(parts.get("text/plain", ""))
    assert found, f"no portal link in {parts.get('text/plain', '')[:800]!r}"
    html_found = LINK_RE.search(parts.get("text/html", ""))
    assert html_found and html_found.group(0) == found.group(0), parts.get("text/html")
    return found.group(0), found.group(2)


# --------------------------------------------------------------------------- database


def db_path(server) -> Path:
    return Path(server.data_dir) / "phishdrill.db"


def _psql(server, sql: str, params) -> str:
    """Runs one statement on the server's PostgreSQL schema through psql; `?` placeholders take
    `params` as literals (integers, or strings quoted SQL-style)."""
    parts = sql.split("?")
    assert len(parts) == len(params) + 1, (sql, params)
    text = parts[0]
    for value, rest in zip(params, parts[1:]):
        text += (str(int(value)) if isinstance(value, int)
                 else "'" + str(value).replace("'", "''") + "'") + rest
    p = subprocess.run(["psql", server.store_url, "-X", "-A", "-t", "-F", "\x1f",
                        "-v", "ON_ERROR_STOP=1", "-c", text],
                       capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert p.returncode == 0, (text, p.stderr)
    return p.stdout


def _cell(text: str):
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def db_query(server, sql: str, params=()) -> list:
    """Rows of one query on the server's database (SQLite file or PostgreSQL schema); write SQL
    both accept (`?` placeholders, no engine-specific functions)."""
    if server.store_url:
        return [tuple(_cell(c) for c in line.split("\x1f"))
                for line in _psql(server, sql, params).splitlines() if line]
    con = sqlite3.connect(db_path(server), timeout=10)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def db_write(server, sql: str, params=()) -> int:
    """One short write transaction; returns the rows it changed. On SQLite it is retried while
    the server holds the write lock."""
    if server.store_url:
        tag = _psql(server, sql, params).strip().splitlines()[-1]
        return int(tag.rsplit(" ", 1)[1])
    deadline = time.monotonic() + 15
    while True:
        con = sqlite3.connect(db_path(server), timeout=2, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            n = con.execute(sql, params).rowcount
            con.execute("COMMIT")
            return n
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) and "busy" not in str(e):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        finally:
            con.close()


def mail_rows(server, aid: int) -> list[dict]:
    rows = db_query(server, "SELECT id, kind, send_at, state FROM training_mail "
                    "WHERE assignment_id = ? ORDER BY id", (aid,))
    return [{"id": r[0], "kind": r[1], "send_at": r[2], "state": r[3]} for r in rows]


def fast_forward(server, mail_id: int) -> None:
    n = db_write(server, "UPDATE training_mail SET send_at = 0 WHERE id = ? AND state = 'queued'",
                 (mail_id,))
    assert n == 1, f"training_mail {mail_id} was not queued"


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- module tars


def module_tar(slug: str, version: int = 1, source: str = SLUG, folder: str | None = None,
               edit=None, extra=None) -> bytes:
    """A tar of a copy of a shipped module renamed to `slug` (folder `folder`, default the
    slug). edit(path) may change the copy; extra(tar) may add more entries."""
    tmp = Path(tempfile.mkdtemp(prefix="tmod-"))
    try:
        root = tmp / (folder or slug)
        shutil.copytree(CONTENT / source, root)
        manifest = root / "module.toml"
        text = manifest.read_text()
        text = re.sub(r'(?m)^slug = ".*"$', f'slug = "{slug}"', text)
        text = re.sub(r"(?m)^version = \d+$", f"version = {version}", text)
        text = re.sub(r'(?m)^title = "(.*)"$', f'title = "Imported {slug} v{version}"', text)
        manifest.write_text(text)
        if edit:
            edit(root)
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            tar.add(root, arcname=root.name)
            if extra:
                extra(tar)
        return buf.getvalue()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tar_member(tar: tarfile.TarFile, name: str, data: bytes = b"x", kind=tarfile.REGTYPE,
               linkname: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


def import_module(api, body: bytes):
    return api.post(f"{MODULES}/import", data=body,
                    headers={"Content-Type": "application/x-tar"})


# --------------------------------------------------------------------------- audit


def audit_since(api, top: int) -> list:
    out = []
    cursor = None
    while True:
        params = {"limit": 200}
        if cursor:
            params["cursor"] = cursor
        body = expect(api.get(AUDIT, params=params), 200)
        for e in body["items"]:
            if e["id"] <= top:
                return out
            out.append(e)
        cursor = body["next_cursor"]
        if cursor is None:
            return out


def audit_top(api) -> int:
    items = expect(api.get(AUDIT, params={"limit": 1}), 200)["items"]
    return items[0]["id"] if items else 0
