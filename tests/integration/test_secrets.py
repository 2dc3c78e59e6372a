"""Secrets never reach the data dir in clear: database, WAL/SHM, logs, stdout/stderr."""

import base64
import secrets
from pathlib import Path

from harness import expect, expect_error, profile_body, random_password, uniq


def _scan(data_dir: Path, needles: dict) -> list:
    hits = []
    for p in sorted(data_dir.rglob("*")):
        if not p.is_file():
            continue
        try:
            data = p.read_bytes()
        except OSError:
            continue
        for label, needle in needles.items():
            if needle in data:
                hits.append(f"{label} found in {p.relative_to(data_dir)}")
    return hits


def test_secrets_not_in_data_dir(make_server):
    s = make_server(extra_env={"PHISHDRILL_LOG_LEVEL": "debug"})
    initial_password = s.admin_password
    admin = s.admin_session()  # login with the admin password (+ change when required)
    needles = {"initial admin password": initial_password, "admin password": s.admin_password,
               "initial api key": s.api_key, "admin session cookie": admin.session_cookie()}

    smtp = "SmtpSecret-" + secrets.token_hex(12)
    needles["smtp password"] = smtp
    needles["smtp password (base64)"] = base64.b64encode(smtp.encode()).decode()
    p = expect(admin.post("/api/v1/sending-profiles", json=profile_body(password=smtp)), 201)
    assert p["has_password"] is True

    key_api = s.api()
    smtp2 = "SmtpSecret-" + secrets.token_hex(12)
    needles["smtp password 2"] = smtp2
    p2 = expect(key_api.post("/api/v1/sending-profiles", json=profile_body(password=smtp2)), 201)
    expect(key_api.put(f"/api/v1/sending-profiles/{p2['id']}",
                       json=profile_body(p2["name"], password=smtp2 + "-rotated")), 200)
    needles["smtp password 2 rotated"] = smtp2 + "-rotated"

    # A webhook URL carries the receiver's token: sealed like the other secrets.
    hook_token = "HookToken-" + secrets.token_hex(12)
    needles["webhook url token"] = hook_token
    expect(key_api.post("/api/v1/webhooks", json={
        "name": uniq("hook"), "url": f"https://hooks.example.test/in/{hook_token}",
        "events": ["opened"], "active": False}), 201)

    k = s.create_api_key(key_api, role="operator", name="secret-test")
    needles["created api key"] = k["key"]
    expect(s.api(k["key"]).get("/api/v1/groups"), 200)

    u = s.create_user(admin, "operator")
    needles["user initial password"] = u["password"]
    us = s.ready_session(u["email"], u["password"])
    needles["user new password"] = us.password
    needles["user session cookie"] = us.session_cookie()
    expect(us.post("/api/v1/groups", json={"name": uniq("g")}), 201)

    wrong = "WrongSecret-" + random_password()
    needles["wrong password typed at login"] = wrong
    _, r = s.login_raw(s.admin_email, wrong)
    expect_error(r, 401, "invalid_credentials")
    bad_key = "pd_" + secrets.token_urlsafe(32)
    needles["bogus api key presented"] = bad_key
    expect_error(s.api(bad_key).get("/api/v1/groups"), 401, "unauthorized")

    needles = {k: v.encode() for k, v in needles.items() if v}
    s.wait_logged()  # every request above is in the logs by now
    store_file = s.dump_store()
    running_hits = _scan(s.data_dir, needles)
    s.stop()
    s.dump_store()
    stopped_hits = _scan(s.data_dir, needles)
    files = sorted(str(p.relative_to(s.data_dir)) for p in s.data_dir.rglob("*") if p.is_file())
    assert any("phishdrill.log" in f for f in files), files
    # Positive control: the scan does read the database (the profile's name,
    # stored next to its sealed password, is found), so "no secret found"
    # cannot pass merely because nothing was read.
    control = _scan(s.data_dir, {"profile name": p2["name"].encode()})
    assert any(store_file in hit for hit in control), (control, files)
    assert not running_hits and not stopped_hits, (
        f"while running: {running_hits}\nafter stop: {stopped_hits}\nfiles: {files}")
