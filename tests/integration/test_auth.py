"""Authentication, sessions, CSRF, roles, users, API keys and workspace isolation."""

import base64
import json
import secrets
import socket
import time

import pytest
import requests

from harness import (RESOURCES, ApiSession, expect, expect_error, group_body, list_all,
                     page_body, profile_body, random_password, template_body, uniq, wait_until)
from training_support import audit_since, audit_top, db_write

EML = ("From: IT <it@example.test>\r\nTo: a@example.test\r\nSubject: Hi\r\n"
       "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
       '<p>Hi <a href="https://example.test/x">x</a></p>\r\n')


# --------------------------------------------------------------------------- credentials

def test_no_credentials_is_401(server):
    c = server.client()
    for path in ("/api/v1/groups", "/api/v1/me", "/api/v1/templates", "/api/v1/users"):
        expect_error(c.get(path), 401, "unauthorized")
    expect_error(c.post("/api/v1/groups", json=group_body()), 401, "unauthorized")


@pytest.mark.parametrize("auth", [
    "Bearer pd_" + "A" * 43,
    "Bearer pd_" + secrets.token_urlsafe(32),
    "Bearer not-a-key",
    "Bearer ",
    "Basic " + base64.b64encode(b"admin@example.test:whatever").decode(),
])
def test_bogus_bearer_is_401(server, auth):
    c = server.client()
    expect_error(c.get("/api/v1/groups", headers={"Authorization": auth}), 401, "unauthorized")


def test_garbage_session_cookie_is_401(server):
    for value in ("garbage", secrets.token_urlsafe(32), "a" * 400, ""):
        r = requests.get(server.base_url + "/api/v1/me", headers={"Cookie": f"pd_session={value}"},
                         timeout=10)
        expect_error(r, 401, "unauthorized")


def test_api_key_me_has_null_csrf_and_workspace(api, server):
    me = expect(api.get("/api/v1/me"), 200)
    assert me["user"]["email"] == server.admin_email
    assert me["user"]["role"] == "admin"
    assert me["csrf_token"] is None
    assert me["workspace"]["name"] == "Default" and isinstance(me["workspace"]["id"], int)


# --------------------------------------------------------------------------- login

def test_login_sets_strict_httponly_cookie(server, admin):
    s = ApiSession(server.base_url)
    r = s.post("/api/v1/session", json={"email": server.admin_email,
                                        "password": server.admin_password})
    body = expect(r, 200)
    assert body["user"]["email"] == server.admin_email
    assert body["user"]["role"] == "admin"
    assert "password" not in body["user"] and "password_hash" not in body["user"]
    assert isinstance(body["csrf_token"], str) and len(body["csrf_token"]) >= 16
    cookie = r.headers.get("Set-Cookie", "")
    assert cookie.startswith("pd_session="), cookie
    attrs = [a.strip().lower() for a in cookie.split(";")]
    assert "httponly" in attrs, cookie
    assert "samesite=strict" in attrs, cookie
    assert "path=/" in attrs, cookie
    me = expect(s.get("/api/v1/me"), 200)
    assert me["csrf_token"] == body["csrf_token"]
    assert me["user"]["email"] == server.admin_email


def test_wrong_password_and_unknown_email_are_401(server, admin):
    _, r = server.login_raw(server.admin_email, "wrong-" + random_password())
    expect_error(r, 401, "invalid_credentials")
    _, r = server.login_raw("nobody@example.test", "wrong-" + random_password())
    expect_error(r, 401, "invalid_credentials")
    # Malformed login bodies are not a 500.
    r = server.client().post("/api/v1/session", json={"email": server.admin_email})
    assert r.status_code in (400, 401, 422), r.text


def test_lockout_after_failures_then_recovers(make_server):
    s = make_server(extra_env={"PHISHDRILL_SECURITY_LOGIN_MAX_FAILURES": "3",
                               "PHISHDRILL_SECURITY_LOCKOUT_SECONDS": "2"})
    admin_api = s.api()
    other = s.create_user(admin_api, "viewer")
    for i in range(3):
        failed = time.time()
        _, r = s.login_raw(s.admin_email, f"wrong-password-{i}-xyz")
        expect_error(r, 401, "invalid_credentials")
    asked = time.time()
    _, r = s.login_raw(s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")
    ra = r.headers.get("Retry-After")
    assert ra is not None and ra.strip().isdigit(), dict(r.headers)
    assert 1 <= int(ra) <= 3, ra
    # The lockout is per account: another user still logs in.
    _, r2 = s.login_raw(other["email"], other["password"])
    expect(r2, 200)

    def signed_in():  # attempts while locked out are answered 429 and not counted
        _, r = s.login_raw(s.admin_email, s.admin_password)
        if r.status_code == 429:
            return None
        expect(r, 200)
        return time.time()

    at = wait_until(signed_in, int(ra) + 5, "the end of the lockout", interval=0.2)
    # The server counts whole seconds: the 2 s lock ends 1 to 2 s after the third failure,
    # and at most a second before Retry-After (counted from the 429's second) has passed.
    assert at - failed > 1 and at - asked > int(ra) - 1, (at - failed, at - asked, ra)
    sess = s.login(s.admin_email, s.admin_password)
    expect(sess.get("/api/v1/me"), 200)


def test_parallel_guesses_cannot_slip_past_the_lockout(make_server):
    # Eight wrong guesses at once against an account allowed five: every
    # attempt is counted before its (slow) password check, so the account is
    # locked afterwards even though the guesses overlapped.
    import concurrent.futures
    s = make_server(extra_env={"PHISHDRILL_SECURITY_LOGIN_MAX_FAILURES": "5",
                               "PHISHDRILL_SECURITY_IP_MAX_FAILURES": "1000",
                               "PHISHDRILL_ADMIN_THREADS": "8"})
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(
            lambda i: s.login_raw(s.admin_email, f"wrong-guess-{i}-xyz")[1].status_code,
            range(8)))
    assert all(code in (401, 429) for code in statuses), statuses
    _, r = s.login_raw(s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")


def test_logout_revokes_session(server, admin):
    s = server.login(server.admin_email, server.admin_password)
    cookie = s.session_cookie()
    expect(s.get("/api/v1/me"), 200)
    # Logout is an unsafe method: without the CSRF header it is refused.
    expect_error(s.delete("/api/v1/session", csrf=False), 403, "csrf")
    expect(s.get("/api/v1/me"), 200)
    r = s.delete("/api/v1/session")
    assert r.status_code == 204, r.text
    expect_error(s.get("/api/v1/me"), 401, "unauthorized")
    # Replaying the old cookie value must not work either (revoked server-side).
    r = requests.get(server.base_url + "/api/v1/me", headers={"Cookie": f"pd_session={cookie}"},
                     timeout=10)
    expect_error(r, 401, "unauthorized")


def test_csrf_required_for_cookie_sessions(server, admin, api):
    before = {g["name"] for g in list_all(api, "/api/v1/groups")}
    body = group_body()
    expect_error(admin.post("/api/v1/groups", json=body, csrf=False), 403, "csrf")
    expect_error(admin.post("/api/v1/groups", json=body, headers={"X-CSRF-Token": "wrong"}),
                 403, "csrf")
    other = server.login(server.admin_email, server.admin_password)
    assert other.csrf_token != admin.csrf_token
    # A token from another session is not this session's token.
    expect_error(admin.post("/api/v1/groups", json=body,
                            headers={"X-CSRF-Token": other.csrf_token}), 403, "csrf")
    assert {g["name"] for g in list_all(api, "/api/v1/groups")} == before
    g = expect(admin.post("/api/v1/groups", json=body), 201)
    expect_error(admin.put(f"/api/v1/groups/{g['id']}", json={"name": uniq("n")}, csrf=False),
                 403, "csrf")
    expect_error(admin.delete(f"/api/v1/groups/{g['id']}", csrf=False), 403, "csrf")
    assert expect(api.get(f"/api/v1/groups/{g['id']}"), 200)["name"] == body["name"]
    # GET needs no token; API keys need none either.
    expect(admin.get("/api/v1/groups", csrf=False), 200)
    expect(api.delete(f"/api/v1/groups/{g['id']}"), 204)


# --------------------------------------------------------------------------- password change

def test_forced_password_change(server, api):
    u = server.create_user(api, "operator")
    s = server.login(u["email"], u["password"])
    assert s.user["must_change_password"] is True
    expect_error(s.get("/api/v1/groups"), 403, "password_change_required")
    expect_error(s.post("/api/v1/groups", json=group_body()), 403, "password_change_required")
    me = expect(s.get("/api/v1/me"), 200)
    assert me["user"]["must_change_password"] is True
    pw = "/api/v1/me/password"
    expect_error(s.post(pw, json={"current_password": u["password"], "new_password": "short1"}),
                 422, "validation")
    expect_error(s.post(pw, json={"current_password": u["password"], "new_password": u["email"]}),
                 422, "validation")
    expect_error(s.post(pw, json={"current_password": "not-the-password-1",
                                  "new_password": random_password()}),
                 422, "validation", field="current_password")
    expect_error(s.post(pw, json={"current_password": u["password"],
                                  "new_password": random_password()}, csrf=False), 403, "csrf")
    # Logging out is allowed before the change.
    s_extra = server.login(u["email"], u["password"])
    assert s_extra.delete("/api/v1/session").status_code == 204
    new = random_password()
    r = s.post(pw, json={"current_password": u["password"], "new_password": new})
    assert r.status_code == 200, r.text
    # The caller carries on with the new session the answer handed over.
    s.csrf_token = r.json()["csrf_token"]
    expect(s.get("/api/v1/groups"), 200)
    expect(s.post("/api/v1/groups", json=group_body()), 201)
    _, r = server.login_raw(u["email"], u["password"])
    expect_error(r, 401, "invalid_credentials")
    s2 = server.login(u["email"], new)
    assert s2.user["must_change_password"] is False
    expect(s2.get("/api/v1/groups"), 200)


# --------------------------------------------------------------------------- roles

def _seed(api):
    """One item of each kind, owned by the admin, for role checks."""
    g = expect(api.post("/api/v1/groups", json=group_body(n_targets=1)), 201)
    t = list_all(api, f"/api/v1/groups/{g['id']}/targets")[0]
    tm = expect(api.post("/api/v1/templates", json=template_body()), 201)
    p = expect(api.post("/api/v1/pages", json=page_body()), 201)
    sp = expect(api.post("/api/v1/sending-profiles", json=profile_body(password="pw-1")), 201)
    return {"group": g, "target": t, "template": tm, "page": p, "profile": sp}


def _state(api):
    return {name: [(i["id"], i.get("name"), i.get("updated_at"), i.get("target_count"))
                   for i in list_all(api, path)]
            for name, (path, *_rest) in RESOURCES.items()}


@pytest.fixture(scope="module")
def seeded(api):
    return _seed(api)


@pytest.mark.parametrize("kind", ["session", "key"])
def test_viewer_reads_but_cannot_write(server, api, seeded, role_sessions, role_keys, kind):
    v = role_sessions("viewer") if kind == "session" else role_keys("viewer")
    g, t, tm, p, sp = (seeded[k] for k in ("group", "target", "template", "page", "profile"))
    for path in ("/api/v1/groups", f"/api/v1/groups/{g['id']}",
                 f"/api/v1/groups/{g['id']}/targets", "/api/v1/templates",
                 f"/api/v1/templates/{tm['id']}", "/api/v1/pages", f"/api/v1/pages/{p['id']}",
                 "/api/v1/sending-profiles", f"/api/v1/sending-profiles/{sp['id']}", "/api/v1/me"):
        expect(v.get(path), 200)
    # Preview changes nothing and is allowed to viewers.
    prev = expect(v.post(f"/api/v1/templates/{tm['id']}/preview", json={}), 200)
    assert "subject" in prev
    before = _state(api)
    writes = [
        ("POST", "/api/v1/groups", group_body(n_targets=1)),
        ("PUT", f"/api/v1/groups/{g['id']}", {"name": uniq("renamed")}),
        ("DELETE", f"/api/v1/groups/{g['id']}", None),
        ("POST", f"/api/v1/groups/{g['id']}/targets", {"targets": [{"email": "v@example.test"}]}),
        ("DELETE", f"/api/v1/groups/{g['id']}/targets/{t['id']}", None),
        ("POST", "/api/v1/templates", template_body()),
        ("PUT", f"/api/v1/templates/{tm['id']}", template_body(tm["name"], subject="changed")),
        ("DELETE", f"/api/v1/templates/{tm['id']}", None),
        ("POST", "/api/v1/templates/import-eml", {"content": EML, "name": uniq("eml")}),
        ("POST", "/api/v1/pages", page_body()),
        ("PUT", f"/api/v1/pages/{p['id']}", page_body(p["name"], html="<p>changed</p>")),
        ("DELETE", f"/api/v1/pages/{p['id']}", None),
        ("POST", "/api/v1/sending-profiles", profile_body()),
        ("PUT", f"/api/v1/sending-profiles/{sp['id']}", profile_body(sp["name"], host="h.test")),
        ("DELETE", f"/api/v1/sending-profiles/{sp['id']}", None),
        ("POST", "/api/v1/users", {"email": f"{uniq('u')}@example.test", "name": "x",
                                   "role": "viewer", "password": random_password()}),
        ("POST", "/api/v1/api-keys", {"name": "nope"}),
    ]
    for method, path, body in writes:
        r = v.request(method, path, json=body) if body is not None else v.request(method, path)
        expect_error(r, 403, "forbidden")
    r = v.post(f"/api/v1/groups/import?name={uniq('csv')}", data=b"email\nv1@example.test\n",
               headers={"Content-Type": "text/csv"})
    expect_error(r, 403, "forbidden")
    for path in ("/api/v1/users", "/api/v1/audit-log"):
        expect_error(v.get(path), 403, "forbidden")
    assert _state(api) == before


@pytest.mark.parametrize("kind", ["session", "key"])
def test_operator_writes_content_but_not_admin_things(server, api, role_sessions, role_keys, kind):
    op = role_sessions("operator") if kind == "session" else role_keys("operator")
    for name, (path, make, field, value) in RESOURCES.items():
        item = expect(op.post(path, json=make()), 201)
        if name == "groups":
            upd = {"name": uniq("op-renamed")}
        else:
            upd = make(item["name"])
            upd[field] = value
        got = expect(op.put(f"{path}/{item['id']}", json=upd), 200)
        assert got[field] == upd[field], (name, got)
        assert op.delete(f"{path}/{item['id']}").status_code == 204
        expect_error(api.get(f"{path}/{item['id']}"), 404, "not_found")
    expect(op.post("/api/v1/groups/import?name=" + uniq("opcsv"),
                   data=f"email\n{uniq('o')}@example.test\n".encode(),
                   headers={"Content-Type": "text/csv"}), 201)
    users_before = len(list_all(api, "/api/v1/users"))
    expect_error(op.get("/api/v1/users"), 403, "forbidden")
    expect_error(op.post("/api/v1/users", json={"email": f"{uniq('u')}@example.test", "name": "x",
                                                "role": "admin", "password": random_password()}),
                 403, "forbidden")
    expect_error(op.get("/api/v1/audit-log"), 403, "forbidden")
    expect_error(op.post("/api/v1/api-keys", json={"name": "k"}), 403, "forbidden")
    assert len(list_all(api, "/api/v1/users")) == users_before


def test_role_change_applies_to_existing_session(server, api):
    u = server.create_user(api, "operator")
    s = server.ready_session(u["email"], u["password"])
    g = expect(s.post("/api/v1/groups", json=group_body()), 201)
    expect(api.put(f"/api/v1/users/{u['user']['id']}", json={"role": "viewer"}), 200)
    expect_error(s.post("/api/v1/groups", json=group_body()), 403, "forbidden")
    expect_error(s.delete(f"/api/v1/groups/{g['id']}"), 403, "forbidden")
    expect(s.get(f"/api/v1/groups/{g['id']}"), 200)


# --------------------------------------------------------------------------- users and keys

def test_users_admin_crud(server, api, admin):
    u = server.create_user(api, "viewer", name="Vic Viewer")
    uid = u["user"]["id"]
    assert isinstance(uid, int) and uid > 0
    users = list_all(api, "/api/v1/users")
    assert uid in [x["id"] for x in users]
    assert all("password" not in x and "password_hash" not in x for x in users)
    got = expect(api.get(f"/api/v1/users/{uid}"), 200)
    assert got["email"] == u["email"] and got["name"] == "Vic Viewer"
    got = expect(api.put(f"/api/v1/users/{uid}", json={"name": "Vic Renamed"}), 200)
    assert got["name"] == "Vic Renamed" and got["role"] == "viewer"
    expect_error(api.post("/api/v1/users", json={"email": u["email"], "name": "dup",
                                                 "role": "viewer", "password": random_password()}),
                 409, "conflict", field="email")
    expect_error(api.post("/api/v1/users", json={"email": f"{uniq('s')}@example.test", "name": "s",
                                                 "role": "viewer", "password": "short"}),
                 422, "validation", field="password")
    expect_error(api.post("/api/v1/users", json={"email": f"{uniq('s')}@example.test", "name": "s",
                                                 "role": "root", "password": random_password()}),
                 422, "validation", field="role")
    # A user's session dies with the user.
    s = server.login(u["email"], u["password"])
    assert api.delete(f"/api/v1/users/{uid}").status_code == 204
    expect_error(api.get(f"/api/v1/users/{uid}"), 404, "not_found")
    expect_error(s.get("/api/v1/me"), 401, "unauthorized")
    _, r = server.login_raw(u["email"], u["password"])
    expect_error(r, 401, "invalid_credentials")
    # Cannot delete yourself.
    me = expect(admin.get("/api/v1/me"), 200)["user"]
    expect_error(admin.delete(f"/api/v1/users/{me['id']}"), 422, "validation")
    expect(admin.get("/api/v1/me"), 200)


def test_api_keys_create_list_revoke(server, api):
    k = server.create_api_key(api, name="ci-key")
    assert k["role"] == "admin" and k["name"] == "ci-key" and k["last_used_at"] is None
    assert k["key"].startswith(k["prefix"]) or k["prefix"] in k["key"], k
    keyed = server.api(k["key"])
    expect(keyed.get("/api/v1/groups"), 200)
    listed = list_all(api, "/api/v1/api-keys")
    mine = [x for x in listed if x["id"] == k["id"]]
    assert len(mine) == 1 and "key" not in mine[0], mine
    assert all("key" not in x for x in listed)
    assert all(k["key"] not in str(x) for x in listed)
    expect_error(api.post("/api/v1/api-keys", json={"name": "x", "role": "superuser"}), 422)
    assert api.delete(f"/api/v1/api-keys/{k['id']}").status_code == 204
    expect_error(keyed.get("/api/v1/groups"), 401, "unauthorized")


# --------------------------------------------------------------------------- workspaces

@pytest.fixture(scope="module")
def other_ws(server):
    pw = random_password()
    p = server.cli("user", "add", "--email", "other@example.test", "--role", "admin",
                   "--password", pw, "--workspace", "Other")
    assert p.returncode == 0, (p.stdout, p.stderr)
    s = server.ready_session("other@example.test", pw)
    me = expect(s.get("/api/v1/me"), 200)
    assert me["workspace"]["name"] == "Other", me
    key = server.create_api_key(s, role="admin", name="other-key")
    return {"session": s, "api": server.api(key["key"]), "workspace": me["workspace"]}


def test_other_workspace_ids_are_404(server, api, other_ws):
    me = expect(api.get("/api/v1/me"), 200)
    assert me["workspace"]["id"] != other_ws["workspace"]["id"]
    osess, okey = other_ws["session"], other_ws["api"]
    mine = {n: expect(api.post(path, json=make()), 201)
            for n, (path, make, *_r) in RESOURCES.items()}
    theirs = {n: expect(osess.post(path, json=make()), 201)
              for n, (path, make, *_r) in RESOURCES.items()}
    for n, (path, make, *_r) in RESOURCES.items():
        for actor, item in ((api, theirs[n]), (okey, mine[n]), (osess, mine[n])):
            url = f"{path}/{item['id']}"
            expect_error(actor.get(url), 404, "not_found")
            body = {"name": uniq("steal")} if n == "groups" else make(uniq("steal"))
            expect_error(actor.put(url, json=body), 404, "not_found")
            expect_error(actor.delete(url), 404, "not_found")
            assert item["id"] not in [i["id"] for i in list_all(actor, path)]
        # Still intact for the owner.
        assert expect(api.get(f"{path}/{mine[n]['id']}"), 200)["name"] == mine[n]["name"]
        assert expect(okey.get(f"{path}/{theirs[n]['id']}"), 200)["name"] == theirs[n]["name"]
    gid = theirs["groups"]["id"]
    expect_error(api.get(f"/api/v1/groups/{gid}/targets"), 404, "not_found")
    expect_error(api.post(f"/api/v1/groups/{gid}/targets",
                          json={"targets": [{"email": "x@example.test"}]}), 404, "not_found")
    r = api.post(f"/api/v1/groups/import?group_id={gid}", data=b"email\nsneak@example.test\n",
                 headers={"Content-Type": "text/csv"})
    expect_error(r, 404, "not_found")
    expect_error(api.post(f"/api/v1/templates/{theirs['templates']['id']}/preview", json={}),
                 404, "not_found")
    assert expect(okey.get(f"/api/v1/groups/{gid}"), 200)["target_count"] == 2


def test_workspaces_do_not_share_names_or_targets(api, other_ws):
    name = uniq("same-name")
    email = f"{uniq('shared')}@example.test"
    g1 = expect(api.post("/api/v1/groups", json={"name": name, "targets": [
        {"email": email, "first_name": "Mine"}]}), 201)
    g2 = expect(other_ws["api"].post("/api/v1/groups", json={"name": name, "targets": [
        {"email": email, "first_name": "Theirs"}]}), 201)
    assert g1["id"] != g2["id"]
    t1 = list_all(api, f"/api/v1/groups/{g1['id']}/targets")
    t2 = list_all(other_ws["api"], f"/api/v1/groups/{g2['id']}/targets")
    assert [t["first_name"] for t in t1] == ["Mine"]
    assert [t["first_name"] for t in t2] == ["Theirs"]
    assert t1[0]["id"] != t2[0]["id"]
    expect_error(api.delete(f"/api/v1/groups/{g1['id']}/targets/{t2[0]['id']}"), 404, "not_found")
    mine_users = list_all(api, "/api/v1/users")
    theirs_users = list_all(other_ws["api"], "/api/v1/users")
    assert all(u["email"] != "other@example.test" for u in mine_users)
    assert [u["email"] for u in theirs_users] == ["other@example.test"]
    admin_id = [u["id"] for u in mine_users if u["email"] == "admin@example.test"][0]
    expect_error(other_ws["api"].get(f"/api/v1/users/{admin_id}"), 404, "not_found")
    expect_error(other_ws["api"].put(f"/api/v1/users/{admin_id}", json={"role": "viewer"}),
                 404, "not_found")


@pytest.mark.parametrize("path", [p for p, *_ in RESOURCES.values()])
def test_unknown_id_is_404(api, path):
    for bad in ("999999", "2147483648"):
        expect_error(api.get(f"{path}/{bad}"), 404, "not_found")
        expect_error(api.delete(f"{path}/{bad}"), 404, "not_found")
    r = api.get(f"{path}/not-a-number")
    assert r.status_code in (404, 422, 400), r.text
    assert r.json()["error"]["code"] in ("not_found", "validation", "bad_request")


def test_ip_lockout_after_twenty_failures(make_server):
    s = make_server()
    for i in range(20):
        # A client-supplied X-Forwarded-For must not give each try a new address.
        r = s.client().post("/api/v1/session", json={"email": f"nobody{i}@example.test",
                                                     "password": f"wrong-password-{i}"},
                            headers={"X-Forwarded-For": f"10.0.0.{i + 1}"})
        expect_error(r, 401, "invalid_credentials")
    # A different account, right password: the address is throttled.
    _, r = s.login_raw(s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")
    assert r.headers.get("Retry-After", "").strip().isdigit(), dict(r.headers)
    assert int(r.headers["Retry-After"]) > 0
    # API keys are unaffected by the login throttle.
    expect(s.api().get("/api/v1/me"), 200)


def test_credentials_are_not_interchangeable(server, admin, api):
    cookie = admin.session_cookie()
    c = server.client()
    expect_error(c.get("/api/v1/me", headers={"Authorization": f"Bearer {cookie}"}), 401,
                 "unauthorized")
    r = requests.get(server.base_url + "/api/v1/me",
                     headers={"Cookie": f"pd_session={server.api_key}"}, timeout=10)
    expect_error(r, 401, "unauthorized")
    # The CSRF token is not a credential either.
    expect_error(c.get("/api/v1/me", headers={"X-CSRF-Token": admin.csrf_token}), 401,
                 "unauthorized")


def test_logout_clears_cookie_and_only_that_session(server, admin):
    s1 = server.login(server.admin_email, server.admin_password)
    s2 = server.login(server.admin_email, server.admin_password)
    assert s1.session_cookie() != s2.session_cookie()
    r = s1.delete("/api/v1/session")
    assert r.status_code == 204, r.text
    sc = r.headers.get("Set-Cookie", "")
    assert sc.startswith("pd_session="), sc
    low = sc.lower()
    assert ("max-age=0" in low or "expires=thu, 01 jan 1970" in low
            or sc.startswith("pd_session=;")), sc
    expect_error(s1.get("/api/v1/me"), 401, "unauthorized")
    expect(s2.get("/api/v1/me"), 200)
    expect(admin.get("/api/v1/me"), 200)


def test_api_key_last_used_at_tracked(server, api):
    k = server.create_api_key(api, role="viewer", name="usage")
    expect(server.api(k["key"]).get("/api/v1/groups"), 200)
    [listed] = [x for x in list_all(api, "/api/v1/api-keys") if x["id"] == k["id"]]
    assert listed["last_used_at"] is not None, listed
    assert listed["role"] == "viewer" and listed["prefix"] == k["prefix"]


def test_invalid_initial_api_key_is_not_accepted(tmp_path):
    from harness import Server
    s = Server(extra_env={"PHISHDRILL_INITIAL_API_KEY": "pd_short"}, data_dir=tmp_path / "d")
    s.data_dir.mkdir()
    try:
        s._out = open(s.stdout_path, "ab")
        s._err = open(s.stderr_path, "ab")
        import subprocess
        s.proc = subprocess.Popen([s.bin, "serve"], env=s.env, stdout=s._out, stderr=s._err,
                                  stdin=subprocess.DEVNULL)

        def up_or_exited():
            if s.proc.poll() is not None:
                return "exited"
            try:
                return requests.get(s.base_url + "/healthz", timeout=1).status_code == 200
            except requests.RequestException:
                return False

        if wait_until(up_or_exited, 15, "the server to start or exit") is True:
            expect_error(s.client().get("/api/v1/me", headers={"Authorization": "Bearer pd_short"}),
                         401, "unauthorized")
        else:
            assert s.proc.poll() not in (None, 0), "server neither started nor failed"
    finally:
        s.cleanup()


def test_api_key_owner_changes_password(server, api):
    u = server.create_user(api, "admin")
    sess = server.ready_session(u["email"], u["password"])
    k = server.create_api_key(sess, name="own-key")
    keyed = server.api(k["key"])
    me = expect(keyed.get("/api/v1/me"), 200)
    assert me["user"]["email"] == u["email"] and me["csrf_token"] is None
    new = random_password()
    r = keyed.post("/api/v1/me/password", json={"current_password": sess.password,
                                                "new_password": new})
    assert expect(r, 200) == {"csrf_token": None}, r.text
    assert "Set-Cookie" not in r.headers
    expect(server.login(u["email"], new).get("/api/v1/me"), 200)
    # The owner changed their own password: their key still works, their sessions do not.
    expect(keyed.get("/api/v1/me"), 200)
    expect_error(sess.get("/api/v1/me"), 401, "unauthorized")


def test_login_ignores_attacker_chosen_session_id(server, admin):
    fixed = "attacker-chosen-" + secrets.token_hex(16)
    r = requests.post(server.base_url + "/api/v1/session",
                      json={"email": server.admin_email, "password": server.admin_password},
                      headers={"Cookie": f"pd_session={fixed}"}, timeout=30)
    expect(r, 200)
    assert r.cookies.get("pd_session") and r.cookies.get("pd_session") != fixed
    r = requests.get(server.base_url + "/api/v1/me", headers={"Cookie": f"pd_session={fixed}"},
                     timeout=10)
    expect_error(r, 401, "unauthorized")


def test_deleted_users_api_keys_stop_working(server, api):
    u = server.create_user(api, "admin")
    sess = server.ready_session(u["email"], u["password"])
    k = server.create_api_key(sess, name="doomed")
    keyed = server.api(k["key"])
    expect(keyed.get("/api/v1/groups"), 200)
    assert api.delete(f"/api/v1/users/{u['user']['id']}").status_code == 204
    expect_error(keyed.get("/api/v1/groups"), 401, "unauthorized")
    expect_error(sess.get("/api/v1/groups"), 401, "unauthorized")


def test_login_with_wrong_types_is_not_500(server):
    for body in ({"email": 5, "password": []}, {"email": None, "password": None}, {}, [],
                 {"email": server.admin_email, "password": "x" * 100_000}):
        r = server.client().post("/api/v1/session", json=body)
        assert r.status_code in (400, 401, 413, 422), (body if len(str(body)) < 100 else "...", r.text)


def test_workspace_isolation_of_keys_and_audit(server, api, other_ws):
    marker = uniq("isolated-marker")
    expect(api.post("/api/v1/groups", json={"name": marker}), 201)
    mine_key = server.create_api_key(api, role="viewer", name=uniq("mine"))
    okey = other_ws["api"]
    their_keys = list_all(okey, "/api/v1/api-keys")
    assert mine_key["id"] not in [k["id"] for k in their_keys]
    expect_error(okey.delete(f"/api/v1/api-keys/{mine_key['id']}"), 404, "not_found")
    expect(server.api(mine_key["key"]).get("/api/v1/me"), 200)
    their_audit = json.dumps(list_all(okey, "/api/v1/audit-log"))
    assert marker not in their_audit
    assert marker in json.dumps(list_all(api, "/api/v1/audit-log"))


def test_audit_ip_ignores_forwarded_headers(server, api):
    top = expect(api.get("/api/v1/audit-log", params={"limit": 1}), 200)["items"][0]["id"]
    g = expect(api.post("/api/v1/groups", json={"name": uniq("xff")},
                        headers={"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9",
                                 "Forwarded": "for=203.0.113.9"}), 201)
    items = expect(api.get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    mine = [e for e in items if e["id"] > top and e["resource"].get("id") == g["id"]]
    assert mine and all(e["ip"] == "127.0.0.1" for e in mine), mine


def test_names_unique_per_workspace_only(api, other_ws):
    for n, (path, make, *_r) in RESOURCES.items():
        name = uniq("same-everywhere")
        expect(api.post(path, json=make(name)), 201)
        expect(other_ws["api"].post(path, json=make(name)), 201)
        expect_error(api.post(path, json=make(name)), 409, "conflict", field="name")


# --------------------------------------------------------------------------- sessions, lockout

PROXIED = {"PHISHDRILL_ADMIN_TRUSTED_PROXIES": "127.0.0.1"}


def _login_from(server, address, email, password):
    s = ApiSession(server.base_url)
    r = s.post("/api/v1/session", json={"email": email, "password": password},
               headers={"X-Forwarded-For": address})
    return s, r


def test_the_proxys_own_forwarded_line_wins_over_the_clients(make_server):
    # HAProxy's `option forwardfor` adds a line of its own after whatever X-Forwarded-For the
    # client sent: the address is the last entry of all the lines together, never the client's.
    s = make_server(extra_env=PROXIED)
    api = s.api()
    top = expect(api.get("/api/v1/audit-log", params={"limit": 1}), 200)["items"][0]["id"]
    body = json.dumps({"name": uniq("xff-lines")}).encode()
    request = (f"POST /api/v1/groups HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: Bearer {s.api_key}\r\nContent-Type: application/json\r\n"
               "X-Forwarded-For: 198.51.100.7\r\nX-Forwarded-For: 203.0.113.50\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    reply = b""
    with socket.create_connection(("127.0.0.1", s.admin_port), timeout=10) as c:
        c.sendall(request)
        while chunk := c.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 201"), reply[:300]
    group = json.loads(reply.split(b"\r\n\r\n", 1)[1])
    items = expect(api.get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    mine = [e for e in items if e["id"] > top and e["resource"].get("id") == group["id"]]
    assert mine and all(e["ip"] == "203.0.113.50" for e in mine), mine


def test_session_ends_after_its_absolute_lifetime_however_active(make_server):
    s = make_server(extra_env={"PHISHDRILL_SECURITY_SESSION_MAX_HOURS": "2"})
    sess = s.login(s.admin_email, s.admin_password)
    expect(sess.get("/api/v1/me"), 200)
    # Used a minute ago, but signed in 2 h 1 min ago.
    assert db_write(s, "UPDATE sessions SET created_at = created_at - 7260") == 1
    r = sess.get("/api/v1/me")
    expect_error(r, 401, "unauthorized")
    assert "expired" in r.json()["error"]["message"], r.text
    # Within the lifetime it lives on.
    fresh = s.login(s.admin_email, s.admin_password)
    assert db_write(s, "UPDATE sessions SET created_at = created_at - 7000") == 1
    expect(fresh.get("/api/v1/me"), 200)


def test_password_change_rotates_the_session_and_ends_the_others(server, api):
    u = server.create_user(api, "operator")
    s = server.ready_session(u["email"], u["password"])
    other = server.login(u["email"], s.password)
    old_cookie, old_csrf = s.session_cookie(), s.csrf_token
    new = random_password()
    r = s.post("/api/v1/me/password", json={"current_password": s.password, "new_password": new})
    body = expect(r, 200)
    assert body["csrf_token"] and body["csrf_token"] != old_csrf, body
    assert s.session_cookie() and s.session_cookie() != old_cookie
    # The old token stops working, and so does every other session.
    stale = ApiSession(server.base_url)
    stale.cookies.set("pd_session", old_cookie)
    expect_error(stale.get("/api/v1/me"), 401, "unauthorized")
    expect_error(other.get("/api/v1/me"), 401, "unauthorized")
    # The new one works, with the new CSRF token only.
    expect_error(s.post("/api/v1/groups", json=group_body()), 403, "csrf")
    s.csrf_token = body["csrf_token"]
    expect(s.post("/api/v1/groups", json=group_body()), 201)


def test_wrong_current_passwords_lock_out_password_changes(make_server):
    s = make_server(extra_env={"PHISHDRILL_SECURITY_LOGIN_MAX_FAILURES": "3"})
    admin = s.api()
    u = s.create_user(admin, "operator")
    sess = s.ready_session(u["email"], u["password"])
    top = audit_top(admin)
    for i in range(3):
        expect_error(sess.post("/api/v1/me/password",
                               json={"current_password": f"guess-{i}-{random_password()}",
                                     "new_password": random_password()}),
                     422, "validation", field="current_password")
    r = sess.post("/api/v1/me/password",
                  json={"current_password": sess.password, "new_password": random_password()})
    expect_error(r, 429, "rate_limited")
    assert int(r.headers["Retry-After"]) > 0
    actions = [e["action"] for e in audit_since(admin, top)]
    assert actions.count("user.password_change_failed") == 2, actions
    assert actions.count("user.password_change_locked") == 1, actions
    # The right password still signs in: the lock is on password changes only.
    expect(s.login(u["email"], sess.password).get("/api/v1/me"), 200)


def test_one_address_guessing_cannot_lock_the_owner_out(make_server):
    s = make_server(extra_env=PROXIED)
    for i in range(5):
        _, r = _login_from(s, "198.51.100.7", s.admin_email, f"wrong-{i}-{random_password()}")
        expect_error(r, 401, "invalid_credentials")
    _, r = _login_from(s, "198.51.100.7", s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")
    # Another address, never seen before, with the right password.
    sess, r = _login_from(s, "203.0.113.20", s.admin_email, s.admin_password)
    expect(r, 200)
    # Sign-in audit records the address the trusted proxy saw.
    items = expect(s.api().get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    logins = [e for e in items if e["action"] == "session.login"]
    assert logins and logins[0]["ip"] == "203.0.113.20", logins
    locked = [e for e in items if e["action"] == "session.locked"]
    assert locked and locked[0]["ip"] == "198.51.100.7", items
    assert locked[0]["details"] == {"scope": "address"}, locked


def test_account_wide_lockout_spares_addresses_that_signed_in_before(make_server):
    s = make_server(extra_env={**PROXIED, "PHISHDRILL_SECURITY_ACCOUNT_MAX_FAILURES": "4"})
    _, r = _login_from(s, "192.0.2.10", s.admin_email, s.admin_password)  # the owner's office
    expect(r, 200)
    # Guesses spread over addresses: each address stays under its own limit.
    for i in range(4):
        _, r = _login_from(s, f"198.51.100.{i + 1}", s.admin_email, f"w-{i}-{random_password()}")
        expect_error(r, 401, "invalid_credentials")
    # Locked for addresses the account never signed in from...
    _, r = _login_from(s, "198.51.100.99", s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")
    # ...but not for the owner's.
    _, r = _login_from(s, "192.0.2.10", s.admin_email, s.admin_password)
    expect(r, 200)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(make_server):
    s = make_server(extra_env={"PHISHDRILL_ADMIN_TRUSTED_PROXIES": "192.0.2.1"})
    for i in range(5):
        _, r = _login_from(s, f"198.51.100.{i + 1}", s.admin_email, f"w-{i}-{random_password()}")
        expect_error(r, 401, "invalid_credentials")
    # The peer (127.0.0.1) is no trusted proxy: every try came from one address.
    _, r = _login_from(s, "203.0.113.20", s.admin_email, s.admin_password)
    expect_error(r, 429, "rate_limited")


def test_admin_password_reset_ends_sessions_and_revokes_api_keys(server, api, admin):
    u = server.create_user(api, "admin")
    sess = server.ready_session(u["email"], u["password"])
    keys = [server.create_api_key(sess, name=f"k{i}") for i in range(2)]
    top = audit_top(api)
    new = random_password()
    got = expect(api.put(f"/api/v1/users/{u['user']['id']}", json={"password": new}), 200)
    assert got["must_change_password"] is True, got
    assert got["password_reset"] == {"sessions_ended": True, "api_keys_revoked": 2}, got
    expect_error(sess.get("/api/v1/me"), 401, "unauthorized")
    for k in keys:
        expect_error(server.api(k["key"]).get("/api/v1/me"), 401, "unauthorized")
    [entry] = [e for e in audit_since(api, top) if e["action"] == "user.update"]
    assert entry["details"]["password_reset"] is True, entry
    assert entry["details"]["sessions_ended"] is True, entry
    assert entry["details"]["api_keys_revoked"] == 2, entry
    # One's own password goes through /me/password (current password, throttle).
    me = expect(admin.get("/api/v1/me"), 200)["user"]
    expect_error(admin.put(f"/api/v1/users/{me['id']}", json={"password": random_password()}),
                 422, "validation", field="password")
