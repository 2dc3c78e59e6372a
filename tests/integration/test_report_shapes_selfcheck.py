"""Self-check of report_shapes.py (no server): every generated report is well-formed where it
should be, broken exactly where it should be, and carries what its `expected` says.

The decoders and the reported-message finder here are written independently of the module
(reference implementations of the gateways' formats and of "where is the reported message"),
so a wrong encoder in report_shapes.py cannot agree with itself.

Run: /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration/test_report_shapes_selfcheck.py
"""

from __future__ import annotations

import base64
import re
import shutil
import socket
import ssl
import subprocess
import threading
import urllib.parse
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser
from pathlib import Path

import pytest

import report_shapes as rs

BASE = "http://127.0.0.1:8081"
ORG = "example.org"
REPORTING = "report-phish@example.org"
WHEN = datetime(2026, 12, 7, 10, 15, 0, tzinfo=timezone(timedelta(hours=1)))
PEOPLE = ("amelia.hart", "bruno.keller", "chloe.dubois", "dmitri.volkov", "elena.ruiz",
          "farid.haddad", "greta.lund", "hugo.maier", "ines.costa", "jonas.berg")


def _context() -> rs.ShapeContext:
    sims = []
    for i in range(rs.SIMULATIONS_NEEDED):
        person = PEOPLE[i % len(PEOPLE)] + (str(i // len(PEOPLE)) if i >= len(PEOPLE) else "")
        sims.append((f"R{i:02d}xq7Lm2", f"{person}@{ORG}", f"{i:032x}@phish.example.com"))
    return rs.ShapeContext(base_url=BASE, simulations=sims,
                           aliases={f"a.hart@{ORG}": f"amelia.hart@{ORG}",
                                    f"h.maier@{ORG}": f"hugo.maier@{ORG}"},
                           reporting_address=REPORTING, org_domain=ORG, date=WHEN)


CTX = _context()
SHAPES = rs.all_shapes(CTX, include_large=False)
BY_NAME = {name: (data, exp) for name, data, exp in SHAPES}

# Shapes that break the MIME rules on purpose (Python's parser records defects for them).
NONCONFORMING = {"sim_rfc822_base64"} | {n for n in BY_NAME if n.startswith("malformed_")}


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


# --------------------------------------------------------------------------- reference decoders


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_V3_RUN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def ref_decode_v3(url: str) -> str:
    m = re.fullmatch(r"https://urldefense\.com/v3/__(?P<body>.+?)__;(?P<rep>[A-Za-z0-9_-]*)"
                     r"!!(?P<cust>[A-Za-z0-9_-]+)!(?P<sig>[A-Za-z0-9_-]+)\$", url)
    assert m, f"not a URL Defense v3 link: {url}"
    chars = list(_b64url_decode(m["rep"]).decode("utf-8"))
    body, out, i = m["body"], [], 0
    while i < len(body):
        if body.startswith("**", i):
            n = _V3_RUN.index(body[i + 2]) + 2
            out.extend(chars[:n])
            del chars[:n]
            i += 3
        elif body[i] == "*":
            out.append(chars.pop(0))
            i += 1
        else:
            out.append(body[i])
            i += 1
    assert not chars, "replacement characters left over"
    return "".join(out)


def ref_unwrap(url: str) -> str | None:
    """The target of a gateway-wrapped link; None when `url` is not one of ours."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    if host.endswith(".safelinks.protection.outlook.com"):
        return query["url"][0]
    if host == "urldefense.proofpoint.com" and parts.path == "/v2/url":
        raw = re.search(r"(?:^|&)u=([^&]*)", parts.query).group(1)
        return urllib.parse.unquote(raw.replace("-", "%").replace("_", "/"))
    if host == "urldefense.com" and parts.path.startswith("/v3/__"):
        return ref_decode_v3(url)
    if host == "www.google.com" and parts.path == "/url":
        return query["q"][0]
    if host == "linkprotect.cudasvc.com" and parts.path == "/url":
        return query["a"][0]
    return None


def unwrap(url: str) -> str:
    return ref_unwrap(url) or url


def rid_of(url: str) -> str | None:
    target = urllib.parse.urlsplit(unwrap(url))
    if f"{target.scheme}://{target.netloc}" != BASE:
        return None
    values = urllib.parse.parse_qs(target.query).get("rid")
    return values[0] if values else None


# --------------------------------------------------------------------------- reference finder


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag == "img" and a.get("src"):
            self.images.append(a["src"])


def links_of(msg) -> tuple[list[str], list[str], str]:
    """(anchor hrefs, image sources, plain text) of a message's bodies."""
    p = _Links()
    text = ""
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            break
        if part.get_content_type() == "text/html":
            p.feed(part.get_content())
        elif part.get_content_type() == "text/plain":
            text += part.get_content()
    return p.hrefs, p.images, text


def _lenient_b64(text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    clean = re.sub(r"[^A-Za-z0-9+/]", "", text)
    return base64.b64decode(clean + "=" * (-len(clean) % 4))


def attached_messages(msg) -> list:
    """Messages attached to `msg` (message/rfc822 in any encoding, or an .eml file), in order."""
    found = []

    def visit(part):
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            if str(part.get("Content-Transfer-Encoding", "")).lower() == "base64":
                inner = part.get_payload(0)
                found.append(parse(_lenient_b64(inner.get_payload())))
            else:
                found.append(part.get_payload(0))
            return
        if ctype == "application/octet-stream" and (part.get_filename() or "").lower().endswith(".eml"):
            raw = part.get_payload(decode=False)
            found.append(parse(_lenient_b64(raw)))
            return
        if part.is_multipart():
            for sub in part.get_payload():
                visit(sub)

    if msg.is_multipart():
        for sub in msg.get_payload():
            visit(sub)
    return found


def reported(msg) -> list:
    """The reported messages: attached ones (looking through reports of reports)."""
    out = []
    for inner in attached_messages(msg):
        deeper = attached_messages(inner)
        out.extend(deeper if deeper and _domain(inner["From"]) == ORG else [inner])
    return out


def _address(value) -> str | None:
    if value is None:
        return None
    pairs = getaddresses([str(value)])
    return pairs[0][1].lower() if pairs and pairs[0][1] else None


def _domain(value) -> str:
    a = _address(value) or ""
    return a.rsplit("@", 1)[-1]


def _raw_part_body(data: bytes, marker: bytes) -> bytes:
    """The raw (still encoded) body of the first part whose headers contain `marker`."""
    i = data.index(marker)
    start = data.index(b"\r\n\r\n", i) + 4
    end = data.index(b"\r\n--", start)
    return data[start:end]


# --------------------------------------------------------------------------- every shape


@pytest.mark.parametrize("name", list(BY_NAME))
def test_crlf_only_and_line_lengths(name):
    data, _ = BY_NAME[name]
    assert re.search(rb"(?<!\r)\n", data) is None, "a bare LF"
    assert re.search(rb"\r(?!\n)", data) is None, "a bare CR"
    assert data.endswith(b"\r\n")
    assert b"\x00" not in data
    longest = max(len(line) for line in data.split(b"\r\n"))
    assert longest <= 998, f"a line of {longest} octets"
    assert b"@@report-shapes-" not in data, "a body placeholder was left in"


@pytest.mark.parametrize("name", list(BY_NAME))
def test_parses_and_decodes(name):
    data, _ = BY_NAME[name]
    msg = parse(data)
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        if name not in NONCONFORMING:
            assert part.get_content() is not None
    if name not in NONCONFORMING:
        defects = [(p.get_content_type(), d) for p in msg.walk() for d in p.defects]
        assert defects == [] and msg.defects == []
        for inner in attached_messages(msg):
            assert [d for p in inner.walk() for d in p.defects] == []


def test_inventory():
    names = [n for n, _, _ in SHAPES]
    assert len(names) == len(set(names))
    assert len(names) >= 30
    outcomes = {e["outcome"] for _, _, e in SHAPES}
    assert outcomes == {"simulation", "simulation_other", "triage", "refused", "duplicate"}
    for gateway in rs.GATEWAYS:
        assert f"sim_{gateway}" in names
    for client in rs.FORWARD_CLIENTS:
        assert f"sim_forward_attachment_{client}" in names
    for client in rs.INLINE_CLIENTS:
        assert f"sim_inline_forward_{client}" in names
    for kind in rs.MALFORMED_KINDS:
        assert f"malformed_{kind}" in names
    for required in ("sim_outlook_report_button", "sim_eml_octet_stream", "sim_from_alias",
                     "sim_reported_by_someone_else", "sim_message_id_only",
                     "sim_pixel_only_inline", "sim_report_of_own_report",
                     "sim_and_phish_several_attachments", "outlook_msg_attachment",
                     "phish_spoofed_payroll_fails_auth"):
        assert required in names
    assert sum(1 for _, _, e in SHAPES if e["cluster"] == "shared-invoice") == 21
    for _, _, e in SHAPES:
        assert set(e) >= {"outcome", "credited_address", "cluster", "refusal_contains"}
        assert (e["credited_address"] is not None) == (e["outcome"] == "simulation")
        assert (e["cluster"] is not None) == (e["outcome"] == "triage")
        assert (e["refusal_contains"] is not None) == (e["outcome"] == "refused")


def test_every_simulation_report_uses_its_own_simulation():
    """One person reporting one Message-ID twice is a duplicate: only duplicates may reuse one."""
    seen = {}
    for name, _, e in SHAPES:
        if e["rid"] is None:
            continue
        if e["outcome"] == "duplicate":
            assert e["rid"] in seen and seen[e["rid"]] == e["duplicate_of"]
        else:
            assert e["rid"] not in seen, f"{name} reuses {seen.get(e['rid'])}'s simulation"
            seen[e["rid"]] = name


def test_reporters():
    for name, data, e in SHAPES:
        msg = parse(data)
        if e["shape"] == "direct":
            assert _address(msg["Resent-From"]) == e["reporter"]
        elif e["reporter"] is None:
            assert msg["From"] is None or _address(msg["From"]) is None
        else:
            assert _address(msg["From"]) == e["reporter"], name


def test_alias_shape_credits_the_primary():
    data, e = BY_NAME["sim_from_alias"]
    alias = e["reporter"]
    assert CTX.aliases[alias] == e["credited_address"] != alias
    inner = reported(parse(data))[0]
    assert _address(inner["To"]) == e["credited_address"]


@pytest.mark.parametrize("name", [n for n, _, e in SHAPES if e["rid"]])
def test_simulation_is_recognisable_as_expected(name):
    data, e = BY_NAME[name]
    msg = parse(data)
    rid = e["rid"]
    if e["shape"] == "attached":
        inners = reported(msg)
        assert inners, "no attached message found"
        inner = inners[0]
        assert str(inner["Message-ID"]).strip() == f"<{e['message_id']}>"
        hrefs, images, text = links_of(inner)
    elif e["shape"] == "direct":
        inner = msg
        assert str(msg["Message-ID"]).strip() == f"<{e['message_id']}>"
        hrefs, images, text = links_of(msg)
    else:
        assert e["message_id"] is None
        assert attached_messages(msg) == []
        hrefs, images, text = links_of(msg)
        assert f"<{rid}" not in data.decode("latin-1")  # no Message-ID of ours in it
    link_rids = {rid_of(h) for h in hrefs} - {None}
    image_rids = {rid_of(s) for s in images} - {None}
    if e["match"] == "link":
        assert link_rids == {rid}
        # the text part carries the landing link too (wrapped or not)
        text_urls = re.findall(r"https?://[^\s<>]+", text)
        assert rid in {rid_of(u) for u in text_urls}
    elif e["match"] == "image":
        assert link_rids == set() and image_rids == {rid}
    else:
        assert e["match"] == "message_id"
        assert link_rids == set() and image_rids == set()
        assert rid.encode() not in (inner.as_bytes() if e["shape"] != "inline_forward" else data)


def test_original_is_spliced_in_byte_for_byte():
    sim = rs.simulation_message("Rk2", BASE, f"amelia.hart@{ORG}", "abc@phish.example.com",
                                date=WHEN)
    for client in rs.FORWARD_CLIENTS:
        assert sim in rs.forward_as_attachment(sim, f"amelia.hart@{ORG}", REPORTING, client)
    assert sim in rs.outlook_report_button(sim, f"amelia.hart@{ORG}", REPORTING)
    assert rs.redirect(sim, f"amelia.hart@{ORG}", REPORTING).endswith(sim)
    octet = rs.eml_as_octet_stream(sim, f"amelia.hart@{ORG}", REPORTING)
    assert _lenient_b64(_raw_part_body(octet, b'name="x.eml"')) == sim
    b64 = rs.forward_as_attachment(sim, f"amelia.hart@{ORG}", REPORTING, "gmail", encoding="base64")
    assert base64.b64decode(_raw_part_body(b64, b"Content-Type: message/rfc822")) == sim


# --------------------------------------------------------------------------- gateways


URLS = [
    f"{BASE}/?rid=Ab3dEf9",
    "https://landing.example.com/path/to/page.html?rid=x_y-z&utm_source=mail#top",
    "https://example.com/a*b",
    "https://example.com/q?x=1+2&y=!$&z=**&w=été&v=ünïcödé",
    "https://example.com/" + "é" * 70 + "?rid=long",
]


@pytest.mark.parametrize("gateway", rs.GATEWAYS)
@pytest.mark.parametrize("url", URLS)
def test_wrapped_urls_decode_back(gateway, url):
    wrapped = rs.wrap_url(url, gateway, f"amelia.hart@{ORG}")
    assert wrapped.isascii() and not re.search(r"\s", wrapped)
    assert ref_unwrap(wrapped) == url
    assert wrapped == rs.wrap_url(url, gateway, f"amelia.hart@{ORG}")  # deterministic


def test_wrapped_url_shapes():
    url = f"{BASE}/?rid=Ab3dEf9"
    safelinks = rs.wrap_url(url, "safelinks", f"amelia.hart@{ORG}")
    assert re.fullmatch(r"https://eur02\.safelinks\.protection\.outlook\.com/\?url=[^&]+"
                        r"&data=05%7C02%7Camelia\.hart%40example\.org%7C[0-9a-f]{32}%7C"
                        r"[0-9a-f]{32}%7C0%7C0%7C\d{18}%7CUnknown%7C[^&]+%7C0%7C%7C%7C"
                        r"&sdata=[^&]+&reserved=0", safelinks)
    v2 = rs.wrap_url(url, "urldefense_v2")
    assert v2.startswith("https://urldefense.proofpoint.com/v2/url?"
                         "u=http-3A__127.0.0.1-3A8081_-3Frid-3DAb3dEf9&d=DwMFaQ&c=")
    assert re.search(r"&r=[A-Za-z0-9_-]{43}&m=[A-Za-z0-9_-]{43}&s=[A-Za-z0-9_-]{43}&e=$", v2)
    assert "-2D" in rs.wrap_url("https://my-site.example.com/a_b", "urldefense_v2")
    assert "-5F" in rs.wrap_url("https://my-site.example.com/a_b", "urldefense_v2")
    v3 = rs.wrap_url(url, "urldefense_v3")
    assert re.fullmatch(r"https://urldefense\.com/v3/__http://127\.0\.0\.1:8081/\?rid=Ab3dEf9__;"
                        r"!![A-Za-z0-9_-]+![A-Za-z0-9_-]+\$", v3)
    google = rs.wrap_url(url, "google")
    assert google.startswith("https://www.google.com/url?q=http://127.0.0.1:8081/%3Frid%3DAb3dEf9&")
    barracuda = rs.wrap_url(url, "barracuda")
    assert barracuda.startswith("https://linkprotect.cudasvc.com/url?a=http%3a%2f%2f127.0.0.1%3a8081")
    assert barracuda.endswith(",&typo=1") and "&c=E,1," in barracuda
    opaque = rs.wrap_url(url, rs.OPAQUE)
    assert "rid" not in opaque and "Ab3dEf9" not in opaque and ref_unwrap(opaque) is None


def test_urldefense_v3_known_vectors():
    assert rs.urldefense_v3_encode("https://example.com/a*b") == ("https://example.com/a*b", "Kg")
    assert rs.urldefense_v3_encode("https://example.com/?q=a+b") == ("https://example.com/?q=a*b", "Kw")
    body, rep = rs.urldefense_v3_encode("https://example.com/?x=+!*")
    assert body == "https://example.com/?x=**B" and _b64url_decode(rep) == b"+!*"
    body, rep = rs.urldefense_v3_encode("https://example.com/" + "é" * 70)
    assert body == "https://example.com/**_**D" and _b64url_decode(rep) == ("é" * 70).encode()
    assert ref_decode_v3("https://urldefense.com/v3/__https://example.com/a*b__;Kg!!ABC123!xyz$") \
        == "https://example.com/a*b"


def test_gateway_shapes_carry_wrapped_links_only():
    hosts = {"safelinks": "eur02.safelinks.protection.outlook.com",
             "urldefense_v2": "urldefense.proofpoint.com", "urldefense_v3": "urldefense.com",
             "google": "www.google.com", "barracuda": "linkprotect.cudasvc.com"}
    for gateway, host in hosts.items():
        data, e = BY_NAME[f"sim_{gateway}"]
        inner = reported(parse(data))[0]
        hrefs, images, text = links_of(inner)
        assert images == []  # no pixel: only the wrapped links identify it
        assert hrefs and all(urllib.parse.urlsplit(h).hostname == host for h in hrefs)
        landing = [unwrap(h) for h in hrefs if urllib.parse.urlsplit(unwrap(h)).path == "/"]
        assert len(landing) == 1 and landing[0].startswith(f"{BASE}/?rid={e['rid']}")
        if gateway == "urldefense_v3":
            assert any("**" in h and "__;!!" not in h for h in hrefs)  # replacements in use
            assert landing[0] == f"{BASE}/?rid={e['rid']}&src=mail+q4!*&lang=fr&n=été"


# --------------------------------------------------------------------------- the wrappers


def _sim(rid="Rk7", to=f"amelia.hart@{ORG}", **kw):
    return rs.simulation_message(rid, BASE, to, f"{rid}-0001@phish.example.com", date=WHEN, **kw)


def test_simulation_message_shape():
    msg = parse(_sim())
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert str(msg["Message-ID"]) == "<Rk7-0001@phish.example.com>"
    assert str(msg["To"]) == f"Amelia Hart <amelia.hart@{ORG}>"
    results = str(msg["Authentication-Results"])
    assert "spf=pass" in results and "dkim=pass" in results and "dmarc=pass" in results
    hrefs, images, _ = links_of(msg)
    assert hrefs == [f"{BASE}/?rid=Rk7", f"{BASE}/r?rid=Rk7"]
    assert images == [f"{BASE}/track?rid=Rk7"]
    assert links_of(parse(_sim(pixel=False)))[1] == []


def test_outlook_report_button():
    data = rs.outlook_report_button(_sim(), f"amelia.hart@{ORG}", REPORTING)
    msg = parse(data)
    assert str(msg["Subject"]) == "Phishing: " + rs.SIMULATION_SUBJECT
    assert str(msg["To"]) == REPORTING
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["multipart/alternative", "message/rfc822"]
    assert parts[1].get_filename() == "Action required_ your mailbox is almost full.eml"
    assert parts[1].get_content_disposition() == "attachment"
    assert len(parts[0].get_body(("plain",)).get_content()) < 200


def test_forward_as_attachment_clients():
    sim = _sim()
    out = parse(rs.forward_as_attachment(sim, f"amelia.hart@{ORG}", REPORTING, "outlook"))
    part = list(out.iter_parts())[1]
    assert str(out["Subject"]).startswith("FW: ")
    assert part.get_content_type() == "message/rfc822" and part.get_filename() is None
    assert "creation-date" in str(part["Content-Disposition"])
    gm = parse(rs.forward_as_attachment(sim, f"amelia.hart@{ORG}", REPORTING, "gmail"))
    part = list(gm.iter_parts())[1]
    assert str(gm["Subject"]).startswith("Fwd: ")
    assert part.get_content_type() == "message/rfc822"
    assert part.get_param("name") == part.get_filename() == "Action required_ your mailbox is almost full.eml"
    assert part["X-Attachment-Id"] and part["Content-ID"]
    tb = parse(rs.forward_as_attachment(sim, f"amelia.hart@{ORG}", REPORTING, "thunderbird"))
    part = list(tb.iter_parts())[1]
    assert part.get_content_type() == "message/rfc822" and part.get_content_disposition() == "inline"
    assert tb.preamble.startswith("This is a multi-part message")
    assert list(tb.iter_parts())[0].get_param("format") == "flowed"


def test_eml_as_octet_stream():
    msg = parse(rs.eml_as_octet_stream(_sim(), f"amelia.hart@{ORG}", REPORTING))
    part = list(msg.iter_parts())[1]
    assert part.get_content_type() == "application/octet-stream"
    assert part.get_filename() == "x.eml" and part.get_param("name") == "x.eml"
    assert part["Content-Transfer-Encoding"] == "base64"
    assert part.get_content() == _sim()


INLINE_BLOCKS = {
    "outlook": ("________________________________\r\n"
                "From: IT Service Desk <servicedesk@it-helpdesk.example.com>\r\n"
                "Sent: Monday, December 7, 2026 10:15 AM\r\n"
                "To: Amelia Hart <amelia.hart@example.org>\r\n"
                "Subject: Action required: your mailbox is almost full\r\n"),
    "gmail": ("---------- Forwarded message ---------\r\n"
              "From: IT Service Desk <servicedesk@it-helpdesk.example.com>\r\n"
              "Date: Mon, Dec 7, 2026 at 10:15 AM\r\n"
              "Subject: Action required: your mailbox is almost full\r\n"
              "To: Amelia Hart <amelia.hart@example.org>\r\n"),
    "apple": ("Begin forwarded message:\r\n\r\n"
              "From: IT Service Desk <servicedesk@it-helpdesk.example.com>\r\n"
              "Subject: Action required: your mailbox is almost full\r\n"
              "Date: December 7, 2026 at 10:15:00 AM GMT+1\r\n"
              "To: Amelia Hart <amelia.hart@example.org>\r\n"),
    "thunderbird": ("-------- Forwarded Message --------\r\n"
                    "Subject: \tAction required: your mailbox is almost full\r\n"
                    "Date: \tMon, 07 Dec 2026 10:15:00 +0100\r\n"
                    "From: \tIT Service Desk <servicedesk@it-helpdesk.example.com>\r\n"
                    "To: \tAmelia Hart <amelia.hart@example.org>\r\n"),
}
HTML_MARKERS = {"outlook": 'id="divRplyFwdMsg"', "gmail": 'class="gmail_quote',
                "apple": '<blockquote type="cite">', "thunderbird": 'class="moz-forward-container"'}


@pytest.mark.parametrize("client", rs.INLINE_CLIENTS)
def test_inline_forward(client):
    data = rs.inline_forward(_sim(), f"amelia.hart@{ORG}", REPORTING, client, date=WHEN)
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"
    assert attached_messages(msg) == []
    plain = [p for p in msg.walk() if p.get_content_type() == "text/plain"][0]
    raw = plain.get_payload(decode=True)  # transfer-decoded, line ends as sent
    assert INLINE_BLOCKS[client].encode() in raw
    text = plain.get_content()
    glue = "" if client == "outlook" else " "
    assert f"Review storage settings{glue}<{BASE}/?rid=Rk7>" in text
    html_part = msg.get_body(("html",)).get_content()
    assert HTML_MARKERS[client] in html_part
    hrefs, images, _ = links_of(msg)
    assert f"{BASE}/?rid=Rk7" in hrefs and images == [f"{BASE}/track?rid=Rk7"]
    quoted = html_part[html_part.index(HTML_MARKERS[client]):]
    assert f'href="{BASE}/?rid=Rk7"' in quoted  # the link sits inside the quote


def test_inline_forward_carries_the_originals_attachments():
    data, e = BY_NAME["phish_cluster_inline_gmail"]
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"  # that copy had no attachment
    phish = rs.real_phish("x@bad.test", "X", "S", links=[("https://bad.test/a", "A")],
                          attachments=[("a.html", "text/html", b"<form></form>")],
                          to_addr=f"amelia.hart@{ORG}", date=WHEN)
    fwd = parse(rs.inline_forward(phish, f"amelia.hart@{ORG}", REPORTING, "outlook", date=WHEN))
    assert fwd.get_content_type() == "multipart/mixed"
    att = list(fwd.iter_attachments())
    assert [(a.get_filename(), a.get_content()) for a in att] == [("a.html", "<form></form>")]


def test_redirect_keeps_the_message_whole():
    data, e = BY_NAME["sim_redirect"]
    msg = parse(data)
    assert _address(msg["Resent-From"]) == e["reporter"]
    assert _address(msg["Resent-To"]) == REPORTING
    assert _address(msg["From"]) == rs.SIMULATION_SENDER[1]
    assert _address(msg["To"]) == e["credited_address"]


def test_several_attachments():
    data, e = BY_NAME["sim_and_phish_several_attachments"]
    msg = parse(data)
    kinds = [p.get_content_type() for p in msg.iter_parts()]
    assert kinds == ["multipart/alternative", "message/rfc822", "message/rfc822", "application/pdf"]
    pdf = list(msg.iter_parts())[3].get_content()
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    inners = reported(msg)
    assert len(inners) == e["report_count"] == 2 and e["outcomes"] == ["simulation", "triage"]
    assert str(inners[0]["Message-ID"]) == f"<{e['message_id']}>"
    assert _address(inners[1]["From"]).endswith(".test")


def test_report_of_report():
    for name in ("sim_report_of_own_report", "sim_report_of_report_by_helpdesk"):
        data, e = BY_NAME[name]
        msg = parse(data)
        outer = attached_messages(msg)
        assert len(outer) == 1 and _address(outer[0]["To"]) == f"servicedesk@{ORG}"
        innermost = attached_messages(outer[0])
        assert len(innermost) == 1 and str(innermost[0]["Message-ID"]) == f"<{e['message_id']}>"
        assert _address(outer[0]["From"]) == _address(innermost[0]["To"])
    assert BY_NAME["sim_report_of_own_report"][1]["outcome"] == "simulation"
    assert BY_NAME["sim_report_of_report_by_helpdesk"][1]["outcome"] == "simulation_other"


def test_msg_attachment():
    data, e = BY_NAME["outlook_msg_attachment"]
    msg = parse(data)
    part = list(msg.iter_parts())[1]
    assert part.get_content_type() == "application/vnd.ms-outlook"
    assert part.get_filename().endswith(".msg")
    content = part.get_content()
    assert content[:8] == bytes.fromhex("D0CF11E0A1B11AE1") and len(content) > 4096
    assert reported(msg) == [] and e["refusal_contains"] == ".msg"


# --------------------------------------------------------------------------- real phish


def test_real_phish_headers():
    data = rs.real_phish("payroll@example.org", "Payroll Team", "Confirm your bank details",
                         links=[("https://pay.example-payroll.test/login",
                                 "https://portal.example.org/payroll")],
                         reply_to="desk@example-payroll.test",
                         attachments=[("a.zip", "application/zip", rs.zip_archive([("x.exe", b"MZ")]))],
                         to_addr=f"amelia.hart@{ORG}", date=WHEN, message_id="m1@example-payroll.test")
    msg = parse(data)
    assert str(msg["Authentication-Results"]) == (
        "mx.example.org; spf=fail smtp.mailfrom=mailer.bulk-send.test; dkim=fail "
        "header.d=example.org; dmarc=fail header.from=example.org")
    assert len(msg.get_all("Received")) == 3
    assert str(msg["Reply-To"]) == "desk@example-payroll.test"
    assert str(msg["Message-ID"]) == "<m1@example-payroll.test>"
    hrefs, _, text = links_of(msg)
    assert hrefs == ["https://pay.example-payroll.test/login"]
    assert "https://portal.example.org/payroll <https://pay.example-payroll.test/login>" in text
    assert "immediately" in text and "password" in text
    att = list(msg.iter_attachments())
    assert att[0].get_filename() == "a.zip" and att[0].get_content()[:2] == b"PK"


def test_payroll_shape_fails_every_check():
    data, e = BY_NAME["phish_spoofed_payroll_fails_auth"]
    inner = reported(parse(data))[0]
    results = str(inner["Authentication-Results"])
    assert "spf=fail" in results and "dkim=fail" in results and "dmarc=fail" in results
    assert _domain(inner["From"]) == ORG and _domain(inner["Reply-To"]) != ORG
    assert {a.get_filename() for a in inner.iter_attachments()} == {
        "Salary_Adjustment_Q4.html", "Benefits_2027.zip"}


def _normalised(subject: str) -> str:
    s = re.sub(r"\s+", " ", subject).strip().lower()
    while re.match(r"^(re|fw|fwd):\s*", s):
        s = re.sub(r"^(re|fw|fwd):\s*", "", s)
    return s


def test_cluster_of_twenty_plus_an_inline_forward():
    attached = [(n, d, e) for n, d, e in SHAPES
                if e["cluster"] == "shared-invoice" and e["shape"] == "attached"]
    assert len(attached) == 20
    assert len({e["reporter"] for _, _, e in attached}) == 20
    keys, message_ids = set(), set()
    for name, data, e in attached:
        inner = reported(parse(data))[0]
        keys.add((_address(inner["From"]), _normalised(str(inner["Subject"]))))
        message_ids.add(str(inner["Message-ID"]))
        assert _address(inner["To"]) == e["reporter"]  # each reports their own copy
        assert str(inner["Message-ID"]) == f"<{e['message_id']}>"
    assert len(keys) == 1 and len(message_ids) == 20
    (sender, subject), = keys
    data, e = BY_NAME["phish_cluster_inline_gmail"]
    text = parse(data).get_body(("plain",)).get_content()
    assert f"From: Accounts Receivable <{sender}>" in text
    quoted_subject = re.search(r"^Subject: (.*)$", text, re.M).group(1)
    assert _normalised(quoted_subject) == subject


def test_duplicates_repeat_an_earlier_report():
    names = [n for n, _, _ in SHAPES]
    for name, data, e in SHAPES:
        if e["outcome"] != "duplicate":
            continue
        earlier_data, earlier = BY_NAME[e["duplicate_of"]]
        assert names.index(e["duplicate_of"]) < names.index(name)
        assert earlier["reporter"] == e["reporter"]
        assert str(reported(parse(data))[0]["Message-ID"]) == \
            str(reported(parse(earlier_data))[0]["Message-ID"]) == f"<{e['message_id']}>"


def test_only_fictional_domains():
    allowed = re.compile(r"(^|\.)(example\.(org|com|net)|[a-z0-9-]+\.test|[a-z0-9.-]+\.example)$")
    gateways = {"eur02.safelinks.protection.outlook.com", "urldefense.proofpoint.com",
                "urldefense.com", "www.google.com", "linkprotect.cudasvc.com",
                "protect-eu.mimecast.com", "127.0.0.1"}
    for name, data, e in SHAPES:
        if name == "malformed_garbage":
            continue
        msg = parse(data)
        messages = [msg] + reported(msg) + attached_messages(msg)
        for m in messages:
            for field in ("From", "To", "Reply-To", "Return-Path", "Resent-From", "Resent-To"):
                for _, addr in getaddresses([str(v) for v in m.get_all(field, [])]):
                    if addr:
                        assert allowed.search(addr.rsplit("@", 1)[1].lower()), (name, field, addr)
            hrefs, images, _ = links_of(m)
            for url in hrefs + images:
                host = urllib.parse.urlsplit(url).hostname or ""
                if url.startswith("mailto:"):
                    host = url.rsplit("@", 1)[1]
                assert host in gateways or allowed.search(host), (name, url)


# --------------------------------------------------------------------------- malformed


def test_malformed_missing_closing_boundary():
    data, _ = BY_NAME["malformed_missing_closing_boundary"]
    boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
    assert b"--" + boundary + b"--" not in data
    assert b"--" + boundary + b"\r\n" in data
    assert len(reported(parse(data))) == 1


def test_malformed_broken_base64():
    data, e = BY_NAME["malformed_broken_base64"]
    body = _raw_part_body(data, b'name="x.eml"')
    assert re.search(rb"[!*#.]", body)
    assert not body.rstrip().endswith(b"=")
    with pytest.raises(ValueError):
        base64.b64decode(body.replace(b"\r\n", b""), validate=True)
    inner = parse(_lenient_b64(body))
    assert str(inner["Message-ID"]) == f"<{e['message_id']}>"


def test_malformed_invalid_utf8_subject():
    data, e = BY_NAME["malformed_invalid_utf8_subject"]
    head = data[:data.index(b"\r\n\r\n")]
    subject = re.search(rb"(?m)^Subject: (.*)\r$", head).group(1)
    with pytest.raises(UnicodeDecodeError):
        subject.decode("utf-8")
    inner_raw = data[data.index(b"X-Attachment-Id"):]
    encoded = re.search(rb"Subject: =\?utf-8\?B\?([A-Za-z0-9+/=]+)\?=", inner_raw).group(1)
    with pytest.raises(UnicodeDecodeError):
        base64.b64decode(encoded).decode("utf-8")
    assert str(reported(parse(data))[0]["Message-ID"]) == f"<{e['message_id']}>"


def test_malformed_no_from():
    data, e = BY_NAME["malformed_no_from"]
    head = data[:data.index(b"\r\n\r\n") + 2]
    assert not re.search(rb"(?im)^(from|return-path|sender|reply-to):", head)
    assert e["reporter"] is None and e["outcome"] == "simulation_other"
    assert len(reported(parse(data))) == 1


def test_malformed_headers_only_and_garbage():
    data, _ = BY_NAME["malformed_headers_only"]
    assert b"\r\n\r\n" not in data and b"Content-Type: multipart/mixed" in data
    assert data.endswith(b"MIME-Version: 1.0\r\n")
    garbage, _ = BY_NAME["malformed_garbage"]
    first = garbage.split(b"\r\n", 1)[0]
    assert b":" not in first and sum(b >= 0x80 for b in garbage) > len(garbage) // 2
    for raw in (data, garbage):
        msg = parse(raw)
        assert reported(msg) == []


def test_malformed_rejects_unknown_kind():
    with pytest.raises(ValueError):
        rs.malformed("nope")


# --------------------------------------------------------------------------- large


def test_large_report_size_and_content():
    sim = _sim()
    for size in (1, 3):
        data = rs.large_report(sim, f"amelia.hart@{ORG}", REPORTING, size_mb=size)
        assert abs(len(data) - size * 1024 * 1024) <= size * 1024 * 1024 // 100
        assert sim in data
        msg = parse(data)
        zipped = [p for p in msg.iter_attachments() if p.get_filename() == "site-survey-photos.zip"]
        assert len(zipped) == 1 and len(zipped[0].get_content()) > size * 1024 * 1024 * 0.7


def test_all_shapes_large_entry():
    full = rs.all_shapes(CTX, include_large=True)
    name, data, e = full[-1]
    assert e["large"] and e["outcome"] == "simulation"
    assert abs(len(data) - 20 * 1024 * 1024) <= 20 * 1024 * 1024 // 100
    assert [n for n, _, x in full if x["large"]] == [name]
    assert [n for n, _, _ in full[:-1]] == [n for n, _, _ in SHAPES]


def test_all_shapes_needs_enough_simulations_and_an_alias():
    with pytest.raises(ValueError):
        rs.all_shapes({**CTX.__dict__, "simulations": CTX.simulations[:5]})
    with pytest.raises(ValueError):
        rs.all_shapes({**CTX.__dict__, "aliases": {"x@example.org": "nobody@example.org"}})
    assert [n for n, _, _ in rs.all_shapes(CTX.__dict__, include_large=False)] == list(BY_NAME)


# --------------------------------------------------------------------------- IMAP


class _FakeImap(threading.Thread):
    """A one-connection IMAPS server: LOGIN, APPEND (literal), LOGOUT; records the appends."""

    def __init__(self, cert: Path, key: Path):
        super().__init__(daemon=True)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(2)
        self.sock.settimeout(20)
        self.port = self.sock.getsockname()[1]
        self.appended: list[tuple[str, bytes]] = []
        self.logins: list[tuple[str, str]] = []

    def run(self):
        try:
            raw, _ = self.sock.accept()
        except OSError:
            return
        finally:
            self.sock.close()
        try:
            conn = self.ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):  # the client refused our certificate
            raw.close()
            return
        self.serve(conn)

    def serve(self, conn):
        f = conn.makefile("rwb")
        f.write(b"* OK [CAPABILITY IMAP4rev1 UIDPLUS] fake ready\r\n")
        f.flush()
        uid = 0
        while True:
            line = f.readline()
            if not line:
                break
            tag, command, *rest = line.rstrip(b"\r\n").split(b" ", 2)
            command = command.upper()
            args = rest[0] if rest else b""
            if command == b"CAPABILITY":
                f.write(b"* CAPABILITY IMAP4rev1 UIDPLUS\r\n" + tag + b" OK done\r\n")
            elif command == b"LOGIN":
                user, password = args.split(b" ", 1)
                self.logins.append((user.decode(), password.strip(b'"').decode()))
                f.write(tag + b" OK logged in\r\n")
            elif command == b"APPEND":
                size = int(re.search(rb"\{(\d+)\}$", args).group(1))
                f.write(b"+ go ahead\r\n")
                f.flush()
                body = f.read(size)
                f.readline()
                uid += 1
                self.appended.append((args.split(b" ", 1)[0].decode(), body))
                f.write(tag + b" OK [APPENDUID 7 " + str(uid).encode() + b"] appended\r\n")
            elif command == b"LOGOUT":
                f.write(b"* BYE\r\n" + tag + b" OK bye\r\n")
                f.flush()
                break
            else:
                f.write(tag + b" BAD unknown\r\n")
            f.flush()
        conn.close()


def _make_ca(tmp: Path, name: str) -> tuple[Path, Path, Path]:
    """A CA and a server certificate for localhost signed by it: (ca, cert, key)."""
    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=tmp)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-days", "2", "-subj", f"/CN={name} CA",
        "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem")
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-subj", "/CN=localhost",
        "-keyout", f"{name}.key", "-out", f"{name}.csr")
    (tmp / f"{name}.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    run("x509", "-req", "-in", f"{name}.csr", "-CA", f"{name}-ca.pem", "-CAkey", f"{name}-ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", f"{name}.ext", "-out", f"{name}.pem")
    return tmp / f"{name}-ca.pem", tmp / f"{name}.pem", tmp / f"{name}.key"


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
def test_append_to_imap(tmp_path):
    ca, cert, key = _make_ca(tmp_path, "good")
    server = _FakeImap(cert, key)
    server.start()
    messages = [BY_NAME["sim_outlook_report_button"][0], BY_NAME["malformed_garbage"][0]]
    responses = rs.append_to_imap("localhost", server.port, "reports", "s3cret pass", str(ca),
                                  messages, folder="INBOX", timeout=20)
    server.join(20)
    assert server.logins == [("reports", "s3cret pass")]
    assert server.appended == [("INBOX", m) for m in messages]
    assert [r.startswith(b"[APPENDUID 7 ") for r in responses] == [True, True]

    other_ca, _, _ = _make_ca(tmp_path, "other")
    server = _FakeImap(cert, key)
    server.start()
    with pytest.raises(ssl.SSLCertVerificationError):
        rs.append_to_imap("localhost", server.port, "reports", "x", str(other_ca), messages,
                          timeout=20)
    server.join(20)
    assert not server.is_alive() and server.appended == []
