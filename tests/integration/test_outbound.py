"""Outbound connections without an allow list: SMTP relays and webhooks may not
reach loopback, link-local or cloud-metadata addresses (webhooks not private
ranges either). Literal addresses are refused on save (422); names are checked
on the resolved address when connecting. This module's server runs without the
harness's loopback allow list."""

from __future__ import annotations

import json

import pytest

from campaign_support import (create_campaign, launch, make_group, make_template, outbox_profile,
                              wait_settled)
from harness import (LOOPBACK_ALLOW_ENV, Server, expect, expect_error, list_all, profile_body, uniq,
                     wait_until)
from listener_support import Listener
from tracking_support import HUMAN_ENV, PhishClient, fresh_ip, outbox_rids

SP = "/api/v1/sending-profiles"
WEBHOOKS = "/api/v1/webhooks"


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-outbound", extra_env=dict(HUMAN_ENV, **{LOOPBACK_ALLOW_ENV: None}))
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture
def trap():
    lst = Listener(banner=b"220 trap ESMTP\r\n", reply=b"250 ok\r\n")
    yield lst
    lst.close()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "[::1]", "::ffff:127.0.0.1",
                                  "2130706433", "0x7f.0.0.1", "0177.0.0.1", "0.0.0.0",
                                  "169.254.169.254", "100.100.100.200", "fe80::1"])
def test_literal_internal_smtp_host_refused_on_save(api, host):
    before = len(list_all(api, SP))
    err = expect_error(api.post(SP, json=profile_body(host=host, port=25, tls="none")), 422,
                       "validation", field="host")
    assert "[outbound] allow" in err["message"], err
    assert len(list_all(api, SP)) == before
    ok = expect(api.post(SP, json=profile_body()), 201)
    expect_error(api.put(f"{SP}/{ok['id']}", json=profile_body(ok["name"], host=host)), 422,
                 "validation", field="host")


def test_private_relay_is_allowed(api):
    p = expect(api.post(SP, json=profile_body(host="10.20.30.40")), 201)
    assert p["host"] == "10.20.30.40"


def test_loopback_name_refused_at_connect(api, trap):
    """`localhost` is a name: saved, but refused on the resolved address when "test"
    connects, and the listener behind it never sees a connection."""
    p = expect(api.post(SP, json=profile_body(host="localhost", port=trap.port, tls="none",
                                              username="")), 201)
    r = expect(api.post(f"{SP}/{p['id']}/test", json={"to": "x@example.test"}), 200)
    assert r["result"] == "permanent_failure" and r["smtp_code"] == 0, r
    assert "refused to connect to localhost" in r["reply"], r
    assert trap.connections_so_far() == 0 and trap.received == b""


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "http://[fd00:ec2::254]/latest",
    "http://127.0.0.1:8080/hook",
    "http://[::1]/hook",
    "http://2130706433/hook",
    "http://10.0.0.5/hook",          # private: fine for relays, not for webhooks
    "http://192.168.1.10/hook",
    "http://100.64.0.1/hook",
])
def test_internal_webhook_url_refused_on_save(api, url):
    err = expect_error(api.post(WEBHOOKS, json={"name": uniq("hook"), "url": url,
                                                "events": ["opened"]}), 422, "validation",
                       field="url")
    assert "[outbound] allow" in err["message"], err


def test_webhook_url_with_credentials_refused(api):
    expect_error(api.post(WEBHOOKS, json={"name": uniq("hook"),
                                          "url": "https://user:pw@hooks.example.test/in",
                                          "events": ["opened"]}), 422, "validation", field="url")


def test_localhost_webhook_refused_at_delivery(api, server, trap):
    w = expect(api.post(WEBHOOKS, json={"name": uniq("hook"),
                                        "url": f"http://localhost:{trap.port}/hook",
                                        "events": ["opened"]}), 201)
    assert w["url"] == f"http://localhost:{trap.port}/…", w
    group = make_group(api, 1)
    c = create_campaign(api, [make_template(api)["id"]], [group["id"]], outbox_profile(api)["id"])
    launch(api, c["id"])
    assert wait_settled(api, c["id"], 20)["sent"] == 1
    rid = next(iter(outbox_rids(server.data_dir, group["emails"], timeout=20).values()))
    assert PhishClient(server.phish_url, source_ip=fresh_ip()).hit("pixel", rid).status_code == 200

    def failed():
        items = expect(api.get(f"{WEBHOOKS}/{w['id']}/deliveries"), 200)["items"]
        return [d for d in items if d["state"] == "failed"]

    done = wait_until(failed, 30, "the delivery refused and marked failed")
    assert "refused to connect to localhost" in done[0]["last_error"], done
    assert done[0]["attempts"] == 1, done
    assert trap.connections_so_far() == 0 and trap.received == b""


def test_webhook_url_masked_in_answers_and_audit(api):
    token = "T0KEN-" + uniq("s")
    url = f"https://hooks.example.test/services/{token}?sig=abc"
    w = expect(api.post(WEBHOOKS, json={"name": uniq("hook"), "url": url,
                                        "events": ["opened"]}), 201)
    assert w["url"] == "https://hooks.example.test/…" and w["url_set"] is True, w
    got = expect(api.get(f"{WEBHOOKS}/{w['id']}"), 200)
    assert got["url"] == "https://hooks.example.test/…", got
    # An update without "url" keeps it; echoing the masked form keeps it too.
    expect(api.put(f"{WEBHOOKS}/{w['id']}", json={"name": w["name"], "events": ["clicked"]}), 200)
    expect(api.put(f"{WEBHOOKS}/{w['id']}", json={"name": w["name"], "url": got["url"],
                                                   "events": ["opened"]}), 200)
    new_token = "N3W-" + uniq("s")
    upd = expect(api.put(f"{WEBHOOKS}/{w['id']}", json={
        "name": w["name"], "url": f"https://other.example.test:8443/{new_token}",
        "events": ["opened"]}), 200)
    assert upd["url"] == "https://other.example.test:8443/…", upd
    texts = [json.dumps(list_all(api, WEBHOOKS)), json.dumps(list_all(api, "/api/v1/audit-log"))]
    for text in texts:
        assert token not in text and new_token not in text
    entries = sorted((e for e in list_all(api, "/api/v1/audit-log")
                      if e["resource"] == {"type": "webhook", "id": w["id"]}),
                     key=lambda e: e["id"])
    assert [e["details"]["url"] for e in entries] == [
        "https://hooks.example.test/…", "https://hooks.example.test/…",
        "https://hooks.example.test/…", "https://other.example.test:8443/…"], entries
