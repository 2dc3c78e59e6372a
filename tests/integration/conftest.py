"""Fixtures for the phishdrill integration suite.

The harness itself (Server, ApiSession, helpers) lives in harness.py next to this
file; it is re-exported here. Each test module gets its own server (fresh data
dir, fresh loopback ports); tests that need special settings start their own
Server(extra_env=...).

Environment: PHISHDRILL_BIN = path of the binary (default build/phishdrill);
PHISHDRILL_KEEP_DATA=1 keeps the data dirs for inspection.
"""

from __future__ import annotations

import pytest

from harness import (  # noqa: F401  (re-exported for tests)
    ADMIN_EMAIL,
    RESOURCES,
    ApiSession,
    Server,
    describe,
    expect,
    expect_error,
    group_body,
    list_all,
    page_body,
    profile_body,
    random_password,
    raw_request,
    template_body,
    uniq,
)
from smtp_sink import SmtpSink  # noqa: F401  (re-exported for tests)


@pytest.fixture
def make_server(request):
    """Factory: start an extra server (e.g. with low lockout); stopped at test end."""
    started = []

    def make(extra_env=None, **kw):
        s = Server(extra_env=extra_env, **kw)
        started.append(s)
        return s.start()

    yield make
    for s in started:
        s.cleanup()


@pytest.fixture
def make_sink():
    """Factory: start an SMTP sink subprocess (see smtp_sink.py); stopped at test end.

    make_sink(defer_data=1, defer_data_for=["a@x.test"], reject_rcpt=["b@x.test"], ...)"""
    started = []

    def make(**kw) -> SmtpSink:
        sink = SmtpSink(**kw)
        started.append(sink)
        return sink.start()

    yield make
    for sink in started:
        sink.cleanup()


@pytest.fixture(scope="module")
def sink():
    """One SMTP sink shared by a test module (see smtp_sink.py)."""
    s = SmtpSink().start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-mod")
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def api(server) -> ApiSession:
    """requests.Session with the initial admin API key (Bearer)."""
    with server.api() as s:
        yield s


@pytest.fixture(scope="module")
def login(server):
    """login(email, password) -> cookie ApiSession with the CSRF token remembered."""
    return server.login


@pytest.fixture(scope="module")
def admin(server) -> ApiSession:
    """Cookie session of the initial admin (password changed first if required)."""
    return server.admin_session()


@pytest.fixture(scope="module")
def role_sessions(server, api):
    """Cached cookie sessions per role (users created through the API), lazily."""
    cache: dict[str, ApiSession] = {}

    def get(role: str) -> ApiSession:
        if role not in cache:
            cache[role] = server.user_session(api, role)
        return cache[role]

    return get


@pytest.fixture(scope="module")
def role_keys(server, api):
    """Cached API-key sessions per role (keys created by the admin), lazily."""
    cache: dict[str, ApiSession] = {}

    def get(role: str) -> ApiSession:
        if role not in cache:
            k = server.create_api_key(api, role=role, name=f"{role}-key")
            assert k["role"] == role, k
            cache[role] = server.api(k["key"])
        return cache[role]

    return get
