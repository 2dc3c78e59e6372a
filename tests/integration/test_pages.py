"""Landing pages: CRUD through key and session, validation."""

import pytest

from harness import crud_round_trip, expect, expect_error, list_all, page_body, uniq

P = "/api/v1/pages"
WRITABLE = ["name", "html", "capture", "redirect_url"]


def _update(name):
    return {"name": name + "-v2", "html": "<html><body><h1>Updated</h1></body></html>",
            "capture": "values", "redirect_url": ""}


def test_crud_with_api_key(api):
    create = page_body()
    crud_round_trip(api, P, create, _update(create["name"]), WRITABLE)


def test_crud_with_cookie_session(admin):
    create = page_body(capture="none")
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
