"""Issue 5 must-show, in Chromium (tests/browser/portal_e2e.mjs): a campaign with a
follow-up module -> the target clicks -> an assignment appears and its email arrives at
the SMTP server -> the portal link from that email -> lessons and quiz completed (by
keyboard) -> the completion, score and module version are visible through the admin
API and in the CSV. Every portal page is checked with axe-core at 390 and 1280 px;
the quiz page must not hold the answers. Screenshots: build/artifacts/browser/portal_e2e.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import time

from browser_support import artifacts_dir, desktop_ua, run_scenario
from campaign_support import create_campaign, launch, make_group, make_template, smtp_profile
from harness import expect
from tracking_support import HUMAN_ENV, message_parts, rid_of

MODULE = "spotting-red-flags"


def portal_link(message) -> str:
    text = message_parts(message.msg)["text/plain"]
    match = re.search(r"https?://\S+/learn/[A-Za-z0-9_-]+", text)
    assert match, text
    return match.group(0)


def test_follow_up_training_in_the_browser(make_server, make_sink):
    shutil.rmtree(artifacts_dir("portal_e2e"), ignore_errors=True)  # this run's screenshots only
    sink = make_sink()
    server = make_server(extra_env=HUMAN_ENV)
    api = server.admin_session()
    profile = smtp_profile(api, sink)
    expect(api.put("/api/v1/training/settings",
                   json={"profile_id": profile["id"], "follow_up_delay_seconds": 0}), 200)
    group = make_group(api, 2)
    template = make_template(api)
    campaign = create_campaign(api, [template["id"]], [group["id"]], profile["id"],
                               follow_up={"module": MODULE, "trigger": "clicked", "due_days": 7})
    launch(api, campaign["id"])
    assert sink.wait_for_count(2, 30) == 2
    target = group["emails"][0]
    phish = next(m for m in sink.messages() if target in m.rcpt_tos)
    rid = rid_of(message_parts(phish.msg)["text/plain"])

    # The target clicks in a real browser: the teaching page offers the training.
    clicked = run_scenario("portal_e2e", {"step": "click", "url": f"{server.phish_url}/?rid={rid}",
                                          "desktop_ua": desktop_ua()})
    assert clicked["status"] == 200
    assert "phishing simulation" in clicked["heading"]
    assert clicked["training_link"].startswith("/learn/start?rid=")

    # An assignment appears, and its email arrives at the SMTP server.
    items = expect(api.get("/api/v1/training/assignments",
                           params={"campaign_id": campaign["id"]}), 200)["items"]
    assert [(a["target"]["email"], a["module"]["slug"], a["reason"]) for a in items] == [
        (target, MODULE, "campaign")]
    assert sink.wait_for_count(3, 30) == 3
    notice = sink.messages()[-1]
    assert notice.rcpt_tos == [target]
    assert notice.msg["Subject"].startswith("Training for you")

    module = expect(api.get(f"/api/v1/training/modules/{MODULE}"), 200)
    answers = {q["id"]: q["answers"] for q in module["quiz"]}
    wrong = {q["id"]: [next(i for i in range(len(q["choices"])) if i not in q["answers"])]
             for q in module["quiz"]}
    started = time.monotonic()
    report = run_scenario("portal_e2e", {
        "step": "portal", "url": portal_link(notice), "desktop_ua": desktop_ua(),
        "module_title": module["title"], "answers": answers, "wrong_answers": wrong,
        "explanations": [q["explanation"] for q in module["quiz"]]})
    elapsed = time.monotonic() - started

    bad = [a for a in clicked["axe"] + report["axe"] if a["violations"]]
    assert not bad, bad
    assert not clicked["sideways"] + report["sideways"]  # nothing scrolls sideways at 390 px
    assert len(report["axe"]) >= 2 * 8  # home, overview, lessons, quiz, results, certificate
    assert report["first_focus"].strip() == "Skip to content"
    assert report["answers_in_quiz_page"] == 0
    assert report["first_result"] == "Not quite yet"
    assert report["second_result"] == "Well done: you passed"
    assert "100%" in report["second_status"]
    assert module["title"] in report["certificate"]
    assert report["reopen_status"] == 409
    assert report["reopen_heading"] == "You have already completed this module"
    assert elapsed < 90

    # The completion, score and module version, through the API and in the CSV.
    done = expect(api.get(f"/api/v1/training/assignments/{items[0]['id']}"), 200)
    assert done["status"] == "completed"
    assert done["score"] == 100 and done["passed"] is True
    assert done["module_version"] == module["version"]
    assert [a["passed"] for a in done["quiz_attempts"]] == [False, True]
    rows = list(csv.DictReader(io.StringIO(
        expect_text(api.get("/api/v1/training/report.csv", params={"group_id": group["id"]})))))
    row = next(r for r in rows if r["email"] == target)
    assert (row["status"], row["score"], row["module_version"], row["passed"]) == (
        "completed", "100", str(module["version"]), "yes")


def expect_text(r) -> str:
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv")
    return r.text
