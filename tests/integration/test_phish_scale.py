"""The NIST Phish Scale through the admin API: every library simulation and template is
rated (cues found in the message and confirmed by its author, the premise answers that
apply, the difficulty with its reasons); a workspace answers the premise questions per
category; the editor rates unsaved work; and after a campaign, what people did with a
template is set against its rating, so that a template rated hard that nobody fell for
(or rated easy that many did) is flagged."""

import pytest
from campaign_support import create_campaign, launch, make_group, smtp_profile, wait_settled
from harness import Server, expect, expect_error, wait_until
from tracking_support import PhishClient, fresh_ip, message_parts, rid_of

S = "/api/v1/library/simulations"
PREMISE = "/api/v1/phish-scale/premise"
DIFFICULTIES = {"very", "moderately", "moderately_to_least", "least"}


@pytest.fixture(scope="module")
def server():
    """The people of these tests click as soon as their mail arrives: no scanner window."""
    s = Server(name="pd-scale", extra_env={"PHISHDRILL_PHISH_SCANNER_WINDOW_SECONDS": "0"})
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


def test_every_library_simulation_is_rated_with_its_reasons(api, role_keys):
    viewer = role_keys("viewer")
    items = expect(viewer.get(S), 200)["items"]
    assert len(items) >= 60
    for s in items:
        rating = s["rating"]
        assert s["difficulty"] == rating["difficulty"] in DIFFICULTIES, s["slug"]
        assert rating["cue_count"] == len(rating["cues"]) >= 1, s["slug"]
        assert rating["cue_band"] in {"few", "some", "many"}
        assert rating["premise"]["source"] == "suggested", s["slug"]
        assert len(rating["reasons"]) == 3 and rating["difficulty_label"] in rating["reasons"][2]
        assert {c["source"] for c in rating["cues"]} <= {"detected", "author"}
        assert s["observed"]["verdict"] == "too_few" and s["observed"]["sent"] == 0
    # Programs see some cues the authors also listed: detected ones show up too.
    assert any(c["source"] == "detected" for s in items for c in s["rating"]["cues"])
    by_difficulty = {}
    for s in items:
        by_difficulty.setdefault(s["difficulty"], set()).add(s["slug"])
    for difficulty, slugs in by_difficulty.items():
        picked = expect(viewer.get(S, params={"difficulty": difficulty}), 200)["items"]
        assert {s["slug"] for s in picked} == slugs, difficulty
    assert len(by_difficulty) >= 2, by_difficulty.keys()
    err = expect_error(viewer.get(S, params={"difficulty": "hard"}), 422, "validation")
    assert err["field"] == "difficulty"

    scale = expect(viewer.get("/api/v1/phish-scale"), 200)
    assert len(scale["cue_types"]) == 23 and len(scale["table"]) == 9
    assert {"cues": "few", "premise": "strong", "difficulty": "very"} in scale["table"]
    assert {"cues": "many", "premise": "weak", "difficulty": "least"} in scale["table"]


def test_the_workspace_answers_the_premise_questions_per_category(api, role_keys):
    before = expect(api.get(PREMISE), 200)["categories"]
    assert [c["category"] for c in before][0] == "general" and len(before) == 16
    hr = next(c for c in before if c["category"] == "hr-and-payroll")
    assert hr["source"] == "suggested" and hr["suggested"] and not hr["customised"]

    strongest = {"workplace_process": "extreme", "workplace_relevance": "extreme",
                 "external_events": "extreme", "consequences": "extreme",
                 "training_exposure": "none"}
    operator = role_keys("operator")
    expect_error(operator.put(f"{PREMISE}/hr-and-payroll", json={"answers": strongest}), 403,
                 "forbidden")
    after = expect(api.put(f"{PREMISE}/hr-and-payroll", json={"answers": strongest}), 200)
    hr = next(c for c in after["categories"] if c["category"] == "hr-and-payroll")
    assert hr["customised"] and hr["source"] == "workspace" and hr["score"] == 32
    assert hr["band"] == "strong"

    # The category's simulations now take the workspace's answers.
    bonus = expect(api.get(f"{S}/annual-bonus-letter"), 200)
    assert bonus["rating"]["premise"]["source"] == "workspace"
    assert bonus["rating"]["premise"]["score"] == 32

    bad = dict(strongest, consequences="very")
    err = expect_error(api.put(f"{PREMISE}/hr-and-payroll", json={"answers": bad}), 422,
                       "validation")
    assert err["field"] == "answers.consequences", err
    expect_error(api.put(f"{PREMISE}/knitting", json={"answers": strongest}), 422, "validation")
    expect_error(api.put(f"{PREMISE}/hr-and-payroll", json={"answers": {}}), 422)

    expect(api.delete(f"{PREMISE}/hr-and-payroll"), 204)
    expect_error(api.delete(f"{PREMISE}/hr-and-payroll"), 404, "not_found")
    back = expect(api.get(f"{S}/annual-bonus-letter"), 200)
    assert back["rating"]["premise"]["source"] == "suggested"
    audit = expect(api.get("/api/v1/audit-log", params={"limit": 20}), 200)["items"]
    assert {"phish_scale.premise.update", "phish_scale.premise.reset"} <= {
        e["action"] for e in audit}


def test_the_editor_rates_unsaved_work_as_it_is_written(api):
    make_group(api, 2, dom="lakeside-clinic.org")
    draft = {"subject": "URGENT: verify your password",
             "html": '<p>Dear customer,</p><p>Your account will be suspended within 24 hours.'
                     '</p><p><a href="{{.URL}}">https://lakeside-clinic.org/login</a></p>',
             "from": "Lakeside IT <helpdesk@lakeside-c1inic.org>"}
    rating = expect(api.post("/api/v1/templates/rate", json={"template": draft}), 200)
    types = {c["type"] for c in rating["cues"] if c["source"] == "detected"}
    assert {"generic_greeting", "sense_of_urgency", "threatening_language",
            "requests_sensitive_info", "url_hyperlinking", "domain_spoofing"} <= types, types
    assert rating["premise"]["source"] == "default" and rating["premise"]["score"] == 12

    # The author adds what a program cannot see, and dismisses what it got wrong.
    draft["phish_scale"] = {"category": "it-help-desk",
                            "cues": [{"type": "no_branding", "where": "plain text, no logo"}],
                            "dismissed": ["generic_greeting"]}
    edited = expect(api.post("/api/v1/templates/rate", json={"template": draft}), 200)
    kinds = [(c["type"], c["source"]) for c in edited["cues"]]
    assert ("no_branding", "author") in kinds and not any(t == "generic_greeting" for t, _ in kinds)
    assert edited["premise"]["source"] == "suggested"

    draft["phish_scale"] = {"cues": [{"type": "bad_vibes", "where": "everywhere"}]}
    err = expect_error(api.post("/api/v1/templates/rate", json={"template": draft}), 422,
                       "validation")
    assert err["field"] == "phish_scale.cues[0].type", err
    expect_error(api.post("/api/v1/templates/rate", json={}), 422)

    # Saved templates keep what the author said and carry their rating.
    draft["phish_scale"] = {"category": "it-help-desk",
                            "cues": [{"type": "no_branding", "where": "plain text, no logo"}]}
    saved = expect(api.post("/api/v1/templates", json=dict(draft, name="Rated draft")), 201)
    assert saved["phish_scale"]["cues"] == draft["phish_scale"]["cues"]
    listed = expect(api.get("/api/v1/templates", params={"limit": 200}), 200)["items"]
    mine = next(t for t in listed if t["id"] == saved["id"])
    assert mine["rating"]["difficulty"] in DIFFICULTIES and mine["observed"]["sent"] == 0
    # What a client read, it may write back: the computed parts are ignored.
    back = {k: v for k, v in mine.items() if k not in ("id", "created_at", "updated_at")}
    again = expect(api.put(f"/api/v1/templates/{saved['id']}", json=back), 200)
    assert again["rating"] == mine["rating"] and again["phish_scale"] == mine["phish_scale"]


def click_some(server, sink, group, count: int) -> None:
    clicked = 0
    for m in sink.messages():
        if m.rcpt_tos[0].lower() not in group["emails"] or clicked == count:
            continue
        rid = rid_of(message_parts(m.msg)["text/plain"])
        r = PhishClient(server.phish_url, source_ip=fresh_ip()).hit("click", rid)
        assert r.status_code == 200, r.text[:200]
        clicked += 1
    assert clicked == count


def observed_after(api, tid: int, clicked: int, timeout: float = 30) -> dict:
    def seen():
        t = expect(api.get(f"/api/v1/templates/{tid}"), 200)
        return t if t["observed"]["clicked"] == clicked else None
    return wait_until(seen, timeout, f"template {tid} to show {clicked} clicks")


def test_results_correct_the_rating_a_template_was_given(server, api, sink):
    """Two templates, one rated very difficult that nobody fell for, one rated least
    difficult that half the people clicked: both are flagged, each the other way."""
    weak = {"workplace_process": "none", "workplace_relevance": "low",
            "external_events": "none", "consequences": "low", "training_exposure": "extreme"}
    strong = {"workplace_process": "extreme", "workplace_relevance": "extreme",
              "external_events": "moderate", "consequences": "significant",
              "training_exposure": "none"}
    expect(api.put(f"{PREMISE}/calendar", json={"answers": strong}), 200)
    expect(api.put(f"{PREMISE}/social-media", json={"answers": weak}), 200)
    body = "Hi {{.FirstName}}, the agenda is at {{.URL}}"
    hard = expect(api.post("/api/v1/templates", json={
        "name": "Quiet agenda", "subject": "Agenda for {{.FirstName}}", "text": body,
        "from": "Agenda <agenda@agenda.example.test>",
        "phish_scale": {"category": "calendar"}}), 201)
    many = [{"type": t, "where": "all over the message"} for t in
            ["no_branding", "logo_imitation", "unprofessional_design", "inconsistency",
             "distracting_detail", "lack_of_signer_details", "poses_as_authority",
             "too_good_to_be_true", "you_are_special", "limited_time_offer",
             "humanitarian_appeal", "legal_language", "security_indicators",
             "spelling_grammar", "mimics_business_process"]]
    easy = expect(api.post("/api/v1/templates", json={
        "name": "Loud prize", "subject": "A prize for {{.FirstName}}", "text": body,
        "from": "Prizes <prizes@prizes.example.test>",
        "phish_scale": {"category": "social-media", "cues": many}}), 201)
    assert expect(api.get(f"/api/v1/templates/{hard['id']}"), 200)["rating"]["difficulty"] == \
        "very"
    easy_rating = expect(api.get(f"/api/v1/templates/{easy['id']}"), 200)["rating"]
    assert easy_rating["difficulty"] == "least", easy_rating
    assert expect(api.get(f"/api/v1/templates/{hard['id']}"), 200)["observed"]["verdict"] == \
        "too_few"

    profile = smtp_profile(api, sink)
    groups = []
    for tmpl in (hard, easy):
        group = make_group(api, 40)
        camp = create_campaign(api, [tmpl["id"]], [group["id"]], profile["id"])
        launch(api, camp["id"])
        wait_settled(api, camp["id"], timeout=60)
        groups.append(group)
    click_some(server, sink, groups[1], 20)

    hard_seen = observed_after(api, hard["id"], 0)["observed"]
    assert hard_seen["sent"] == 40 and hard_seen["clicked"] == 0, hard_seen
    assert hard_seen["verdict"] == "easier_than_rated", hard_seen
    assert hard_seen["observed_difficulty"] == "least" and hard_seen["interval"][0] == 0

    easy_seen = observed_after(api, easy["id"], 20)["observed"]
    assert easy_seen["sent"] == 40 and easy_seen["clicked"] == 20, easy_seen
    assert easy_seen["failure_rate"] == 0.5 and easy_seen["verdict"] == "harder_than_rated"
    assert easy_seen["observed_difficulty"] == "very"
    low, high = easy_seen["interval"]
    assert 0.3 < low < 0.5 < high < 0.7, easy_seen
