"""Landing pages: CRUD through key and session, validation."""

import pytest

from harness import crud_round_trip, expect, expect_error, list_all, page_body, uniq

P = "/api/v1/pages"
WRITABLE = ["name", "html", "capture", "redirect_url", "safe_fields", "allow_scripts"]


def _update(name):
    return {"name": name + "-v2", "html": "<html><body><h1>Updated</h1></body></html>",
            "capture": "values", "redirect_url": "", "safe_fields": ["username"],
            "allow_scripts": False}


def test_crud_with_api_key(api):
    create = page_body(safe_fields=["username"], allow_scripts=True)
    crud_round_trip(api, P, create, _update(create["name"]), WRITABLE)


def test_crud_with_cookie_session(admin):
    create = page_body(capture="none", safe_fields=[], allow_scripts=False)
    crud_round_trip(admin, P, create, _update(create["name"]), WRITABLE)


def test_capture_defaults_to_none(api):
    body = page_body()
    del body["capture"]
    p = expect(api.post(P, json=body), 201)
    assert p["capture"] == "none"


def _state(api):
    return [(p["id"], p["name"], p["updated_at"]) for p in list_all(api, P)]


@pytest.fixture(scope="module")
def existing(api):
    return expect(api.post(P, json=page_body(uniq("existing"))), 201)


@pytest.mark.parametrize("over,code,field", [
    ({"redirect_url": "javascript:alert(1)"}, "validation", "redirect_url"),
    ({"redirect_url": "JaVaScRiPt:alert(1)"}, "validation", "redirect_url"),
    ({"redirect_url": "data:text/html,<script>alert(1)</script>"}, "validation", "redirect_url"),
    ({"redirect_url": "/relative/path"}, "validation", "redirect_url"),
    ({"redirect_url": "//evil.example.test/"}, "validation", "redirect_url"),
    ({"redirect_url": "ftp://example.test/file"}, "validation", "redirect_url"),
    ({"redirect_url": "https://"}, "validation", "redirect_url"),
    ({"redirect_url": "https://example.test/\r\nSet-Cookie: x=1"}, "validation", "redirect_url"),
    ({"capture": "everything"}, "validation", "capture"),
    ({"name": ""}, "validation", "name"),
    ({"name": "p" * 201}, "validation", "name"),
    ({"capture": 1}, "invalid_type", "capture"),
    ({"extra": True}, "unknown_field", "extra"),
])
def test_page_validation(api, existing, over, code, field):
    before = _state(api)
    expect_error(api.post(P, json=page_body(**over)), 422, code, field=field)
    body = page_body(existing["name"])
    body.update(over)
    expect_error(api.put(f"{P}/{existing['id']}", json=body), 422, code, field=field)
    assert _state(api) == before
    assert expect(api.get(f"{P}/{existing['id']}"), 200) == existing


@pytest.mark.parametrize("url", ["", "https://example.test/after?x=1#y", "http://intranet.example.test:8080/"])
def test_valid_redirects(api, url):
    p = expect(api.post(P, json=page_body(redirect_url=url)), 201)
    assert p["redirect_url"] == url


def test_duplicate_name_is_409(api, existing):
    before = _state(api)
    expect_error(api.post(P, json=page_body(existing["name"])), 409, "conflict", field="name")
    assert _state(api) == before


def test_missing_name(api):
    before = _state(api)
    body = page_body()
    del body["name"]
    expect_error(api.post(P, json=body), 422, "validation", field="name")
    assert _state(api) == before


def test_source_url_round_trip_and_validation(api):
    created = expect(api.post(P, json=page_body(source_url="https://login.example.test/portal/")),
                     201)
    assert created["source_url"] == "https://login.example.test/portal/"
    assert expect(api.get(f"{P}/{created['id']}"), 200)["source_url"] == created["source_url"]
    assert expect(api.post(P, json=page_body()), 201)["source_url"] == ""
    before = len(list_all(api, P))
    for bad in ("javascript:alert(1)", "/relative/path", "ftp://x.example/"):
        expect_error(api.post(P, json=page_body(source_url=bad)), 422, "validation", "source_url")
    assert len(list_all(api, P)) == before


# --------------------------------------------------------------------------- safe fields, scripts

A = "/api/v1/audit-log"


def test_safe_fields_round_trip_and_default(api):
    p = expect(api.post(P, json=page_body(capture="values")), 201)
    assert p["safe_fields"] == [] and p["allow_scripts"] is False, p
    body = page_body(p["name"], capture="values", safe_fields=["username", "department"])
    got = expect(api.put(f"{P}/{p['id']}", json=body), 200)
    assert got["safe_fields"] == ["username", "department"], got
    assert expect(api.get(f"{P}/{p['id']}"), 200)["safe_fields"] == ["username", "department"]


@pytest.mark.parametrize("html,field", [
    ("<form><input name=kennwort></form>", "kennwort"),
    ("<form><input name=senha></form>", "senha"),
    ("<form><input name=pw2></form>", "pw2"),
    ("<form><input name=p4ssw0rd></form>", "p4ssw0rd"),
    ("<form><input type=password name=login></form>", "login"),
    ("<form><input name=login autocomplete=current-password></form>", "login"),
    ("<form><input name=login autocomplete=one-time-code></form>", "login"),
    ("<form><input name=card autocomplete=cc-number></form>", "card"),
])
def test_safe_fields_cannot_name_a_secret(api, existing, html, field):
    before = _state(api)
    body = page_body(html=html, capture="values", safe_fields=["username", field])
    err = expect_error(api.post(P, json=body), 422, "validation", field="safe_fields")
    assert f'"{field}"' in err["message"], err
    body["name"] = existing["name"]
    expect_error(api.put(f"{P}/{existing['id']}", json=body), 422, "validation",
                 field="safe_fields")
    assert _state(api) == before


def test_safe_fields_type_is_checked(api):
    expect_error(api.post(P, json=page_body(safe_fields="username")), 422, "invalid_type",
                 field="safe_fields")
    expect_error(api.post(P, json=page_body(safe_fields=[1])), 422, "invalid_type",
                 field="safe_fields")
    expect_error(api.post(P, json=page_body(allow_scripts="yes")), 422, "invalid_type",
                 field="allow_scripts")


def _audit_since(api, top):
    return [e for e in expect(api.get(A, params={"limit": 100}), 200)["items"] if e["id"] > top]


def _top(api):
    items = expect(api.get(A, params={"limit": 1}), 200)["items"]
    return items[0]["id"] if items else 0


def test_allow_scripts_is_for_admins_only(api, role_keys):
    operator = role_keys("operator")
    before = _state(api)
    err = expect_error(operator.post(P, json=page_body(allow_scripts=True)), 403, "forbidden",
                       field="allow_scripts")
    assert "admin" in err["message"], err
    own = expect(operator.post(P, json=page_body()), 201)
    expect_error(operator.put(f"{P}/{own['id']}", json=page_body(own["name"], allow_scripts=True)),
                 403, "forbidden", field="allow_scripts")
    assert expect(api.get(f"{P}/{own['id']}"), 200)["allow_scripts"] is False
    assert len(_state(api)) == len(before) + 1


def test_allow_scripts_by_an_admin_is_audited_and_an_operator_html_edit_clears_it(api, role_keys):
    top = _top(api)
    p = expect(api.post(P, json=page_body(allow_scripts=True)), 201)
    assert p["allow_scripts"] is True, p
    created = [e for e in _audit_since(api, top) if e["action"] == "page.create"]
    assert created and created[0]["details"]["allow_scripts"] is True, created

    operator = role_keys("operator")
    # an operator may save the page unchanged and keep the admin's decision …
    same = page_body(p["name"], html=p["html"], allow_scripts=True)
    assert expect(operator.put(f"{P}/{p['id']}", json=same), 200)["allow_scripts"] is True
    # … but new HTML clears it
    top = _top(api)
    changed = page_body(p["name"], html="<form><input name=username></form>", allow_scripts=True)
    got = expect(operator.put(f"{P}/{p['id']}", json=changed), 200)
    assert got["allow_scripts"] is False, got
    assert expect(api.get(f"{P}/{p['id']}"), 200)["allow_scripts"] is False
    updated = [e for e in _audit_since(api, top) if e["action"] == "page.update"]
    assert updated, updated
    assert updated[0]["details"]["allow_scripts"] is False, updated
    assert updated[0]["details"]["allow_scripts_before"] is True, updated
