"""Helpers shared by the campaign tests (test_campaigns.py, test_sending.py)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta, timezone

from harness import expect, list_all, uniq, wait_until

CAMPAIGNS = "/api/v1/campaigns"
PROFILES = "/api/v1/sending-profiles"
TEMPLATES = "/api/v1/templates"
GROUPS = "/api/v1/groups"
COUNT_KEYS = ("recipients", "queued", "sending", "sent", "failed", "cancelled")


def rfc3339(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(s: str) -> datetime:
    return datetime.fromisoformat(s.replace("Z", "+00:00"))


def utc_in(seconds: float) -> str:
    return rfc3339(datetime.now(timezone.utc) + timedelta(seconds=seconds))


def domain() -> str:
    return f"{secrets.token_hex(3)}.example.test"


def smtp_profile(api, sink, rate: int = 0, **over) -> dict:
    body = {"name": uniq("sink"), "kind": "smtp", "host": "127.0.0.1", "port": sink.port,
            "tls": "none", "username": "", "from": "Profile Sender <profile@sender.example.test>",
            "headers": [], "rate_per_minute": rate}
    body.update(over)
    return expect(api.post(PROFILES, json=body), 201)


def outbox_profile(api, **over) -> dict:
    body = {"name": uniq("outbox"), "kind": "outbox", "host": "", "port": 0, "tls": "none",
            "username": "", "from": "outbox@sender.example.test", "headers": [],
            "rate_per_minute": 0}
    body.update(over)
    return expect(api.post(PROFILES, json=body), 201)


def make_template(api, **over) -> dict:
    body = {"name": uniq("tmpl"), "subject": "Hello {{.FirstName}}",
            "html": '<p>Hi {{.FirstName}}</p><a href="{{.URL}}">open</a>{{.Tracker}}',
            "text": "Hi {{.FirstName}}, open {{.URL}}", "from": "IT Desk <it@desk.example.test>"}
    body.update(over)
    return expect(api.post(TEMPLATES, json=body), 201)


def make_group(api, n: int, dom: str | None = None, first=lambda i: f"First{i}") -> dict:
    dom = dom or domain()
    body = {"name": uniq("group"),
            "targets": [{"email": f"user{i:04d}@{dom}", "first_name": first(i),
                         "last_name": f"Last{i}", "position": "Clerk", "department": "Ops"}
                        for i in range(n)]}
    g = expect(api.post(GROUPS, json=body), 201)
    g["emails"] = [t["email"] for t in body["targets"]]
    g["targets"] = body["targets"]
    return g


def campaign_body(tids, gids, pid, **over) -> dict:
    b = {"name": uniq("camp"), "templates": [{"template_id": t} for t in tids],
         "group_ids": list(gids), "profile_id": pid}
    b.update(over)
    return b


def create_campaign(api, tids, gids, pid, **over) -> dict:
    return expect(api.post(CAMPAIGNS, json=campaign_body(tids, gids, pid, **over)), 201)


def launch(api, cid: int, body: dict | None = None) -> dict:
    if body is None:
        return expect(api.post(f"{CAMPAIGNS}/{cid}/launch"), 200)
    return expect(api.post(f"{CAMPAIGNS}/{cid}/launch", json=body), 200)


def summary(api, cid: int) -> dict:
    return expect(api.get(f"{CAMPAIGNS}/{cid}/summary"), 200)


def wait_summary(api, cid: int, cond, timeout: float, what: str = "condition",
                 interval: float = 0.2) -> dict:
    """Poll /summary until cond(summary) holds (bounded)."""
    last = None

    def reached():
        nonlocal last
        last = summary(api, cid)
        return last if cond(last) else None

    try:
        return wait_until(reached, timeout, what, interval)
    except AssertionError:
        raise AssertionError(f"campaign {cid}: {what} not reached within {timeout}s; "
                             f"last summary {last}") from None


def wait_settled(api, cid: int, timeout: float) -> dict:
    """Until nothing is queued or sending any more."""
    return wait_summary(api, cid, lambda s: s["recipients"] > 0 and s["queued"] == 0
                        and s["sending"] == 0, timeout, "queued == sending == 0")


def recipients(api, cid: int, limit: int = 500, **params) -> list:
    return list_all(api, f"{CAMPAIGNS}/{cid}/recipients", limit=limit, params=params)


def events(api, cid: int, limit: int = 500) -> list:
    return list_all(api, f"{CAMPAIGNS}/{cid}/events", limit=limit)


def stop_campaign(api, cid: int) -> None:
    """Best effort: cancel an active campaign (test cleanup)."""
    try:
        api.post(f"{CAMPAIGNS}/{cid}/cancel")
    except Exception:  # noqa: BLE001
        pass


def strip_brackets(mid: str) -> str:
    return mid.strip().strip("<>")
