"""Reporting mailboxes against a real IMAP server (Dovecot, started by the test script):
every shape people report in (report_shapes.py) is taken in once — matched to its
simulation, triaged or refused with a reason — across a restart and, on PostgreSQL,
across two nodes; XOAUTH2; the report button; the triage API's verdicts, originals,
rendering and indicator exports; and the bad inputs of the mailbox settings."""

from __future__ import annotations

import os
from collections import Counter, defaultdict

import pytest
import requests

import report_shapes as shapes
from harness import Server, expect, expect_error, uniq, wait_until
from reporting_support import all_reports, launch_and_deliver, poll_now, reporting_env, \
    start_imap, stop_imap, wait_reports

ORG = "example.org"
MAILBOXES = "/api/v1/reporting/mailboxes"


@pytest.fixture(scope="module")
def imap():
    peer = start_imap()
    try:
        yield peer
    finally:
        stop_imap(peer)


@pytest.fixture(scope="module")
def node(imap):
    s = Server(name="pd-report", extra_env=reporting_env(imap)).start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def node_api(node):
    with node.api() as session:
        yield session


@pytest.fixture(scope="module")
def campaign(node_api, sink):
    """A campaign of 32 simulations delivered to people at ORG, and one alias."""
    camp, group, delivered = launch_and_deliver(node_api, sink, 32, ORG)
    targets = expect(node_api.get(f"/api/v1/groups/{group['id']}/targets?limit=100"), 200)["items"]
    by_email = {t["email"]: t["id"] for t in targets}
    alias = "home.address@private.example"
    primary = delivered[0].address
    saved = expect(node_api.put(f"/api/v1/targets/{by_email[primary]}/aliases",
                                json={"aliases": [alias, primary]}), 200)
    assert saved["aliases"] == [alias]  # the person's own address is theirs already
    return {"campaign": camp, "delivered": delivered, "aliases": {alias: primary},
            "targets": by_email}


def context(campaign, node):
    return shapes.ShapeContext(
        base_url=node.phish_url,
        simulations=[(d.rid, d.address, d.message_id) for d in campaign["delivered"]],
        aliases=campaign["aliases"], reporting_address="reports@example.org", org_domain=ORG)


def reported_addresses(api, campaign_id: int) -> set[str]:
    rows = expect(api.get(f"/api/v1/campaigns/{campaign_id}/recipients",
                          params={"result": "reported", "limit": 500}), 200)["items"]
    return {r["email"] for r in rows}


def test_every_report_shape_is_matched_triaged_or_refused_once(node, node_api, imap, campaign):
    cases = shapes.all_shapes(context(campaign, node), include_large=False)
    assert len(cases) >= 30
    folder = imap.folder()
    shapes.append_to_imap("127.0.0.1", imap.port, imap.user, imap.password, imap.ca,
                          [raw for _, raw, _ in cases], folder=folder)
    mailbox = expect(node_api.post(MAILBOXES, json=imap.mailbox_body(folder)), 201)
    poll_now(node_api, mailbox["id"])
    total = sum(e["report_count"] for _, _, e in cases)
    reports = wait_reports(node_api, total)
    # Nothing more arrives once every message was taken in: nothing taken in twice.
    wait_until(lambda: expect(node_api.get(f"{MAILBOXES}/{mailbox['id']}"), 200)
               ["last_polled_at"], 30, "a finished poll")
    assert len(all_reports(node_api)) == total

    by_reporter = defaultdict(list)
    for r in reports:
        by_reporter[r["reporter"]].append(r)
    clusters = defaultdict(set)
    for name, _, e in cases:
        if e["outcome"] == "duplicate" or e["reporter"] is None:
            continue
        mine = by_reporter[e["reporter"].lower()]
        assert mine, f"{name}: no report from {e['reporter']}"
        status = {"simulation": "simulation", "simulation_other": "simulation",
                  "triage": "triage", "refused": "refused"}[e["outcome"]]
        matching = [r for r in mine if r["status"] == status and
                    (not e["message_id"] or r["message_id"] == e["message_id"])]
        assert matching, f"{name}: expected {status}, got {[(r['status'], r['note']) for r in mine]}"
        if e["refusal_contains"]:
            assert any(e["refusal_contains"].lower() in r["note"].lower() for r in matching), \
                f"{name}: refusal notes {[r['note'] for r in matching]}"
        if e["outcome"] == "simulation":
            assert any(r["recipient_id"] and r["seconds_to_report"] is not None
                       for r in matching), f"{name}: not credited {matching}"
        if e["cluster"]:
            clusters[e["cluster"]].update(r["cluster_id"] for r in matching)
    for name, ids in clusters.items():
        assert len(ids) == 1, f"cluster {name} split into {ids}"
    biggest = max(expect(node_api.get("/api/v1/triage/clusters"), 200)["items"],
                  key=lambda c: c["report_count"])
    assert biggest["report_count"] >= 20
    assert biggest["suggested_verdict"] in ("spam", "threat")

    credited = {e["credited_address"] for _, _, e in cases if e["outcome"] == "simulation"}
    assert reported_addresses(node_api, campaign["campaign"]["id"]) == credited
    summary = expect(node_api.get(f"/api/v1/campaigns/{campaign['campaign']['id']}/summary"), 200)
    assert summary["reported"] == len(credited)
    assert summary["median_seconds_to_report"] is not None
    assert 0 <= summary["median_seconds_to_report"] < 3600
    # Every message was marked on the server after its report was recorded.
    assert imap.flags(folder).count("$PhishdrillDone") == len(cases)


def test_a_restart_takes_in_only_what_arrived_meanwhile(node, imap):
    api = node.api()
    folder = imap.folder()
    phish = [shapes.real_phish(f"billing{i}@invoices.example.net", "Billing", f"Invoice {i}",
                               links=[("https://invoices.example.net/pay", "View invoice")])
             for i in range(4)]
    reports = [shapes.forward_as_attachment(p, f"restart{i}@{ORG}", "reports@example.org")
               for i, p in enumerate(phish)]
    shapes.append_to_imap("127.0.0.1", imap.port, imap.user, imap.password, imap.ca,
                          reports[:2], folder=folder)
    mailbox = expect(api.post(MAILBOXES, json=imap.mailbox_body(folder)), 201)
    before = len(all_reports(api))
    poll_now(api, mailbox["id"])
    wait_reports(api, before + 2)
    node.stop()
    shapes.append_to_imap("127.0.0.1", imap.port, imap.user, imap.password, imap.ca,
                          reports[2:], folder=folder)
    node.start()
    api = node.api()
    poll_now(api, mailbox["id"])
    got = wait_reports(api, before + 4)
    mine = [r for r in got if r["reporter"].startswith("restart")]
    assert Counter(r["reporter"] for r in mine) == {f"restart{i}@{ORG}": 1 for i in range(4)}


@pytest.mark.skipif(os.environ.get("PHISHDRILL_TEST_STORE") != "postgres",
                    reason="several nodes share a PostgreSQL store only")
def test_two_nodes_take_each_message_in_once(node, imap):
    api = node.api()
    # The second node shares the first one's store and secret key.
    second = Server(name="pd-report-2", extra_env={**reporting_env(imap),
                                                    "PHISHDRILL_STORE_URL": node.store_url})
    second.data_dir.mkdir(parents=True, exist_ok=True)
    (second.data_dir / "secret.key").write_bytes((node.data_dir / "secret.key").read_bytes())
    os.chmod(second.data_dir / "secret.key", 0o600)
    second.start()
    try:
        folder = imap.folder()
        reports = [shapes.forward_as_attachment(
            shapes.real_phish("hr@benefits-portal.example.net", "HR", f"Enrolment {i}",
                              links=[("https://benefits-portal.example.net/", "Enrol")]),
            f"twonodes{i}@{ORG}", "reports@example.org") for i in range(20)]
        shapes.append_to_imap("127.0.0.1", imap.port, imap.user, imap.password, imap.ca,
                              reports, folder=folder)
        before = len(all_reports(api))
        mailbox = expect(api.post(MAILBOXES, json=imap.mailbox_body(folder)), 201)
        poll_now(api, mailbox["id"])
        got = wait_reports(api, before + 20)
        mine = Counter(r["reporter"] for r in got if r["reporter"].startswith("twonodes"))
        assert len(mine) == 20 and set(mine.values()) == {1}
    finally:
        second.cleanup()


def test_a_20_mb_report_is_read(node, imap, campaign):
    api = node.api()
    folder = imap.folder()
    phish = shapes.real_phish("docs@share-files.example.net", "Document share", "Large scan",
                              links=[("https://share-files.example.net/d/1", "Open")])
    big = shapes.large_report(phish, f"bigfile@{ORG}", "reports@example.org", size_mb=20)
    assert len(big) > 19 * 2**20
    shapes.append_to_imap("127.0.0.1", imap.port, imap.user, imap.password, imap.ca, [big],
                          folder=folder)
    before = len(all_reports(api))
    mailbox = expect(api.post(MAILBOXES, json=imap.mailbox_body(folder)), 201)
    poll_now(api, mailbox["id"])
    got = wait_reports(api, before + 1, timeout=120)
    (mine,) = [r for r in got if r["reporter"] == f"bigfile@{ORG}"]
    assert mine["status"] == "triage" and mine["subject"] == "Large scan"


def test_xoauth2_and_a_wrong_password_are_told_apart(node_api, imap):
    folder = imap.folder()
    oauth = expect(node_api.post(MAILBOXES, json=imap.mailbox_body(
        folder, auth="xoauth2", secret=imap.token)), 201)
    ok = expect(node_api.post(f"{MAILBOXES}/{oauth['id']}/test"), 200)
    assert ok["ok"] is True and ok["uid_validity"] > 0
    wrong = expect(node_api.post(MAILBOXES, json=imap.mailbox_body(folder, secret="nope")), 201)
    refused = expect(node_api.post(f"{MAILBOXES}/{wrong['id']}/test"), 200)
    assert refused["ok"] is False and refused["field"] == "secret"
    assert "login" in refused["error"] and imap.password not in refused["error"]
    listed = expect(node_api.get(f"{MAILBOXES}/{wrong['id']}"), 200)
    assert "secret" not in listed and listed["has_secret"] is True


def test_a_kept_secret_never_follows_a_changed_server(node_api, imap):
    created = expect(node_api.post(MAILBOXES, json=imap.mailbox_body(imap.folder())), 201)
    moved = imap.mailbox_body(created["folder"], name=created["name"], host="mail.example.net")
    moved.pop("secret")
    expect_error(node_api.put(f"{MAILBOXES}/{created['id']}", json=moved), 422, field="secret")
    moved["secret"] = ""
    expect_error(node_api.put(f"{MAILBOXES}/{created['id']}", json=moved), 422, field="secret")


@pytest.mark.parametrize("over, field", [
    ({"port": 0}, "port"), ({"port": 70000}, "port"), ({"port": 2**40}, "port"),
    ({"tls": "none"}, "tls"), ({"auth": "kerberos"}, "auth"), ({"after": "move"}, "done_folder"),
    ({"poll_seconds": 5}, "poll_seconds"), ({"host": "imap.example.org:993"}, "host"),
    ({"folder": "Reports\r\nA1 LOGOUT"}, "folder"), ({"name": ""}, "name"),
    ({"name": "<b>x</b>" * 40}, "name"), ({"host": "127.0.0.1", "colour": "red"}, "colour"),
])
def test_bad_mailbox_settings_are_refused_by_field(node_api, imap, over, field):
    body = {**imap.mailbox_body("INBOX"), **over}
    expect_error(node_api.post(MAILBOXES, json=body), 422, field=field)


def test_triage_verdicts_originals_rendering_and_exports(node, node_api, imap):
    phish = shapes.real_phish("payroll@paycheck-update.example.net", "Payroll",
                              "Update your bank details",
                              links=[("https://paycheck-update.example.net/login",
                                      f"https://intranet.{ORG}/payroll")],
                              attachments=[("remit.html", "text/html",
                                            b"<script>alert(1)</script>")])
    token_url = expect(node_api.get("/api/v1/reporting/button"), 200)["manifest_url"]
    report_url = token_url.replace("manifest.xml", "report")
    answer = requests.post(report_url, data=phish, timeout=30,
                           headers={"Content-Type": "message/rfc822",
                                    "X-Phishdrill-Reporter": f"triage.tester@{ORG}"})
    assert answer.status_code == 200 and answer.json()["outcome"] == "triage"
    again = requests.post(report_url, data=phish, timeout=30,
                          headers={"X-Phishdrill-Reporter": f"triage.tester@{ORG}"})
    assert again.json()["outcome"] == "duplicate"
    forged = requests.post(report_url.replace("/addin/", "/addin/9") , data=phish, timeout=30)
    assert forged.status_code == 404
    (report,) = [r for r in all_reports(node_api) if r["reporter"] == f"triage.tester@{ORG}"]
    full = expect(node_api.get(f"/api/v1/triage/reports/{report['id']}"), 200)
    codes = {f["code"] for f in full["evidence"]["findings"]}
    assert {"link_text_mismatch", "spf_fail", "dmarc_fail"} <= codes, codes
    assert full["evidence"]["attachments"][0]["sha256"]

    original = node_api.get(f"/api/v1/triage/reports/{report['id']}/original")
    assert original.status_code == 200 and original.content == phish
    assert original.headers["Content-Disposition"].startswith("attachment")
    rendering = node_api.get(f"/api/v1/triage/reports/{report['id']}/rendering")
    assert rendering.status_code == 200
    assert "default-src 'none'" in rendering.headers["Content-Security-Policy"]
    assert "paycheck-update.example.net" not in rendering.text.split("href")[-1] or \
        'href="#"' in rendering.text

    expect_error(node_api.put(f"/api/v1/triage/clusters/{report['cluster_id']}/verdict",
                              json={"verdict": "bad"}), 422, field="verdict")
    expect_error(node_api.put("/api/v1/triage/clusters/999999/verdict",
                              json={"verdict": "threat"}), 404)
    decided = expect(node_api.put(f"/api/v1/triage/clusters/{report['cluster_id']}/verdict",
                                  json={"verdict": "threat", "note": "credential phish"}), 200)
    assert decided["verdict"] == "threat"
    assert expect(node_api.get(f"/api/v1/triage/reports/{report['id']}"), 200)["verdict"] == \
        "threat"
    csv = node_api.get("/api/v1/triage/indicators", params={"format": "csv"})
    assert "paycheck-update.example.net" in csv.text
    stix = node_api.get("/api/v1/triage/indicators", params={"format": "stix"}).json()
    assert stix["type"] == "bundle"
    assert any("paycheck-update.example.net" in o["pattern"] for o in stix["objects"])


def test_the_triage_inbox_is_for_operators(node, node_api):
    viewer = node.user_session(node_api, "viewer")
    expect_error(viewer.get("/api/v1/triage/reports"), 403)
    expect_error(viewer.post(MAILBOXES, json={"name": "x"}), 403)
    operator = node.user_session(node_api, "operator")
    expect(operator.get("/api/v1/triage/reports"), 200)
    expect_error(operator.post(MAILBOXES, json={"name": "x"}), 403)
    expect_error(node_api.get("/api/v1/triage/reports/999999"), 404)
    expect_error(node_api.get("/api/v1/triage/reports", params={"status": "nope"}), 422,
                 field="status")
