"""The employee training portal on the phish server (issue 5): the personal link from
the assignment email, the person's list, lessons, the quiz graded on the server (no
answers in the page, one submission per form, forged answer sets refused), the
result and certificate; refusals (unknown, expired and other people's links,
cancelled training); security headers; tokens kept out of logs and the database."""

from __future__ import annotations

import csv
import html as htmllib
import io
import re
import secrets
import time

import pytest

from campaign_support import smtp_profile
from harness import expect
from tracking_support import HtmlScan, PhishClient, fresh_ip, message_parts
from training_support import (
    ASSIGN,
    REPORT,
    SLUG,
    assign,
    assignment,
    assignments,
    db_query,
    db_write,
    import_module,
    mail_rows,
    make_people,
    module,
    module_tar,
    nonce_of,
    portal_link,
    put_settings,
    right_form,
    sha256_hex,
    text_of,
    to,
    wait_mail,
    wrong_form,
)

SEEN_TOKENS: list[str] = []  # every portal token the tests saw (checked against logs and DB)


@pytest.fixture(scope="module")
def setup(server, api, sink):
    prof = smtp_profile(api, sink)
    put_settings(api, profile_id=prof["id"], follow_up_delay_seconds=0)
    return {"profile": prof, "module": module(api)}


def learner(api, sink, n=1, slug=SLUG, days=7, **kw):
    """n fresh people, each assigned `slug`; returns [(person, assignment, link)]."""
    g = make_people(api, n, **kw)
    out = assign(api, slug, group_ids=[g["id"]], days=days)
    assert out == {"created": n, "already_assigned": 0, "emailed": True}, out
    items = {a["target"]["id"]: a for a in assignments(api, group_id=g["id"], module=slug)}
    res = []
    for p in g["people"]:
        m = wait_mail(sink, to(p["email"], "Training for you:"), 20, f"to {p['email']}")[0]
        link, token = portal_link(m)
        SEEN_TOKENS.append(token)
        p["group_id"] = g["id"]
        res.append((p, items[p["id"]], link, m))
    return res


def browser():
    return PhishClient("http://unused.invalid", fresh_ip())


def check_headers(r):
    assert r.headers.get("Cache-Control") == "no-store", (r.url, r.headers)
    assert r.headers.get("Referrer-Policy") == "no-referrer", (r.url, r.headers)
    csp = r.headers.get("Content-Security-Policy", "")
    assert csp, (r.url, r.headers)
    directives = {d.strip().split(" ")[0]: d.strip() for d in csp.split(";") if d.strip()}
    script = directives.get("script-src", directives.get("default-src", ""))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, csp
    assert r.headers.get("Content-Type", "").startswith("text/html"), r.headers


def page_text(r) -> str:
    return htmllib.unescape(r.text)


def status(r, code, *needles):
    assert r.status_code == code, (r.request.method, r.url, r.status_code, r.text[:600])
    text = page_text(r).lower()
    for n in needles:
        assert n.lower() in text, (n, r.url, text[:1500])
    check_headers(r)
    return r


# --------------------------------------------------------------------------- the flow


def test_email_then_lesson_quiz_fail_pass_certificate(server, api, sink, setup):
    mod = setup["module"]
    [(person, a, link, mail)] = learner(api, sink, days=9)
    # the email: addressed to the person, title in the subject, due date, personal link
    assert mail.rcpt_tos == [person["email"]], mail.rcpt_tos
    assert person["email"] in str(mail.msg["To"])
    assert mod["title"] in str(mail.msg["Subject"]), mail.msg["Subject"]
    due = time.strptime(a["due_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert f"{due.tm_mday} {time.strftime('%B %Y', due)}" in text_of(mail), text_of(mail)
    assert link.startswith(server.phish_url + "/learn/"), link
    assert assignment(api, a["id"])["reminders_sent"] == 0

    b = browser()
    home = status(b.get(link), 200, mod["title"])
    assert f"/learn/" in home.text and str(a["id"]) in home.text
    status(b.get(f"{link}/{a['id']}"), 200, mod["title"])
    assert assignment(api, a["id"])["status"] == "assigned"
    status(b.get(f"{link}/{a['id']}/lesson/1"), 200)
    got = assignment(api, a["id"])
    assert got["status"] == "in_progress" and got["started_at"], got
    n = len(mod["lessons"])
    status(b.get(f"{link}/{a['id']}/lesson/{n}"), 200)
    for bad in ("0", str(n + 1), "abc", "-1"):
        status(b.get(f"{link}/{a['id']}/lesson/{bad}"), 404)
    status(b.get(f"{link}/{a['id']}/certificate"), 409, "not completed")

    # the quiz page: no right answers, no explanations, choices carry only indexes
    q1 = status(b.get(f"{link}/{a['id']}/quiz"), 200)
    text = page_text(q1)
    for q in mod["quiz"]:
        assert q["explanation"] not in text, q["id"]
        assert q["explanation"][:40] not in text, q["id"]
    assert "correct" not in q1.text.lower(), q1.text
    forms = HtmlScan(q1.text).forms
    assert len(forms) == 1, forms
    assert forms[0].get("method", "").lower() == "post"
    inputs = [i for i in forms[0]["inputs"] if i.get("name", "").startswith("q.")]
    for q in mod["quiz"]:
        mine = [i for i in inputs if i["name"] == f"q.{q['id']}"]
        assert [i["value"] for i in mine] == [str(k) for k in range(len(q["choices"]))], mine
        assert all(set(i) <= {"type", "id", "name", "value", "required"} for i in mine), mine
        assert not any("checked" in i or "data-correct" in i for i in mine), mine
    old_nonce = nonce_of(q1.text)

    # a failing attempt
    r = status(b.post(f"{link}/{a['id']}/quiz", data=wrong_form(mod, old_nonce)), 200,
               "Not quite yet")
    for q in mod["quiz"]:  # the result explains
        assert q["explanation"] in page_text(r), q["id"]
    got = assignment(api, a["id"])
    assert (got["status"], got["score"], got["passed"], got["attempts"]) == \
        ("in_progress", 0, False, 1), got
    assert got["completed_at"] is None and got["module_version"] is None, got
    assert len(got["quiz_attempts"]) == 1 and got["quiz_attempts"][0]["score"] == 0, got

    # the same form again: refused, nothing recorded
    status(b.post(f"{link}/{a['id']}/quiz", data=right_form(mod, old_nonce)), 409,
           "already")
    assert assignment(api, a["id"])["attempts"] == 1

    # a fresh quiz and the right answers
    q2 = status(b.get(f"{link}/{a['id']}/quiz"), 200)
    nonce = nonce_of(q2.text)
    assert nonce != old_nonce
    r = status(b.post(f"{link}/{a['id']}/quiz", data=right_form(mod, nonce)), 200, "passed")
    for q in mod["quiz"]:
        assert q["explanation"] in page_text(r), q["id"]
    got = assignment(api, a["id"])
    assert (got["status"], got["score"], got["passed"], got["attempts"], got["module_version"]) \
        == ("completed", 100, True, 2, mod["version"]), got
    assert got["completed_at"] and got["completed_at"] >= got["started_at"], got
    assert [x["passed"] for x in got["quiz_attempts"]] == [False, True], got
    assert got["quiz_attempts"][1]["module_version"] == mod["version"], got

    # after completion: any submission or a new quiz is refused; the certificate is there
    status(b.post(f"{link}/{a['id']}/quiz", data=right_form(mod, nonce)), 409,
           "already completed")
    status(b.post(f"{link}/{a['id']}/quiz", data=wrong_form(mod, "x" * 32)), 409,
           "already completed")
    status(b.get(f"{link}/{a['id']}/quiz"), 409, "already completed")
    assert assignment(api, a["id"])["attempts"] == 2
    cert = status(b.get(f"{link}/{a['id']}/certificate"), 200,
                  f"{person['first_name']} {person['last_name']}", mod["title"], "100%")
    facts = re.sub(r"<[^>]+>", " ", cert.text)
    assert re.search(r"Module version\s+%d\b" % mod["version"], facts), facts
    status(b.get(link), 200, mod["title"])

    # the record: pending emails withdrawn, report and CSV
    rows = mail_rows(server, a["id"])
    assert rows[0]["kind"] == "assigned" and rows[0]["state"] == "sent", rows
    assert rows[1:] and all(r["state"] == "cancelled" for r in rows[1:]), rows
    rep = expect(api.get(REPORT, params={"group_id": person["group_id"]}), 200)
    assert rep["totals"]["completed"] == 1 and rep["totals"]["completion_rate"] == 1, rep
    assert rep["totals"]["people_completed_all"] == 1, rep
    assert rep["items"][0]["last_completed_at"] == got["completed_at"], rep
    table = list(csv.DictReader(io.StringIO(api.get(f"{REPORT}.csv", params={
        "group_id": person["group_id"]}).text)))
    assert len(table) == 1, table
    row = table[0]
    assert (row["status"], row["score"], row["passed"], row["module_version"], row["attempts"]) \
        == ("completed", "100", "yes", str(mod["version"]), "2"), row
    assert row["completed_at"] == got["completed_at"] and row["module"] == SLUG, row

    # once completed, the module may be assigned to the person again
    out = assign(api, target_ids=[person["id"]])
    assert out["created"] == 1 and out["already_assigned"] == 0, out


def test_home_lists_every_assignment_and_each_email_link_works(api, sink, setup):
    [(person, a, link, _)] = learner(api, sink)
    assign(api, "business-email-compromise", target_ids=[person["id"]])
    other = expect(api.get("/api/v1/training/modules/business-email-compromise"), 200)
    m2 = wait_mail(sink, lambda m: to(person["email"])(m) and other["title"] in
                   str(m.msg["Subject"]), 20, "second assignment email")[0]
    link2, token2 = portal_link(m2)
    SEEN_TOKENS.append(token2)
    assert link2 != link
    b = browser()
    for url in (link, link2):
        r = status(b.get(url), 200, setup["module"]["title"], other["title"])
    a2 = assignments(api, target_id=person["id"], module="business-email-compromise")[0]
    status(b.get(f"{link}/{a2['id']}"), 200, other["title"])
    status(b.get(f"{link2}/{a['id']}"), 200, setup["module"]["title"])


def test_multi_answer_question_takes_repeated_fields(api, sink, setup):
    slug = "itest-multi-" + secrets.token_hex(3)

    def edit(root):
        q = root / "quiz.toml"
        q.write_text(q.read_text().replace("answers = [2]", "answers = [0, 2]", 1))
    expect(import_module(api, module_tar(slug, 2, edit=edit)), 201)
    mod = module(api, slug)
    multi = mod["quiz"][0]
    assert multi["answers"] == [0, 2], multi
    [(person, a, link, _)] = learner(api, sink, slug=slug)
    b = browser()
    q = status(b.get(f"{link}/{a['id']}/quiz"), 200, "choose all that apply")
    boxes = [i for i in HtmlScan(q.text).forms[0]["inputs"] if i.get("name") == f"q.{multi['id']}"]
    assert {i["type"] for i in boxes} == {"checkbox"}, boxes
    # only one of the two right choices: that question is wrong (4 of 5 = 80% still passes
    # with pass mark 80, so get another one wrong as well)
    form = right_form(mod, nonce_of(q.text))
    form.remove((f"q.{multi['id']}", "2"))
    second = mod["quiz"][1]
    form = [(k, v) if k != f"q.{second['id']}" else
            (k, str(next(i for i in range(len(second["choices"])) if i not in second["answers"])))
            for k, v in form]
    status(b.post(f"{link}/{a['id']}/quiz", data=form), 200, "Not quite yet")
    assert assignment(api, a["id"])["score"] == 60
    q = status(b.get(f"{link}/{a['id']}/quiz"), 200)
    status(b.post(f"{link}/{a['id']}/quiz", data=right_form(mod, nonce_of(q.text))), 200,
           "passed")
    got = assignment(api, a["id"])
    assert (got["status"], got["score"], got["module_version"]) == ("completed", 100, 2), got


# --------------------------------------------------------------------------- refusals


def test_forged_answer_sets_refused_and_nothing_recorded(api, sink, setup):
    mod = setup["module"]
    [(person, a, link, _)] = learner(api, sink)
    b = browser()
    nonce = nonce_of(status(b.get(f"{link}/{a['id']}/quiz"), 200).text)
    good = right_form(mod, nonce)
    q0, q1 = mod["quiz"][0], mod["quiz"][1]
    forgeries = {
        "index out of range": [(k, str(len(q0["choices"]))) if k == f"q.{q0['id']}" else (k, v)
                               for k, v in good],
        "negative index": [(k, "-1") if k == f"q.{q0['id']}" else (k, v) for k, v in good],
        "unknown question": good + [("q.no-such-question", "0")],
        "question missing": [(k, v) for k, v in good if k != f"q.{q1['id']}"],
        "non-numeric": [(k, "one") if k == f"q.{q0['id']}" else (k, v) for k, v in good],
        "empty value": [(k, "") if k == f"q.{q0['id']}" else (k, v) for k, v in good],
        "extra field": good + [("score", "100")],
        "two choices for a single-answer question": good + [
            (f"q.{q}", str(next(i for i in range(len(c["choices"])) if i not in c["answers"])))
            for c in mod["quiz"][:1] if len(c["answers"]) == 1 for q in [c["id"]]],
        "only the nonce": [("nonce", nonce)],
    }
    for what, form in forgeries.items():
        r = b.post(f"{link}/{a['id']}/quiz", data=form)
        assert r.status_code == 422, (what, r.status_code, r.text[:500])
        assert "nothing was recorded" in page_text(r).lower(), (what, r.text[:800])
        check_headers(r)
        got = assignment(api, a["id"])
        assert got["attempts"] == 0 and got["score"] is None and got["quiz_attempts"] == [], \
            (what, got)
    # no nonce at all, or a made-up one: refused as a stale form, nothing recorded
    status(b.post(f"{link}/{a['id']}/quiz", data=[x for x in good if x[0] != "nonce"]), 409)
    status(b.post(f"{link}/{a['id']}/quiz", data=[("nonce", "A" * 32)] + good[1:]), 409)
    assert assignment(api, a["id"])["attempts"] == 0
    # the form's nonce still works after the refusals
    status(b.post(f"{link}/{a['id']}/quiz", data=good), 200, "passed")
    got = assignment(api, a["id"])
    assert got["status"] == "completed" and got["attempts"] == 1, got


def test_simultaneous_submissions_of_one_form_count_once(api, sink, setup):
    from concurrent.futures import ThreadPoolExecutor
    mod = setup["module"]
    [(person, a, link, _)] = learner(api, sink)
    q = status(browser().get(f"{link}/{a['id']}/quiz"), 200)
    form = wrong_form(mod, nonce_of(q.text))

    def send(_):
        return browser().post(f"{link}/{a['id']}/quiz", data=form).status_code
    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(send, range(8)))
    assert codes == [200] + [409] * 7, codes
    got = assignment(api, a["id"])
    assert got["attempts"] == 1 and len(got["quiz_attempts"]) == 1, got


def test_unknown_expired_foreign_and_cancelled(server, api, sink, setup):
    (pa, aa, link_a, _), (pb, ab, link_b, _) = learner(api, sink, n=2)
    b = browser()
    base = server.phish_url + "/learn/"
    status(b.get(base + secrets.token_urlsafe(32)), 404, "not valid")
    status(b.get(base + "short"), 404, "not valid")
    status(b.get(base + secrets.token_urlsafe(32) + f"/{aa['id']}/quiz"), 404, "not valid")

    # an expired link (a row written straight into portal_links)
    token = secrets.token_urlsafe(32)
    ws = db_query(server, "SELECT workspace_id FROM assignments WHERE id = ?", (aa["id"],))[0][0]
    now = int(time.time())
    db_write(server, "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, "
             "expires_at) VALUES (?, ?, ?, ?, ?)",
             (sha256_hex(token), ws, pa["id"], now - 40 * 86400, now - 10))
    assert db_query(server, "SELECT COUNT(*) FROM portal_links WHERE token_hash = ?",
                    (sha256_hex(token),))[0][0] == 1, "token_hash is not sha256(token) in hex"
    for path in ("", f"/{aa['id']}", f"/{aa['id']}/quiz", f"/{aa['id']}/certificate"):
        status(b.get(base + token + path), 410, "expired")
    status(b.post(base + token + f"/{aa['id']}/quiz", data=[("nonce", "x")]), 410, "expired")
    # the same kind of row, valid: works (so the 410 above is about the time only)
    token2 = secrets.token_urlsafe(32)
    db_write(server, "INSERT INTO portal_links (token_hash, workspace_id, target_id, created_at, "
             "expires_at) VALUES (?, ?, ?, ?, ?)",
             (sha256_hex(token2), ws, pa["id"], now, now + 3600))
    status(b.get(base + token2 + f"/{aa['id']}"), 200)

    # A's link with B's assignment
    for path in ("", "/quiz", "/lesson/1", "/certificate"):
        status(b.get(f"{link_a}/{ab['id']}{path}"), 403, "not on your list")
    status(b.post(f"{link_a}/{ab['id']}/quiz", data=[("nonce", "x")]), 403, "not on your list")
    status(b.get(f"{link_a}/99999999"), 403, "not on your list")
    status(b.get(f"{link_a}/abc"), 403)
    assert assignment(api, ab["id"])["status"] == "assigned"  # B's untouched

    # a cancelled assignment
    nonce = nonce_of(status(b.get(f"{link_b}/{ab['id']}/quiz"), 200).text)
    expect(api.post(f"{ASSIGN}/{ab['id']}/cancel"), 200)
    for path in ("", "/quiz", "/lesson/1", "/certificate"):
        status(b.get(f"{link_b}/{ab['id']}{path}"), 410)
    status(b.post(f"{link_b}/{ab['id']}/quiz", data=right_form(setup["module"], nonce)), 410)
    got = assignment(api, ab["id"])
    assert got["status"] == "cancelled" and got["attempts"] == 0, got
    home = status(b.get(link_b), 200)
    assert setup["module"]["title"] not in page_text(home), "cancelled training still listed"


def test_portal_start_without_campaign_rid(server):
    b = browser()
    status(b.get(server.phish_url + "/learn/start"), 404, "not valid")
    status(b.get(server.phish_url + "/learn/start?rid=" + secrets.token_urlsafe(16)), 404)


def test_names_are_escaped_in_portal_and_email(api, sink, setup):
    evil = '<img src=x onerror=alert(1)>'
    [(person, a, link, mail)] = learner(api, sink, first=lambda i: evil)
    assert person["first_name"] == evil, person
    html_part = message_parts(mail.msg)["text/html"]
    assert evil not in html_part and "&lt;img src=x onerror=alert(1)&gt;" in html_part
    b = browser()
    mod = setup["module"]
    home = status(b.get(link), 200)
    assert evil not in home.text and "&lt;img" in home.text, home.text[:800]
    q = status(b.get(f"{link}/{a['id']}/quiz"), 200)
    status(b.post(f"{link}/{a['id']}/quiz", data=right_form(mod, nonce_of(q.text))), 200)
    cert = status(b.get(f"{link}/{a['id']}/certificate"), 200)
    assert evil not in cert.text and "&lt;img src=x onerror=alert(1)&gt;" in cert.text


def test_lesson_image_served_and_overdue_shown(server, api, sink, setup):
    [(person, a, link, _), (_, _, other_link, _)] = learner(api, sink, n=2)
    b = browser()
    lesson = status(b.get(f"{link}/{a['id']}/lesson/1"), 200)
    imgs = HtmlScan(lesson.text).images
    assert imgs and all(i.get("alt") for i in imgs), imgs
    src = imgs[0]["src"]
    assert not src.startswith(("http:", "https:", "//", "data:")), src
    r = b.get(f"{link}/{a['id']}/lesson/{src}")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.headers
    assert r.content.startswith(b"\x89PNG"), r.content[:8]
    assert b.get(f"{link}/{a['id']}/lesson/images/nope.png").status_code == 404
    assert b.get(f"{link}/{a['id']}/lesson/images/..%2Fmodule.toml").status_code == 404
    # someone else's link cannot fetch it
    assert b.get(f"{other_link}/{a['id']}/lesson/{src}").status_code == 403
    db_write(server, "UPDATE assignments SET due_at = ? WHERE id = ?",
             (int(time.time()) - 86400, a["id"]))
    home = status(b.get(link), 200)
    assert "overdue" in page_text(home).lower(), home.text


# --------------------------------------------------------------------------- secrets


def test_portal_tokens_not_in_server_logs(server, api, sink, setup):
    """Logs never hold a token (DESIGN.md: "never a password, token, API key")."""
    learner(api, sink, n=2)  # fresh tokens, visited below
    assert len(SEEN_TOKENS) >= 2, SEEN_TOKENS
    b = browser()
    for token in SEEN_TOKENS:
        b.get(f"{server.phish_url}/learn/{token}")
    # requests no route matches, or with the wrong method, carry the token too
    token = SEEN_TOKENS[-1]
    for method, path in (("GET", f"/learn/{token}/1/no/such/page"),
                         ("GET", f"/learn/{token}/"),
                         ("POST", f"/learn/{token}"),
                         ("DELETE", f"/learn/{token}/1/quiz"),
                         ("HEAD", f"/learn/{token}")):
        r = b.request(method, server.phish_url + path)
        assert r.status_code < 500, (method, path, r.status_code)
    server.wait_logged(b, server.phish_url)  # every request above is in the logs by now
    logs = b""
    for p in (server.log_path, server.stderr_path, server.stdout_path):
        if p.exists():
            logs += p.read_bytes()
    assert b"event=" in logs, "no logs written at all"
    for token in SEEN_TOKENS:
        at = logs.find(token.encode())
        assert at < 0, f"portal token in the server logs: {logs[max(0, at - 200):at + 80]!r}"


def test_db_holds_only_token_and_nonce_hashes(server, api, sink, setup):
    [(person, a, link, _)] = learner(api, sink)
    learner(api, sink)
    b = browser()
    nonce = nonce_of(status(b.get(f"{link}/{a['id']}/quiz"), 200).text)
    # committed before the page is answered: on disk (the WAL) by now
    assert db_query(server, "SELECT quiz_nonce_hash FROM assignments WHERE id = ?",
                    (a["id"],)) == [(sha256_hex(nonce),)]
    db_files = b""
    for p in server.data_dir.glob("phishdrill.db*"):
        db_files += p.read_bytes()
    hashes = {r[0] for r in db_query(server, "SELECT token_hash FROM portal_links")}
    assert len(SEEN_TOKENS) >= 2
    for token in SEEN_TOKENS:
        assert token.encode() not in db_files, "portal token stored in the database"
        assert sha256_hex(token) in hashes, "token hash not in portal_links"
    assert nonce.encode() not in db_files, "quiz nonce stored in the database"
