"""Audit log: entries for writes and logins, actor, ip, order, access control."""

import json

import pytest

from harness import (RFC3339_UTC, expect, expect_error, group_body, list_all, random_password,
                     uniq)

A = "/api/v1/audit-log"


def _top_id(api):
    items = expect(api.get(A, params={"limit": 1}), 200)["items"]
    return items[0]["id"] if items else 0


def _since(api, top):
    out = []
    cursor = None
    while True:
        params = {"limit": 100} if cursor is None else {"limit": 100, "cursor": cursor}
        body = expect(api.get(A, params=params), 200)
        for e in body["items"]:
            if e["id"] <= top:
                return out
            out.append(e)
        cursor = body["next_cursor"]
        if cursor is None:
            return out


def _check_entry(e):
    assert set(e) >= {"id", "at", "actor", "action", "resource", "ip", "details"}, e
    assert RFC3339_UTC.match(e["at"]), e
    assert e["actor"]["kind"] in ("user", "api_key", "system"), e
    assert isinstance(e["action"], str) and e["action"], e


def test_group_writes_are_audited_newest_first(api, admin):
    top = _top_id(api)
    g = expect(api.post("/api/v1/groups", json=group_body(n_targets=2)), 201)
    expect(admin.put(f"/api/v1/groups/{g['id']}", json={"name": uniq("audited")}), 200)
    assert api.delete(f"/api/v1/groups/{g['id']}").status_code == 204
    new = _since(api, top)
    for e in new:
        _check_entry(e)
    mine = [e for e in new if e["resource"].get("type") == "group"
            and e["resource"].get("id") == g["id"]]
    assert len(mine) >= 3, new
    assert all("group" in e["action"] for e in mine), mine
    # newest first: delete, update, create
    assert "delete" in mine[0]["action"], mine
    assert "update" in mine[1]["action"], mine
    assert "create" in mine[-1]["action"], mine
    ids = [e["id"] for e in new]
    assert ids == sorted(ids, reverse=True), ids
    ats = [e["at"] for e in new]
    assert ats == sorted(ats, reverse=True), ats
    for e in mine:
        assert e["ip"] == "127.0.0.1", e
        assert isinstance(e["actor"]["label"], str) and e["actor"]["label"], e
    assert mine[0]["actor"]["kind"] == "api_key", mine[0]
    assert mine[-1]["actor"]["kind"] == "api_key", mine[-1]
    assert mine[1]["actor"]["kind"] == "user", mine[1]
    me = expect(admin.get("/api/v1/me"), 200)["user"]
    assert mine[1]["actor"]["id"] == me["id"], mine[1]


def test_other_writes_are_audited(api):
    for path, body in (("/api/v1/templates", {"name": uniq("t"), "subject": "s", "html": "<p>x</p>"}),
                       ("/api/v1/pages", {"name": uniq("p"), "html": "<p>x</p>"}),
                       ("/api/v1/sending-profiles", {"name": uniq("sp"), "kind": "outbox",
                                                     "from": "a@example.test"})):
        top = _top_id(api)
        item = expect(api.post(path, json=body), 201)
        new = _since(api, top)
        assert any(e["resource"].get("id") == item["id"] and "create" in e["action"]
                   for e in new), (path, new)
    top = _top_id(api)
    r = api.post("/api/v1/groups/import", params={"name": uniq("csv")},
                 data=f"email\n{uniq('a')}@example.test\n", headers={"Content-Type": "text/csv"})
    g = expect(r, 201)["group"]
    new = _since(api, top)
    assert any(e["resource"].get("id") == g["id"] for e in new), new


def test_failed_requests_are_not_audited_as_writes(api):
    top = _top_id(api)
    expect_error(api.post("/api/v1/groups", json={"name": 5}), 422)
    expect_error(api.delete("/api/v1/groups/987654"), 404)
    assert _since(api, top) == []


def test_logins_logout_and_password_change_audited_without_secrets(server, api):
    u = server.create_user(api, "viewer")
    wrong = "WrongPass-" + random_password()
    top = _top_id(api)
    _, r = server.login_raw(u["email"], wrong)
    expect_error(r, 401, "invalid_credentials")
    failed = _since(api, top)
    assert len(failed) >= 1, "failed login not audited"
    top = _top_id(api)
    s = server.login(u["email"], u["password"])
    login = _since(api, top)
    assert len(login) >= 1, "login not audited"
    assert login[0]["ip"] == "127.0.0.1"
    top = _top_id(api)
    new_pw = random_password()
    assert s.post("/api/v1/me/password", json={"current_password": u["password"],
                                               "new_password": new_pw}).status_code == 200
    assert len(_since(api, top)) >= 1, "password change not audited"
    s = server.login(u["email"], new_pw)
    top = _top_id(api)
    assert s.delete("/api/v1/session").status_code == 204
    assert len(_since(api, top)) >= 1, "logout not audited"
    dump = json.dumps(list_all(api, A))
    for secret in (wrong, u["password"], new_pw, server.admin_password, server.api_key,
                   s.csrf_token):
        assert secret not in dump, f"secret found in audit log: {secret[:6]}..."


def test_pagination_newest_first(api):
    for _ in range(3):
        expect(api.post("/api/v1/groups", json=group_body()), 201)
    first6 = [e["id"] for e in expect(api.get(A, params={"limit": 6}), 200)["items"]]
    paged, cursor = [], None
    while len(paged) < 6:
        params = {"limit": 2} if cursor is None else {"limit": 2, "cursor": cursor}
        body = expect(api.get(A, params=params), 200)
        paged += [e["id"] for e in body["items"]]
        cursor = body["next_cursor"]
        assert cursor is not None
    assert paged[:6] == first6, (paged, first6)
    assert first6 == sorted(first6, reverse=True)


@pytest.mark.parametrize("role", ["viewer", "operator"])
@pytest.mark.parametrize("kind", ["session", "key"])
def test_non_admin_forbidden(role_sessions, role_keys, role, kind):
    c = role_sessions(role) if kind == "session" else role_keys(role)
    expect_error(c.get(A), 403, "forbidden")


def test_anonymous_is_401(server):
    expect_error(server.client().get(A), 401, "unauthorized")


def test_user_and_key_creation_audited_without_secrets(server, api):
    top = _top_id(api)
    u = server.create_user(api, "viewer")
    k = server.create_api_key(api, role="viewer", name="audited-key")
    smtp = "SmtpAudit-" + random_password()
    expect(api.post("/api/v1/sending-profiles", json={
        "name": uniq("sp"), "kind": "smtp", "host": "smtp.example.test", "port": 25,
        "tls": "starttls", "username": "u", "password": smtp, "from": "a@example.test"}), 201)
    new = _since(api, top)
    assert len(new) >= 3, new
    dump = json.dumps(new)
    for secret in (u["password"], k["key"], smtp):
        assert secret not in dump, f"secret in audit details: {secret[:8]}..."
