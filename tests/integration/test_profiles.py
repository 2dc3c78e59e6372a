"""Sending profiles: CRUD, write-only password, validation."""

import secrets

import pytest

from harness import crud_round_trip, expect, expect_error, list_all, profile_body, uniq

SP = "/api/v1/sending-profiles"
WRITABLE = ["name", "kind", "host", "port", "tls", "username", "from", "headers",
            "rate_per_minute"]


def _no_password(item, secret=None):
    assert "password" not in item, item
    if secret:
        assert secret not in str(item), item


def _update(name):
    return {"name": name + "-v2", "kind": "smtp", "host": "relay.example.test", "port": 465,
            "tls": "tls", "username": "other", "from": "other@example.test", "headers": [],
            "rate_per_minute": 0}


@pytest.mark.parametrize("kind", ["key", "session"])
def test_crud(api, admin, kind):
    c = api if kind == "key" else admin
    secret = "pw-" + secrets.token_hex(8)
    create = profile_body(password=secret)

    def check(item, sent):
        # Password kept across a PUT without "password"; never echoed.
        _no_password(item, secret)
        assert item["has_password"] is True, item

    crud_round_trip(c, SP, create, _update(create["name"]), WRITABLE, check=check)


def test_password_write_only(api, admin):
    secret = "SmtpSecret-" + secrets.token_hex(8)
    p = expect(api.post(SP, json=profile_body(password=secret)), 201)
    assert p["has_password"] is True
    _no_password(p, secret)
    for c in (api, admin):
        r = c.get(f"{SP}/{p['id']}")
        assert secret not in r.text
        _no_password(expect(r, 200), secret)
        r = c.get(SP, params={"limit": 500})
        assert secret not in r.text and '"password"' not in r.text
    # PUT without "password" keeps it.
    upd = profile_body(p["name"], host="keep.example.test")
    u = expect(api.put(f"{SP}/{p['id']}", json=upd), 200)
    assert u["has_password"] is True and u["host"] == "keep.example.test"
    _no_password(u, secret)
    assert expect(api.get(f"{SP}/{p['id']}"), 200)["has_password"] is True
    # PUT with a new password keeps has_password, still not shown.
    u = expect(api.put(f"{SP}/{p['id']}", json=dict(upd, password="another-" + secret)), 200)
    assert u["has_password"] is True
    _no_password(u, "another-" + secret)
    # PUT with "" clears it.
    u = expect(api.put(f"{SP}/{p['id']}", json=dict(upd, password="")), 200)
    assert u["has_password"] is False
    assert expect(api.get(f"{SP}/{p['id']}"), 200)["has_password"] is False
    # And a profile created without a password has none.
    q = expect(api.post(SP, json=profile_body()), 201)
    assert q["has_password"] is False


def test_outbox_needs_no_host(api):
    p = expect(api.post(SP, json=profile_body(kind="outbox", host="", port=0, tls="none",
                                             username="")), 201)
    assert p["kind"] == "outbox" and p["has_password"] is False


def _state(api):
    return [(p["id"], p["name"], p["updated_at"], p["has_password"]) for p in list_all(api, SP)]


@pytest.fixture(scope="module")
def existing(api):
    return expect(api.post(SP, json=profile_body(uniq("existing"), password="keep-me-1")), 201)


@pytest.mark.parametrize("over,code,field", [
    ({"port": 70000}, "validation", "port"),
    ({"port": 0}, "validation", "port"),
    ({"port": -25}, "validation", "port"),
    ({"port": "587"}, "invalid_type", "port"),
    ({"host": ""}, "validation", "host"),
    ({"kind": "carrier-pigeon"}, "validation", "kind"),
    ({"tls": "sometimes"}, "validation", "tls"),
    ({"from": "not an address"}, "validation", "from"),
    ({"from": ""}, "validation", "from"),
    ({"rate_per_minute": -1}, "validation", "rate_per_minute"),
    ({"name": ""}, "validation", "name"),
    ({"headers": [{"name": "X-Evil", "value": "a\r\nBcc: x@example.test"}]}, "validation", None),
    ({"password": 5}, "invalid_type", "password"),
    ({"has_password": True}, "unknown_field", "has_password"),
])
def test_profile_validation(api, existing, over, code, field):
    before = _state(api)
    err = expect_error(api.post(SP, json=profile_body(**over)), 422, code, field=field)
    if field is None:
        assert err.get("field", "").startswith("headers[0]"), err
    body = profile_body(existing["name"])
    body.update(over)
    expect_error(api.put(f"{SP}/{existing['id']}", json=body), 422, code, field=field)
    assert _state(api) == before
    assert expect(api.get(f"{SP}/{existing['id']}"), 200) == existing


def test_missing_host_and_from(api):
    before = _state(api)
    for missing in ("host", "from", "name"):
        body = profile_body()
        del body[missing]
        expect_error(api.post(SP, json=body), 422, "validation", field=missing)
    assert _state(api) == before


def test_duplicate_name_is_409(api, existing):
    before = _state(api)
    expect_error(api.post(SP, json=profile_body(existing["name"])), 409, "conflict", field="name")
    assert _state(api) == before
