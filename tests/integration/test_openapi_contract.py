"""docs/openapi.yaml stays true to the API, both ways: every documented operation is
served (it never answers 405 or "no such endpoint"), and every route the admin API
registers in src/api and src/app is documented with its method."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness import REPO_ROOT

SPEC = yaml.safe_load((REPO_ROOT / "docs" / "openapi.yaml").read_text("utf-8"))
METHODS = ("get", "post", "put", "patch", "delete")
# Documented paths are served under the admin server's root as written.
OPERATIONS = sorted((method, path) for path, item in SPEC["paths"].items()
                    for method in METHODS if method in item)
# Routes that are not part of the JSON API (the web app's pages).
NOT_API = {("get", "/")}


def registered_routes() -> set[tuple[str, str]]:
    routes = set()
    for source in list((REPO_ROOT / "src" / "api").glob("*.cpp")) + [
            REPO_ROOT / "src" / "app" / "server.cpp"]:
        text = source.read_text("utf-8")
        for m in re.finditer(r'router\.add(?:_async)?\(\s*"(\w+)",\s*"([^"]+)"', text):
            routes.add((m.group(1).lower(), m.group(2)))
    return routes


def test_every_registered_route_is_documented():
    routes = registered_routes()
    assert len(routes) > 60, routes  # the scan found the route table
    documented = set(OPERATIONS)
    assert sorted(routes - documented - NOT_API) == []


def concrete(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", lambda m: "sample-slug" if m.group(0) == "{slug}" else "999999",
                  path)


@pytest.mark.parametrize("method,path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_documented_operation_is_served(api, method, path):
    if path == "/api/v1/session" and method == "delete":
        pytest.skip("would end the shared session; covered by test_auth.py")
    r = api.request(method.upper(), api.base_url + concrete(path), data=b"{}",
                    headers={"Content-Type": "application/json"})
    assert r.status_code != 405, (method, path, r.status_code, r.text[:300])
    body = r.text
    assert "no such endpoint" not in body, (method, path, r.status_code, body[:300])
