"""Training through the admin API (issue 5): the module catalogue and module import,
the workspace's training settings, assignments (create, list with filters, cancel),
the completion report and its CSV, follow-up validation on campaigns, roles and the
audit log. One server for the module; each test uses fresh groups."""

from __future__ import annotations

import csv
import io
import os
import tarfile
import time

import pytest
import requests

from campaign_support import campaign_body, make_template, outbox_profile
from harness import expect, expect_error, uniq
from training_support import (
    ASSIGN,
    CONTENT,
    DEFAULT_SETTINGS,
    MODULES,
    REPORT,
    SETTINGS,
    SLUG,
    assign,
    assignment,
    assignments,
    audit_since,
    audit_top,
    due_in,
    import_module,
    make_people,
    module_tar,
    put_settings,
    tar_member,
)

CSV_HEADER = ["email", "first_name", "last_name", "department", "module", "module_title",
              "module_version", "reason", "campaign_id", "assigned_at", "due_at", "status",
              "started_at", "completed_at", "score", "passed", "attempts", "reminders_sent"]
ITEM_KEYS = {"id", "target", "module", "reason", "campaign_id", "assigned_at", "due_at", "status",
             "started_at", "completed_at", "score", "passed", "module_version", "attempts",
             "reminders_sent", "cancel_reason"}
OTHER_SLUG = "business-email-compromise"


@pytest.fixture(scope="module")
def viewer(server, api):
    k = server.create_api_key(api, role="viewer")
    with server.api(k["key"]) as s:
        yield s


@pytest.fixture(scope="module")
def operator(server, api):
    k = server.create_api_key(api, role="operator")
    with server.api(k["key"]) as s:
        yield s


def shipped_slugs() -> set:
    return {p.name for p in CONTENT.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}


# --------------------------------------------------------------------------- catalogue


def test_modules_list_and_preview_roles(server, api, viewer):
    items = expect(viewer.get(MODULES), 200)["items"]
    assert {m["slug"] for m in items} >= shipped_slugs(), items
    assert OTHER_SLUG in {m["slug"] for m in items}
    m = expect(viewer.get(f"{MODULES}/{SLUG}"), 200)
    assert m["slug"] == SLUG and m["version"] >= 1 and m["pass_mark"] > 0, m
    assert m["quiz"] and all(q["answers"] and q["explanation"] for q in m["quiz"]), m
    assert m["lessons"] and all(lesson["html"] for lesson in m["lessons"])
    expect_error(viewer.get(f"{MODULES}/nope-nope"), 404, "not_found")
    assert requests.get(server.base_url + MODULES, timeout=10).status_code == 401


# --------------------------------------------------------------------------- import


def test_import_module_then_versions_and_assign(api, operator):
    slug = uniq("itest").lower()
    top = audit_top(api)
    got = expect(import_module(api, module_tar(slug, 1)), 201)
    assert got["slug"] == slug and got["version"] == 1 and got["title"] == f"Imported {slug} v1"
    assert got["questions"] >= 3 and got["lessons"] >= 1, got
    listed = {m["slug"]: m for m in expect(api.get(MODULES), 200)["items"]}
    assert listed[slug]["version"] == 1, listed[slug]
    full = expect(api.get(f"{MODULES}/{slug}"), 200)
    assert full["quiz"] and full["lessons"], full

    # same version again, and a lower one: 409; a higher one replaces it
    err = expect_error(import_module(api, module_tar(slug, 1)), 409)
    assert "version" in err["message"], err
    assert expect(import_module(api, module_tar(slug, 3)), 201)["version"] == 3
    expect_error(import_module(api, module_tar(slug, 2)), 409)
    assert expect(api.get(f"{MODULES}/{slug}"), 200)["version"] == 3

    # the operator may not import; the imported module can be assigned
    expect_error(import_module(operator, module_tar(uniq("op").lower(), 1)), 403)
    g = make_people(api, 1)
    out = assign(operator, slug, group_ids=[g["id"]])
    assert out["created"] == 1, out
    a = assignments(api, group_id=g["id"])[0]
    assert a["module"] == {"slug": slug, "title": f"Imported {slug} v3", "version": 3}, a

    imports = [e for e in audit_since(api, top) if e["action"] == "training_module.import"]
    assert len(imports) == 2, imports
    assert {str(e["details"].get("version")) for e in imports} == {"1", "3"}, imports
    assert all(e["details"].get("slug") == slug for e in imports), imports


def test_import_files_at_root_of_archive(api):
    """module.toml at the root of the archive (no top-level folder) is accepted too."""
    slug = uniq("root").lower()
    raw = module_tar(slug)
    src = tarfile.open(fileobj=io.BytesIO(raw))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as out:
        for member in src.getmembers():
            name = member.name.split("/", 1)[1] if "/" in member.name else ""
            if not name:
                continue
            member.name = name
            out.addfile(member, src.extractfile(member) if member.isfile() else None)
    assert expect(import_module(api, buf.getvalue()), 201)["slug"] == slug


def _edit_quiz_no_answers(root):
    q = root / "quiz.toml"
    q.write_text(q.read_text().replace("answers = [2]", "answers = []", 1))


def _edit_missing_lesson(root):
    os.remove(root / "02-checking-before-you-click.md")


@pytest.mark.parametrize("case", [
    "empty", "garbage", "dotdot", "absolute", "symlink", "hardlink", "folder_not_slug",
    "no_answers", "missing_lesson", "no_manifest"])
def test_import_refusals(api, case):
    slug = uniq("bad").lower()
    before = {m["slug"] for m in expect(api.get(MODULES), 200)["items"]}
    want = None
    if case == "empty":
        body = b""
    elif case == "garbage":
        body = b"this is not a tar archive at all" * 40
    elif case == "dotdot":
        body = module_tar(slug, extra=lambda t: tar_member(t, f"{slug}/../evil.txt"))
        want = ".."
    elif case == "absolute":
        body = module_tar(slug, extra=lambda t: tar_member(t, "/tmp/evil-phishdrill.txt"))
        want = "absolute"
    elif case == "symlink":
        body = module_tar(slug, extra=lambda t: tar_member(
            t, f"{slug}/images/link.png", kind=tarfile.SYMTYPE, linkname="/etc/passwd"))
        want = "link"
    elif case == "hardlink":
        body = module_tar(slug, extra=lambda t: tar_member(
            t, f"{slug}/hard.md", kind=tarfile.LNKTYPE, linkname=f"{slug}/module.toml"))
        want = "link"
    elif case == "folder_not_slug":
        body = module_tar(slug, folder="other-name")
        want = "slug"
    elif case == "no_answers":
        body = module_tar(slug, edit=_edit_quiz_no_answers)
        want = "answer"
    elif case == "missing_lesson":
        body = module_tar(slug, edit=_edit_missing_lesson)
        want = "02-checking-before-you-click.md"
    else:
        body = module_tar(slug, edit=lambda root: os.remove(root / "module.toml"))
        want = "module.toml"
    err = expect_error(import_module(api, body), 422)
    if want:
        assert want.lower() in err["message"].lower(), err
    assert not os.path.exists("/tmp/evil-phishdrill.txt")
    after = {m["slug"] for m in expect(api.get(MODULES), 200)["items"]}
    assert after == before, after ^ before


# --------------------------------------------------------------------------- settings


def test_settings_defaults_round_trip_and_roles(server, api, viewer, operator):
    assert expect(viewer.get(SETTINGS), 200) == DEFAULT_SETTINGS
    prof = outbox_profile(api)
    top = audit_top(api)
    body = {"profile_id": prof["id"], "portal_base_url": "https://learn.example.test/",
            "remind_days_before": 0, "overdue_every_days": 60, "max_overdue_reminders": 20,
            "cc_manager_when_overdue": True, "link_valid_days": 365,
            "follow_up_delay_seconds": 3600}
    try:
        got = expect(api.put(SETTINGS, json=body), 200)
        want = dict(body, portal_base_url="https://learn.example.test")
        assert got == want, got
        assert expect(viewer.get(SETTINGS), 200) == want
        expect_error(operator.put(SETTINGS, json=body), 403)
        expect_error(viewer.put(SETTINGS, json=body), 403)
        # omitted keys take their defaults (a full replace)
        got = expect(api.put(SETTINGS, json={"profile_id": None}), 200)
        assert got == DEFAULT_SETTINGS, got
        ups = [e for e in audit_since(api, top) if e["action"] == "training_settings.update"]
        assert len(ups) == 2, ups
    finally:
        put_settings(api)


@pytest.mark.parametrize("over,field", [
    ({"profile_id": 987654}, "profile_id"),
    ({"profile_id": "1"}, "profile_id"),
    ({"portal_base_url": "ftp://x.example"}, "portal_base_url"),
    ({"remind_days_before": -1}, "remind_days_before"),
    ({"remind_days_before": 61}, "remind_days_before"),
    ({"overdue_every_days": 0}, "overdue_every_days"),
    ({"overdue_every_days": 61}, "overdue_every_days"),
    ({"max_overdue_reminders": 21}, "max_overdue_reminders"),
    ({"max_overdue_reminders": -1}, "max_overdue_reminders"),
    ({"link_valid_days": 0}, "link_valid_days"),
    ({"link_valid_days": 366}, "link_valid_days"),
    ({"follow_up_delay_seconds": -1}, "follow_up_delay_seconds"),
    ({"follow_up_delay_seconds": 3601}, "follow_up_delay_seconds"),
    ({"follow_up_delay_seconds": 10**12}, "follow_up_delay_seconds"),
    ({"cc_manager_when_overdue": "yes"}, "cc_manager_when_overdue"),
    ({"link_valid_days": 1.5}, "link_valid_days"),
    ({"colour": "blue"}, "colour"),
])
def test_settings_validation(api, over, field):
    before = expect(api.get(SETTINGS), 200)
    body = dict(DEFAULT_SETTINGS)
    body.update(over)
    expect_error(api.put(SETTINGS, json=body), 422, field=field)
    assert expect(api.get(SETTINGS), 200) == before


def test_settings_body_not_json(api):
    r = api.put(SETTINGS, data=b"{nope", headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text


# --------------------------------------------------------------------------- assignments


def test_assign_dedupes_and_skips_open_assignments(api, operator, viewer):
    put_settings(api)  # no profile: no email
    g = make_people(api, 3)
    other = make_people(api, 1)
    p = g["people"]
    top = audit_top(api)
    out = assign(operator, target_ids=[p[0]["id"], p[0]["id"], other["people"][0]["id"]],
                 group_ids=[g["id"], g["id"]], days=10)
    assert out == {"created": 4, "already_assigned": 0, "emailed": False}, out
    out = assign(operator, target_ids=[p[1]["id"]], group_ids=[other["id"]], days=20)
    assert out == {"created": 0, "already_assigned": 2, "emailed": False}, out
    # another module is another assignment
    out = assign(operator, OTHER_SLUG, target_ids=[p[1]["id"]], days=20)
    assert out == {"created": 1, "already_assigned": 0, "emailed": False}, out
    mine = assignments(api, group_id=g["id"], module=SLUG)
    assert len(mine) == 3 and {a["target"]["id"] for a in mine} == {t["id"] for t in p}, mine
    a = mine[0]
    assert set(a) == ITEM_KEYS, a
    assert a["reason"] == "manual" and a["campaign_id"] is None and a["status"] == "assigned"
    assert a["started_at"] is None and a["completed_at"] is None and a["score"] is None
    assert a["passed"] is None and a["module_version"] is None and a["cancel_reason"] is None
    assert a["attempts"] == 0 and a["reminders_sent"] == 0
    assert a["target"]["department"] == "Pharmacy" and a["target"]["email"].endswith(g["domain"])
    assert a["module"]["slug"] == SLUG and a["module"]["title"] and a["module"]["version"] >= 1
    assert a["due_at"] > a["assigned_at"], a
    # viewer may read, not assign; nothing in the training mail queue without a profile
    expect_error(viewer.post(ASSIGN, json={"module": SLUG, "target_ids": [p[0]["id"]],
                                           "due_at": due_in(3)}), 403)
    creates = [e for e in audit_since(api, top) if e["action"] == "assignment.create"]
    assert len(creates) == 3, creates
    assert sorted(int(e["details"]["created"]) for e in creates) == [0, 1, 4], creates


def test_assign_validation(api):
    g = make_people(api, 1)
    tid = g["people"][0]["id"]
    ok = {"module": SLUG, "target_ids": [tid], "group_ids": [], "due_at": due_in(5)}
    cases = [
        ({"module": "no-such-module"}, "module"),
        ({"module": None}, "module"),
        ({"target_ids": [tid, 99999999]}, "target_ids[1]"),
        ({"group_ids": [99999999]}, "group_ids[0]"),
        ({"target_ids": ["1"]}, "target_ids[0]"),
        ({"target_ids": [1.5]}, "target_ids[0]"),
        ({"target_ids": [0]}, "target_ids[0]"),
        ({"group_ids": [g["id"], -3]}, "group_ids[1]"),
        ({"target_ids": "1"}, "target_ids"),
        ({"target_ids": [], "group_ids": []}, None),
        ({"due_at": due_in(-1)}, "due_at"),
        ({"due_at": due_in(400)}, "due_at"),
        ({"due_at": "tomorrow"}, "due_at"),
        ({"due_at": None}, "due_at"),
        ({"extra": 1}, "extra"),
    ]
    for over, field in cases:
        body = dict(ok)
        body.update(over)
        err = expect_error(api.post(ASSIGN, json=body), 422, field=field)
        assert err["message"], err
    missing = dict(ok)
    del missing["due_at"]
    expect_error(api.post(ASSIGN, json=missing), 422, field="due_at")
    assert assignments(api, target_id=tid) == []
    r = api.post(ASSIGN, data=b"[1,2", headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text


def test_list_filters_and_pagination(api):
    g = make_people(api, 3)
    g2 = make_people(api, 2)
    assign(api, group_ids=[g["id"], g2["id"]])
    assign(api, OTHER_SLUG, group_ids=[g["id"]])
    mine = assignments(api, group_id=g["id"])
    assert len(mine) == 6, mine
    assert len(assignments(api, group_id=g["id"], module=OTHER_SLUG)) == 3
    assert len(assignments(api, group_id=g2["id"], module=OTHER_SLUG)) == 0
    t0 = g["people"][0]["id"]
    assert {a["module"]["slug"] for a in assignments(api, target_id=t0)} == {SLUG, OTHER_SLUG}
    victim = [a for a in mine if a["target"]["id"] == t0 and a["module"]["slug"] == SLUG][0]
    expect(api.post(f"{ASSIGN}/{victim['id']}/cancel"), 200)
    cancelled = assignments(api, group_id=g["id"], status="cancelled")
    assert [a["id"] for a in cancelled] == [victim["id"]], cancelled
    assert len(assignments(api, group_id=g["id"], status="assigned")) == 5
    assert assignments(api, group_id=g["id"], status="completed") == []
    assert assignments(api, group_id=g["id"], status="in_progress") == []
    assert assignments(api, group_id=g["id"], status="overdue") == []
    assert assignments(api, campaign_id=987654) == []
    # pagination: 2 per page, ascending ids, no repeats
    seen, cursor = [], None
    for _ in range(10):
        params = {"group_id": g["id"], "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = expect(api.get(ASSIGN, params=params), 200)
        assert len(body["items"]) <= 2
        seen += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(a["id"] for a in mine), seen
    expect_error(api.get(ASSIGN, params={"status": "done"}), 422, field="status")
    # Ids parse strictly: anything but a positive decimal integer is a 400.
    for params, field in [({"group_id": "abc"}, "group_id"), ({"target_id": "0"}, "target_id"),
                          ({"campaign_id": "-1"}, "campaign_id"), ({"group_id": "1e3"}, "group_id"),
                          ({"group_id": "1abc"}, "group_id")]:
        expect_error(api.get(ASSIGN, params=params), 400, "bad_request", field=field)
    r = api.get(ASSIGN, params={"limit": "0"})
    assert r.status_code == 422, r.text


def test_get_and_cancel(api, operator, viewer):
    g = make_people(api, 2)
    assign(api, group_ids=[g["id"]])
    a, b = assignments(api, group_id=g["id"])
    got = assignment(viewer, a["id"])
    assert got["quiz_attempts"] == [] and {k: got[k] for k in ITEM_KEYS} == a, got
    expect_error(viewer.post(f"{ASSIGN}/{a['id']}/cancel"), 403)
    top = audit_top(api)
    c = expect(operator.post(f"{ASSIGN}/{a['id']}/cancel"), 200)
    assert c["id"] == a["id"] and c["status"] == "cancelled", c
    assert isinstance(c["cancel_reason"], str) and c["cancel_reason"], c
    assert assignment(api, a["id"])["status"] == "cancelled"
    err = expect_error(operator.post(f"{ASSIGN}/{a['id']}/cancel"), 409)
    assert "cancelled" in err["message"], err
    expect_error(operator.post(f"{ASSIGN}/99999999/cancel"), 404, "not_found")
    expect_error(api.get(f"{ASSIGN}/99999999"), 404, "not_found")
    r = api.get(f"{ASSIGN}/abc")
    assert r.status_code in (404, 422), r.text
    assert assignment(api, b["id"])["status"] == "assigned"
    cancels = [e for e in audit_since(api, top) if e["action"] == "assignment.cancel"]
    assert len(cancels) == 1 and cancels[0]["resource"].get("id") == a["id"], cancels
    # the same module can be assigned again once the open one is cancelled
    out = assign(api, target_ids=[a["target"]["id"]])
    assert out["created"] == 1, out


# --------------------------------------------------------------------------- report


def test_report_and_csv(api, viewer):
    g = make_people(api, 3, first=lambda i: ['=HYPERLINK("http://evil.example","x")', "+Sum",
                                             "Ann"][i])
    p = g["people"]
    assign(api, group_ids=[g["id"]], days=5)
    assign(api, OTHER_SLUG, target_ids=[p[0]["id"]], days=5)
    victim = [a for a in assignments(api, group_id=g["id"]) if a["target"]["id"] == p[2]["id"]][0]
    expect(api.post(f"{ASSIGN}/{victim['id']}/cancel"), 200)

    rep = expect(viewer.get(REPORT, params={"group_id": g["id"]}), 200)
    assert rep["totals"] == {"people": 3, "people_assigned": 2, "people_completed_all": 0,
                             "assigned": 3, "completed": 0, "overdue": 0,
                             "completion_rate": 0}, rep["totals"]
    rows = {i["target"]["email"]: i for i in rep["items"]}
    assert set(rows) == {t["email"] for t in p}, rows
    assert rows[p[0]["email"]]["assigned"] == 2 and rows[p[2]["email"]]["assigned"] == 0
    assert rows[p[0]["email"]]["last_completed_at"] is None
    whole = expect(api.get(REPORT), 200)["totals"]
    assert whole["people"] >= 3 and whole["assigned"] >= 3, whole

    r = viewer.get(f"{REPORT}.csv", params={"group_id": g["id"]})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv"), r.headers
    assert "attachment" in r.headers.get("Content-Disposition", ""), r.headers
    table = list(csv.reader(io.StringIO(r.text)))
    assert table[0] == CSV_HEADER, table[0]
    body = [dict(zip(CSV_HEADER, row)) for row in table[1:]]
    assert len(body) == 4, body  # one row per assignment, the cancelled one included
    first_names = {row["first_name"] for row in body}
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in first_names, first_names
    assert "'+Sum" in first_names and "Ann" in first_names, first_names
    assert not any(v.startswith(("=", "+", "-", "@")) for row in body for v in row.values()), body
    cancelled = [row for row in body if row["status"] == "cancelled"]
    assert len(cancelled) == 1 and cancelled[0]["email"] == p[2]["email"], body
    assigned = [row for row in body if row["status"] == "assigned"]
    assert {row["reason"] for row in assigned} == {"manual"}, body
    assert all(row["score"] == "" and row["passed"] == "" and row["attempts"] == "0"
               for row in body), body

    expect_error(api.get(REPORT, params={"group_id": 99999999}), 422, field="group_id")
    expect_error(api.get(f"{REPORT}.csv", params={"group_id": 99999999}), 422, field="group_id")
    expect_error(api.get(REPORT, params={"group_id": "x"}), 400, field="group_id")
    expect_error(api.get(REPORT, params={"group_id": f"{g['id']}abc"}), 400, field="group_id")


def test_report_csv_neutralises_formulas_everywhere(api):
    firsts = ["\uff1d1+1", ";=1+1;", "\u00a0 =1", "a\t@x"]
    g = make_people(api, len(firsts), first=lambda i: firsts[i])
    assign(api, group_ids=[g["id"]], days=5)
    text = api.get(f"{REPORT}.csv", params={"group_id": g["id"]}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["first_name"] for r in rows) == sorted(
        ["'\uff1d1+1", ";'=1+1;", "'\u00a0 =1", "a\t'@x"]), rows
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.lstrip(" \u00a0\u3000").startswith(
                    ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")), (delimiter, row)


# --------------------------------------------------------------------------- campaigns


def test_campaign_follow_up_validation(api):
    tmpl = make_template(api)
    g = make_people(api, 1)
    prof = outbox_profile(api)

    def body(fu):
        return campaign_body([tmpl["id"]], [g["id"]], prof["id"], follow_up=fu)

    c = expect(api.post("/api/v1/campaigns",
                        json=body({"module": SLUG, "trigger": "submitted", "due_days": 14})), 201)
    assert c["follow_up"] == {"module": SLUG, "trigger": "submitted", "due_days": 14}, c
    assert expect(api.get(f"/api/v1/campaigns/{c['id']}"), 200)["follow_up"] == c["follow_up"]
    c2 = expect(api.post("/api/v1/campaigns", json=body(None)), 201)
    assert c2["follow_up"] is None, c2
    for fu, field in [
        ({"module": "no-such-module", "trigger": "clicked", "due_days": 7}, "follow_up.module"),
        ({"module": SLUG, "trigger": "opened", "due_days": 7}, "follow_up"),
        ({"module": SLUG, "trigger": "clicked", "due_days": 0}, "follow_up"),
        ({"module": SLUG, "trigger": "clicked", "due_days": 366}, "follow_up"),
        ({"module": SLUG, "trigger": "clicked", "due_days": 7, "x": 1}, "follow_up.x"),
        ({"module": 5, "trigger": "clicked", "due_days": 7}, "follow_up.module"),
        ("spotting-red-flags", "follow_up"),
    ]:
        expect_error(api.post("/api/v1/campaigns", json=body(fu)), 422, field=field)
    # and on update
    upd = body({"module": "no-such-module", "trigger": "clicked", "due_days": 7})
    expect_error(api.put(f"/api/v1/campaigns/{c2['id']}", json=upd), 422,
                 field="follow_up.module")


def test_due_at_with_offset_and_overdue_status(server, api):
    from training_support import db_write
    g = make_people(api, 2)
    p0, p1 = g["people"]
    body = {"module": SLUG, "target_ids": [p0["id"]], "due_at": "2026-12-20T17:00:00+02:00"}
    r = api.post(ASSIGN, json=body)
    if r.status_code == 422:  # the fixed date may have passed: use one a month ahead
        body["due_at"] = due_in(30)[:19] + "+02:00"
        r = api.post(ASSIGN, json=body)
    expect(r, 201)
    a0 = assignments(api, target_id=p0["id"])[0]
    local = body["due_at"]
    hh = int(local[11:13]) - 2
    assert a0["due_at"].endswith("Z") and a0["due_at"][11:13] == f"{hh % 24:02d}", (a0, local)

    assign(api, target_ids=[p1["id"]], days=5)
    a1 = assignments(api, target_id=p1["id"])[0]
    # make p0's assignment overdue (due an hour ago)
    n = db_write(server, "UPDATE assignments SET due_at = ? WHERE id = ?",
                 (int(time.time()) - 3600, a0["id"]))
    assert n == 1
    over = assignments(api, group_id=g["id"], status="overdue")
    assert [a["id"] for a in over] == [a0["id"]] and over[0]["status"] == "overdue", over
    assert assignment(api, a0["id"])["status"] == "overdue"
    rep = expect(api.get(REPORT, params={"group_id": g["id"]}), 200)["totals"]
    assert rep["overdue"] == 1 and rep["assigned"] == 2, rep
    rows = list(csv.DictReader(io.StringIO(api.get(f"{REPORT}.csv",
                                                   params={"group_id": g["id"]}).text)))
    assert sorted(r["status"] for r in rows) == ["assigned", "overdue"], rows


def test_status_filter_matches_displayed_status(server, api):
    """?status=assigned must not return items the same list shows as "overdue"."""
    from training_support import db_write
    g = make_people(api, 2)
    assign(api, group_ids=[g["id"]], days=5)
    a0, a1 = assignments(api, group_id=g["id"])
    db_write(server, "UPDATE assignments SET due_at = ? WHERE id = ?",
             (int(time.time()) - 3600, a0["id"]))
    for st in ("assigned", "overdue"):
        listed = assignments(api, group_id=g["id"], status=st)
        assert {a["status"] for a in listed} <= {st}, (st, [(a["id"], a["status"]) for a in listed])
    listed = assignments(api, group_id=g["id"], status="assigned")
    assert [a["id"] for a in listed] == [a1["id"]], listed


def test_import_newer_version_of_a_shipped_module(api):
    slug = "phone-and-callback-scams"
    shipped = {m["slug"]: m for m in expect(api.get(MODULES), 200)["items"]}
    if slug not in shipped:
        slug = sorted(shipped_slugs())[-1]
    v = shipped[slug]["version"]
    expect_error(import_module(api, module_tar(slug, v, source=slug)), 409)
    got = expect(import_module(api, module_tar(slug, v + 1, source=slug)), 201)
    assert got["version"] == v + 1
    listed = [m for m in expect(api.get(MODULES), 200)["items"] if m["slug"] == slug]
    assert len(listed) == 1 and listed[0]["version"] == v + 1, listed


def test_imported_module_and_assignments_survive_restart(make_server):
    srv = make_server(name="pd-train-restart")
    api = srv.api()
    slug = uniq("keep").lower()
    expect(import_module(api, module_tar(slug, 4)), 201)
    g = make_people(api, 1)
    assign(api, slug, group_ids=[g["id"]])
    before = assignments(api, group_id=g["id"])
    srv.restart()
    api = srv.api()
    assert expect(api.get(f"{MODULES}/{slug}"), 200)["version"] == 4
    assert assignments(api, group_id=g["id"]) == before
    expect_error(import_module(api, module_tar(slug, 4)), 409)


def test_deleting_the_training_profile_does_not_leave_emailed_true(api):
    """Settings naming a sending profile that was deleted: assignments must not report
    emailed=true for mail that can never be sent."""
    prof = outbox_profile(api)
    put_settings(api, profile_id=prof["id"])
    try:
        r = api.delete(f"/api/v1/sending-profiles/{prof['id']}")
        assert r.status_code == 204, r.text
        settings = expect(api.get(SETTINGS), 200)
        g = make_people(api, 1)
        out = assign(api, group_ids=[g["id"]])
        assert settings["profile_id"] is None or out["emailed"] is False, (settings, out)
    finally:
        put_settings(api)


def test_imported_lesson_html_and_unsafe_links_are_neutralised(api):
    slug = uniq("xss").lower()

    def edit(root):
        lesson = root / "02-checking-before-you-click.md"
        lesson.write_text(lesson.read_text() + "\n\n<script>alert('lesson')</script>\n\n"
                          "<img src=x onerror=alert(2)>\n\n[tap me](javascript:alert(3))\n")
        q = root / "quiz.toml"
        q.write_text(q.read_text().replace('id = "display-name"\ntext = "',
                                           'id = "display-name"\ntext = "<b>bold</b> ', 1))
    expect(import_module(api, module_tar(slug, edit=edit)), 201)
    full = expect(api.get(f"{MODULES}/{slug}"), 200)
    html = full["lessons"][1]["html"].lower()
    assert "<script" not in html and "onerror" not in html.replace("&lt;", ""), html[-600:]
    assert "javascript:" not in html, html[-600:]
    assert "tap me" in html
