"""The admin web app in a real browser (issue 6): tests/browser/admin_e2e.mjs drives
Debian's Chromium through playwright-core against the real server and a real SMTP
sink on loopback - log in (and change the forced password), import a CSV (row
errors first), create a template, a landing page and a sending profile, launch a
campaign, follow one recipient's link from the message the sink received, and
see the results page update without a reload. Every screen is screenshotted
(build/artifacts/browser/admin_e2e/) and checked with axe-core at 1280 and 390 px.

The server runs with PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS=0: the scenario's
person clicks seconds after delivery, which the default window would count as a
mail scanner.
"""

from __future__ import annotations

import pytest
import requests

from browser_support import artifacts_dir, desktop_ua, run_scenario
from harness import Server, expect, list_all, random_password, uniq
from training_support import module_tar

PEOPLE = 3


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-ui", extra_env={"PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS": "0"})
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


def test_spa_is_served_with_client_side_routes(server):
    r = requests.get(server.base_url + "/", timeout=10)
    assert r.status_code == 200 and "text/html" in r.headers["Content-Type"], r.text[:300]
    assert r.headers.get("Cache-Control") == "no-cache", dict(r.headers)
    assert '<div id="app">' in r.text and "/assets/" in r.text
    assert "<script>" not in r.text, "inline script: the CSP forbids it"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src" not in csp.replace("default-src", "")
    deep = requests.get(server.base_url + "/campaigns/42", timeout=10)
    assert deep.status_code == 200 and deep.text == r.text
    for path in ("/api/v1/nope", "/assets/missing-123.js", "/metrics/x", "/healthz/x"):
        miss = requests.get(server.base_url + path, timeout=10)
        assert miss.status_code == 404 and miss.json()["error"]["code"] == "not_found", path
    assert requests.post(server.base_url + "/campaigns", timeout=10).status_code == 404
    asset = r.text.split('src="', 1)[1].split('"', 1)[0]
    a = requests.get(server.base_url + asset, timeout=10)
    assert a.status_code == 200 and "javascript" in a.headers["Content-Type"]
    assert "immutable" in a.headers["Cache-Control"] and "max-age=31536000" in a.headers["Cache-Control"]
    assert "//fonts." not in a.text and "cdn." not in a.text  # everything bundled


def test_admin_ui_end_to_end(server, make_sink):
    sink = make_sink()
    admin = server.admin_session()
    # A new admin user: the first login in the browser must change the password.
    email = f"{uniq('ui')}@example.test"
    password = random_password(20)
    expect(admin.post("/api/v1/users", json={"email": email, "name": "UI Admin", "role": "admin",
                                             "password": password}), 201)
    dom = f"{uniq('ui')}.example.test"
    header = "Email,First Name,Last Name,Position,Department\n"
    good = "".join(f"person{i}@{dom},Person{i},Tester,Clerk,Ops\n" for i in range(PEOPLE))
    bad = good + "not-an-email,Bad,Row,Clerk,Ops\n"
    result = run_scenario("admin_e2e", {
        "base_url": server.base_url,
        "phish_url": server.phish_url,
        "desktop_ua": desktop_ua(),
        "email": email,
        "password": password,
        "new_password": random_password(20),
        "smtp_port": sink.port,
        "sink_dir": str(sink.dir),
        "group_name": uniq("Night shift"),
        "csv_bad": header + bad,
        "csv_good": header + good,
        "people": PEOPLE,
    })
    where = artifacts_dir("admin_e2e")
    assert result["violations"] == {}, f"axe serious/critical violations: {result['violations']}"
    assert result["problems"] == [], result["problems"]
    assert len(result["screens"]) >= 15, result["screens"]
    assert len(list(where.glob("*.png"))) >= 2 * len(result["screens"]), where
    assert result["clicked_before"] == "0", result
    # The click and the submission count for that person, as a human.
    camps = expect(admin.get("/api/v1/campaigns"), 200)["items"]
    summary = expect(admin.get(f"/api/v1/campaigns/{camps[-1]['id']}/summary"), 200)
    assert (summary["sent"], summary["clicked"], summary["submitted"], summary["reported"]) == \
        (PEOPLE, 1, 1, 1), summary
    print(f"admin_e2e: {len(result['screens'])} screens in {result['seconds']:.1f}s; screenshots in {where}")
    print("admin_e2e: seconds since start after each screen:", result.get("timings"))


EML = ("From: IT Helpdesk <helpdesk@corp.example.test>\r\nTo: someone@example.test\r\n"
       "Subject: Password expiry notice\r\nMIME-Version: 1.0\r\n"
       "Content-Type: text/html; charset=utf-8\r\n\r\n"
       "<p>Your password expires today.</p>"
       "<p><a href=\"https://corp.example.test/reset\">Keep my password</a></p>\r\n")


def test_admin_forms_field_errors_eml_window_keys(server, tmp_path):
    admin = server.admin_session()
    shared = f"{uniq('f')}@example.test"
    group = expect(admin.post("/api/v1/groups", json={"name": uniq("Forms group"), "targets": [
        {"email": shared, "first_name": "Fay"}]}), 201)
    # A second group with the same person and one more: a launch reaches 2 people, not 3.
    group2 = expect(admin.post("/api/v1/groups", json={"name": uniq("Forms overlap"), "targets": [
        {"email": shared, "first_name": "Fay"},
        {"email": f"{uniq('g')}@example.test", "first_name": "Gil"}]}), 201)
    profile = expect(admin.post("/api/v1/sending-profiles", json={
        "name": uniq("outbox"), "kind": "outbox", "from": "desk@example.test"}), 201)
    eml = tmp_path / "expiry.eml"
    eml.write_bytes(EML.encode())
    module_archive = tmp_path / "imported-module.tar"
    module_archive.write_bytes(module_tar("ui-imported-module"))
    result = run_scenario("admin_forms", {
        "base_url": server.base_url, "email": server.admin_email,
        "password": server.admin_password, "group_name": group["name"],
        "group2_name": group2["name"], "audience": 2, "eml_path": str(eml),
        "profile_name": profile["name"], "module_tar_path": str(module_archive),
    })
    assert result["violations"] == {}, f"axe serious/critical violations: {result['violations']}"
    assert result["problems"] == [], result["problems"]
    imported = expect(admin.get("/api/v1/training/modules/ui-imported-module"), 200)
    assert imported["title"] == "Imported ui-imported-module v1"
    print(f"admin_forms: {len(result['screens'])} screens in {result['seconds']:.1f}s")


def test_triage_inbox_and_mailbox_screens(server):
    """The triage inbox (clusters, a cluster, a report with its evidence and sandboxed
    rendering, verdicts, exports) and the reporting-mailbox screens, with axe-core on each
    (tests/browser/triage_e2e.mjs reports through the report button to seed them)."""
    result = run_scenario("triage_e2e", {
        "base_url": server.base_url, "phish_url": server.phish_url,
        "email": server.admin_email, "password": server.admin_password})
    assert result["violations"] == {}, f"axe serious/critical violations: {result['violations']}"
    assert result["problems"] == [], result["problems"]
    assert result["reports"] == "reported through the button", result


def test_simulation_library_screens(server):
    """The simulation library (tests/browser/library_e2e.mjs): the list with its search and
    filters kept in the address, one simulation with its sandboxed previews, red flags,
    Phish Scale cues and premise answers, "Use this simulation" landing on the new template,
    a name of one's own that is taken refused next to the field, and a viewer who may look
    but not use; axe-core on each screen."""
    admin = server.admin_session()
    u = server.create_user(admin, "viewer")
    viewer = server.ready_session(u["email"], u["password"])
    templates_before = len(list_all(admin, "/api/v1/templates"))
    result = run_scenario("library_e2e", {
        "base_url": server.base_url, "email": server.admin_email,
        "password": server.admin_password,
        "viewer_email": u["email"], "viewer_password": viewer.password})
    assert result["violations"] == {}, f"axe serious/critical violations: {result['violations']}"
    assert result["problems"] == [], result["problems"]
    assert result["viewer"] == "cannot use", result
    # The scenario used exactly one simulation (the second use, under a taken name, was refused).
    assert len(list_all(admin, "/api/v1/templates")) == templates_before + 1
    used = [e for e in list_all(admin, "/api/v1/audit-log") if e.get("action") == "library.use"]
    assert len(used) == 1, used
