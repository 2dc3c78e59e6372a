"""What the results page and the dashboard read (issue 6): recipients filtered by sending
state, human result and a search text, with paging; the same list as CSV; result counts in
the campaign list; the timeline of people per stage; a draft's audience; the editor's
preview of an unsaved template."""

from __future__ import annotations

import csv
import io

import pytest

from campaign_support import (CAMPAIGNS, create_campaign, launch, make_template, outbox_profile,
                              recipients, wait_settled)
from harness import Server, expect, expect_error, uniq
from tracking_support import HUMAN_ENV, PhishClient, fresh_ip, outbox_rids

PEOPLE = [("ada@filters.example.test", "\uff1d1+1", ";=1+1;"),
          ("alan@filters.example.test", "Alan", "Turing"),
          ("grace@filters.example.test", "=Grace", "Hopper"),
          ("edsger@filters.example.test", "\u3000 =1", "100%_Dijkstra")]


@pytest.fixture(scope="module")
def campaign():
    server = Server(extra_env=HUMAN_ENV).start()
    api = server.admin_session()
    group = expect(api.post("/api/v1/groups", json={
        "name": uniq("filters"),
        "targets": [{"email": e, "first_name": f, "last_name": l} for e, f, l in PEOPLE]}), 201)
    profile = outbox_profile(api)
    template = make_template(api)
    c = create_campaign(api, [template["id"]], [group["id"]], profile["id"])
    launch(api, c["id"])
    wait_settled(api, c["id"], 30)
    rids = outbox_rids(server.data_dir, [p[0] for p in PEOPLE])
    phish = PhishClient(server.phish_url, fresh_ip())
    assert phish.hit("click", rids["ada@filters.example.test"]).status_code == 200
    assert phish.hit("pixel", rids["alan@filters.example.test"]).status_code == 200
    assert phish.hit("report", rids["grace@filters.example.test"]).status_code == 204
    yield server, api, c["id"]
    server.cleanup()


def emails(api, cid, **params):
    return sorted(r["email"] for r in recipients(api, cid, **params))


def test_filters_by_result_state_and_search(campaign):
    _, api, cid = campaign
    assert emails(api, cid, result="clicked") == ["ada@filters.example.test"]
    assert emails(api, cid, result="opened") == ["alan@filters.example.test"]
    assert emails(api, cid, result="reported") == ["grace@filters.example.test"]
    assert emails(api, cid, result="none") == ["edsger@filters.example.test",
                                               "grace@filters.example.test"]
    assert len(emails(api, cid, state="sent")) == 4
    assert emails(api, cid, state="failed") == []
    assert emails(api, cid, q="TURING") == ["alan@filters.example.test"]
    assert emails(api, cid, q="a") == sorted(p[0] for p in PEOPLE)
    # LIKE wildcards in the search text are taken literally.
    assert emails(api, cid, q="100%_") == ["edsger@filters.example.test"]
    assert emails(api, cid, q="%") == ["edsger@filters.example.test"]
    assert emails(api, cid, q="a", result="clicked") == ["ada@filters.example.test"]


def test_paging_follows_the_filters(campaign):
    _, api, cid = campaign
    first = expect(api.get(f"{CAMPAIGNS}/{cid}/recipients", params={"q": "a", "limit": 2}), 200)
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = expect(api.get(f"{CAMPAIGNS}/{cid}/recipients",
                          params={"q": "a", "limit": 2, "cursor": first["next_cursor"]}), 200)
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None


@pytest.mark.parametrize("params,field", [({"result": "phished"}, "result"),
                                          ({"state": "lost"}, "state"),
                                          ({"q": "x" * 201}, "q")])
def test_bad_filters_are_refused(campaign, params, field):
    _, api, cid = campaign
    expect_error(api.get(f"{CAMPAIGNS}/{cid}/recipients", params=params), 422, "validation", field)
    expect_error(api.get(f"{CAMPAIGNS}/{cid}/recipients.csv", params=params), 422, "validation",
                 field)


def test_csv_export(campaign):
    server, api, cid = campaign
    r = api.get(f"{CAMPAIGNS}/{cid}/recipients.csv")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    assert f"campaign-{cid}-recipients.csv" in r.headers["Content-Disposition"]
    assert r.text.endswith("\r\n")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    by_email = {row["email"]: row for row in rows}
    assert set(by_email) == {p[0] for p in PEOPLE}
    assert by_email["ada@filters.example.test"]["result"] == "clicked"
    assert by_email["ada@filters.example.test"]["clicked_at"].endswith("Z")
    assert by_email["grace@filters.example.test"]["reported_at"].endswith("Z")
    # A name a spreadsheet would run as a formula is neutralised: at the start, after
    # leading spaces, in full-width form, and after a separator inside the cell.
    assert by_email["grace@filters.example.test"]["first_name"] == "'=Grace"
    assert by_email["ada@filters.example.test"]["first_name"] == "'\uff1d1+1"
    assert by_email["ada@filters.example.test"]["last_name"] == ";'=1+1;"
    assert by_email["edsger@filters.example.test"]["first_name"] == "'\u3000 =1"
    assert_no_formula_cells(r.text)
    only = list(csv.DictReader(io.StringIO(
        api.get(f"{CAMPAIGNS}/{cid}/recipients.csv", params={"result": "clicked"}).text)))
    assert [row["email"] for row in only] == ["ada@filters.example.test"]
    viewer = server.user_session(api, "viewer")
    assert viewer.get(f"{CAMPAIGNS}/{cid}/recipients.csv").status_code == 200
    expect_error(api.get(f"{CAMPAIGNS}/999999/recipients.csv"), 404)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def assert_no_formula_cells(text):
    """No cell starts a formula, whichever separator the spreadsheet splits on (Excel in a
    semicolon locale splits a comma file at the semicolons inside quoted cells)."""
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            for cell in row:
                assert not cell.lstrip(" \u00a0\u3000").startswith(FORMULA_STARTS), \
                    (delimiter, cell, row)


def test_campaign_list_and_get_carry_result_counts(campaign):
    _, api, cid = campaign
    listed = next(c for c in expect(api.get(CAMPAIGNS), 200)["items"] if c["id"] == cid)
    got = expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)
    summary = expect(api.get(f"{CAMPAIGNS}/{cid}/summary"), 200)
    for c in (listed, got):
        assert c["results"] == {k: summary[k] for k in ("opened", "clicked", "submitted",
                                                        "reported")}, c["results"]
    assert got["results"] == {"opened": 2, "clicked": 1, "submitted": 0, "reported": 1}


def test_timeline_counts_people_per_stage(campaign):
    _, api, cid = campaign
    t = expect(api.get(f"{CAMPAIGNS}/{cid}/timeline"), 200)
    assert t["bucket_seconds"] == 60  # the whole test campaign fits in minutes
    totals = {k: sum(b[k] for b in t["buckets"]) for k in ("sent", "opened", "clicked",
                                                           "submitted", "reported")}
    assert totals == {"sent": 4, "opened": 2, "clicked": 1, "submitted": 0, "reported": 1}
    starts = [b["start"] for b in t["buckets"]]
    assert starts == sorted(starts) and all(s.endswith(":00Z") for s in starts)
    expect_error(api.get(f"{CAMPAIGNS}/999999/timeline"), 404)


def test_audience_of_a_draft_counts_people_once(campaign):
    _, api, cid = campaign
    dom = uniq("aud")
    people = [{"email": f"p{i}@{dom}.example.test"} for i in range(5)]
    g1 = expect(api.post("/api/v1/groups", json={"name": uniq("a1"), "targets": people[:4]}), 201)
    g2 = expect(api.post("/api/v1/groups", json={"name": uniq("a2"), "targets": people[2:]}), 201)
    launched = expect(api.get(f"{CAMPAIGNS}/{cid}"), 200)
    draft = create_campaign(api, [launched["templates"][0]["template_id"]],
                            [g1["id"], g2["id"]], launched["profile_id"])
    assert expect(api.get(f"{CAMPAIGNS}/{draft['id']}/audience"), 200) == {"recipients": 5}
    assert expect(api.get(f"{CAMPAIGNS}/{cid}/audience"), 200) == {"recipients": 4}


def test_preview_of_an_unsaved_template(campaign):
    _, api, _ = campaign
    body = {"template": {"subject": "Hi {{.FirstName}}", "html": "<p>{{.FirstName}} "
                         "<a href=\"{{.URL}}\">go</a></p>", "text": "", "from": "a@b.example.test"},
            "target": {"first_name": "<b>Dana</b>", "email": "dana@example.test"}}
    r = expect(api.post("/api/v1/templates/preview", json=body), 200)
    assert r["subject"] == "Hi <b>Dana</b>"
    assert "&lt;b&gt;Dana&lt;/b&gt;" in r["html"] and "/?rid=" in r["html"]
    bad = {"template": {"subject": "x", "html": "{{.Password}}"}}
    expect_error(api.post("/api/v1/templates/preview", json=bad), 422, "validation", "html")
    expect_error(api.post("/api/v1/templates/preview", json={"target": {}}), 422, "validation",
                 "template")
    assert expect(api.get("/api/v1/templates"), 200)["items"] == [
        t for t in expect(api.get("/api/v1/templates"), 200)["items"] if t["name"] != "preview"]
