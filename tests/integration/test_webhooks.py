"""Webhooks (issue 4): admin CRUD and validation, the one-time generated secret, and
signed deliveries of tracking / sending events to a receiver run by the test
(/work/brief/webhooks.md).

The module server runs with PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS=0 (hits right after
delivery count as human, see test_tracking.py) and
PHISHDRILL_JOBS_WEBHOOK_RETRY_BASE_SECONDS=1, so a failed delivery is retried after 1 s,
then 2 s, ... instead of 30 s.

Every webhook of the workspace that subscribes to a kind gets every event of that kind,
so receivers filter what they got by campaign_id, and each test deletes its webhooks at
the end (the `hooks` fixture) so that later tests do not keep feeding them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from campaign_support import (
    CAMPAIGNS,
    create_campaign,
    launch,
    make_group,
    make_template,
    outbox_profile,
    smtp_profile,
    wait_settled,
)
from harness import (
    RFC3339_UTC,
    Server,
    crud_round_trip,
    describe,
    expect,
    expect_error,
    free_port,
    list_all,
    random_password,
    uniq,
    wait_until,
)
from tracking_support import (
    HUMAN_ENV,
    PhishClient,
    fresh_ip,
    message_parts,
    outbox_rids,
    recipient_by_email,
    recipient_events,
    rid_of,
)

WEBHOOKS = "/api/v1/webhooks"
PAGES = "/api/v1/pages"
ALL_KINDS = ["sent", "send_failed", "opened", "clicked", "submitted", "reported"]
TRACKED = ["sent", "opened", "clicked", "submitted", "reported"]
SIG_RE = re.compile(r"^t=(\d+),v1=([0-9a-f]{64})$")
FORM = ('<html><body><form action="https://evil.example/login"><input name="username">'
        '<input type="password" name="password"></form></body></html>')
ENV = dict(HUMAN_ENV, PHISHDRILL_JOBS_WEBHOOK_RETRY_BASE_SECONDS="1")


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-webhooks", extra_env=ENV)
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


# --------------------------------------------------------------------------- receiver


class Receiver:
    """A tiny webhook receiver: http.server in a thread on 127.0.0.1:<free port>.

    Records every request (method, path, headers, raw body). Answers `fail_status`
    to the first `fail_first` requests (all of them when fail_always), 200 after."""

    def __init__(self, fail_first: int = 0, fail_always: bool = False, fail_status: int = 500):
        self.fail_first = fail_first
        self.fail_always = fail_always
        self.fail_status = fail_status
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(n) if n else b""
                with receiver.lock:
                    receiver.requests.append({
                        "method": self.command, "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body, "received": time.time()})
                    count = len(receiver.requests)
                fail = receiver.fail_always or count <= receiver.fail_first
                status = receiver.fail_status if fail else 200
                answer = b"nope" if fail else b"ok"
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_PUT = do_POST  # recorded too: only POST is expected

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def got(self) -> list[dict]:
        with self.lock:
            return list(self.requests)

    def for_campaign(self, cid: int) -> list[dict]:
        """Requests whose JSON body is about campaign cid (body parsed into "json")."""
        out = []
        for r in self.got():
            body = json.loads(r["body"])
            if body.get("campaign_id") == cid:
                out.append(dict(r, json=body))
        return out

    def wait_kinds(self, cid: int, kinds, timeout: float = 15) -> list[dict]:
        """Bounded wait until every kind in `kinds` was received (any status) for cid."""
        want = set(kinds)

        def have():
            got = self.for_campaign(cid)
            return got if want <= {r["json"]["event"] for r in got} else None

        try:
            return wait_until(have, timeout, f"webhook events {sorted(want)} for campaign {cid}")
        except AssertionError:
            seen = [(r["headers"].get("x-phishdrill-event"), r["body"][:200]) for r in self.got()]
            raise AssertionError(f"receiver {self.url} did not get {sorted(want)} for campaign "
                                 f"{cid} within {timeout}s; got {seen}") from None


@pytest.fixture
def receivers():
    made: list[Receiver] = []

    def make(**kw) -> Receiver:
        r = Receiver(**kw)
        made.append(r)
        return r

    yield make
    for r in made:
        r.close()


@pytest.fixture
def hooks(api):
    """create(**body) -> created webhook (201); every one is deleted at test end."""
    made: list[int] = []

    def create(**over) -> dict:
        body = {"name": uniq("hook"), "url": "http://127.0.0.1:9/hook", "events": ["opened"],
                "secret": "s" * 16 + random_password(16)}
        body.update(over)
        body = {k: v for k, v in body.items() if v is not None}
        w = expect(api.post(WEBHOOKS, json=body), 201)
        made.append(w["id"])
        return w

    yield create
    for wid in made:
        api.delete(f"{WEBHOOKS}/{wid}")


# --------------------------------------------------------------------------- helpers


def sign(secret: str, t: str, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


def check_signed(req: dict, secret: str) -> int:
    """Assert the delivery headers and the signature of one received request; returns t."""
    h = req["headers"]
    assert req["method"] == "POST" and req["path"] == "/hook", req
    assert h.get("content-type", "").split(";")[0].strip() == "application/json", h
    assert h.get("user-agent") == "Phishdrill-Webhook/1", h
    body = json.loads(req["body"])
    assert h.get("x-phishdrill-event") == body["event"], (h, body)
    assert re.fullmatch(r"[1-9]\d*", h.get("x-phishdrill-delivery", "")), h
    m = SIG_RE.match(h.get("x-phishdrill-signature", ""))
    assert m, f"bad X-Phishdrill-Signature: {h.get('x-phishdrill-signature')!r}"
    t, v1 = m.group(1), m.group(2)
    assert hmac.compare_digest(v1, sign(secret, t, req["body"])), \
        f"signature mismatch for body {req['body'][:300]!r} (t={t})"
    assert abs(int(t) - time.time()) < 120, (t, time.time())
    assert abs(int(t) - req["received"]) < 15, (t, req["received"])
    return int(t)


def deliveries(api, wid: int) -> list[dict]:
    return list_all(api, f"{WEBHOOKS}/{wid}/deliveries")


def wait_delivery(api, wid: int, cond, timeout: float, what: str) -> dict:
    """Bounded poll of /deliveries until one item satisfies cond; returns it."""
    last: list = []

    def find():
        nonlocal last
        last = deliveries(api, wid)
        return next((d for d in last if cond(d)), None)

    try:
        return wait_until(find, timeout, what, interval=0.2)
    except AssertionError:
        raise AssertionError(f"webhook {wid}: {what} not within {timeout}s; "
                             f"deliveries {last}") from None


def make_page(api, capture="values") -> dict:
    return expect(api.post(PAGES, json={"name": uniq("page"), "html": FORM, "capture": capture,
                                        "redirect_url": "", "safe_fields": ["username"]}), 201)


def outbox_campaign(api, server, n: int = 1, page: dict | None = None) -> dict:
    """Launch an n-recipient outbox campaign and wait for every message file."""
    group = make_group(api, n)
    over = {"page_id": page["id"]} if page else {}
    c = create_campaign(api, [make_template(api)["id"]], [group["id"]],
                        outbox_profile(api)["id"], **over)
    launch(api, c["id"])
    s = wait_settled(api, c["id"], 20)
    assert s["sent"] == n, s
    rids = outbox_rids(server.data_dir, group["emails"], timeout=20)
    rcpts = recipient_by_email(api, c["id"])
    return {"cid": c["id"], "rids": rids, "rcpts": rcpts, "emails": group["emails"]}


# Absences are asserted on a positive signal, never after a pause. The deliverer claims
# due deliveries in (next_attempt_at, id) order - a delivery's next_attempt_at is its
# event's time, then its retry time - and posts them one at a time; a delivery marked
# delivered or failed is never claimed again. So once a later event's delivery has
# arrived, every delivery that was due before it has been posted too.


def wait_done(api, wid: int, cid: int, n: int) -> list[dict]:
    """Once n deliveries about campaign cid exist and none is pending: what the receiver
    got for them is final."""
    def done():
        ds = [d for d in deliveries(api, wid)
              if d["payload"] and d["payload"].get("campaign_id") == cid]
        return ds if len(ds) >= n and all(d["state"] != "pending" for d in ds) else None

    return wait_until(done, 15, f"{n} deliveries for campaign {cid} done", interval=0.2)


# --------------------------------------------------------------------------- CRUD


def _no_secret(item, sent):
    assert "secret" not in item, item
    assert item["has_secret"] is True, item
    assert set(item) == {"id", "name", "url", "url_set", "events", "active", "has_secret",
                         "created_at", "updated_at"}, item
    # The URL is a secret too: only scheme, host and port are shown.
    assert item["url_set"] is True, item
    assert item["url"] == masked(sent["url"]), (item, sent)


def masked(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{re.split(r'[/?#]', rest, maxsplit=1)[0]}/…"


def test_crud_round_trip_keeps_secret_write_only(api):
    secret = "known-secret-" + random_password(12)
    create = {"name": uniq("hook"), "url": "https://hooks.example.test/in", "events":
              ["opened", "clicked"], "active": False, "secret": secret}
    update = {"name": uniq("hook2"), "url": "http://127.0.0.1:9/other?x=1",
              "events": ["reported", "sent", "send_failed"], "active": False}
    crud_round_trip(api, WEBHOOKS, create, update, ["name", "events", "active"],
                    check=_no_secret)
    # the secret never shows in the audit log either
    assert secret not in json.dumps(list_all(api, "/api/v1/audit-log"))


def test_active_defaults_to_true_and_put_keeps_secret(api, hooks):
    w = hooks(events=["reported"], active=None)
    assert w["active"] is True and w["has_secret"] is True and "secret" not in w, w
    body = {"name": w["name"], "url": w["url"], "events": ["reported", "opened"], "secret": ""}
    upd = expect(api.put(f"{WEBHOOKS}/{w['id']}", json=body), 200)
    assert upd["events"] == ["reported", "opened"] and upd["has_secret"] is True, upd
    assert upd["active"] is True, upd
    assert "secret" not in upd, upd
    # a new secret on PUT is accepted and, like any given secret, never echoed
    body["secret"] = "rotated-" + random_password(20)
    upd = expect(api.put(f"{WEBHOOKS}/{w['id']}", json=body), 200)
    assert "secret" not in upd and body["secret"] not in json.dumps(upd), upd


def test_generated_secret_shown_once(api, hooks):
    w = hooks(secret=None, events=list(ALL_KINDS), active=False)
    secret = w.get("secret")
    assert isinstance(secret, str) and secret.startswith("whsec_"), w
    assert 16 <= len(secret) <= 256 and len(secret) >= len("whsec_") + 20, secret
    assert w["has_secret"] is True, w
    got = expect(api.get(f"{WEBHOOKS}/{w['id']}"), 200)
    assert "secret" not in got and got["has_secret"] is True, got
    listed = expect(api.get(WEBHOOKS, params={"limit": 500}), 200)
    assert all("secret" not in i for i in listed["items"]), listed
    for r in (api.get(f"{WEBHOOKS}/{w['id']}"), api.get(WEBHOOKS, params={"limit": 500}),
              api.get("/api/v1/audit-log", params={"limit": 500}),
              api.put(f"{WEBHOOKS}/{w['id']}", json={"name": w["name"], "url": w["url"],
                                                      "events": ["opened"], "active": False})):
        assert r.status_code == 200, describe(r)
        assert secret not in r.text, describe(r)
    # two generated secrets differ
    w2 = hooks(secret=None, active=False)
    assert w2["secret"].startswith("whsec_") and w2["secret"] != secret


BAD_BODIES = [
    ("no name", {"name": None}, "validation", "name"),
    ("blank name", {"name": "   "}, "validation", "name"),
    ("long name", {"name": "n" * 201}, "validation", "name"),
    ("no url", {"url": None}, "validation", "url"),
    ("relative url", {"url": "/hook"}, "validation", "url"),
    ("ftp url", {"url": "ftp://hooks.example.test/x"}, "validation", "url"),
    ("not a url", {"url": "hooks dot example"}, "validation", "url"),
    ("empty url", {"url": ""}, "validation", "url"),
    ("credentials in url", {"url": "https://user:pw@hooks.example.test/in"}, "validation", "url"),
    ("user in url", {"url": "https://user@hooks.example.test/in"}, "validation", "url"),
    ("no events", {"events": None}, "validation", "events"),
    ("empty events", {"events": []}, "validation", "events"),
    ("unknown kind", {"events": ["opened", "bogus"]}, "validation", "events"),
    ("decoy kind", {"events": ["decoy"]}, "validation", "events"),
    ("duplicate kind", {"events": ["opened", "clicked", "opened"]}, "validation", "events"),
    ("events string", {"events": "opened"}, "invalid_type", "events"),
    ("events numbers", {"events": [1]}, "invalid_type", "events"),
    ("short secret", {"secret": "x" * 15}, "validation", "secret"),
    ("long secret", {"secret": "x" * 257}, "validation", "secret"),
    ("active string", {"active": "yes"}, "invalid_type", "active"),
    ("unknown field", {"headers": [{"name": "X", "value": "y"}]}, "unknown_field", "headers"),
    ("has_secret", {"has_secret": True}, "unknown_field", "has_secret"),
]


@pytest.mark.parametrize("label,over,code,field", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_validation(api, hooks, label, over, code, field):
    body = {"name": uniq("bad"), "url": "https://hooks.example.test/in", "events": ["opened"],
            "active": False}
    body.update(over)
    body = {k: v for k, v in body.items() if v is not None}
    before = {w["id"] for w in list_all(api, WEBHOOKS)}
    expect_error(api.post(WEBHOOKS, json=body), 422, code, field)
    # the same rules on PUT (where a missing url keeps the stored one); nothing changes
    w = hooks(active=False)
    if label == "no url":
        kept = expect(api.put(f"{WEBHOOKS}/{w['id']}", json=dict(body, name=w["name"])), 200)
        assert kept["url"] == w["url"] and kept["url_set"] is True, kept
        return
    expect_error(api.put(f"{WEBHOOKS}/{w['id']}", json=body), 422, code, field)
    assert expect(api.get(f"{WEBHOOKS}/{w['id']}"), 200)["events"] == ["opened"]
    assert {x["id"] for x in list_all(api, WEBHOOKS)} == before | {w["id"]}


def test_boundary_values_accepted(api, hooks):
    w = hooks(name="n" * 200, secret="x" * 16, events=list(ALL_KINDS), active=False)
    assert w["name"] == "n" * 200 and w["events"] == ALL_KINDS, w
    w = hooks(secret="y" * 256, url="http://hooks.example.test:8080/a/b?c=d", active=False)
    assert w["url"] == "http://hooks.example.test:8080/…" and w["url_set"] is True, w


def test_duplicate_name_conflict(api, hooks):
    a = hooks(active=False)
    b = hooks(active=False)
    expect_error(api.post(WEBHOOKS, json={"name": a["name"], "url": a["url"],
                                          "events": ["clicked"]}), 409, "conflict", "name")
    expect_error(api.put(f"{WEBHOOKS}/{b['id']}", json={"name": a["name"], "url": b["url"],
                                                         "events": ["clicked"]}),
                 409, "conflict", "name")
    assert expect(api.get(f"{WEBHOOKS}/{b['id']}"), 200)["name"] == b["name"]
    # PUT with its own name is no conflict
    expect(api.put(f"{WEBHOOKS}/{b['id']}", json={"name": b["name"], "url": b["url"],
                                                   "events": ["clicked"], "active": False}), 200)


def test_unknown_ids_and_bad_list_params(api):
    for wid in (999999, 0):
        r = api.get(f"{WEBHOOKS}/{wid}")
        assert r.status_code in (404, 422), describe(r)
    expect_error(api.get(f"{WEBHOOKS}/999999"), 404, "not_found")
    expect_error(api.get(f"{WEBHOOKS}/999999/deliveries"), 404, "not_found")
    expect_error(api.put(f"{WEBHOOKS}/999999", json={"name": "x", "url": "https://a.test/",
                                                      "events": ["opened"]}), 404, "not_found")
    expect_error(api.delete(f"{WEBHOOKS}/999999"), 404, "not_found")
    expect_error(api.get(WEBHOOKS, params={"limit": 0}), 422, "validation", "limit")
    expect_error(api.get(WEBHOOKS, params={"cursor": "garbage!"}), 422, "validation", "cursor")


def test_pagination(api, hooks):
    ids = [hooks(active=False)["id"] for _ in range(3)]
    first = expect(api.get(WEBHOOKS, params={"limit": 1}), 200)
    assert len(first["items"]) == 1 and first["next_cursor"], first
    all_ids = [w["id"] for w in list_all(api, WEBHOOKS, limit=1)]
    assert all_ids == sorted(all_ids) and set(ids) <= set(all_ids), all_ids


@pytest.mark.parametrize("role", ["viewer", "operator"])
def test_non_admin_roles_forbidden(api, hooks, role_keys, role_sessions, role):
    w = hooks(active=False)
    body = {"name": uniq("x"), "url": "https://hooks.example.test/", "events": ["opened"]}
    for c in (role_keys(role), role_sessions(role)):
        expect_error(c.get(WEBHOOKS), 403, "forbidden")
        expect_error(c.post(WEBHOOKS, json=body), 403, "forbidden")
        expect_error(c.get(f"{WEBHOOKS}/{w['id']}"), 403, "forbidden")
        expect_error(c.put(f"{WEBHOOKS}/{w['id']}", json=body), 403, "forbidden")
        expect_error(c.delete(f"{WEBHOOKS}/{w['id']}"), 403, "forbidden")
        expect_error(c.get(f"{WEBHOOKS}/{w['id']}/deliveries"), 403, "forbidden")
    assert expect(api.get(f"{WEBHOOKS}/{w['id']}"), 200)["name"] == w["name"]
    assert body["name"] not in [x["name"] for x in list_all(api, WEBHOOKS)]


def test_unauthenticated_401(server, hooks):
    w = hooks(active=False)
    c = server.client()
    expect_error(c.get(WEBHOOKS), 401, "unauthorized")
    expect_error(c.get(f"{WEBHOOKS}/{w['id']}/deliveries"), 401, "unauthorized")
    expect_error(c.post(WEBHOOKS, json={"name": "x", "url": "https://a.test/",
                                        "events": ["opened"]}), 401, "unauthorized")


@pytest.fixture(scope="module")
def other_ws(server):
    pw = random_password()
    email = f"{uniq('other')}@example.test"
    p = server.cli("user", "add", "--email", email, "--role", "admin", "--password", pw,
                   "--workspace", "Other")
    assert p.returncode == 0, (p.stdout, p.stderr)
    s = server.ready_session(email, pw)
    key = server.create_api_key(s, role="admin", name="other-key")
    return server.api(key["key"])


def test_other_workspace_is_404(api, hooks, other_ws):
    mine = hooks(active=False)
    theirs = expect(other_ws.post(WEBHOOKS, json={"name": mine["name"], "url": mine["url"],
                                                  "events": ["clicked"], "active": False}), 201)
    try:
        assert theirs["id"] != mine["id"]  # same name is fine in another workspace
        body = {"name": uniq("steal"), "url": "https://evil.example.test/", "events": ["opened"]}
        for actor, item in ((api, theirs), (other_ws, mine)):
            url = f"{WEBHOOKS}/{item['id']}"
            expect_error(actor.get(url), 404, "not_found")
            expect_error(actor.put(url, json=body), 404, "not_found")
            expect_error(actor.get(f"{url}/deliveries"), 404, "not_found")
            expect_error(actor.delete(url), 404, "not_found")
            assert item["id"] not in [w["id"] for w in list_all(actor, WEBHOOKS)]
        assert expect(api.get(f"{WEBHOOKS}/{mine['id']}"), 200) == mine
        assert expect(other_ws.get(f"{WEBHOOKS}/{theirs['id']}"), 200)["events"] == ["clicked"]
    finally:
        other_ws.delete(f"{WEBHOOKS}/{theirs['id']}")


# --------------------------------------------------------------------------- deliveries


def test_deliveries_signed_with_payloads_and_no_password(api, server, hooks, receivers):
    rx = receivers()
    secret = "known-" + random_password(26)
    w = hooks(url=rx.url, events=TRACKED, secret=secret)
    assert "secret" not in w, w
    page = make_page(api, capture="values")
    x = outbox_campaign(api, server, 1, page=page)
    cid = x["cid"]
    email, rid = next(iter(x["rids"].items()))
    rcpt = x["rcpts"][email]

    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    assert person.hit("click", rid).status_code == 200
    password = "Pw-" + random_password(24)
    r = person.hit("submit", rid, data={"username": "alice", "password": password})
    assert r.status_code == 200 and password not in r.text, r.status_code
    assert person.hit("report", rid).status_code == 204

    rx.wait_kinds(cid, TRACKED, timeout=15)
    wait_done(api, w["id"], cid, len(TRACKED))
    got = rx.for_campaign(cid)
    by_kind = {}
    for req in got:
        by_kind.setdefault(req["json"]["event"], []).append(req)
    assert sorted(by_kind) == sorted(TRACKED), {k: len(v) for k, v in by_kind.items()}
    assert all(len(v) == 1 for v in by_kind.values()), {k: len(v) for k, v in by_kind.items()}

    events = {e["kind"]: e for e in recipient_events(api, cid, rcpt["id"])}
    delivery_ids = set()
    for kind, [req] in by_kind.items():
        check_signed(req, secret)
        delivery_ids.add(int(req["headers"]["x-phishdrill-delivery"]))
        body = req["json"]
        assert set(body) == {"event", "at", "campaign_id", "recipient", "automated", "reason",
                             "suspect", "details"}, body
        assert body["event"] == kind and body["campaign_id"] == cid, body
        assert body["recipient"] == {"id": rcpt["id"], "email": email}, body
        assert body["automated"] is False, body
        assert RFC3339_UTC.match(body["at"]), body
        ev = events[kind]
        assert (body["at"], body["reason"], body["details"]) == \
            (ev["at"], ev["reason"], ev["details"]), (body, ev)
        assert isinstance(body["details"], dict), body
    assert len(delivery_ids) == len(TRACKED), delivery_ids
    assert by_kind["submitted"][0]["json"]["details"] == {
        "fields": ["username", "password"], "values": {"username": "alice"}}, by_kind["submitted"]

    # the password is in no request the receiver got (raw bytes, headers too)
    for req in rx.got():
        assert password.encode() not in req["body"], req["body"]
        assert password not in json.dumps(req["headers"]), req["headers"]

    # the delivery log: delivered on the first attempt, the same payload as sent
    items = {d["id"]: d for d in deliveries(api, w["id"])
             if d["payload"] and d["payload"].get("campaign_id") == cid}
    assert set(items) == delivery_ids, (sorted(items), sorted(delivery_ids))
    for req in got:
        d = items[int(req["headers"]["x-phishdrill-delivery"])]
        assert set(d) == {"id", "event", "state", "attempts", "last_status", "last_error",
                          "payload", "created_at", "delivered_at"}, d
        assert d["event"] == req["json"]["event"], (d, req["json"])
        assert d["state"] == "delivered" and d["attempts"] == 1, d
        assert d["last_status"] == 200 and d["last_error"] == "", d
        assert RFC3339_UTC.match(d["created_at"]) and RFC3339_UTC.match(d["delivered_at"]), d
        assert d["delivered_at"] >= d["created_at"], d
        assert d["payload"] == req["json"], (d["payload"], req["json"])
    r = api.get(f"{WEBHOOKS}/{w['id']}/deliveries", params={"limit": 500})
    assert r.status_code == 200 and password not in r.text and secret not in r.text


def test_signature_uses_generated_secret(api, server, hooks, receivers):
    rx = receivers()
    w = hooks(url=rx.url, events=["opened"], secret=None)
    secret = w["secret"]
    x = outbox_campaign(api, server, 1)
    rid = next(iter(x["rids"].values()))
    assert PhishClient(server.phish_url, source_ip=fresh_ip()).hit("pixel", rid).status_code == 200
    [req] = rx.wait_kinds(x["cid"], ["opened"])
    check_signed(req, secret)
    # a wrong secret does not verify
    t = SIG_RE.match(req["headers"]["x-phishdrill-signature"]).group(1)
    assert sign(secret + "x", t, req["body"]) != SIG_RE.match(
        req["headers"]["x-phishdrill-signature"]).group(2)


def test_retry_after_500_then_delivered(api, server, hooks, receivers):
    rx = receivers(fail_first=2)
    secret = "retry-" + random_password(20)
    w = hooks(url=rx.url, events=["opened"], secret=secret)
    x = outbox_campaign(api, server, 1)
    rid = next(iter(x["rids"].values()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    # attempts at ~0 s, ~+1 s, ~+3 s (base 1 s, doubling; whole-second scheduling)
    d = wait_delivery(api, w["id"], lambda d: d["state"] == "delivered", 15,
                      "delivery after two 500 answers")
    assert d["attempts"] == 3, d
    assert d["last_status"] == 200 and d["last_error"] == "" and d["delivered_at"], d
    assert d["event"] == "opened" and d["payload"]["campaign_id"] == x["cid"], d
    reqs = rx.got()
    assert len(reqs) == 3, [(r["headers"].get("x-phishdrill-delivery"), r["received"])
                            for r in reqs]
    assert {r["headers"]["x-phishdrill-delivery"] for r in reqs} == {str(d["id"])}
    assert len({r["body"] for r in reqs}) == 1, "the retried body changed"
    ts = [check_signed(r, secret) for r in reqs]
    assert ts == sorted(ts), ts
    # The server schedules in whole seconds: the 1st retry is due 1 s after the start of
    # the failed attempt's second, the 2nd 2 s after - so the second gap is over 1 s and
    # the whole span over 2 s (without the doubling it could be just over 1 s).
    gaps = [b["received"] - a["received"] for a, b in zip(reqs, reqs[1:])]
    assert gaps[1] >= 0.9 and sum(gaps) >= 1.9, gaps
    # a second open's delivery, due after anything left of the first, arrives
    assert person.hit("pixel", rid).status_code == 200
    wait_until(lambda: len({r["headers"]["x-phishdrill-delivery"] for r in rx.got()}) == 2, 10,
               "the second open's delivery")
    again = [r for r in rx.got() if r["headers"]["x-phishdrill-delivery"] == str(d["id"])]
    assert len(again) == 3, "delivered again after a 200"


def test_always_failing_stays_pending_with_attempts_increasing(api, server, hooks, receivers):
    rx = receivers(fail_always=True)
    w = hooks(url=rx.url, events=["clicked"])
    x = outbox_campaign(api, server, 1)
    rid = next(iter(x["rids"].values()))
    assert PhishClient(server.phish_url, source_ip=fresh_ip()).hit("click", rid).status_code == 200
    d1 = wait_delivery(api, w["id"], lambda d: d["attempts"] >= 1 and d["last_status"] == 500,
                       10, "a first failed attempt")
    assert d1["state"] == "pending" and d1["last_error"] == "HTTP 500", d1
    assert d1["delivered_at"] is None, d1
    d2 = wait_delivery(api, w["id"], lambda d: d["attempts"] >= 3, 12, "attempts >= 3")
    assert d2["id"] == d1["id"] and d2["attempts"] > d1["attempts"], (d1, d2)
    assert d2["state"] == "pending" and d2["last_status"] == 500, d2
    assert d2["last_error"] == "HTTP 500" and d2["delivered_at"] is None, d2
    assert len(deliveries(api, w["id"])) == 1
    assert len(rx.got()) >= 3


def test_connection_refused_is_retried(api, server, hooks):
    port = free_port()  # nothing listens there
    w = hooks(url=f"http://127.0.0.1:{port}/hook", events=["opened"])
    x = outbox_campaign(api, server, 1)
    rid = next(iter(x["rids"].values()))
    assert PhishClient(server.phish_url, source_ip=fresh_ip()).hit("pixel", rid).status_code == 200
    d = wait_delivery(api, w["id"], lambda d: d["attempts"] >= 2, 12, "two attempts")
    assert d["state"] == "pending" and d["delivered_at"] is None, d
    assert d["last_error"] and d["last_error"] != "HTTP 500", d


def test_inactive_webhook_gets_nothing(api, server, hooks, receivers):
    rx_off, rx_on = receivers(), receivers()
    off = hooks(url=rx_off.url, events=TRACKED, active=False)
    assert off["active"] is False
    hooks(url=rx_on.url, events=["opened", "clicked"])
    x = outbox_campaign(api, server, 1)
    cid, rid = x["cid"], next(iter(x["rids"].values()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    rx_on.wait_kinds(cid, ["opened"])
    # one statement makes the event's deliveries for every subscribed, active webhook
    assert deliveries(api, off["id"]) == []
    assert rx_off.got() == [], rx_off.got()

    # activated later: only events from then on
    body = {"name": off["name"], "url": off["url"], "events": TRACKED, "active": True}
    assert expect(api.put(f"{WEBHOOKS}/{off['id']}", json=body), 200)["active"] is True
    assert person.hit("click", rid).status_code == 200
    rx_off.wait_kinds(cid, ["clicked"])
    rx_on.wait_kinds(cid, ["clicked"])
    # an earlier open, had it been kept for later, would have been due (and posted) first
    assert [r["json"]["event"] for r in rx_off.for_campaign(cid)] == ["clicked"]
    assert [d["event"] for d in deliveries(api, off["id"])] == ["clicked"]

    # deactivated again: nothing more
    body["active"] = False
    expect(api.put(f"{WEBHOOKS}/{off['id']}", json=body), 200)
    assert person.hit("report", rid).status_code == 204
    assert person.hit("pixel", rid).status_code == 200  # after the report: rx_on gets it
    wait_until(lambda: [r["json"]["event"] for r in rx_on.for_campaign(cid)].count("opened") == 2,
               10, "the second open at the active webhook")
    assert [d["event"] for d in deliveries(api, off["id"])] == ["clicked"]
    assert [r["json"]["event"] for r in rx_off.for_campaign(cid)] == ["clicked"]


def test_unsubscribed_kinds_not_delivered(api, server, hooks, receivers):
    rx = receivers()
    w = hooks(url=rx.url, events=["reported"])
    page = make_page(api, capture="fields")
    x = outbox_campaign(api, server, 1, page=page)
    cid, rid = x["cid"], next(iter(x["rids"].values()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    assert person.hit("click", rid).status_code == 200
    assert person.hit("submit", rid, data={"username": "bob", "password": "x" * 12}).status_code \
        == 200
    assert person.hit("report", rid).status_code == 204
    rx.wait_kinds(cid, ["reported"])  # the other kinds' events came first
    assert [json.loads(r["body"])["event"] for r in rx.got()] == ["reported"], \
        [r["body"][:200] for r in rx.got()]
    assert [d["event"] for d in deliveries(api, w["id"])] == ["reported"]


def test_deleted_webhook_stops_delivering(api, server, hooks, receivers):
    rx, control = receivers(fail_always=True), receivers(fail_always=True)
    w = hooks(url=rx.url, events=["opened"])
    hooks(url=control.url, events=["opened"])  # the same retries, and never deleted
    x = outbox_campaign(api, server, 1)
    rid = next(iter(x["rids"].values()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    wait_until(lambda: rx.got(), 10, "a first (failing) attempt")
    assert api.delete(f"{WEBHOOKS}/{w['id']}").status_code == 204
    expect_error(api.get(f"{WEBHOOKS}/{w['id']}/deliveries"), 404, "not_found")
    n = len(rx.got())
    # The control's third attempt (~3 s after the first; 1 s, then 2 s later) is due after
    # the deleted one's second would have been (~1 s): by then that would have arrived.
    wait_until(lambda: len(control.got()) >= 3, 15, "the control webhook's third attempt")
    assert len(rx.got()) <= n + 1, "retries continued after the webhook was deleted"


def test_automated_hits_and_send_failures_are_delivered(api, server, hooks, receivers,
                                                        make_sink):
    rx = receivers()
    secret = "auto-" + random_password(20)
    hooks(url=rx.url, events=["sent", "send_failed", "opened"], secret=secret)
    dom = f"{uniq('d')}.example.test"
    sink = make_sink(reject_rcpt=[f"user0001@{dom}"])
    group = make_group(api, 2, dom=dom)
    profile = smtp_profile(api, sink)
    c = create_campaign(api, [make_template(api)["id"]], [group["id"]], profile["id"])
    launch(api, c["id"])
    s = wait_settled(api, c["id"], 20)
    assert (s["sent"], s["failed"]) == (1, 1), s
    got = rx.wait_kinds(c["id"], ["sent", "send_failed"])
    by_email = {r["json"]["recipient"]["email"]: r["json"] for r in got}
    assert by_email[f"user0000@{dom}"]["event"] == "sent", by_email
    failed = by_email[f"user0001@{dom}"]
    assert failed["event"] == "send_failed", failed
    for r in got:
        check_signed(r, secret)

    # an automated hit (HEAD on the pixel) is delivered too, flagged with its reason
    sent_rcpt = recipient_by_email(api, c["id"])[f"user0000@{dom}"]
    evs = recipient_events(api, c["id"], sent_rcpt["id"])
    assert [e["kind"] for e in evs] == ["sent"], evs
    msgs = [m for m in sink.messages() if m.rcpt_tos[0].lower() == f"user0000@{dom}"]
    rid = rid_of(message_parts(msgs[0].msg)["text/plain"])
    r = PhishClient(server.phish_url, source_ip=fresh_ip()).hit("pixel", rid, method="HEAD")
    assert r.status_code == 200, r.status_code
    [opened] = [r for r in rx.wait_kinds(c["id"], ["opened"]) if r["json"]["event"] == "opened"]
    check_signed(opened, secret)
    assert opened["json"]["automated"] is True and opened["json"]["reason"], opened["json"]
    assert opened["json"]["recipient"]["id"] == sent_rcpt["id"], opened["json"]
