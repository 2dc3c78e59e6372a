"""Email templates: CRUD, template-language validation, preview rendering, EML import."""

import base64
import json
import re

import pytest

from harness import (crud_round_trip, expect, expect_error, list_all, template_body, uniq)

T = "/api/v1/templates"
WRITABLE = ["name", "subject", "html", "text", "from", "headers", "attachments"]


def _full(name=None, **over):
    b = template_body(name)
    b.update({"headers": [{"name": "X-Campaign", "value": "drill {{.FirstName}}"}],
              "attachments": [{"name": "note.txt", "content_type": "text/plain",
                               "content": base64.b64encode(b"hello attachment").decode()}]})
    b.update(over)
    return b


def _update(name):
    return {"name": name + "-v2", "subject": "Second {{ .LastName }}", "html": "",
            "text": "Only text now {{.URL}}", "from": "helpdesk@example.test",
            "headers": [], "attachments": []}


def test_crud_with_api_key(api):
    create = _full()
    crud_round_trip(api, T, create, _update(create["name"]), WRITABLE)


def test_crud_with_cookie_session(admin):
    create = _full()
    crud_round_trip(admin, T, create, _update(create["name"]), WRITABLE)


def _state(api):
    return [(t["id"], t["name"], t["updated_at"]) for t in list_all(api, T)]


@pytest.fixture(scope="module")
def existing(api):
    return expect(api.post(T, json=template_body(uniq("existing"))), 201)


@pytest.mark.parametrize("over,field,mentions", [
    ({"html": "<p>{{.Password}}</p>"}, "html", ".Password"),
    ({"subject": '{{printf "x"}}'}, "subject", "printf"),
    ({"text": "Hi {{.Foo}}"}, "text", ".Foo"),
    ({"html": "{{if .FirstName}}x{{end}}"}, "html", "if"),
    ({"html": "{{ .FirstName | html }}"}, "html", "html"),
    ({"text": "{{/* comment */}}"}, "text", None),
    ({"html": '{{template "x"}}'}, "html", "template"),
    ({"html": "{{.FirstName.Secret}}"}, "html", None),
    ({"headers": [{"name": "X-A", "value": "ok"}, {"name": "X-B", "value": "{{.Nope}}"}]},
     "headers[1].value", ".Nope"),
])
def test_bad_template_expressions(api, existing, over, field, mentions):
    before = _state(api)
    err = expect_error(api.post(T, json=template_body(**over)), 422, "validation", field=field)
    if mentions:
        assert mentions in err["message"], err
    # Same rule on update.
    body = template_body(existing["name"])
    body.update(over)
    expect_error(api.put(f"{T}/{existing['id']}", json=body), 422, "validation", field=field)
    assert _state(api) == before
    assert expect(api.get(f"{T}/{existing['id']}"), 200) == existing


@pytest.mark.parametrize("over,status,code,field", [
    ({"name": ""}, 422, "validation", "name"),
    ({"name": "n" * 201}, 422, "validation", "name"),
    ({"subject": ""}, 422, "validation", "subject"),
    ({"html": "", "text": ""}, 422, "validation", None),
    ({"from": "not an address"}, 422, "validation", "from"),
    ({"headers": [{"name": "Bad Header", "value": "x"}]}, 422, "validation", None),
    ({"headers": [{"name": "X-Inject", "value": "a\r\nBcc: victim@example.test"}]}, 422,
     "validation", None),
    ({"headers": [{"name": "X-Ok\r\nBcc", "value": "x"}]}, 422, "validation", None),
    ({"attachments": [{"name": "a.txt", "content_type": "text/plain", "content": "!!!notb64"}]},
     422, "validation", None),
    ({"from": "a@example.test\r\nBcc: x@example.test"}, 422, "validation", "from"),
    ({"subject": 5}, 422, "invalid_type", "subject"),
    ({"bogus": 1}, 422, "unknown_field", "bogus"),
])
def test_template_validation(api, existing, over, status, code, field):
    before = _state(api)
    err = expect_error(api.post(T, json=template_body(**over)), status, code, field=field)
    if field is None and "headers" in over:
        assert err.get("field", "").startswith("headers[0]"), err
    if field is None and "attachments" in over:
        assert err.get("field", "").startswith("attachments[0]"), err
    assert _state(api) == before


def test_missing_subject_and_name(api):
    before = _state(api)
    b = template_body()
    del b["subject"]
    expect_error(api.post(T, json=b), 422, "validation", field="subject")
    b = template_body()
    del b["name"]
    expect_error(api.post(T, json=b), 422, "validation", field="name")
    assert _state(api) == before


def test_duplicate_name_is_409(api, existing):
    before = _state(api)
    expect_error(api.post(T, json=template_body(existing["name"])), 409, "conflict", field="name")
    assert _state(api) == before


def test_whitespace_in_braces_accepted(api):
    t = expect(api.post(T, json=template_body(html="<p>{{ .FirstName }} {{.LastName}}</p>",
                                              text="{{  .Email  }}")), 201)
    prev = expect(api.post(f"{T}/{t['id']}/preview", json={"target": {
        "email": "ws@example.test", "first_name": "Wendy", "last_name": "Space",
        "position": "Ops"}}), 200)
    assert "Wendy Space" in prev["html"]
    assert prev["text"].strip() == "ws@example.test"


# --------------------------------------------------------------------------- preview

XSS_NAME = "<script>alert(1)</script>{{.Email}}"


def test_html_in_target_name_stored_verbatim_and_escaped_in_preview(server, api):
    email = f"{uniq('xss')}@example.test"
    g = expect(api.post("/api/v1/groups", json={"name": uniq("xss"), "targets": [
        {"email": email, "first_name": XSS_NAME, "last_name": "O'Brien & Sons",
         "position": '"Boss"'}]}), 201)
    [t] = list_all(api, f"/api/v1/groups/{g['id']}/targets")
    assert t["first_name"] == XSS_NAME and t["last_name"] == "O'Brien & Sons"
    assert t["position"] == '"Boss"'

    tmpl = expect(api.post(T, json=template_body(
        subject="Hello {{.FirstName}}",
        html="<p>Hi {{.FirstName}} {{.LastName}}</p><p>Mail: {{.Email}}</p>"
             '<a href="{{.URL}}">open</a>{{.Tracker}}',
        text="Hi {{.FirstName}} {{.LastName}} <{{.Email}}>")), 201)
    prev = expect(api.post(f"{T}/{tmpl['id']}/preview", json={"target": {
        "email": email, "first_name": XSS_NAME, "last_name": "O'Brien & Sons",
        "position": '"Boss"'}}), 200)
    assert set(prev) >= {"subject", "html", "text", "from"}, prev
    html = prev["html"]
    assert "&lt;script&gt;" in html, html
    assert "<script" not in html, html
    assert "&amp; Sons" in html and "O'Brien & Sons" not in html, html
    # The {{.Email}} inside the name is data, not template: the address appears only once.
    assert html.count(email) == 1, html
    assert "Mail: " + email in html
    # Text and subject are verbatim.
    assert prev["text"] == f"Hi {XSS_NAME} O'Brien & Sons <{email}>", prev["text"]
    assert prev["subject"] == f"Hello {XSS_NAME}", prev["subject"]


def test_preview_variables(server, api):
    base = server.phish_url
    tmpl = expect(api.post(T, json=template_body(
        subject="For {{.FirstName}} {{.LastName}}",
        html='<p>{{.FirstName}}</p><a href="{{.URL}}">go</a>{{.Tracker}}',
        text="URL={{.URL}}\nTRACK={{.TrackingURL}}\nRID={{.RId}}\nBASE={{.BaseURL}}\n"
             "POS={{.Position}}\nMAIL={{.Email}}\nFROM={{.From}}\nNAME={{.FirstName}} {{.LastName}}",
        **{"from": "IT Desk <it@example.test>"})), 201)
    prev = expect(api.post(f"{T}/{tmpl['id']}/preview", json={"target": {
        "email": "pat@example.test", "first_name": "Pat", "last_name": "Doe",
        "position": "Engineer"}}), 200)
    lines = dict(l.split("=", 1) for l in prev["text"].splitlines() if "=" in l)
    rid = lines["RID"]
    assert rid and "{{" not in rid, prev["text"]
    assert lines["URL"] == f"{base}/?rid={rid}", lines
    assert lines["TRACK"] == f"{base}/track?rid={rid}", lines
    assert lines["BASE"].rstrip("/") == base, lines
    assert lines["POS"] == "Engineer" and lines["MAIL"] == "pat@example.test"
    assert lines["NAME"] == "Pat Doe"
    assert lines["FROM"] and "{{" not in lines["FROM"], lines
    assert prev["subject"] == "For Pat Doe"
    assert "it@example.test" in prev["from"]
    html = prev["html"]
    assert "<p>Pat</p>" in html
    assert f'href="{base}/?rid={rid}"' in html, html
    assert "?rid=" in html
    m = re.search(r"<img[^>]*>", html)
    assert m, html
    assert f'src="{base}/track?rid={rid}"' in m.group(0) and "display:none" in m.group(0), m.group(0)
    assert "{{" not in html


def test_tracker_markup_exactly_as_specified(server, api):
    base = server.phish_url
    tmpl = expect(api.post(T, json=template_body(html="{{.Tracker}}", text="{{.RId}}")), 201)
    prev = expect(api.post(f"{T}/{tmpl['id']}/preview", json={}), 200)
    rid = prev["text"].strip()
    assert prev["html"] == (f'<img alt="" width="1" height="1" style="display:none" '
                            f'src="{base}/track?rid={rid}">'), \
        prev["html"]


def test_preview_defaults_to_sample_person(api):
    tmpl = expect(api.post(T, json=template_body(text="Hi {{.FirstName}} {{.Email}} {{.URL}}")),
                  201)
    for kwargs in ({"json": {}}, {}):
        prev = expect(api.post(f"{T}/{tmpl['id']}/preview", **kwargs), 200)
        assert "{{" not in prev["text"] and "{{" not in prev["html"], prev
        assert "@" in prev["text"] and "?rid=" in prev["text"], prev


def test_preview_unknown_template_is_404(api):
    expect_error(api.post(f"{T}/987654/preview", json={}), 404, "not_found")


def test_preview_changes_nothing(api, existing):
    before = _state(api)
    expect(api.post(f"{T}/{existing['id']}/preview", json={}), 200)
    assert _state(api) == before


# --------------------------------------------------------------------------- EML import

EML = "\r\n".join([
    'From: "IT Support" <it-support@example.test>',
    "To: someone@example.test",
    "Subject: Password expiry notice",
    "Date: Mon, 02 Nov 2026 10:00:00 +0000",
    "Message-ID: <abc123@example.test>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/alternative; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Your password expires today. Reset it at https://evil.example.test/reset",
    "--b1",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<html><body><p>Your password expires today.</p>'
    '<a href="https://evil.example.test/reset">Reset now</a> '
    '<a href="https://other.example.test/help">Help</a></body></html>',
    "--b1--",
    "",
])


def test_import_eml_draft(api):
    before = _state(api)
    d = expect(api.post(f"{T}/import-eml", json={"content": EML}), 200)
    assert d["subject"] == "Password expiry notice", d
    assert "Your password expires today." in d["html"]
    assert "Reset now" in d["html"]
    hrefs = re.findall(r'href\s*=\s*["\']?([^"\' >]+)', d["html"])
    assert hrefs and all(h == "{{.URL}}" for h in hrefs), d["html"]
    assert "evil.example.test" not in d["html"] and "other.example.test" not in d["html"]
    assert "Your password expires today." in d["text"]
    assert "it-support@example.test" in d["from"]
    assert isinstance(d["headers"], list) and isinstance(d["attachments"], list)
    assert _state(api) == before  # a draft is not saved


def test_import_eml_keep_links(api):
    d = expect(api.post(f"{T}/import-eml", json={"content": EML, "convert_links": False}), 200)
    assert "https://evil.example.test/reset" in d["html"], d["html"]
    assert "{{.URL}}" not in d["html"]


def test_import_eml_with_name_saves(api, admin):
    name = uniq("eml")
    t = expect(admin.post(f"{T}/import-eml", json={"content": EML, "name": name}), 201)
    assert t["name"] == name and isinstance(t["id"], int)
    assert t["subject"] == "Password expiry notice"
    assert "{{.URL}}" in t["html"]
    got = expect(api.get(f"{T}/{t['id']}"), 200)
    assert t.pop("removed") == []
    assert got == t
    assert t["id"] in [x["id"] for x in list_all(api, T)]
    # Name uniqueness applies here too.
    before = _state(api)
    expect_error(api.post(f"{T}/import-eml", json={"content": EML, "name": name}), 409,
                 "conflict", field="name")
    assert _state(api) == before


def test_import_eml_large_allowed(server, api):
    # /templates/import-eml has a 10 MiB limit (1 MiB is only the JSON default).
    big_html = "<p>" + ("padding " * 200_000) + "</p>"  # ~1.6 MB
    eml = EML.replace("<p>Your password expires today.</p>", big_html)
    body = json.dumps({"content": eml}).encode()
    assert len(body) > 1024 * 1024
    r = api.post(f"{T}/import-eml", data=body, headers={"Content-Type": "application/json"})
    d = expect(r, 200)
    assert d["subject"] == "Password expiry notice"
    assert "padding" in d["html"]


def test_large_template_allowed(api):
    # /templates takes up to 10 MiB (base64 attachments), not the 1 MiB JSON default.
    blob = base64.b64encode(b"\x00\x01binary" * 200_000).decode()  # ~2.1 MB
    t = expect(api.post(T, json=template_body(attachments=[
        {"name": "report.bin", "content_type": "application/octet-stream", "content": blob}])), 201)
    got = expect(api.get(f"{T}/{t['id']}"), 200)
    assert got["attachments"][0]["content"] == blob
    assert got["attachments"][0]["name"] == "report.bin"


def test_preview_strips_crlf_from_subject(api):
    t = expect(api.post(T, json=template_body(subject="Hi {{.FirstName}} there")), 201)
    r = api.post(f"{T}/{t['id']}/preview", json={"target": {
        "email": "crlf@example.test", "first_name": "A\r\nBcc: evil@example.test",
        "last_name": "", "position": ""}})
    prev = expect(r, 200)
    assert "\r" not in prev["subject"] and "\n" not in prev["subject"], prev["subject"]


EML_ATTACH = "\r\n".join([
    "From: Billing <billing@example.test>",
    "To: someone@example.test",
    "Subject: =?UTF-8?B?Q2Fmw6kgaW52b2ljZQ==?=",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="mix"',
    "",
    "--mix",
    "Content-Type: text/html; charset=iso-8859-1",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    '<p>Caf=E9 invoice attached. <a href=3D"https://pay.example.test/x">Pay</a></p>',
    "--mix",
    'Content-Type: text/plain; name="invoice.txt"',
    'Content-Disposition: attachment; filename="invoice.txt"',
    "Content-Transfer-Encoding: base64",
    "",
    base64.b64encode(b"Amount due: 42 EUR\n").decode(),
    "--mix--",
    "",
])


def test_import_eml_charset_encoded_subject_and_attachment(api):
    d = expect(api.post(f"{T}/import-eml", json={"content": EML_ATTACH}), 200)
    assert d["subject"] == "Café invoice", d["subject"]
    assert "Café invoice attached." in d["html"], d["html"]
    assert "pay.example.test" not in d["html"] and "{{.URL}}" in d["html"], d["html"]
    [att] = d["attachments"]
    assert att["name"] == "invoice.txt", att
    assert att["content_type"].startswith("text/plain"), att
    assert base64.b64decode(att["content"]) == b"Amount due: 42 EUR\n"


def test_put_is_full_replace(api, existing):
    before = _state(api)
    expect_error(api.put(f"{T}/{existing['id']}", json={"name": existing["name"]}), 422,
                 "validation", field="subject")
    assert _state(api) == before


def test_over_ten_mib_template_is_413(server, api):
    before = _state(api)
    data = json.dumps(template_body(html="<p>" + "x" * (11 * 1024 * 1024) + "</p>")).encode()
    from harness import raw_request
    r = raw_request(server.base_url, "POST", T, data, {
        "Content-Type": "application/json", "Authorization": f"Bearer {server.api_key}"})
    expect_error(r, 413, "payload_too_large")
    assert _state(api) == before


# --------------------------------------------------------------------------- .eml: active content


def _eml(html: str, charset: str = "utf-8", extra_parts: str = "") -> str:
    if not extra_parts:
        return "\r\n".join(["From: a@example.test", "Subject: s", "MIME-Version: 1.0",
                            f"Content-Type: text/html; charset={charset}", "", html, ""])
    return "\r\n".join(["From: a@example.test", "Subject: s", "MIME-Version: 1.0",
                        'Content-Type: multipart/related; boundary="r"', "", "--r",
                        f"Content-Type: text/html; charset={charset}", "", html, extra_parts,
                        "--r--", ""])


def test_import_eml_strips_active_content_and_says_so(api):
    html = ('<p onmouseover="x()">Hi</p><script>fetch("//evil.example")</script>'
            '<img src="logo.png" onerror="alert(1)"><a href="javascript:alert(2)">pay</a>'
            '<a href="https://ok.example.test/">ok</a><iframe src="https://evil.example/"></iframe>'
            '<meta http-equiv="refresh" content="0;url=https://evil.example/">')
    d = expect(api.post(f"{T}/import-eml",
                        json={"content": _eml(html), "convert_links": False}), 200)
    for gone in ("<script", "onmouseover", "onerror", "javascript:", "<iframe", "refresh",
                 "evil.example"):
        assert gone not in d["html"], (gone, d["html"])
    assert 'href="https://ok.example.test/"' in d["html"] and 'src="logo.png"' in d["html"]
    removed = " | ".join(d["removed"])
    for what in ("<script> element", "onmouseover attribute", "onerror attribute",
                 "javascript: URL in href", "<iframe> element", "refresh"):
        assert what in removed, (what, d["removed"])
    saved = expect(api.post(f"{T}/import-eml", json={"content": _eml(html), "name": uniq("act")}),
                   201)
    assert "<script" not in saved["html"] and saved["removed"], saved


@pytest.mark.parametrize("charset", ["utf-7", "UTF7", "unicode-1-1-utf-7"])
def test_import_eml_refuses_utf7(api, charset):
    before = _state(api)
    r = api.post(f"{T}/import-eml", json={
        "content": _eml("+ADw-script+AD4-alert(1)+ADw-/script+AD4-", charset), "name": uniq("u7")})
    err = expect_error(r, 422, "validation", field="content")
    assert "UTF-7" in err["message"], err
    assert _state(api) == before


def test_import_eml_keeps_cid_images_inline(api):
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode()
    part = "\r\n".join(["--r", "Content-Type: image/png", "Content-ID: <logo.7@example.test>",
                        "Content-Transfer-Encoding: base64", "", png])
    d = expect(api.post(f"{T}/import-eml", json={
        "content": _eml('<p><img src="cid:logo.7@example.test"></p>', extra_parts=part)}), 200)
    assert 'src="cid:logo.7@example.test"' in d["html"], d["html"]
    [att] = d["attachments"]
    assert att["name"] == "logo.7@example.test" and att["content_type"] == "image/png", att
    assert base64.b64decode(att["content"]) == b"\x89PNG\r\n\x1a\nfake"
