"""The simulation library through the admin API: every shipped simulation is listed,
filtered and searched; one is shown with its red flags, Phish Scale cues and a preview
branded for the workspace; and using it copies it into the workspace as a template and
landing page that a campaign then sends with tracked links."""

from pathlib import Path

from campaign_support import create_campaign, launch, make_group, smtp_profile
from harness import expect, expect_error

LIBRARY = Path(__file__).resolve().parents[2] / "content" / "simulations"
S = "/api/v1/library/simulations"


def shipped_slugs() -> set[str]:
    return {p.name for p in LIBRARY.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))}


def test_every_shipped_simulation_is_listed_and_filters_narrow_it(api, role_keys):
    viewer = role_keys("viewer")
    listed = expect(viewer.get(S), 200)
    items = listed["items"]
    assert {s["slug"] for s in items} == shipped_slugs()
    assert len(items) >= 60
    assert [s["title"] for s in items] == sorted(s["title"] for s in items)
    assert sum(s["has_landing_page"] for s in items) >= 15
    assert "healthcare" in listed["categories"] and listed["languages"] == ["en", "es"]

    spanish = expect(viewer.get(S, params={"language": "es"}), 200)["items"]
    assert len(spanish) >= 10 and all(s["language"] == "es" for s in spanish)
    qr = expect(viewer.get(S, params={"channel": "qr-code", "category": "qr-code"}), 200)["items"]
    assert qr and all(s["channel"] == "qr-code" for s in qr)
    found = expect(viewer.get(S, params={"q": "INVOICE"}), 200)["items"]
    assert found and all("invoice" in (s["title"] + s["summary"] + " ".join(s["tags"])).lower()
                         for s in found)
    assert expect(viewer.get(S, params={"q": "zzzz-nothing"}), 200)["items"] == []
    # Case and accents aside, in any language of the library.
    accented = {s["slug"] for s in expect(viewer.get(S, params={"q": "CONTRASEÑA"}), 200)["items"]}
    plain = {s["slug"] for s in expect(viewer.get(S, params={"q": "contrasena"}), 200)["items"]}
    assert "password-expires-today-es" in accented and accented == plain, (accented, plain)
    assert len(expect(viewer.get(S, params={"category": ""}), 200)["items"]) == len(items)
    for name, value in [("category", "phishing"), ("language", "fr"), ("channel", "sms"),
                        ("audience", "robots")]:
        err = expect_error(viewer.get(S, params={name: value}), 422, "validation")
        assert err["field"] == name, err


def test_a_simulation_is_shown_branded_for_the_workspace(api):
    make_group(api, 3, dom="riverside-health.org")
    one = expect(api.get(f"{S}/supplier-bank-details-change"), 200)
    assert one["category"] == "invoice-and-payment" and one["red_flags"] and one["cues"]
    assert all(c["category"] in {"errors", "technical", "visual", "language"} for c in one["cues"])
    assert set(one["premise"]) == {"workplace_process", "workplace_relevance", "external_events",
                                   "consequences", "training_exposure"}
    assert one["branding"]["org_domain"] == "riverside-health.org", one["branding"]
    preview = one["preview"]
    assert "{{" not in preview["html"] and "{{" not in preview["subject"]
    assert "/?rid=" in preview["html"] and "/?rid=" in preview["text"]

    branded = expect(api.get(f"{S}/shared-spreadsheet"), 200)
    assert branded["landing_page"] == {"title": branded["landing_page"]["title"],
                                       "capture": "fields"}
    assert branded["preview"]["landing_html"] and "<form" in branded["preview"]["landing_html"]
    # The organisation's name and domain stand in for {{.OrgName}} and {{.OrgDomain}}.
    bonus = expect(api.get(f"{S}/annual-bonus-letter"), 200)
    assert "{{.OrgName}}" in bonus["from_name"] and "{{.OrgDomain}}" in bonus["from_address"]
    assert bonus["branding"]["org_name"] in bonus["preview"]["from"], bonus["preview"]["from"]
    assert "riverside-health.org" in bonus["preview"]["from"], bonus["preview"]["from"]

    expect_error(api.get(f"{S}/no-such-simulation"), 404, "not_found")
    expect_error(api.get(f"{S}/..%2f..%2fetc"), 404, "not_found")


def test_using_a_simulation_copies_it_and_a_campaign_sends_it_tracked(api, role_keys, sink):
    viewer = role_keys("viewer")
    expect_error(viewer.post(f"{S}/shared-spreadsheet/use", json={}), 403, "forbidden")
    operator = role_keys("operator")
    used = expect(operator.post(f"{S}/shared-spreadsheet/use", json={}), 201)
    assert used["template_name"].startswith("Library: ") and used["landing_page_id"], used
    again = expect(operator.post(f"{S}/shared-spreadsheet/use", json={}), 201)
    assert again["template_name"] == used["template_name"] + " (2)", again
    bare = expect(operator.post(f"{S}/missed-voicemail/use"), 201)  # no body: the defaults
    assert bare["template_name"].startswith("Library: "), bare
    named = expect(operator.post(f"{S}/missed-voicemail/use", json={"name": "Voicemail Q1"}), 201)
    assert named["template_name"] == "Voicemail Q1" and named["landing_page_id"] is None
    expect_error(operator.post(f"{S}/missed-voicemail/use", json={"name": "Voicemail Q1"}),
                 409, "conflict")
    expect_error(operator.post(f"{S}/missed-voicemail/use", json={"colour": "red"}), 422,
                 "unknown_field")

    tmpl = expect(api.get(f"/api/v1/templates/{used['template_id']}"), 200)
    assert "{{.OrgName}}" not in tmpl["from"] + tmpl["html"] and tmpl["red_flags"], tmpl
    page = expect(api.get(f"/api/v1/pages/{used['landing_page_id']}"), 200)
    assert page["capture"] == "fields" and "<form" in page["html"]
    audit = expect(api.get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    assert any(e["action"] == "library.use" for e in audit)

    group = make_group(api, 2)
    profile = smtp_profile(api, sink)
    camp = create_campaign(api, [used["template_id"]], [group["id"]], profile["id"],
                           page_id=used["landing_page_id"])
    launch(api, camp["id"])
    sink.wait_for_count(2, timeout=30)
    for m in sink.messages():
        body = m.raw.decode("utf-8", "replace")
        assert "rid=" in body and "{{" not in body, body[:2000]


def zbar(png: bytes) -> str:
    """What a real QR reader (zbarimg, Debian's zbar-tools) reads in a PNG."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(png)
        f.flush()
        out = subprocess.run(["zbarimg", "--quiet", "--raw", f.name], capture_output=True,
                             text=True, timeout=30)
    return out.stdout.strip()


def test_each_person_gets_a_qr_code_of_their_own_tracked_link(api, sink):
    import re
    used = expect(api.post(f"{S}/qr-parking-permit/use", json={}), 201)
    group = make_group(api, 3)
    profile = smtp_profile(api, sink)
    before = len(sink.messages())
    camp = create_campaign(api, [used["template_id"]], [group["id"]], profile["id"])
    launch(api, camp["id"])
    sink.wait_for_count(before + 3, timeout=30)
    seen = set()
    for m in sink.messages()[before:]:
        html = next(p for p in m.msg.walk() if p.get_content_type() == "text/html")
        html_text = html.get_content()
        links = set(re.findall(r'href="([^"]*rid=[^"]*)"', html_text))
        links = {l.replace("&amp;", "&") for l in links if "decoy" not in l}
        assert 'src="cid:qr-code.png"' in html_text, html_text[:500]
        images = [p for p in m.msg.walk() if p.get_content_type() == "image/png"]
        assert len(images) == 1 and images[0].get("Content-ID") == "<qr-code.png>", images
        read = zbar(images[0].get_content())
        assert read in links, (read, links)
        seen.add(read)
    assert len(seen) == 3  # one code per person


def test_an_attached_html_file_carries_each_persons_link(api, sink):
    import re
    used = expect(api.post(f"{S}/html-remittance-advice/use", json={}), 201)
    group = make_group(api, 2)
    profile = smtp_profile(api, sink)
    before = len(sink.messages())
    camp = create_campaign(api, [used["template_id"]], [group["id"]], profile["id"])
    launch(api, camp["id"])
    sink.wait_for_count(before + 2, timeout=30)
    files = []
    for m in sink.messages()[before:]:
        body = next(p for p in m.msg.walk() if p.get_content_type() == "text/html"
                    and not p.get_filename())
        links = {l.replace("&amp;", "&") for l in re.findall(r'href="([^"]*rid=[^"]*)"',
                                                              body.get_content())}
        (attached,) = [p for p in m.msg.walk() if p.get_filename()]
        content = attached.get_content()
        content = content.decode() if isinstance(content, bytes) else content
        assert "{{" not in content
        file_links = {l.replace("&amp;", "&") for l in re.findall(r'href="([^"]*)"', content)}
        assert file_links and file_links <= links, (file_links, links)
        files.append(content)
    assert files[0] != files[1]  # each person's own link
