"""Sending profiles: CRUD, write-only password, validation."""

import secrets

import pytest

from harness import crud_round_trip, expect, expect_error, list_all, profile_body, uniq
from listener_support import Listener

SP = "/api/v1/sending-profiles"
WRITABLE = ["name", "kind", "host", "port", "tls", "username", "from", "headers",
            "rate_per_minute"]


def _no_password(item, secret=None):
    assert "password" not in item, item
    if secret:
        assert secret not in str(item), item


def _update(name):
    # A new relay: the password has to be entered again (see test_relay_change_*).
    return {"name": name + "-v2", "kind": "smtp", "host": "relay.example.test", "port": 465,
            "tls": "tls", "username": "other", "from": "other@example.test", "headers": [],
            "rate_per_minute": 0, "password": "pw2-" + secrets.token_hex(8)}


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
    # PUT without "password" keeps it for the same relay.
    upd = profile_body(p["name"], rate_per_minute=5)
    u = expect(api.put(f"{SP}/{p['id']}", json=upd), 200)
    assert u["has_password"] is True and u["rate_per_minute"] == 5
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


# ------------------------------------------------------------ the stored password and its relay


@pytest.fixture
def listener():
    made = []

    def make(**kw) -> Listener:
        made.append(Listener(**kw))
        return made[-1]

    yield make
    for lst in made:
        lst.close()


def _audit_entries(api, action, resource_id):
    return [e for e in list_all(api, "/api/v1/audit-log")
            if e["action"] == action and e["resource"]["id"] == resource_id]


def test_relay_change_without_password_is_refused(api, role_keys, listener):
    """The reviewed attack: an operator points an admin's profile at a listener of his
    own and presses "test". The change is refused, nothing reaches the listener."""
    secret = "AdminRelaySecret-" + secrets.token_hex(8)
    p = expect(api.post(SP, json=profile_body(host="smtp.example.test", password=secret)), 201)
    operator = role_keys("operator")
    trap = listener(banner=b"220 trap ESMTP\r\n", reply=b"250 ok\r\n")
    for over in ({"host": "127.0.0.1", "port": trap.port}, {"port": trap.port},
                 {"tls": "tls"}, {"username": "someone-else"}, {"kind": "outbox", "host": ""}):
        body = profile_body(p["name"], **over)
        err = expect_error(operator.put(f"{SP}/{p['id']}", json=body), 422, "validation",
                           field="password")
        assert "password" in err["message"], err
    got = expect(api.get(f"{SP}/{p['id']}"), 200)
    assert got == p, got
    r = operator.post(f"{SP}/{p['id']}/test", json={"to": "someone@example.test"})
    assert r.status_code == 200 and secret not in r.text, r.text
    assert trap.connections == 0 and trap.received == b""
    # With the password entered again the relay may change (the old one is replaced).
    body = profile_body(p["name"], host="relay2.example.test", password="new-" + secret)
    assert expect(operator.put(f"{SP}/{p['id']}", json=body), 200)["host"] == "relay2.example.test"
    # Clearing the password explicitly is another way to change the relay.
    body = profile_body(p["name"], host="relay3.example.test", password="")
    assert expect(operator.put(f"{SP}/{p['id']}", json=body), 200)["has_password"] is False


def test_kept_password_never_switches_to_cleartext(api):
    p = expect(api.post(SP, json=profile_body(password="pw-" + secrets.token_hex(8))), 201)
    expect_error(api.put(f"{SP}/{p['id']}", json=profile_body(p["name"], tls="none")), 422,
                 "validation", field="tls")
    assert expect(api.get(f"{SP}/{p['id']}"), 200)["tls"] == "starttls"


def test_audit_records_old_and_new_relay(api):
    secret = "AuditRelaySecret-" + secrets.token_hex(8)
    p = expect(api.post(SP, json=profile_body(password=secret)), 201)
    body = profile_body(p["name"], host="new-relay.example.test", port=465, tls="tls",
                        username="mailer2", password=secret + "-2")
    expect(api.put(f"{SP}/{p['id']}", json=body), 200)
    entries = _audit_entries(api, "sending_profile.update", p["id"])
    assert len(entries) == 1, entries
    details = entries[0]["details"]
    assert details["relay_before"] == {"kind": "smtp", "host": "smtp.example.test", "port": 587,
                                       "tls": "starttls", "username": "mailer"}, details
    assert details["relay_after"] == {"kind": "smtp", "host": "new-relay.example.test",
                                      "port": 465, "tls": "tls", "username": "mailer2"}, details
    assert details["password_changed"] is True, details
    assert secret not in str(list_all(api, "/api/v1/audit-log"))


def test_test_answers_alike_for_closed_port_and_other_service(api, listener):
    """"test" is no port scanner: a closed port and a service that is not SMTP get one
    answer, without the service's banner."""
    closed = listener()
    closed_port = closed.port
    closed.close()
    ssh = listener(banner=b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
    answers = []
    for port in (closed_port, ssh.port):
        p = expect(api.post(SP, json=profile_body(host="127.0.0.1", port=port, tls="none",
                                                  username="")), 201)
        r = expect(api.post(f"{SP}/{p['id']}/test", json={"to": "x@example.test"},
                            timeout=120), 200)
        answers.append(r)
        assert r["reply"] == f"could not reach an SMTP server at 127.0.0.1:{port}", r
        assert "SSH" not in str(r) and "refused" not in r["reply"].lower(), r
    assert ssh.connections >= 1
    assert answers[0]["result"] == answers[1]["result"], answers
    assert answers[0]["smtp_code"] == answers[1]["smtp_code"] == 0, answers
