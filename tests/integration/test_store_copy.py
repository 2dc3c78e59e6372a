"""`phishdrill store copy`: a single-node install on SQLite, filled through the API (a group,
a template, a page, a profile whose relay wants a password, a campaign sent to an SMTP sink
and a click), is stopped, copied into PostgreSQL, and started again on PostgreSQL with the same
data dir (so the same secret.key): everything reads back the same through the API, the profile
still sends (its password opened), and new rows and hits go on from there. The copy's output
names every table's row counts and the secret.key, never the database password; a second copy
into the now non-empty store is refused.

Runs in the PostgreSQL run of the suite (PHISHDRILL_TEST_STORE=postgres, with
PHISHDRILL_TEST_PG_URL): the source server is told to use its SQLite file, and the schema the
harness made for its data dir (Server.store_url) is the copy's target, which the second server
on the same data dir then uses.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

import pytest

from campaign_support import (CAMPAIGNS, GROUPS, PROFILES, TEMPLATES, create_campaign, events,
                              launch, make_group, make_template, recipients, smtp_profile,
                              summary, wait_settled, wait_summary)
from harness import Server, expect, list_all, page_body, random_password
from smtp_sink import SmtpSink
from tracking_support import HUMAN_ENV, PhishClient, fresh_ip, message_parts, rid_of

if not os.environ.get("PHISHDRILL_TEST_PG_URL"):
    pytest.skip("PHISHDRILL_TEST_PG_URL is unset: no PostgreSQL to copy into",
                allow_module_level=True)
if os.environ.get("PHISHDRILL_TEST_STORE") != "postgres":
    pytest.skip("runs in the PostgreSQL run of the suite (PHISHDRILL_TEST_STORE=postgres)",
                allow_module_level=True)

PAGES = "/api/v1/pages"
AUDIT = "/api/v1/audit-log"


def pg_password() -> str:
    return unquote(urlsplit(os.environ["PHISHDRILL_TEST_PG_URL"]).password or "")


def snapshot(api, cid: int) -> dict:
    """What the admin API shows of the install (lists without paging cursors)."""
    return {
        "groups": list_all(api, GROUPS),
        "members": list_all(api, f"{GROUPS}/{list_all(api, GROUPS)[0]['id']}/targets"),
        "templates": list_all(api, TEMPLATES),
        "pages": list_all(api, PAGES),
        "profiles": list_all(api, PROFILES),
        "campaign": expect(api.get(f"{CAMPAIGNS}/{cid}"), 200),
        "summary": summary(api, cid),
        "recipients": recipients(api, cid),
        "events": events(api, cid),
        "audit": list_all(api, AUDIT),
    }


def click_one(srv: Server, sink: SmtpSink, email: str) -> None:
    msgs = [m for m in sink.messages() if m.rcpt_tos[0].lower() == email]
    assert len(msgs) == 1, msgs
    rid = rid_of(message_parts(msgs[0].msg)["text/plain"])
    r = PhishClient(srv.phish_url, source_ip=fresh_ip()).hit("click", rid)
    assert r.status_code == 200, r.text[:300]


def copy(srv: Server, to: str, **kw):
    return srv.cli("store", "copy", "--from", f"sqlite:{srv.data_dir}/phishdrill.db", "--to", to,
                   **kw)


def test_sqlite_install_moves_to_postgres(make_sink):
    password = "relay-" + random_password(16)
    sink = make_sink(auth=f"mailer:{password}")
    # The source: SQLite (PHISHDRILL_STORE_URL removed); its store_url is the empty target.
    src = Server(name="pd-copy", extra_env={**HUMAN_ENV, "PHISHDRILL_STORE_URL": None})
    target = src.store_url
    assert target, "the harness made no PostgreSQL schema for the data dir"
    dst = None
    try:
        src.start()
        api = src.api()
        group = make_group(api, 3)
        tmpl = make_template(api)
        page = expect(api.post(PAGES, json=page_body()), 201)
        profile = smtp_profile(api, sink, username="mailer", password=password)
        c = create_campaign(api, [tmpl["id"]], [group["id"]], profile["id"], page_id=page["id"])
        cid = c["id"]
        launch(api, cid)
        assert wait_settled(api, cid, 30)["sent"] == 3
        click_one(src, sink, group["emails"][0])
        wait_summary(api, cid, lambda s: s["clicked"] == 1, 10, "clicked == 1")
        before = snapshot(api, cid)
        src.stop()
        assert (src.data_dir / "phishdrill.db").exists()

        r = copy(src, target)
        out = r.stdout + r.stderr
        assert r.returncode == 0, out
        assert pg_password() not in out and password not in out, out
        assert "secret.key" in r.stdout, r.stdout
        for table, rows in (("workspaces", 1), ("recipients", 3), ("sending_profiles", 1),
                            ("groups", 1), ("targets", 3)):
            assert any(line.split()[:3] == [table, str(rows), str(rows)]
                       for line in r.stdout.splitlines()), (table, r.stdout)

        dst = Server(name="pd-copy", data_dir=src.data_dir, extra_env=HUMAN_ENV)
        assert dst.store_url == target
        dst.api_key, dst.admin_password = src.api_key, src.admin_password
        dst.env["PHISHDRILL_INITIAL_API_KEY"] = src.api_key
        dst.env["PHISHDRILL_INITIAL_ADMIN_PASSWORD"] = src.admin_password
        dst.start()
        api = dst.api()
        assert snapshot(api, cid) == before

        # The profile still sends: its sealed password opened with the same secret.key.
        sent = expect(api.post(f"{PROFILES}/{profile['id']}/test",
                               json={"to": "check@example.test"}), 200)
        assert sent["result"] == "sent", sent
        # New rows get fresh ids, and the copied rids still track.
        g2 = make_group(api, 1)
        assert g2["id"] > group["id"], g2
        click_one(dst, sink, group["emails"][1])
        after = wait_summary(api, cid, lambda s: s["clicked"] == 2, 10, "clicked == 2")
        assert after["recipients"] == 3, after

        # A second copy finds the store in use and changes nothing.
        again = copy(dst, target)
        assert again.returncode == 1, again.stdout + again.stderr
        assert "not empty" in again.stderr, again.stderr
        assert pg_password() not in again.stdout + again.stderr
        assert summary(api, cid)["clicked"] == 2
    finally:
        if dst is not None:
            dst.stop()
        src.cleanup()


def test_bad_ends_are_refused_clearly():
    srv = Server(name="pd-copy-args", extra_env={"PHISHDRILL_STORE_URL": None})
    try:
        r = srv.cli("store", "copy", "--from", "postgres://a:b@h/db", "--to", "mysql://root:pw@h/x")
        assert r.returncode == 2, r.stdout + r.stderr
        assert "--from takes the SQLite file" in r.stderr and "--to takes a PostgreSQL URL" in \
            r.stderr, r.stderr
        assert "root:pw" not in r.stderr
        r = copy(srv, srv.store_url)  # never started: there is no SQLite file
        assert r.returncode == 1, r.stdout + r.stderr
        assert "no SQLite database file at" in r.stderr, r.stderr
        assert pg_password() not in r.stdout + r.stderr
        r = srv.cli("store", "copy", "--from", "x.db")
        assert r.returncode != 0 and "--to" in r.stderr, r.stderr
    finally:
        srv.cleanup()
