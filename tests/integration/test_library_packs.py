"""Packs of simulations through the admin API: an organisation exports simulations and its
own templates as a pack (a gzip-compressed tar of library folders), imports packs into its
workspace's library (taken whole or not at all, versions raised to replace), sees and uses
the imported simulations like the shipped ones, removes them, and every bad archive is
refused with a message naming what is wrong and leaves the library as it was."""

import gzip
import io
import tarfile
import tomllib
from pathlib import Path

import pytest
from harness import expect, expect_error, uniq

LIBRARY = Path(__file__).resolve().parents[2] / "content" / "simulations"
S = "/api/v1/library/simulations"
PACKS = "/api/v1/library/packs"
EXPORT = "/api/v1/library/export"
GZIP = {"Content-Type": "application/gzip"}
TAR = {"Content-Type": "application/x-tar"}


def folder_files(slug: str) -> dict[str, bytes]:
    root = LIBRARY / slug
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def renamed(files: dict[str, bytes], old: str, new: str, version: int | None = None) -> dict:
    """A shipped folder's files as simulation `new` (and at `version` when given)."""
    out = dict(files)
    lines = out["simulation.toml"].decode().splitlines()
    assert f'slug = "{old}"' in lines or f"slug = '{old}'" in lines
    lines = [f'slug = "{new}"' if line.startswith("slug =") else line for line in lines]
    if version is not None:
        lines = [f"version = {version}" if line.startswith("version =") else line
                 for line in lines]
    out["simulation.toml"] = ("\n".join(lines) + "\n").encode()
    return out


def tar_of(folders: dict[str, dict[str, bytes]], compress=True, extra=()) -> bytes:
    """`extra`: (TarInfo, bytes|None) entries added as they are (hostile ones)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz" if compress else "w",
                      format=tarfile.USTAR_FORMAT) as tar:
        for slug, files in folders.items():
            for path, data in sorted(files.items()):
                info = tarfile.TarInfo(f"{slug}/{path}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def unpack(pack: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(pack), mode="r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}


def imported(api) -> dict[str, dict]:
    return {s["slug"]: s for s in expect(api.get(S, params={"source": "imported"}), 200)["items"]}


@pytest.fixture
def cleanup(api):
    yield
    for slug in imported(api):
        expect(api.delete(f"{S}/{slug}"), 204)


def test_a_pack_round_trips_and_its_simulations_are_used_like_shipped_ones(api, cleanup):
    # Export a shipped simulation: the pack holds its folder, as the library's format.
    r = api.post(EXPORT, json={"simulations": ["ceo-urgent-favour"]})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/gzip"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="phishdrill-pack-')
    files = unpack(r.content)
    assert set(files) == {"ceo-urgent-favour/simulation.toml", "ceo-urgent-favour/email.html",
                          "ceo-urgent-favour/email.txt"}
    assert files["ceo-urgent-favour/email.html"] == folder_files("ceo-urgent-favour")["email.html"]

    # Import it under a new slug: listed as imported, rated, previewed, copied.
    ours = {k.split("/", 1)[1]: v for k, v in files.items()}
    pack = tar_of({"our-ceo-favour": renamed(ours, "ceo-urgent-favour", "our-ceo-favour")})
    result = expect(api.post(PACKS, data=pack, headers=GZIP), 201)
    assert result["simulations"] == [{"slug": "our-ceo-favour", "title": result["simulations"][0]
                                      ["title"], "version": 1, "outcome": "added"}]
    listed = imported(api)["our-ceo-favour"]
    assert listed["source"] == "imported" and not listed["replaces_shipped"]
    assert listed["imported_at"] > 0 and listed["difficulty"]
    everything = expect(api.get(S), 200)["items"]
    assert [s["title"] for s in everything] == sorted(s["title"] for s in everything)
    shipped = expect(api.get(S, params={"source": "shipped"}), 200)["items"]
    assert "our-ceo-favour" not in {s["slug"] for s in shipped} and len(everything) == len(shipped) + 1
    detail = expect(api.get(f"{S}/our-ceo-favour"), 200)
    assert detail["source"] == "imported" and "{{.URL}}" not in detail["preview"]["html"]
    used = expect(api.post(f"{S}/our-ceo-favour/use", json={"name": uniq("ours")}), 201)
    tmpl = expect(api.get(f"/api/v1/templates/{used['template_id']}"), 200)
    assert tmpl["phish_scale"]["library_slug"] == "our-ceo-favour"

    # The same pack again changes nothing; other files at the same version are refused.
    again = expect(api.post(PACKS, data=pack, headers=GZIP), 201)
    assert again["simulations"][0]["outcome"] == "unchanged"
    changed = renamed(ours, "ceo-urgent-favour", "our-ceo-favour")
    changed["email.txt"] = changed["email.txt"] + b"\nThanks.\n"
    err = expect_error(api.post(PACKS, data=tar_of({"our-ceo-favour": changed}), headers=GZIP),
                       409, "conflict")
    assert "raise version" in err["message"]
    newer = renamed(ours, "ceo-urgent-favour", "our-ceo-favour", version=2)
    newer["email.txt"] = changed["email.txt"]
    result = expect(api.post(PACKS, data=tar_of({"our-ceo-favour": newer}, compress=False),
                             headers=TAR), 201)
    assert result["simulations"][0]["outcome"] == "updated"
    assert imported(api)["our-ceo-favour"]["version"] == 2
    # Exported again, an import comes back byte for byte.
    r = api.post(EXPORT, json={"simulations": ["our-ceo-favour"]})
    assert unpack(r.content)["our-ceo-favour/email.txt"] == newer["email.txt"]

    # Removing it leaves the template copied from it.
    expect(api.delete(f"{S}/our-ceo-favour"), 204)
    expect_error(api.get(f"{S}/our-ceo-favour"), 404, "not_found")
    expect_error(api.delete(f"{S}/our-ceo-favour"), 404, "not_found")
    expect(api.get(f"/api/v1/templates/{used['template_id']}"), 200)
    err = expect_error(api.delete(f"{S}/ceo-urgent-favour"), 409, "conflict")
    assert "shipped" in err["message"]


def test_an_import_replaces_a_shipped_simulation_only_at_a_higher_version(api, cleanup):
    slug = "ceo-urgent-favour"
    files = folder_files(slug)
    # The shipped folder as it is: nothing to do.
    same = expect(api.post(PACKS, data=tar_of({slug: files}), headers=GZIP), 201)
    assert same["simulations"][0]["outcome"] == "unchanged" and imported(api) == {}
    ours = dict(files)
    ours["email.txt"] = ours["email.txt"] + b"\nOur own words.\n"
    err = expect_error(api.post(PACKS, data=tar_of({slug: ours}), headers=GZIP), 409, "conflict")
    assert "shipped" in err["message"] and "raise version" in err["message"]
    ours = renamed(ours, slug, slug, version=9)
    expect(api.post(PACKS, data=tar_of({slug: ours}), headers=GZIP), 201)
    listed = [s for s in expect(api.get(S), 200)["items"] if s["slug"] == slug]
    assert len(listed) == 1 and listed[0]["source"] == "imported"
    assert listed[0]["replaces_shipped"] and listed[0]["version"] == 9
    expect(api.delete(f"{S}/{slug}"), 204)
    back = expect(api.get(f"{S}/{slug}"), 200)
    assert back["source"] == "shipped" and back["version"] < 9


def hostile(name: str, kind=tarfile.REGTYPE, data: bytes = b"x", link: str = ""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    return info, data if kind == tarfile.REGTYPE else None


def test_bad_packs_are_refused_by_name_and_change_nothing(api, cleanup):
    good = renamed(folder_files("ceo-urgent-favour"), "ceo-urgent-favour", "fine-one")
    broken = renamed(folder_files("ceo-urgent-favour"), "ceo-urgent-favour", "broken-one")
    broken["email.txt"] = b"No link here at all.\n"
    cases = [
        (b"", "tar archive"),
        (b"this is not an archive" * 40, "not a ustar header"),
        (gzip.compress(b"\0" * (21 << 20)), "more than 20 MiB"),
        (b"\x1f\x8b\x08\x00garbage", "gzip"),
        (tar_of({}, extra=[hostile("../escape.txt")]), ".."),
        (tar_of({}, extra=[hostile("/etc/passwd")]), "absolute"),
        (tar_of({"fine-one": good}, extra=[hostile("fine-one/link.html", tarfile.SYMTYPE,
                                                     link="/etc/passwd")]), "links"),
        (tar_of({"fine-one": good}, extra=[hostile("notes.txt")]), "root"),
        (tar_of({"fine-one": {**good, "email.htm": b"<p>typo</p>"}}), "email.htm"),
        (tar_of({"Fine One": good}), "slug"),
        (tar_of({}), "no simulation"),
        (tar_of({"fine-one": good, "broken-one": broken}), "broken-one"),
        (tar_of({"fine-one": renamed(good, "fine-one", "other-name")}), "folder name"),
    ]
    for body, words in cases:
        err = expect_error(api.post(PACKS, data=body, headers=GZIP), 422, "validation")
        assert words in err["message"], (words, err["message"])
    assert imported(api) == {}  # the good folder of a pack with a broken one is not kept


def test_only_admins_import_and_remove_and_viewers_do_not_export(api, role_keys, cleanup):
    pack = tar_of({"role-check": renamed(folder_files("ceo-urgent-favour"), "ceo-urgent-favour",
                                         "role-check")})
    operator, viewer = role_keys("operator"), role_keys("viewer")
    expect_error(operator.post(PACKS, data=pack, headers=GZIP), 403, "forbidden")
    expect(api.post(PACKS, data=pack, headers=GZIP), 201)
    expect_error(operator.delete(f"{S}/role-check"), 403, "forbidden")
    expect_error(viewer.post(EXPORT, json={"simulations": ["role-check"]}), 403, "forbidden")
    assert operator.post(EXPORT, json={"simulations": ["role-check"]}).status_code == 200
    # Audited, with what came in.
    entries = expect(api.get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    imports = [e for e in entries if e["action"] == "library.import"]
    assert imports and "role-check" in str(imports[0]), entries


def test_bad_export_requests_name_the_problem(api):
    expect_error(api.post(EXPORT, json={}), 422, "validation")
    err = expect_error(api.post(EXPORT, json={"simulations": ["ceo-urgent-favour", "no-such"]}),
                       404, "not_found")
    assert err["field"] == "simulations[1]"
    err = expect_error(api.post(EXPORT, json={"templates": [{"template_id": 999999}]}), 404,
                       "not_found")
    assert err["field"] == "templates[0].template_id"
    err = expect_error(api.post(EXPORT, json={"templates": [{"tmpl": 1}]}), 422, "unknown_field")
    assert err["field"] == "templates[0].tmpl"
    expect_error(api.post(EXPORT, json={"simulations": "ceo-urgent-favour"}), 422, "invalid_type")
    err = expect_error(api.post(EXPORT, json={"simulations": [3]}), 422, "invalid_type")
    assert err["field"] == "simulations[0]"


def our_template(api, **over) -> dict:
    workspace = expect(api.get("/api/v1/me"), 200)["workspace"]["name"]
    body = {"name": uniq("Pay slip ready"),
            "subject": f"Your {workspace} pay slip is ready",
            "from": f"{workspace} Payroll <payroll@payroll-portal.example>",
            "html": '<p>Hello {{.FirstName}},</p><p><a href="{{.URL}}">Open your pay slip</a>'
                    "</p>{{.Tracker}}",
            "text": "Hello {{.FirstName}}, open your pay slip: {{.URL}}",
            "red_flags": [{"part": "from", "text": "payroll-portal.example",
                           "explanation": "Payroll writes from our own domain."}],
            "phish_scale": {"category": "hr-and-payroll",
                            "cues": [{"type": "sense_of_urgency", "where": "the subject"}]}}
    body.update(over)
    return expect(api.post("/api/v1/templates", json=body), 201)


def test_templates_export_as_simulations_that_import_elsewhere(api, cleanup):
    workspace = expect(api.get("/api/v1/me"), 200)["workspace"]["name"]
    tmpl = our_template(api)
    page = expect(api.post("/api/v1/pages", json={
        "name": "Pay slip sign-in", "capture": "fields",
        "html": '<form method="post"><label>Email <input name="email"></label>'
                "<button>Sign in</button></form>"}), 201)
    r = api.post(EXPORT, json={"templates": [{"template_id": tmpl["id"],
                                              "landing_page_id": page["id"],
                                              "slug": "our-pay-slip"}]})
    assert r.status_code == 200, r.text
    files = unpack(r.content)
    assert set(files) == {f"our-pay-slip/{f}" for f in
                          ("simulation.toml", "email.html", "email.txt", "landing.html")}
    text = files["our-pay-slip/simulation.toml"].decode()
    manifest = tomllib.loads(text)
    assert manifest["category"] == "hr-and-payroll" and manifest["channel"] == "email"
    assert manifest["cues"] == [{"type": "sense_of_urgency", "where": "the subject"}]
    assert manifest["landing"] == {"title": "Pay slip sign-in", "capture": "fields"}
    # The workspace's name goes back to the library's variable, for another organisation.
    assert manifest["email"]["subject"] == "Your {{.OrgName}} pay slip is ready"
    assert manifest["email"]["from_name"] == "{{.OrgName}} Payroll" and workspace not in text

    result = expect(api.post(PACKS, data=r.content, headers=GZIP), 201)
    assert result["simulations"][0]["outcome"] == "added"
    detail = expect(api.get(f"{S}/our-pay-slip"), 200)
    assert detail["landing_page"]["capture"] == "fields"
    assert detail["preview"]["subject"] == f"Your {workspace} pay slip is ready"

    # What the library's rules refuse is named, template and rule.
    remote = our_template(api, html='<p><a href="{{.URL}}">Open</a><img src="https://cdn.example/'
                                    'logo.png"></p>{{.Tracker}}')
    err = expect_error(api.post(EXPORT, json={"templates": [{"template_id": tmpl["id"]},
                                                            {"template_id": remote["id"]}]}),
                       422, "validation")
    assert remote["name"] in err["message"] and "https://" in err["message"]
    assert err["field"] == "templates[1]"
    err = expect_error(api.post(EXPORT, json={"templates": [{"template_id": tmpl["id"],
                                                             "slug": "Not A Slug"}]}),
                       422, "validation")
    assert err["field"] == "templates[0].slug"
    bare = our_template(api, phish_scale={})
    err = expect_error(api.post(EXPORT, json={"templates": [{"template_id": bare["id"]}]}),
                       422, "validation")
    assert "category" in err["message"]
    # Two folders of one name in a pack: the second is numbered.
    r = api.post(EXPORT, json={"templates": [{"template_id": tmpl["id"], "slug": "twice"},
                                             {"template_id": tmpl["id"], "slug": "twice"}]})
    assert {n.split("/")[0] for n in unpack(r.content)} == {"twice", "twice-2"}


def test_a_preview_shows_attachments_and_says_when_the_domain_is_a_placeholder(api):
    detail = expect(api.get(f"{S}/html-remittance-advice"), 200)
    # Nobody in this workspace yet: the domain is the placeholder, and says so.
    assert detail["branding"] == {"org_name": detail["branding"]["org_name"],
                                  "org_domain": "example.org", "org_domain_placeholder": True}
    [attachment] = detail["preview"]["attachments"]
    assert attachment["name"] == detail["attachments"][0]["name"]
    assert "?rid=" in attachment["html"] and "{{" not in attachment["html"]
    assert expect(api.get(f"{S}/ceo-urgent-favour"), 200)["preview"]["attachments"] == []
