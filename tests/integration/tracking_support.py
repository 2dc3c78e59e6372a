"""Helpers shared by the hit-tracking tests (test_tracking.py, test_tracking_durability.py).

Phish-side requests go through PhishClient: a requests.Session with a realistic browser
User-Agent whose connections can be bound to a chosen loopback source address
(127.x.y.z - all of 127/8 is local on Linux). Each test that cares about the client IP
(the "same IP hit >= 5 recipients within 10 s" rule, event "ip") takes a fresh address
from fresh_ip(), so tests sharing one server never push each other over the burst rule.
"""

from __future__ import annotations

import itertools
import re
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from campaign_support import CAMPAIGNS, recipients
from harness import HTTP_TIMEOUT, expect, list_all, wait_until

BROWSER_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
              "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36")
# What that browser sends with every page it opens over plain http (no Sec-Fetch-* or
# client hints: those go to https and loopback origins only, and the tests' origin is
# http://127.0.0.1 — the classifier reads the campaign's http base URL).
BROWSER_HEADERS = {
    "Accept": ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
               "image/apng,*/*;q=0.8"),
    "Accept-Language": "en-US,en;q=0.9",
}
NOT_FOUND_BODY = b"404 page not found\n"
RID_RE = re.compile(r"[?&]rid=([A-Za-z0-9_-]+)")
HUMAN_ENV = {"PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS": "0"}

_ip_counter = itertools.count(1)


def fresh_ip() -> str:
    """A loopback address not handed out before in this process (127.23.x.y)."""
    n = next(_ip_counter)
    return f"127.23.{(n // 250) % 250}.{n % 250 + 2}"


class _SourceAdapter(HTTPAdapter):
    def __init__(self, source_ip: str, **kw):
        self.source_ip = source_ip
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source_ip, 0)
        return super().init_poolmanager(*args, **kw)


class PhishClient(requests.Session):
    """Session for the phish listener: browser UA, optional fixed source IP, keep-alive.

    hit(kind, rid) requests one tracking endpoint: kind in pixel, click, submit, report,
    decoy. Redirects are never followed (a 303 after a submit is the answer under test)."""

    PATHS = {"pixel": "/track", "click": "/", "submit": "/", "report": "/report", "decoy": "/r"}

    def __init__(self, base_url: str, source_ip: str | None = None, ua: str | None = BROWSER_UA):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.source_ip = source_ip
        if source_ip:
            self.mount("http://", _SourceAdapter(source_ip))
        if ua is None:
            self.headers.pop("User-Agent", None)
        else:
            self.headers["User-Agent"] = ua
            self.headers.update(BROWSER_HEADERS)

    def request(self, method, url, *args, **kwargs):
        if isinstance(url, str) and url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)

    def hit(self, kind: str, rid: str | None, method: str | None = None, **kw):
        path = self.PATHS[kind]
        if method is None:
            method = "POST" if kind == "submit" else "GET"
        params = kw.pop("params", None)
        if params is None:
            params = {} if rid is None else {"rid": rid}
        return self.request(method, path, params=params, **kw)


# --------------------------------------------------------------------------- messages


class HtmlScan(HTMLParser):
    """Collects <a>, <img> and <form>/<input> attributes of an HTML document."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[dict] = []
        self.images: list[dict] = []
        self.forms: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v if v is not None else "") for k, v in attrs}
        if tag == "a":
            self.links.append(a)
        elif tag == "img":
            self.images.append(a)
        elif tag == "form":
            a["inputs"] = []
            self.forms.append(a)
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)

    handle_startendtag = handle_starttag


def is_hidden(attrs: dict) -> bool:
    style = attrs.get("style", "").replace(" ", "").lower()
    return "display:none" in style


def message_parts(msg) -> dict[str, str]:
    out = {}
    for part in msg.walk():
        ct = part.get_content_type()
        if ct in ("text/plain", "text/html") and ct not in out:
            out[ct] = part.get_content()
    return out


def rid_of(text: str) -> str:
    m = RID_RE.search(text)
    assert m, f"no rid in {text[:500]!r}"
    return m.group(1)


def outbox_rids(data_dir: Path, emails, timeout: float = 30) -> dict[str, str]:
    """email -> rid for the given recipients, read from the .eml files in
    {data_dir}/outbox (bounded wait until every one of them has a file)."""
    outbox = Path(data_dir) / "outbox"
    want = {e.lower() for e in emails}
    out: dict[str, str] = {}
    seen: set[str] = set()

    def scan():
        if outbox.is_dir():
            for f in outbox.glob("*.eml"):
                if f.name in seen:
                    continue
                msg = message_from_bytes(f.read_bytes(), policy=policy.default)
                email = msg["To"].addresses[0].addr_spec.lower()
                seen.add(f.name)
                if email not in want:
                    continue
                rids = {rid_of(t) for t in message_parts(msg).values()}
                assert len(rids) == 1, (f.name, rids)
                assert email not in out or out[email] == rids.copy().pop(), (email, f.name)
                out[email] = rids.pop()
        return want <= set(out)

    wait_until(scan, timeout, f"outbox files for {len(want)} recipients in {outbox}")
    return out


# --------------------------------------------------------------------------- API views


def recipient_events(api, cid: int, recipient_id: int) -> list:
    evs = list_all(api, f"{CAMPAIGNS}/{cid}/events", params={"recipient_id": recipient_id})
    assert all(e["recipient_id"] == recipient_id for e in evs), evs
    return evs


def recipient_by_email(api, cid: int) -> dict[str, dict]:
    return {r["email"].lower(): r for r in recipients(api, cid)}


def recipient(api, cid: int, rid_id: int) -> dict:
    for r in recipients(api, cid):
        if r["id"] == rid_id:
            return r
    raise AssertionError(f"recipient {rid_id} not in campaign {cid}")


def classify(api, cid: int, event_id: int, automated):
    return api.post(f"{CAMPAIGNS}/{cid}/events/{event_id}/classification",
                    json={"automated": automated})


def funnel(summary: dict) -> tuple:
    return tuple(summary[k] for k in ("opened", "clicked", "submitted", "reported"))


def only(evs: list, kind: str) -> dict:
    got = [e for e in evs if e["kind"] == kind]
    assert len(got) == 1, (kind, evs)
    return got[0]


def get_template(api, tid: int) -> dict:
    return expect(api.get(f"/api/v1/templates/{tid}"), 200)
