"""Health endpoints, OpenAPI document, security headers, CLI subcommands, start/stop."""

import re
import tempfile
from pathlib import Path

import pytest
import requests

from harness import (Server, expect, expect_error, phishdrill_bin, random_password, uniq,
                     wait_until)


def test_healthz_admin_listener(server):
    r = requests.get(server.base_url + "/healthz", timeout=10)
    assert expect(r, 200) == {"status": "ok", "database": "ok"}


def test_healthz_phish_listener(server):
    r = requests.get(server.phish_url + "/healthz", timeout=10)
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok", "database": "ok"}


def test_openapi_yaml_served_without_auth(server):
    r = requests.get(server.base_url + "/api/v1/openapi.yaml", timeout=10)
    assert r.status_code == 200, r.text[:500]
    assert "openapi: 3.1" in r.text
    assert "/api/v1/groups" in r.text or "/groups" in r.text


def test_security_headers_on_api_and_errors(server, api):
    responses = [
        api.get("/api/v1/groups"),
        server.client().get("/api/v1/groups"),  # 401
        api.get("/api/v1/no-such-route"),  # 404
        requests.get(server.base_url + "/healthz", timeout=10),
    ]
    for r in responses:
        h = r.headers
        assert h.get("X-Content-Type-Options", "").lower() == "nosniff", (r.url, dict(h))
        assert h.get("X-Frame-Options", "").upper() == "DENY", (r.url, dict(h))
        assert h.get("Referrer-Policy", "").lower() == "no-referrer", (r.url, dict(h))
        assert h.get("Content-Security-Policy"), (r.url, dict(h))
    r = requests.get(server.phish_url + "/healthz", timeout=10)
    assert r.headers.get("X-Content-Type-Options", "").lower() == "nosniff", dict(r.headers)
    assert r.headers.get("X-Frame-Options", "").upper() == "DENY", dict(r.headers)


@pytest.mark.parametrize("path,auth,status", [
    ("/api/v1/groups", True, 200),
    ("/api/v1/groups", False, 401),
    ("/api/v1/groups/987654", True, 404),
    ("/api/v1/no-such-route", True, 404),
])
def test_api_responses_not_cached(server, api, path, auth, status):
    r = (api if auth else server.client()).get(path)
    assert r.status_code == status, r.text
    assert "no-store" in r.headers.get("Cache-Control", ""), (path, dict(r.headers))


def test_unknown_route_is_404_not_found(api):
    expect_error(api.get("/api/v1/definitely-not-a-route"), 404, "not_found")


def test_wrong_method_is_405(api):
    expect_error(api.put("/api/v1/groups", json={"name": "x"}), 405, "method_not_allowed")


def test_version_command(server):
    p = server.cli("version")
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip(), "version printed nothing"
    # The same version is exported by /metrics as phishdrill_build_info{version="..."}.
    m = requests.get(server.base_url + "/metrics", timeout=10,
                     headers={"Authorization": f"Bearer {server.api_key}"}).text
    found = re.search(r'phishdrill_build_info\{[^}]*version="([^"]+)"[^}]*\}\s+1(\.0)?\s*$', m, re.M)
    assert found, m[:2000]
    assert found.group(1) in p.stdout, (found.group(1), p.stdout)


@pytest.mark.parametrize("args,must_mention", [
    (["--help"], "serve"),
    (["serve", "--help"], "--config"),
    (["migrate", "--help"], "migrate"),
    (["user", "add", "--help"], "--email"),
    (["version", "--help"], "version"),
])
def test_help_exits_zero(server, args, must_mention):
    p = server.cli(*args, timeout=20)
    assert p.returncode == 0, (args, p.stdout, p.stderr)
    out = p.stdout + p.stderr
    assert must_mention in out, (args, out)


def test_unknown_subcommand_fails(server):
    p = server.cli("no-such-command", timeout=20)
    assert p.returncode != 0, p.stdout


def test_migrate_fresh_dir_then_serve(tmp_path):
    s = Server(data_dir=tmp_path / "data", name="pd-migrate")
    s.data_dir.mkdir()
    try:
        p = s.cli("migrate")
        assert p.returncode == 0, (p.stdout, p.stderr)
        assert any(s.data_dir.iterdir()), "migrate created nothing in the data dir"
        p = s.cli("migrate")  # idempotent
        assert p.returncode == 0, (p.stdout, p.stderr)
        s.start()
        assert expect(s.api().get("/api/v1/me"), 200)["user"]["email"] == s.admin_email
    finally:
        s.cleanup()


def test_startup_banner_log_file_and_clean_sigterm(make_server):
    s = make_server()
    expect(s.api().get("/api/v1/groups"), 200)
    rc = s.stop()
    assert not s.killed, "server did not exit within 10 s of SIGTERM"
    assert rc == 0, f"exit code after SIGTERM: {rc}\n{s.log_tail()}"
    out = s.stdout_path.read_text("utf-8", "replace")
    assert f"Admin UI and API: http://127.0.0.1:{s.admin_port}/" in out, out
    assert "Phish server:" in out, out
    assert s.log_path.exists() and s.log_path.stat().st_size > 0, "no phishdrill.log written"
    assert s.stderr_path.stat().st_size > 0, "nothing logged to stderr"


def test_generated_initial_password_printed_once(make_server):
    s = make_server(extra_env={"PHISHDRILL_INITIAL_ADMIN_PASSWORD": None})
    # The password must be readable while the server runs (an operator needs it now).

    def printed() -> list[str]:
        out = s.stdout_path.read_text("utf-8", "replace")
        words = [t.strip("'\"`,.;:()[]") for t in out.split()]
        return [t for t in words
                if len(t) >= 12 and "://" not in t and t != s.admin_email and "@" not in t]

    try:
        candidates = wait_until(printed, 5, "the generated password on stdout", interval=0.2)
    except AssertionError:
        raise AssertionError("no generated password on stdout while running:\n"
                             + s.log_tail()) from None
    session = None
    for c in candidates[:5]:
        sess, r = s.login_raw(s.admin_email, c)
        if r.status_code == 200:
            session = r.json()
            break
    assert session is not None, f"none of {candidates[:5]} logs in"
    assert session["user"]["must_change_password"] is True, session
    s.stop()
    before = s.stdout_path.read_text("utf-8", "replace")
    s.start()
    s.stop()
    after = s.stdout_path.read_text("utf-8", "replace")[len(before):]
    assert c not in after, "generated password printed again on the second start"


def test_cli_user_add_generated_password(server):
    email = f"{uniq('cli')}@example.test"
    p = server.cli("user", "add", "--email", email, "--role", "viewer", "--name", "Cli User")
    assert p.returncode == 0, (p.stdout, p.stderr)
    tokens = [t.strip("'\"`,.;:()[]") for t in p.stdout.split()]
    tokens = [t for t in tokens if len(t) >= 12 and t != email and "@" not in t]
    assert tokens, f"no generated password printed: {p.stdout!r}"
    ok = None
    for t in tokens[:4]:
        _, r = server.login_raw(email, t)
        if r.status_code == 200:
            ok = r.json()
            break
    assert ok is not None, f"no printed token logs in: {p.stdout!r}"
    assert ok["user"]["role"] == "viewer"
    assert ok["user"]["email"] == email


def test_cli_user_add_rejects_bad_role(server):
    p = server.cli("user", "add", "--email", f"{uniq('bad')}@example.test", "--role", "root",
                   "--password", random_password())
    assert p.returncode != 0, p.stdout


def test_cli_user_add_duplicate_email_fails(server):
    p = server.cli("user", "add", "--email", server.admin_email, "--role", "viewer",
                   "--password", random_password())
    assert p.returncode != 0, (p.stdout, p.stderr)
    # The existing admin still logs in with the old password.
    expect(server.admin_session().get("/api/v1/me"), 200)


def test_serve_with_missing_config_fails(server, tmp_path):
    from harness import free_port
    try:
        p = server.cli("serve", "--config", "/nonexistent/phishdrill.toml", timeout=15,
                       env={"PHISHDRILL_DATA_DIR": str(tmp_path),
                            "PHISHDRILL_ADMIN_LISTEN": f"127.0.0.1:{free_port()}",
                            "PHISHDRILL_PHISH_LISTEN": f"127.0.0.1:{free_port()}"})
    except Exception as e:  # noqa: BLE001
        pytest.fail(f"serve with a missing config did not exit: {e}")
    assert p.returncode != 0, (p.stdout, p.stderr)


def test_deeply_nested_json_does_not_crash(server, api):
    r = api.post("/api/v1/groups", data=b"[" * 100_000, headers={"Content-Type": "application/json"})
    expect_error(r, 400, "invalid_json")
    r = api.post("/api/v1/groups", data=b'{"name": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001,
                 headers={"Content-Type": "application/json"})
    assert r.status_code in (400, 422), r.text
    assert requests.get(server.base_url + "/healthz", timeout=10).status_code == 200


def test_openapi_lists_every_route_of_the_contract(server):
    text = requests.get(server.base_url + "/api/v1/openapi.yaml", timeout=10).text
    for path in ("/session", "/me", "/me/password", "/users", "/users/{id}", "/api-keys",
                 "/api-keys/{id}", "/audit-log", "/groups", "/groups/import", "/groups/{id}",
                 "/groups/{id}/targets", "/groups/{id}/targets/{target_id}", "/templates",
                 "/templates/{id}", "/templates/{id}/preview", "/templates/import-eml", "/pages",
                 "/pages/{id}", "/sending-profiles", "/sending-profiles/{id}"):
        assert re.search(r"^\s+(/api/v1)?" + re.escape(path) + r":\s*$", text, re.M), path


def test_malformed_http_does_not_kill_the_server(server):
    import socket
    for raw in (b"GARBAGE\r\n\r\n", b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                b"POST /api/v1/groups HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
                b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200_000 + b"\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.admin_port), timeout=5) as s:
            try:
                s.sendall(raw)
                s.shutdown(socket.SHUT_WR)
                data = s.recv(4096)
            except OSError:
                data = b""
            if data:
                status = int(data.split(b" ", 2)[1])
                assert 400 <= status < 500, data[:200]
    assert requests.get(server.base_url + "/healthz", timeout=10).status_code == 200


def test_node_roles_decide_what_a_node_serves(make_server):
    # One data folder (one store), started with different roles in turn.
    s = make_server(extra_env={"PHISHDRILL_NODE_ROLES": "phish,worker"})
    assert expect(requests.get(s.base_url + "/healthz", timeout=10), 200)["database"] == "ok"
    assert requests.get(s.base_url + "/metrics", timeout=10).status_code in (401, 200)
    r = s.api().get("/api/v1/me")
    assert r.status_code == 404, r.text  # no admin API on a phish and worker node
    assert requests.get(s.phish_url + "/healthz", timeout=10).status_code == 200
    assert "Roles:            phish,worker" in s.stdout_path.read_text("utf-8", "replace")
    assert s.stop() == 0
    s.env["PHISHDRILL_NODE_ROLES"] = "admin"
    s.start()
    assert expect(s.api().get("/api/v1/me"), 200)["user"]["email"] == s.admin_email
    with pytest.raises(requests.ConnectionError):
        requests.get(s.phish_url + "/healthz", timeout=5)  # no phish listener


def test_an_unknown_role_is_refused(tmp_path):
    s = Server(data_dir=tmp_path / "data", name="pd-roles")
    try:
        p = s.cli("serve", "--role", "admin,mail")
        assert p.returncode == 2, (p.stdout, p.stderr)
        assert "--role: node.roles must list admin, phish, worker or all" in p.stderr, p.stderr
    finally:
        s.cleanup()


def test_a_replaced_secret_key_is_refused_at_start(make_server):
    s = make_server()
    expect(s.api().get("/api/v1/me"), 200)
    assert s.stop() == 0
    key = s.data_dir / "secret.key"
    original = key.read_bytes()
    key.write_bytes(bytes(b ^ 0xFF for b in original))  # same size, another key
    p = s.cli("migrate")
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "secret.key is not the one the database was set up with" in p.stderr, p.stderr
    key.write_bytes(original)
    s.start()
    expect(s.api().get("/api/v1/me"), 200)
