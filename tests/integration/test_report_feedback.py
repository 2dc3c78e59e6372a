"""Feedback to the people who report suspicious mail (GET/PUT /api/v1/reporting/feedback), sent
through the ordinary pipeline (a sending profile, then SMTP: the sink here) against a real
reporting mailbox (Dovecot, scripts/dovecot_test_server.sh) and the Outlook report button:

  - the settings: shipped defaults, partial updates, refusals by field, who may change them;
  - a reported simulation is answered once ("well spotted"), across a second poll and a restart;
  - real mail reported by known people, a stranger and an auto-reply: an acknowledgement to the
    known people only (at their address on file, also when they reported from an alias), the
    verdict when it is set, again when it changes and not when it is set again, and the verdict
    straight away to someone who reports after it was decided;
  - nothing while feedback is switched off, and an email queued before is cancelled;
  - a button report of real mail is forwarded to forward_to with the original attached, and that
    forward, when it lands in the reporting mailbox, is not taken in as a second report;
  - a report where nothing readable was found says how to report instead; HTML in a text stays
    text.

One server, one sink, one mailbox folder and one campaign (10 people at ORG) for the module;
tests set the settings they need first.
"""

from __future__ import annotations

import imaplib
import ssl
import time
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy

import pytest
import requests

import report_shapes as shapes
from campaign_support import parse_time, smtp_profile, strip_brackets
from harness import Server, expect, expect_error, wait_until
from reporting_support import Delivered, Imap, all_reports, launch_and_deliver, poll_now, \
    reporting_env, start_imap, stop_imap
from smtp_sink import SinkMessage, SmtpSink
from tracking_support import message_parts
from training_support import db_query

ORG = "example.org"
REPORTING = "reports@example.org"
FEEDBACK = "/api/v1/reporting/feedback"
MAILBOXES = "/api/v1/reporting/mailboxes"
KINDS = ("simulation", "received", "clean", "spam", "threat")
PLACEHOLDERS = ["{{.FirstName}}", "{{.LastName}}", "{{.Subject}}", "{{.ReportedAt}}"]
SENDER = ("Security Team", "security-team@example.org")
SOC = "soc-desk@example.org"
UNREADABLE = "We could not find the suspicious message in what you sent"


# --------------------------------------------------------------------------- the module's world


@dataclass(frozen=True)
class Person:
    email: str
    first: str
    last: str
    target_id: int


@dataclass
class World:
    imap: Imap
    sink: SmtpSink
    folder: str
    mailbox_id: int
    profile_id: int
    people: list[Person]
    delivered: dict[str, Delivered]  # address -> the simulation it was sent
    alias: str  # people[2]'s other address
    shipped: dict
    appended: int = 0
    strangers: list[str] = field(default_factory=list)

    def deliver(self, api, raws: list[bytes], timeout: float = 60) -> None:
        """APPENDs the reports to the mailbox's folder and polls until the server has marked
        every message in it done (it marks a message after recording it). A poll asked for while
        one is running may be overtaken by that poll's "next poll" time, so it is asked for
        again while the folder is not done."""
        shapes.append_to_imap("127.0.0.1", self.imap.port, self.imap.user, self.imap.password,
                              self.imap.ca, raws, folder=self.folder)
        self.appended += len(raws)
        want = self.appended
        asked = [float("-inf")]
        seen = [0]

        def done():
            seen[0] = done_in(self.imap, self.folder)
            if seen[0] >= want:
                return True
            if time.monotonic() - asked[0] > 2:
                poll_now(api, self.mailbox_id)
                asked[0] = time.monotonic()
            return False

        try:
            wait_until(done, timeout, f"{want} messages done in {self.folder}", interval=0.2)
        except AssertionError:
            box = expect(api.get(f"{MAILBOXES}/{self.mailbox_id}"), 200)
            raise AssertionError(f"{seen[0]} of {want} messages done; mailbox {box}") from None

    def barrier(self, api) -> None:
        """A report from a stranger, delivered: once it is done, every poll before it is over."""
        n = len(self.strangers)
        stranger = f"stranger{n}@elsewhere.example"
        self.strangers.append(stranger)
        phish = shapes.real_phish("notice@parcel-hold.example.net", "Parcel desk",
                                  f"Your parcel is on hold ({n})",
                                  links=[("https://parcel-hold.example.net/pay", "Pay the fee")],
                                  message_id=f"barrier-{n}-{id(self)}@parcel-hold.example.net")
        self.deliver(api, [shapes.forward_as_attachment(phish, stranger, REPORTING)])


def done_in(imap: Imap, folder: str) -> int:
    """How many messages in `folder` the server has marked done ($PhishdrillDone). A UID SEARCH
    in this process: `imap_test_client.py flags` cannot be read while the server is changing
    flags (an unsolicited FETCH without UID ends it with an error)."""
    context = ssl.create_default_context(cafile=imap.ca)
    with imaplib.IMAP4_SSL("127.0.0.1", imap.port, ssl_context=context, timeout=30) as client:
        client.login(imap.user, imap.password)
        status, answer = client.select(f'"{folder}"', readonly=True)
        assert status == "OK", answer
        status, answer = client.uid("SEARCH", "KEYWORD", "$PhishdrillDone")
        assert status == "OK", answer
        return len(b" ".join(a for a in answer if a).split())


@pytest.fixture(scope="module")
def imap():
    peer = start_imap()
    try:
        yield peer
    finally:
        stop_imap(peer)


@pytest.fixture(scope="module")
def node(imap):
    # A deferred feedback email is retried after 2 s (the cancellation test waits for it).
    s = Server(name="pd-feedback", extra_env={**reporting_env(imap),
                                              "PHISHDRILL_JOBS_RETRY_BASE_SECONDS": "2"}).start()
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture(scope="module")
def node_api(node):
    with node.api() as session:
        yield session


@pytest.fixture(scope="module")
def world(node_api, imap, sink) -> World:
    shipped = expect(node_api.get(FEEDBACK), 200)["shipped_texts"]
    _, group, delivered = launch_and_deliver(node_api, sink, 10, ORG)
    targets = expect(node_api.get(f"/api/v1/groups/{group['id']}/targets?limit=100"), 200)["items"]
    by_email = {t["email"]: t["id"] for t in targets}
    people = [Person(t["email"], t["first_name"], t["last_name"], by_email[t["email"]])
              for t in sorted(group["targets"], key=lambda t: t["email"])]
    assert [p.first for p in people] == [f"First{i}" for i in range(10)]
    alias = "first2.at.home@private.example"
    saved = expect(node_api.put(f"/api/v1/targets/{people[2].target_id}/aliases",
                                json={"aliases": [alias]}), 200)
    assert saved["aliases"] == [alias]
    profile = smtp_profile(node_api, sink, **{"from": f"{SENDER[0]} <{SENDER[1]}>"})
    folder = imap.folder()
    mailbox = expect(node_api.post(MAILBOXES, json=imap.mailbox_body(folder)), 201)
    return World(imap, sink, folder, mailbox["id"], profile["id"], people,
                 {d.address: d for d in delivered}, alias, shipped)


# --------------------------------------------------------------------------- helpers


def configure(api, world: World, **over) -> dict:
    """Feedback on through the module's profile, the shipped texts, nothing forwarded;
    `over` replaces any of those."""
    body = {"enabled": True, "profile_id": world.profile_id, "forward_to": "",
            "texts": world.shipped}
    body.update(over)
    saved = expect(api.put(FEEDBACK, json=body), 200)
    for key in ("enabled", "profile_id", "forward_to"):
        assert saved[key] == body[key], saved
    return saved


def feedback_mail(sink: SmtpSink, since: int, to: str | None = None) -> list[SinkMessage]:
    """Feedback emails (they carry X-Auto-Response-Suppress) accepted after message `since`,
    optionally only those to `to`."""
    out = []
    for m in sink.messages():
        if m.seq <= since or m.msg["X-Auto-Response-Suppress"] is None:
            continue
        if to is None or [r.lower() for r in m.rcpt_tos] == [to.lower()]:
            out.append(m)
    return out


def mail_to(sink: SmtpSink, since: int, to: str) -> list[SinkMessage]:
    """Every email accepted after message `since` for `to`, feedback or not."""
    return [m for m in sink.messages()
            if m.seq > since and to.lower() in [r.lower() for r in m.rcpt_tos]]


def wait_feedback(sink: SmtpSink, since: int, to: str, n: int, timeout: float = 30,
                  subject: str | None = None) -> list[SinkMessage]:
    """Waits for n feedback emails to `to` after `since` (with that subject, when given)."""
    def mine():
        return [m for m in feedback_mail(sink, since, to)
                if subject is None or m.msg["Subject"] == subject]

    try:
        wait_until(lambda: len(mine()) >= n, timeout, f"{n} feedback emails to {to}")
    except AssertionError:
        got = [(m.rcpt_tos, m.msg["Subject"]) for m in feedback_mail(sink, since)]
        raise AssertionError(f"{len(mine())} of {n} feedback emails to {to} "
                             f"(subject {subject!r}); feedback since: {got}") from None
    return mine()


def reports_by(api, reporter: str) -> list[dict]:
    return [r for r in all_reports(api) if r["reporter"] == reporter.lower()]


def emails_of(api, report_id: int) -> list[dict]:
    return expect(api.get(f"/api/v1/triage/reports/{report_id}"), 200)["emails"]


def wait_emails(api, report_id: int, cond, what: str, timeout: float = 30) -> list[dict]:
    last: list = []

    def check():
        nonlocal last
        last = emails_of(api, report_id)
        return last if cond(last) else None

    try:
        return wait_until(check, timeout, what)
    except AssertionError:
        raise AssertionError(f"report {report_id}: {what} not reached; emails {last}") from None


def all_sent(kinds: list[str], verdict: str = ""):
    """A condition on a report's emails: exactly these kinds, each sent (a verdict email
    having told `verdict`)."""
    def cond(emails):
        return ([e["kind"] for e in emails] == kinds and
                all(e["state"] == "sent" for e in emails) and
                all(e["sent_verdict"] == verdict for e in emails if e["kind"] == "verdict"))
    return cond


def check_sent_row(row: dict, kind: str, verdict: str = "") -> None:
    assert row["kind"] == kind and row["state"] == "sent", row
    assert row["attempts"] == 1 and row["last_error"] == "", row
    assert row["sent_verdict"] == verdict, row
    assert row["sent_at"] and parse_time(row["sent_at"]), row


def check_feedback_mail(m: SinkMessage, person: Person, auto_submitted: str) -> dict[str, str]:
    """The envelope and headers every feedback email has; returns its text and HTML parts."""
    assert m.rcpt_tos == [person.email], m
    assert m.mail_from.lower() == SENDER[1], m.mail_from
    (sender,) = m.msg["From"].addresses
    assert (sender.display_name, sender.addr_spec) == SENDER, m.msg["From"]
    (to,) = m.msg["To"].addresses
    assert to.addr_spec == person.email, m.msg["To"]
    assert to.display_name == f"{person.first} {person.last}", m.msg["To"]
    assert m.msg["Auto-Submitted"] == auto_submitted, m.msg["Auto-Submitted"]
    assert m.msg["X-Auto-Response-Suppress"] == "All"
    assert m.msg["Message-ID"], "no Message-ID"
    parts = {k: v.replace("\r\n", "\n") for k, v in message_parts(m.msg).items()}
    assert set(parts) == {"text/plain", "text/html"}, parts.keys()
    assert "{{" not in parts["text/plain"] and "{{" not in m.msg["Subject"], parts["text/plain"]
    return parts


def long_date(rfc3339: str) -> str:
    """{{.ReportedAt}} as filled in: "Wednesday 5 March 2025" (UTC)."""
    d: datetime = parse_time(rfc3339)
    return f"{d:%A} {d.day} {d:%B %Y}"


def subject_of(raw: bytes) -> str:
    return message_from_bytes(raw, policy=policy.default)["Subject"]


def report_button_url(api) -> str:
    return expect(api.get("/api/v1/reporting/button"), 200)["manifest_url"] \
        .replace("manifest.xml", "report")


def press_report_button(url: str, raw: bytes, reporter: str) -> dict:
    answer = requests.post(url, data=raw, timeout=30,
                           headers={"Content-Type": "message/rfc822",
                                    "X-Phishdrill-Reporter": reporter})
    assert answer.status_code == 200, (answer.status_code, answer.text)
    return answer.json()


# --------------------------------------------------------------------------- 1. settings


def test_settings_round_trip_refusals_and_roles(node, node_api, world):
    api = node_api
    got = expect(api.get(FEEDBACK), 200)
    assert got["enabled"] is False and got["profile_id"] is None and got["forward_to"] == ""
    assert got["placeholders"] == PLACEHOLDERS
    assert set(got["texts"]) == set(KINDS) and got["texts"] == got["shipped_texts"]
    for kind in KINDS:
        text = got["texts"][kind]
        assert set(text) == {"subject", "body"} and text["subject"] and text["body"], kind
        assert text["body"].startswith("Hello {{.FirstName}},"), text
    assert "{{.Subject}}" in got["texts"]["threat"]["subject"]
    assert "{{.ReportedAt}}" in got["texts"]["received"]["body"]

    # A PUT changes what it names; a text it names is replaced whole, with spaces trimmed.
    clean = {"subject": "Checked: {{.Subject}} is <b>fine</b>",
             "body": "Hi {{ .FirstName }} {{.LastName}},\n\n<b>Safe</b> & sound "
                     "<script>alert(1)</script> since {{.ReportedAt}}."}
    saved = expect(api.put(FEEDBACK, json={"texts": {"clean": {
        "subject": "  " + clean["subject"] + " ", "body": "\n" + clean["body"] + "\n\n"}}}), 200)
    assert saved["texts"]["clean"] == clean  # HTML is kept as text
    assert {k: v for k, v in saved["texts"].items() if k != "clean"} == \
        {k: v for k, v in got["shipped_texts"].items() if k != "clean"}
    assert saved["shipped_texts"] == got["shipped_texts"]
    assert saved["enabled"] is False and saved["profile_id"] is None

    saved = expect(api.put(FEEDBACK, json={"profile_id": world.profile_id}), 200)
    assert saved["profile_id"] == world.profile_id and saved["enabled"] is False
    assert saved["texts"]["clean"] == clean
    saved = expect(api.put(FEEDBACK, json={"enabled": True,
                                           "forward_to": " SOC-Desk@Example.org "}), 200)
    assert saved["enabled"] is True and saved["profile_id"] == world.profile_id
    assert saved["forward_to"] == SOC and saved["texts"]["clean"] == clean
    assert expect(api.get(FEEDBACK), 200) == saved

    # Refusals name the field, and change nothing.
    refused = [
        ({"texts": {"clean": {"subject": "x", "body": "Your password: {{.Password}}"}}},
         "texts.clean.body"),
        ({"texts": {"spam": {"subject": "Hi {{.Password}}", "body": "x"}}}, "texts.spam.subject"),
        ({"texts": {"threat": {"subject": "x", "body": "Hello {{.FirstName"}}},
         "texts.threat.body"),
        ({"texts": {"received": {"subject": "", "body": "Thanks"}}}, "texts.received.subject"),
        ({"texts": {"received": {"subject": "   ", "body": "Thanks"}}}, "texts.received.subject"),
        ({"texts": {"received": {"subject": "Thanks", "body": " \n "}}}, "texts.received.body"),
        ({"texts": {"received": {"body": "Thanks"}}}, "texts.received.subject"),
        ({"texts": {"clean": {"subject": "Hi\r\nBcc: everyone@example.org", "body": "x"}}},
         "texts.clean.subject"),
        ({"texts": {"clean": {"subject": "x" * 201, "body": "x"}}}, "texts.clean.subject"),
        ({"texts": {"clean": {"subject": "x", "body": "x" * 5001}}}, "texts.clean.body"),
        ({"enabled": True, "profile_id": None, "forward_to": ""}, "profile_id"),
        ({"profile_id": 999999}, "profile_id"),
        ({"forward_to": "not an address"}, "forward_to"),
        ({"forward_to": "SOC <soc@example.org>"}, "forward_to"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field_name in refused:
        expect_error(api.put(FEEDBACK, json=body), 422, field=field_name)
    assert expect(api.get(FEEDBACK), 200) == saved

    # Operators read, only admins change.
    viewer = node.user_session(api, "viewer")
    expect_error(viewer.get(FEEDBACK), 403)
    expect_error(viewer.put(FEEDBACK, json={"enabled": False}), 403)
    operator = node.user_session(api, "operator")
    assert expect(operator.get(FEEDBACK), 200) == saved
    expect_error(operator.put(FEEDBACK, json={"enabled": False}), 403)
    assert expect(api.get(FEEDBACK), 200)["enabled"] is True

    restored = expect(api.put(FEEDBACK, json={"enabled": False, "forward_to": "",
                                              "texts": got["shipped_texts"]}), 200)
    assert restored["texts"] == restored["shipped_texts"] and restored["enabled"] is False


# --------------------------------------------------------------------------- 2. simulation


def test_a_reported_simulation_is_answered_once(node, world, sink):
    api = node.api()
    configure(api, world)
    person = world.people[0]
    simulation = world.delivered[person.email]
    simulated_subject = subject_of(simulation.raw)
    assert simulated_subject == f"Hello {person.first}"
    since = sink.count()
    world.deliver(api, [shapes.forward_as_attachment(simulation.raw, person.email, REPORTING)])

    (report,) = reports_by(api, person.email)
    assert report["status"] == "simulation" and report["recipient_id"], report
    assert report["reporter_target_id"] == person.target_id, report
    (mail,) = wait_feedback(sink, since, person.email, 1)
    parts = check_feedback_mail(mail, person, "auto-replied")
    assert mail.msg["Subject"] == world.shipped["simulation"]["subject"]
    text = parts["text/plain"]
    assert text.startswith(f"Hello {person.first},\n\n"), text
    assert f'Thank you for reporting "{simulated_subject}". It was a practice phishing email' \
        in text, text
    assert "Your security team" in text
    assert f"Hello {person.first}," in parts["text/html"]
    assert simulated_subject in parts["text/html"]
    emails = wait_emails(api, report["id"], all_sent(["acknowledge"]), "the acknowledgement sent")
    check_sent_row(emails[0], "acknowledge")

    # Polled again, and again after a restart: the report is not taken in (or answered) twice.
    world.barrier(api)
    node.stop()
    node.start()
    api = node.api()
    world.barrier(api)
    assert len(reports_by(api, person.email)) == 1
    assert emails_of(api, report["id"]) == emails
    assert len(mail_to(sink, since, person.email)) == 1, mail_to(sink, since, person.email)


# --------------------------------------------------------------------------- 3. real mail


def test_real_mail_reporters_hear_back_and_verdicts_reach_known_people(node, world, sink):
    api = node.api()
    configure(api, world)
    known = world.people[1:4]
    automatic, late = world.people[4], world.people[5]
    stranger = "someone.else@outside.example"
    subject = "Confirm your salary details"
    phish = shapes.real_phish("payroll@salary-confirm.example.net", "Payroll", subject,
                              links=[("https://salary-confirm.example.net/login",
                                      f"https://intranet.{ORG}/payroll")],
                              message_id="feedback-salary-1@salary-confirm.example.net")
    auto_reply = b"Auto-Submitted: auto-replied\r\n" + shapes.forward_as_attachment(
        phish, automatic.email, REPORTING, client="thunderbird")
    since = sink.count()
    world.deliver(api, [
        shapes.forward_as_attachment(phish, known[0].email, REPORTING),
        shapes.forward_as_attachment(phish, world.alias, REPORTING, client="gmail"),  # known[1]
        shapes.outlook_report_button(phish, known[2].email, REPORTING),
        shapes.forward_as_attachment(phish, stranger, REPORTING, client="gmail"),
        auto_reply,
    ])

    reporters = [known[0].email, world.alias, known[2].email, stranger, automatic.email]
    reports = {}
    for who in reporters:
        (r,) = reports_by(api, who)
        assert r["status"] == "triage" and r["subject"] == subject, r
        reports[who] = r
    assert len({r["cluster_id"] for r in reports.values()}) == 1, reports
    cluster_id = reports[stranger]["cluster_id"]
    assert reports[stranger]["reporter_target_id"] is None
    assert reports[world.alias]["reporter_target_id"] == known[1].target_id
    assert reports[automatic.email]["reporter_target_id"] == automatic.target_id
    answered = dict(zip(known, [reports[known[0].email], reports[world.alias],
                                reports[known[2].email]]))
    auto_report = reports[automatic.email]

    # The acknowledgement, at each known person's address on file.
    for person, report in answered.items():
        (mail,) = wait_feedback(sink, since, person.email, 1)
        parts = check_feedback_mail(mail, person, "auto-replied")
        assert mail.msg["Subject"] == world.shipped["received"]["subject"]
        assert (f'Hello {person.first},\n\nThank you for reporting "{subject}" on '
                f'{long_date(report["received_at"])}. Your security team will look at it') \
            in parts["text/plain"], parts["text/plain"]
        assert UNREADABLE not in parts["text/plain"]
        check_sent_row(wait_emails(api, report["id"], all_sent(["acknowledge"]),
                                   "the acknowledgement sent")[0], "acknowledge")
    assert emails_of(api, reports[stranger]["id"]) == []
    assert emails_of(api, auto_report["id"]) == []
    for address in (stranger, world.alias, automatic.email):
        assert mail_to(sink, since, address) == []

    def decide(verdict: str, note: str) -> dict:
        decided = expect(api.put(f"/api/v1/triage/clusters/{cluster_id}/verdict",
                                 json={"verdict": verdict, "note": note}), 200)
        assert decided["verdict"] == verdict
        return decided

    # What the auto-reply's reporter was sent, checked last (so everything else is checked too).
    auto_answers = []

    def verdict_round(verdict: str, subject_line: str, phrase: str) -> None:
        mark = sink.count()
        decide(verdict, f"decided {verdict}")
        for person, report in answered.items():
            (mail,) = wait_feedback(sink, mark, person.email, 1)
            parts = check_feedback_mail(mail, person, "auto-generated")
            assert mail.msg["Subject"] == subject_line
            assert f"Hello {person.first}," in parts["text/plain"]
            assert phrase in parts["text/plain"], parts["text/plain"]
            assert long_date(report["received_at"]) in parts["text/plain"]
            rows = wait_emails(api, report["id"], all_sent(["acknowledge", "verdict"], verdict),
                               f"the {verdict} verdict sent")
            check_sent_row(rows[1], "verdict", verdict)
        assert emails_of(api, reports[stranger]["id"]) == []
        auto_answers.append((verdict, emails_of(api, auto_report["id"])))
        others = [m for m in feedback_mail(sink, mark) if m.rcpt_tos != [automatic.email]]
        assert len(others) == len(answered), [(m.rcpt_tos, m.msg["Subject"]) for m in others]

    verdict_round("threat", f'Your report: "{subject}" was a real attack',
                  f'"{subject}", was a real phishing attack')
    verdict_round("clean", f'Your report: "{subject}" is safe', "It is genuine and safe to use.")

    # The same verdict again: nothing new is queued, so nothing is sent.
    rows = {r["id"]: emails_of(api, r["id"]) for r in reports.values()}
    mark = sink.count()
    decide("clean", "still clean")
    for report in reports.values():
        assert emails_of(api, report["id"]) == rows[report["id"]], report["reporter"]

    # Someone reporting it after the verdict hears the verdict, not "we are looking at it".
    world.deliver(api, [shapes.forward_as_attachment(phish, late.email, REPORTING)])
    (report,) = reports_by(api, late.email)
    assert report["cluster_id"] == cluster_id and report["verdict"] == "clean", report
    (mail,) = wait_feedback(sink, mark, late.email, 1)
    check_feedback_mail(mail, late, "auto-generated")
    assert mail.msg["Subject"] == f'Your report: "{subject}" is safe'
    rows = wait_emails(api, report["id"], all_sent(["verdict"], "clean"), "the verdict sent")
    check_sent_row(rows[0], "verdict", "clean")
    # Nothing was queued by the repeated verdict: the late reporter's is the only email since.
    assert [m.rcpt_tos for m in feedback_mail(sink, mark)] == [[late.email]]

    # Never any feedback to the reporter of an auto-reply (Auto-Submitted: auto-replied).
    assert auto_answers == [("threat", []), ("clean", [])], \
        (f"report {auto_report['id']} from {automatic.email} (Auto-Submitted: auto-replied) "
         f"was answered", auto_answers,
         [m.msg["Subject"] for m in mail_to(sink, since, automatic.email)])
    assert mail_to(sink, since, automatic.email) == []


# --------------------------------------------------------------------------- 4. switched off


def test_nothing_is_sent_while_feedback_is_off(node, world, sink, make_sink):
    api = node.api()
    person, waiting = world.people[6], world.people[9]
    configure(api, world, enabled=False)
    since = sink.count()
    phish = shapes.real_phish("helpdesk@quota-alert.example.net", "Help desk",
                              "Mailbox over quota",
                              links=[("https://quota-alert.example.net/fix", "Fix it now")],
                              message_id="feedback-quota-1@quota-alert.example.net")
    world.deliver(api, [
        shapes.forward_as_attachment(world.delivered[person.email].raw, person.email, REPORTING),
        shapes.forward_as_attachment(phish, person.email, REPORTING, client="gmail"),
    ])
    reports = {r["status"]: r for r in reports_by(api, person.email)}
    assert set(reports) == {"simulation", "triage"}, reports
    triage = reports["triage"]
    expect(api.put(f"/api/v1/triage/clusters/{triage['cluster_id']}/verdict",
                   json={"verdict": "spam", "note": "newsletter"}), 200)
    expect(api.put(f"/api/v1/triage/reports/{triage['id']}/verdict",
                   json={"verdict": "threat", "note": "on second thought"}), 200)
    for report in reports.values():
        assert emails_of(api, report["id"]) == [], report  # nothing queued

    # Switched back on, nothing of that time is answered afterwards; a new verdict is.
    configure(api, world)
    expect(api.put(f"/api/v1/triage/reports/{triage['id']}/verdict",
                   json={"verdict": "spam", "note": "a newsletter after all"}), 200)
    (mail,) = wait_feedback(sink, since, person.email, 1)
    check_feedback_mail(mail, person, "auto-generated")
    assert mail.msg["Subject"] == 'Your report: "Mailbox over quota" is unwanted mail'
    rows = wait_emails(api, triage["id"], all_sent(["verdict"], "spam"), "the verdict sent")
    check_sent_row(rows[0], "verdict", "spam")
    assert emails_of(api, reports["simulation"]["id"]) == []
    assert len(mail_to(sink, since, person.email)) == 1

    # An email queued while feedback was on is cancelled once it is switched off: the relay
    # defers it, and by its retry feedback is off.
    deferring = make_sink(defer_data_for={waiting.email: 1000})
    slow = smtp_profile(api, deferring, **{"from": f"{SENDER[0]} <{SENDER[1]}>"})
    configure(api, world, profile_id=slow["id"])
    undecided = shapes.real_phish("it@password-expiry.example.net", "IT", "Password expires today",
                                  links=[("https://password-expiry.example.net/", "Keep it")],
                                  message_id="feedback-expiry-1@password-expiry.example.net")
    world.deliver(api, [shapes.forward_as_attachment(undecided, waiting.email, REPORTING)])
    (report,) = reports_by(api, waiting.email)
    wait_emails(api, report["id"],
                lambda e: len(e) == 1 and e[0]["state"] == "queued" and e[0]["attempts"] >= 1
                and "try again later" in e[0]["last_error"], "the acknowledgement deferred")
    configure(api, world, enabled=False, profile_id=slow["id"])
    (row,) = wait_emails(api, report["id"], lambda e: e and e[0]["state"] == "cancelled",
                         "the acknowledgement cancelled")
    assert row["kind"] == "acknowledge" and row["sent_at"] is None, row
    assert row["last_error"] == "feedback to reporters is switched off", row
    assert deferring.count() == 0 and mail_to(sink, since, waiting.email) == []


# --------------------------------------------------------------------------- 5. button, forward


def test_a_button_report_of_real_mail_is_forwarded_and_not_taken_in_again(node, world, sink):
    api = node.api()
    configure(api, world, forward_to=SOC)
    person = world.people[7]
    url = report_button_url(api)
    subject = "Overdue invoice 4471"
    phish = shapes.real_phish("billing@supplier-invoices.example.net", "Supplier billing", subject,
                              links=[("https://supplier-invoices.example.net/pay", "Pay now")],
                              attachments=[("invoice.html", "text/html", b"<p>Pay</p>")],
                              to_addr=person.email,
                              message_id="feedback-invoice-4471@supplier-invoices.example.net")
    since = sink.count()
    # A simulation reported with the button: the pane says so, nothing is emailed or forwarded.
    simulation = world.delivered[person.email]
    assert press_report_button(url, simulation.raw, person.email)["outcome"] == "simulation"
    assert press_report_button(url, phish, person.email)["outcome"] == "triage"
    reports = {r["status"]: r for r in reports_by(api, person.email)}
    assert set(reports) == {"simulation", "triage"}, reports
    report = reports["triage"]
    assert report["source"] == "button" and report["reporter_target_id"] == person.target_id
    assert emails_of(api, reports["simulation"]["id"]) == []

    (forward,) = wait_until(lambda: mail_to(sink, since, SOC), 30, "the forward")
    assert forward.rcpt_tos == [SOC] and forward.mail_from.lower() == SENDER[1]
    assert forward.msg["Subject"] == f"Reported by {person.email}: {subject}"
    assert forward.msg["To"].addresses[0].addr_spec == SOC
    assert forward.msg["From"].addresses[0].addr_spec == SENDER[1]
    assert forward.msg["Auto-Submitted"] == "auto-generated"
    attached = [p for p in forward.msg.walk() if p.get_content_type() == "message/rfc822"]
    assert len(attached) == 1, [p.get_content_type() for p in forward.msg.walk()]
    assert attached[0].get_filename() == "reported-message.eml"
    assert attached[0].get_content_disposition() == "attachment"
    inner = attached[0].get_content()
    original = message_from_bytes(phish, policy=policy.default)
    assert strip_brackets(inner["Message-ID"]) == strip_brackets(original["Message-ID"])
    assert inner["Subject"] == subject and inner["From"] == original["From"]
    assert {p.get_filename() for p in inner.walk() if p.get_filename()} == {"invoice.html"}
    text = message_parts(forward.msg)["text/plain"].replace("\r\n", "\n")
    assert f"{person.email} reported this message with the report button" in text, text
    rows = wait_emails(api, report["id"], all_sent(["forward"]), "the forward sent")
    check_sent_row(rows[0], "forward")
    assert feedback_mail(sink, since, person.email) == []  # the pane was the acknowledgement

    # The forward lands in the reporting mailbox: recognised, not a second report.
    before = len(all_reports(api))
    world.deliver(api, [forward.raw])
    assert len(all_reports(api)) == before
    assert reports_by(api, SENDER[1]) == []
    (outcome,) = db_query(node, "SELECT outcome, report_id FROM mailbox_messages WHERE "
                          "mailbox_id = ? AND uid = (SELECT MAX(uid) FROM mailbox_messages "
                          "WHERE mailbox_id = ?)", (world.mailbox_id, world.mailbox_id))
    assert tuple(outcome) == ("forwarded", 0), outcome

    # A verdict on a button report is emailed.
    mark = sink.count()
    expect(api.put(f"/api/v1/triage/reports/{report['id']}/verdict",
                   json={"verdict": "threat", "note": "invoice fraud"}), 200)
    (mail,) = wait_feedback(sink, mark, person.email, 1)
    check_feedback_mail(mail, person, "auto-generated")
    assert mail.msg["Subject"] == f'Your report: "{subject}" was a real attack'
    rows = wait_emails(api, report["id"], all_sent(["forward", "verdict"], "threat"),
                       "the verdict sent")
    check_sent_row(rows[1], "verdict", "threat")
    assert len(mail_to(sink, since, SOC)) == 1


# --------------------------------------------------------------------------- 6. unreadable


def test_an_unreadable_report_says_how_to_report_and_html_stays_text(node, world, sink):
    api = node.api()
    person = world.people[8]
    received = {"subject": "Thanks <b>{{.FirstName}}</b> & co",
                "body": "Hello {{.FirstName}},\n\n<b>Thank you</b> for your report & "
                        "<script>alert(1)</script>.\n\n<i>Your</i> security team"}
    configure(api, world, texts={"received": received})
    since = sink.count()
    world.deliver(api, [shapes.msg_attachment(person.email, REPORTING)])
    (report,) = reports_by(api, person.email)
    assert report["status"] == "refused" and report["note"], report

    (mail,) = wait_feedback(sink, since, person.email, 1)
    parts = check_feedback_mail(mail, person, "auto-replied")
    assert mail.msg["Subject"] == f"Thanks <b>{person.first}</b> & co"
    text, html = parts["text/plain"], parts["text/html"]
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert paragraphs[0] == f"Hello {person.first},", paragraphs
    assert paragraphs[1] == "<b>Thank you</b> for your report & <script>alert(1)</script>.", \
        paragraphs
    assert paragraphs[2].startswith(f"{UNREADABLE} ({report['note']})."), paragraphs
    assert "Forward as attachment" in paragraphs[2] and "Report button" in paragraphs[2]
    assert paragraphs[3].strip() == "<i>Your</i> security team", paragraphs
    # The HTML part shows the markup as text.
    assert "&lt;b&gt;Thank you&lt;/b&gt; for your report &amp; " \
           "&lt;script&gt;alert(1)&lt;/script&gt;." in html, html
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html, html
    assert UNREADABLE in html
    rows = wait_emails(api, report["id"], all_sent(["acknowledge"]), "the acknowledgement sent")
    check_sent_row(rows[0], "acknowledge")
