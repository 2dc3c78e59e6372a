"""Campaigns: CRUD, validation, roles and the lifecycle state machine (no SMTP needed:
campaigns here use an "outbox" profile or a launch time far in the future)."""

from __future__ import annotations

import pytest

from campaign_support import (
    CAMPAIGNS,
    COUNT_KEYS,
    campaign_body,
    create_campaign,
    launch,
    make_group,
    make_template,
    outbox_profile,
    parse_time,
    stop_campaign,
    summary,
    utc_in,
    wait_settled,
)
from harness import RFC3339_UTC, describe, expect, expect_error, list_all, uniq

CAMPAIGN_KEYS = {"id", "name", "status", "templates", "group_ids", "page_id", "profile_id",
                 "base_url", "launch_at", "send_by", "jitter_seconds", "window", "counts",
                 "created_at", "updated_at", "launched_at", "completed_at"}


@pytest.fixture(scope="module")
def fx(api):
    """Resources every test can point a campaign at."""
    return {
        "tmpl": make_template(api),
        "tmpl2": make_template(api, subject="Second {{.LastName}}"),
        "group": make_group(api, 3),
        "group2": make_group(api, 2),
        "empty": expect(api.post("/api/v1/groups", json={"name": uniq("empty"), "targets": []}), 201),
        "profile": outbox_profile(api),
        "page": expect(api.post("/api/v1/pages", json={
            "name": uniq("page"), "html": "<html><body>hi</body></html>", "capture": "none",
            "redirect_url": ""}), 201),
    }


def _body(fx, **over):
    return campaign_body([fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"], **over)


def _check_draft(c, sent):
    assert set(c) >= CAMPAIGN_KEYS, c
    assert isinstance(c["id"], int) and c["id"] > 0
    assert c["status"] == "draft", c
    assert c["name"] == sent["name"]
    assert c["group_ids"] == sent["group_ids"]
    assert c["profile_id"] == sent["profile_id"]
    assert [t["template_id"] for t in c["templates"]] == \
        [t["template_id"] for t in sent["templates"]]
    for t, s in zip(c["templates"], sent["templates"]):
        assert t["weight"] == s.get("weight", 1), c
    assert c["counts"] == {k: 0 for k in COUNT_KEYS}, c
    assert c["launched_at"] is None and c["completed_at"] is None, c
    assert RFC3339_UTC.match(c["created_at"]) and RFC3339_UTC.match(c["updated_at"]), c


def test_crud_round_trip(api, fx):
    body = _body(fx, jitter_seconds=30, page_id=fx["page"]["id"])
    c = expect(api.post(CAMPAIGNS, json=body), 201)
    _check_draft(c, body)
    assert c["page_id"] == fx["page"]["id"] and c["jitter_seconds"] == 30
    assert c["base_url"] == "" and c["launch_at"] is None and c["send_by"] is None, c
    assert c["window"] is None, c

    assert expect(api.get(f"{CAMPAIGNS}/{c['id']}"), 200) == c
    listed = [i for i in list_all(api, CAMPAIGNS) if i["id"] == c["id"]]
    assert len(listed) == 1 and listed[0]["name"] == c["name"], listed

    launch_at, send_by = utc_in(3600), utc_in(7200)
    upd_body = campaign_body([fx["tmpl"]["id"], fx["tmpl2"]["id"]],
                             [fx["group"]["id"], fx["group2"]["id"]], fx["profile"]["id"],
                             name=c["name"] + "-v2", base_url="https://phish.example.test",
                             launch_at=launch_at, send_by=send_by, jitter_seconds=0,
                             window={"days": ["mon", "tue"], "start": "09:00", "end": "17:00",
                                     "utc_offset_minutes": 60})
    upd_body["templates"][1]["weight"] = 3
    u = expect(api.put(f"{CAMPAIGNS}/{c['id']}", json=upd_body), 200)
    _check_draft(u, upd_body)
    assert u["id"] == c["id"] and u["created_at"] == c["created_at"]
    assert u["page_id"] is None, u  # full replace: page_id omitted -> null
    assert u["base_url"] == "https://phish.example.test"
    assert parse_time(u["launch_at"]) == parse_time(launch_at)
    assert parse_time(u["send_by"]) == parse_time(send_by)
    assert u["window"]["days"] == ["mon", "tue"] and u["window"]["start"] == "09:00", u
    assert u["window"]["end"] == "17:00" and u["window"]["utc_offset_minutes"] == 60, u
    assert expect(api.get(f"{CAMPAIGNS}/{c['id']}"), 200) == u

    r = api.delete(f"{CAMPAIGNS}/{c['id']}")
    assert r.status_code == 204, describe(r)
    expect_error(api.get(f"{CAMPAIGNS}/{c['id']}"), 404, "not_found")
    expect_error(api.delete(f"{CAMPAIGNS}/{c['id']}"), 404, "not_found")
    expect_error(api.put(f"{CAMPAIGNS}/{c['id']}", json=upd_body), 404, "not_found")
    assert c["id"] not in [i["id"] for i in list_all(api, CAMPAIGNS)]


def test_duplicate_name_conflict(api, fx):
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"])
    expect_error(api.post(CAMPAIGNS, json=_body(fx, name=c["name"])), 409, "conflict", "name")


@pytest.mark.parametrize("case", ["template", "template_second", "group", "group_second",
                                  "profile", "page"])
def test_unknown_ids_422(api, fx, case):
    missing = 987654
    body = _body(fx)
    field = {
        "template": "templates[0].template_id",
        "template_second": "templates[1].template_id",
        "group": "group_ids[0]",
        "group_second": "group_ids[1]",
        "profile": "profile_id",
        "page": "page_id",
    }[case]
    if case == "template":
        body["templates"] = [{"template_id": missing}]
    elif case == "template_second":
        body["templates"] = [{"template_id": fx["tmpl"]["id"]}, {"template_id": missing}]
    elif case == "group":
        body["group_ids"] = [missing]
    elif case == "group_second":
        body["group_ids"] = [fx["group"]["id"], missing]
    elif case == "profile":
        body["profile_id"] = missing
    else:
        body["page_id"] = missing
    expect_error(api.post(CAMPAIGNS, json=body), 422, "validation", field)
    # The same check applies on PUT of a draft.
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"])
    body["name"] = c["name"]
    expect_error(api.put(f"{CAMPAIGNS}/{c['id']}", json=body), 422, "validation", field)
    assert expect(api.get(f"{CAMPAIGNS}/{c['id']}"), 200) == c


def test_input_validation(api, fx):
    cases = [
        ({"name": ""}, "name"),
        ({"templates": []}, "templates"),
        ({"group_ids": []}, "group_ids"),
        ({"jitter_seconds": 86401}, "jitter_seconds"),
        ({"base_url": "ftp://x.example.test"}, "base_url"),
        ({"launch_at": utc_in(7200), "send_by": utc_in(3600)}, "send_by"),
        ({"launch_at": "tomorrow"}, "launch_at"),
        ({"jitter_seconds": -1}, "jitter_seconds"),
        ({"templates": [{"template_id": fx["tmpl"]["id"], "weight": 0}]}, "templates[0].weight"),
        ({"templates": [{"template_id": fx["tmpl"]["id"], "weight": 1001}]},
         "templates[0].weight"),
        ({"templates": [{"template_id": fx["tmpl"]["id"]}] * 21}, "templates"),
        ({"window": {"days": []}}, "window.days"),
        ({"window": {"days": ["mon"], "utc_offset_minutes": 841}},
         "window.utc_offset_minutes"),
    ]
    for over, field in cases:
        expect_error(api.post(CAMPAIGNS, json=_body(fx, **over)), 422, "validation", field)
    # duplicates
    dup_t = [{"template_id": fx["tmpl"]["id"]}, {"template_id": fx["tmpl"]["id"]}]
    err = expect_error(api.post(CAMPAIGNS, json=_body(fx, templates=dup_t)), 422, "validation")
    assert err.get("field", "").startswith("templates"), err
    dup_g = [fx["group"]["id"], fx["group"]["id"]]
    err = expect_error(api.post(CAMPAIGNS, json=_body(fx, group_ids=dup_g)), 422, "validation")
    assert err.get("field", "").startswith("group_ids"), err
    # a weight within range and a window are accepted
    ok = expect(api.post(CAMPAIGNS, json=_body(fx, templates=[
        {"template_id": fx["tmpl"]["id"], "weight": 1000}], window={"days": ["sun"]})), 201)
    assert ok["templates"] == [{"template_id": fx["tmpl"]["id"], "weight": 1000}], ok
    assert ok["window"]["days"] == ["sun"], ok
    b = _body(fx)
    del b["profile_id"]
    expect_error(api.post(CAMPAIGNS, json=b), 422, "validation", "profile_id")
    expect_error(api.post(CAMPAIGNS, json=_body(fx, bogus=1)), 422, "unknown_field", "bogus")


def test_viewer_read_only_operator_writes(api, fx, role_keys):
    viewer, operator = role_keys("viewer"), role_keys("operator")
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"],
                        launch_at=utc_in(86400))
    cid = c["id"]
    # viewer reads
    assert expect(viewer.get(f"{CAMPAIGNS}/{cid}"), 200)["id"] == cid
    expect(viewer.get(CAMPAIGNS), 200)
    expect(viewer.get(f"{CAMPAIGNS}/{cid}/summary"), 200)
    expect(viewer.get(f"{CAMPAIGNS}/{cid}/recipients"), 200)
    expect(viewer.get(f"{CAMPAIGNS}/{cid}/events"), 200)
    # viewer writes -> 403, nothing changes
    expect_error(viewer.post(CAMPAIGNS, json=_body(fx)), 403, "forbidden")
    expect_error(viewer.put(f"{CAMPAIGNS}/{cid}", json=_body(fx, name=c["name"])), 403, "forbidden")
    expect_error(viewer.post(f"{CAMPAIGNS}/{cid}/launch"), 403, "forbidden")
    expect_error(viewer.delete(f"{CAMPAIGNS}/{cid}"), 403, "forbidden")
    assert expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)["status"] == "draft"
    # operator writes
    launched = launch(operator, cid)
    assert launched["status"] == "scheduled", launched
    expect_error(viewer.post(f"{CAMPAIGNS}/{cid}/cancel"), 403, "forbidden")
    expect_error(viewer.post(f"{CAMPAIGNS}/{cid}/complete"), 403, "forbidden")
    assert expect(operator.post(f"{CAMPAIGNS}/{cid}/cancel"), 200)["status"] == "cancelled"
    r = operator.delete(f"{CAMPAIGNS}/{cid}")
    assert r.status_code == 204, describe(r)
    oc = expect(operator.post(CAMPAIGNS, json=_body(fx)), 201)
    assert oc["status"] == "draft"


def test_draft_only_transitions(api, fx):
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"])
    cid = c["id"]
    expect_error(api.post(f"{CAMPAIGNS}/{cid}/complete"), 409, "conflict")
    expect_error(api.post(f"{CAMPAIGNS}/{cid}/cancel"), 409, "conflict")
    assert expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)["status"] == "draft"


def test_lifecycle_scheduled_cancel(api, fx):
    """launch_at in the future: "scheduled"; edits, deletes and a second launch are 409;
    cancel turns every queued recipient into "cancelled"."""
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"], fx["group2"]["id"]],
                        fx["profile"]["id"])
    cid = c["id"]
    future = utc_in(86400)
    try:
        lc = launch(api, cid, {"launch_at": future})
        assert lc["status"] == "scheduled", lc
        assert parse_time(lc["launch_at"]) == parse_time(future), lc
        assert lc["launched_at"] is not None and RFC3339_UTC.match(lc["launched_at"]), lc
        assert lc["counts"]["recipients"] == 5 and lc["counts"]["queued"] == 5, lc

        expect_error(api.post(f"{CAMPAIGNS}/{cid}/launch"), 409, "conflict")
        expect_error(api.put(f"{CAMPAIGNS}/{cid}", json=_body(fx, name=c["name"])), 409, "conflict")
        expect_error(api.delete(f"{CAMPAIGNS}/{cid}"), 409, "conflict")
        assert expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)["status"] == "scheduled"

        cc = expect(api.post(f"{CAMPAIGNS}/{cid}/cancel"), 200)
        assert cc["status"] == "cancelled", cc
        s = summary(api, cid)
        assert s["status"] == "cancelled" and s["cancelled"] == 5 and s["queued"] == 0, s
        assert s["sent"] == 0, s
        expect_error(api.post(f"{CAMPAIGNS}/{cid}/cancel"), 409, "conflict")
        expect_error(api.post(f"{CAMPAIGNS}/{cid}/complete"), 409, "conflict")
        expect_error(api.post(f"{CAMPAIGNS}/{cid}/launch"), 409, "conflict")
        expect_error(api.put(f"{CAMPAIGNS}/{cid}", json=_body(fx, name=c["name"])), 409, "conflict")
    finally:
        stop_campaign(api, cid)
    r = api.delete(f"{CAMPAIGNS}/{cid}")
    assert r.status_code == 204, describe(r)
    expect_error(api.get(f"{CAMPAIGNS}/{cid}/summary"), 404, "not_found")
    expect_error(api.get(f"{CAMPAIGNS}/{cid}/recipients"), 404, "not_found")


def test_lifecycle_sent_complete(api, fx, server):
    """Launch now through the outbox: status goes to "sent"; still active (409 on delete
    and edit) until completed; complete -> "completed", completed_at set, then deletable."""
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["group"]["id"]], fx["profile"]["id"])
    cid = c["id"]
    lc = launch(api, cid)
    assert lc["status"] in ("sending", "sent"), lc
    s = wait_settled(api, cid, 30)
    assert s["sent"] == 3 and s["status"] == "sent", s
    got = expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)
    assert got["status"] == "sent" and got["counts"]["sent"] == 3, got
    expect_error(api.delete(f"{CAMPAIGNS}/{cid}"), 409, "conflict")
    expect_error(api.post(f"{CAMPAIGNS}/{cid}/launch"), 409, "conflict")
    done = expect(api.post(f"{CAMPAIGNS}/{cid}/complete"), 200)
    assert done["status"] == "completed" and done["completed_at"] is not None, done
    assert done["counts"]["sent"] == 3 and done["counts"]["cancelled"] == 0, done
    expect_error(api.post(f"{CAMPAIGNS}/{cid}/complete"), 409, "conflict")
    expect_error(api.post(f"{CAMPAIGNS}/{cid}/cancel"), 409, "conflict")
    r = api.delete(f"{CAMPAIGNS}/{cid}")
    assert r.status_code == 204, describe(r)
    expect_error(api.get(f"{CAMPAIGNS}/{cid}/events"), 404, "not_found")


def test_launch_empty_group_422(api, fx):
    c = create_campaign(api, [fx["tmpl"]["id"]], [fx["empty"]["id"]], fx["profile"]["id"])
    expect_error(api.post(f"{CAMPAIGNS}/{c['id']}/launch"), 422, "validation", "group_ids")
    got = expect(api.get(f"{CAMPAIGNS}/{c['id']}"), 200)
    assert got["status"] == "draft" and got["counts"]["recipients"] == 0, got


def test_unknown_campaign_404(api, fx):
    for method, path in (("GET", "/987654"), ("PUT", "/987654"), ("DELETE", "/987654"),
                         ("POST", "/987654/launch"), ("POST", "/987654/cancel"),
                         ("POST", "/987654/complete"), ("GET", "/987654/summary"),
                         ("GET", "/987654/recipients"), ("GET", "/987654/events")):
        kw = {"json": _body(fx)} if method == "PUT" else {}
        expect_error(api.request(method, CAMPAIGNS + path, **kw), 404, "not_found")
