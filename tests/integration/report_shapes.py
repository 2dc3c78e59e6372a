"""Report messages as real mail clients produce them, for the reporting tests (issue #13).

Staff report suspicious mail to a reporting mailbox; the server polls it over IMAP, finds
the reported message inside each report and either credits a Phishdrill simulation to the
person it was sent to, or keeps a real message for triage. This module (no tests in it)
builds those reports as bytes, in the shapes real clients send:

  simulation_message()     a delivered Phishdrill simulation, optionally with its links
                           rewritten by a mail-security gateway (wrap_url())
  real_phish()             a real phishing message, failing SPF/DKIM/DMARC
  outlook_report_button()  the built-in "Report > Phishing" button's report
  forward_as_attachment()  "Forward as attachment" (outlook | gmail | thunderbird)
  eml_as_octet_stream()    a saved .eml attached as application/octet-stream
  inline_forward()         an ordinary forward quoting the original (outlook | gmail |
                           apple | thunderbird), text and HTML
  redirect()               "Redirect"/"Bounce": the original with Resent-* fields on top
  several_attachments()    one report carrying several messages and an unrelated PDF
  report_of_report()       a report forwarded as attachment again
  msg_attachment()         an Outlook .msg (OLE compound file) attachment
  malformed()              broken shapes (MALFORMED_KINDS)
  large_report()           a report of about size_mb MiB
  all_shapes()             every shape above, each with what the server should conclude
  append_to_imap()         APPEND messages to a mailbox over IMAPS

How the bytes are made: every message is an `email.message.Message` tree serialised by
`email.generator.BytesGenerator` under `policy.SMTP` (CRLF line ends) with
refold_source="none", so each header is written exactly as the client writes it (folding,
encoded words, parameter order). Leaf bodies are encoded here (quoted-printable, base64,
7bit) and attached messages are spliced in byte for byte, as a client forwarding a message
keeps it. Every generated message uses CRLF only: no bare CR or LF anywhere.

Names and domains: fictional people at the organisation's domain, example.org /
example.com / .test domains elsewhere. The only real host names are the gateways' own,
which the wrapped-URL formats need (safelinks.protection.outlook.com,
urldefense.proofpoint.com, urldefense.com, www.google.com, linkprotect.cudasvc.com and,
for the opaque rewriter, protect-eu.mimecast.com). Structural markers that parsers key on
(the "gmail_quote" and "moz-forward-container" classes, Outlook's "divRplyFwdMsg", the
"Apple-Mail=_" boundary) are kept; product-identifying headers (X-Mailer, User-Agent,
X-MS-*) are left out.

Everything is deterministic for given arguments (identifiers and tokens are derived from
the content), except the default dates, which are "now".
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import imaplib
import io
import quopri
import random
import re
import ssl
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email import policy
from email.generator import BytesGenerator
from email.header import Header
from email.message import Message
from email.parser import BytesParser
from email.utils import format_datetime, formataddr, getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import Iterable, Mapping, Sequence

# Headers are stored raw (compat32 Message) and written as stored: SMTP line ends, no refolding.
WRITE_POLICY = policy.SMTP.clone(refold_source="none")

GATEWAYS = ("safelinks", "urldefense_v2", "urldefense_v3", "google", "barracuda")
# "opaque" (a token-based rewriter whose target cannot be recovered) is accepted by
# wrap_url() and simulation_message() too, but is not a decodable gateway.
OPAQUE = "opaque"

FORWARD_CLIENTS = ("outlook", "gmail", "thunderbird")
INLINE_CLIENTS = ("outlook", "gmail", "apple", "thunderbird")
MALFORMED_KINDS = (
    "missing_closing_boundary",
    "broken_base64",
    "invalid_utf8_subject",
    "no_from",
    "headers_only",
    "garbage",
)

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")

SIMULATION_SENDER = ("IT Service Desk", "servicedesk@it-helpdesk.example.com")
SIMULATION_SUBJECT = "Action required: your mailbox is almost full"

_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_HEX = "0123456789abcdef"
_UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


# --------------------------------------------------------------------------- small helpers


def _det(seed: str, n: int, alphabet: str = _ALNUM) -> str:
    """n characters of `alphabet`, derived from `seed` (stable across runs)."""
    out: list[str] = []
    counter = 0
    while len(out) < n:
        digest = hashlib.sha256(f"{seed}\x00{counter}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in digest)
        counter += 1
    return "".join(out[:n])


def _det_bytes(seed: str, n: int) -> bytes:
    return random.Random(hashlib.sha256(seed.encode()).digest()).randbytes(n)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _crlf(data: bytes) -> bytes:
    """Every line end (CRLF, CR or LF) as CRLF."""
    return re.sub(rb"\r\n|\r|\n", b"\r\n", data)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower()


def display_name_for(address: str) -> str:
    """The name a directory would show for a fictional address: "amelia.hart@x" -> "Amelia Hart"."""
    local = address.split("@", 1)[0]
    words = [w for w in re.split(r"[._\-+]+", local) if w and not w.isdigit()]
    return " ".join(w.capitalize() for w in words) or local


def _mailbox(name: str | None, address: str) -> str:
    """A From/To value: RFC 2047-encoded name when it is not ASCII."""
    if not name:
        return address
    return formataddr((name, address), charset="utf-8")


def _encoded_subject(subject: str) -> str:
    """Subject as a client writes it: raw ASCII, or UTF-8 encoded words (folded)."""
    if subject.isascii():
        return subject
    return Header(subject, "utf-8", maxlinelen=76, header_name="Subject").encode(linesep="\r\n")


def _quoted_param(value: str) -> str:
    """A quoted MIME parameter value; non-ASCII as one encoded word (as Outlook and Gmail do)."""
    if value.isascii():
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + Header(value, "utf-8").encode(maxlinelen=10_000) + '"'


def _eml_filename(subject: str) -> str:
    """What a client names a message saved as a file: its subject, unsafe characters replaced."""
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", subject).strip() or "Untitled"
    return name[:120] + ".eml"


def _rfc2822(dt: datetime) -> str:
    """"Mon, 7 Dec 2026 10:15:00 +0100" (day without leading zero, as most clients write it)."""
    return format_datetime(dt).replace(", 0", ", ", 1)


def _hour12(dt: datetime) -> tuple[int, str]:
    h = dt.hour % 12 or 12
    return h, "AM" if dt.hour < 12 else "PM"


def outlook_sent_date(dt: datetime) -> str:
    """Outlook's forward header date: "Monday, December 7, 2026 10:15 AM"."""
    h, ampm = _hour12(dt)
    return f"{_DAYS[dt.weekday()]}, {_MONTHS[dt.month - 1]} {dt.day}, {dt.year} {h}:{dt.minute:02d} {ampm}"


def gmail_date(dt: datetime) -> str:
    """Gmail's forward header date: "Mon, Dec 7, 2026 at 10:15 AM"."""
    h, ampm = _hour12(dt)
    return (f"{_DAYS[dt.weekday()][:3]}, {_MONTHS[dt.month - 1][:3]} {dt.day}, {dt.year} "
            f"at {h}:{dt.minute:02d} {ampm}")


def apple_date(dt: datetime) -> str:
    """Apple Mail's forward header date: "December 7, 2026 at 10:15:00 AM GMT+1"."""
    h, ampm = _hour12(dt)
    offset = dt.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    zone = "GMT"
    if minutes:
        sign = "+" if minutes > 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        zone += f"{sign}{hours}" + (f":{mins:02d}" if mins else "")
    return (f"{_MONTHS[dt.month - 1]} {dt.day}, {dt.year} at {h}:{dt.minute:02d}:{dt.second:02d} "
            f"{ampm} {zone}")


# --------------------------------------------------------------------------- MIME assembly


class _Mime:
    """Builds one message tree; raw bodies are spliced in after serialisation."""

    def __init__(self, seed: str):
        self._seed = seed
        self._raw: dict[bytes, bytes] = {}

    def leaf(self, headers: Sequence[tuple[str, str]], body: bytes) -> Message:
        """A part with these headers (written verbatim) and this already-encoded body."""
        part = Message()
        for name, value in headers:
            part[name] = value
        token = f"@@report-shapes-{_det(self._seed, 12)}-{len(self._raw)}@@"
        part.set_payload(token)
        self._raw[token.encode()] = body
        return part

    @staticmethod
    def multipart(headers: Sequence[tuple[str, str]], parts: Sequence[Message],
                  preamble: str | None = None) -> Message:
        """A multipart container; `headers` must hold its Content-Type with the boundary."""
        m = Message()
        for name, value in headers:
            m[name] = value
        for p in parts:
            m.attach(p)
        m.preamble = preamble
        return m

    def render(self, root: Message) -> bytes:
        fp = io.BytesIO()
        BytesGenerator(fp, mangle_from_=False, policy=WRITE_POLICY).flatten(root)
        data = fp.getvalue()
        for token, raw in self._raw.items():
            if data.count(token) != 1:
                raise AssertionError("a body placeholder was lost or repeated")
            data = data.replace(token, raw)
        return data


def _with_headers(headers: Sequence[tuple[str, str]], root: Message) -> Message:
    """The message: these envelope headers first, then the root's own (Content-*) headers."""
    top = Message()
    for name, value in headers:
        top[name] = value
    for name, value in root.items():
        top[name] = value
    top.set_payload(root.get_payload())
    top.preamble = root.preamble
    return top


def _qp(text: str, charset: str = "utf-8") -> bytes:
    """Quoted-printable body with CRLF lines (soft breaks at 76 columns)."""
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    if not lf.endswith("\n"):
        lf += "\n"
    return _crlf(quopri.encodestring(lf.encode(charset), quotetabs=False))


def _b64(data: bytes) -> bytes:
    """Base64 body: 76-character lines, CRLF."""
    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def _plain(text: str, charset: str = "utf-8") -> bytes:
    """A 7bit/8bit body with CRLF lines."""
    body = _crlf(text.encode(charset))
    return body if body.endswith(b"\r\n") else body + b"\r\n"


def _charset_for(text: str, ascii_name: str = "us-ascii") -> str:
    return ascii_name if text.isascii() else "utf-8"


def _text_leaf(mime: _Mime, text: str, subtype: str, cte: str, *, charset: str | None = None,
               quote_charset: bool = True, extra_params: str = "",
               header_order: str = "type-first") -> Message:
    cs = charset or _charset_for(text)
    if cte == "quoted-printable":
        body = _qp(text, cs)
    elif cte == "base64":
        body = _b64(text.encode(cs))
    else:
        body = _plain(text, cs)
    if not cte and not text.isascii():
        cte = "quoted-printable"
        body = _qp(text, cs)
    shown = f'"{cs}"' if quote_charset else cs
    headers = [("Content-Type", f"text/{subtype}; charset={shown}{extra_params}")]
    if cte:
        headers.append(("Content-Transfer-Encoding", cte))
    if header_order == "cte-first":
        headers.reverse()
    return mime.leaf(headers, body)


def _has_8bit(data: bytes) -> bool:
    return any(b > 0x7F for b in data)


def _ensure_crlf_end(data: bytes) -> bytes:
    data = _crlf(data)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


# --------------------------------------------------------------------------- reading an original


@dataclass
class _Original:
    raw: bytes
    from_name: str
    from_address: str
    to_display: str
    to_addresses: list[tuple[str, str]]
    subject: str
    date: datetime | None
    date_header: str
    message_id: str
    html: str
    text: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


@functools.lru_cache(maxsize=512)
def _read_original(raw: bytes) -> _Original:
    """The header lines and bodies a forward shows (parsed once per distinct message)."""
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    froms = getaddresses([str(msg.get("From", ""))])
    from_name, from_address = froms[0] if froms else ("", "")
    tos = [(n, a) for n, a in getaddresses([str(v) for v in msg.get_all("To", [])]) if a]
    to_display = ", ".join(_mailbox(n, a) if n else a for n, a in tos)
    date_header = str(msg.get("Date", "")).strip()
    try:
        date = parsedate_to_datetime(date_header) if date_header else None
    except (TypeError, ValueError):
        date = None
    html_part = msg.get_body(preferencelist=("html",))
    text_part = msg.get_body(preferencelist=("plain",))
    html_body = html_part.get_content() if html_part is not None else ""
    text_body = text_part.get_content() if text_part is not None else ""
    attachments = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True)
        if payload is None:  # message/rfc822 and other containers
            payload = part.as_bytes()
        attachments.append((part.get_filename() or "", part.get_content_type(), payload))
    return _Original(raw=raw, from_name=from_name, from_address=from_address,
                     to_display=to_display, to_addresses=tos, subject=str(msg.get("Subject", "")),
                     date=date, date_header=date_header,
                     message_id=str(msg.get("Message-ID", "")).strip(), html=html_body,
                     text=text_body, attachments=attachments)


class _TextRenderer(HTMLParser):
    """HTML -> the plain text a client puts beside it: links as "text <url>"."""

    _BLOCKS = {"p", "div", "tr", "li", "table", "blockquote", "h1", "h2", "h3", "h4", "hr"}
    _SKIP = {"style", "script", "head", "title"}

    def __init__(self, glue: str):
        super().__init__(convert_charrefs=True)
        self.glue = glue
        self.out: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "a":
            self.href = dict(attrs).get("href")
            self.link_text = []
        elif tag == "br":
            self.out.append("\n")
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            if text and text != self.href and not self.href.startswith("mailto:"):
                self.out.append(f"{text}{self.glue}<{self.href}>")
            elif text:
                self.out.append(text)
            self.href = None
        elif tag in self._BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if self.skip:
            return
        data = re.sub(r"\s+", " ", data)
        (self.link_text if self.href is not None else self.out).append(data)


def html_to_text(markup: str, glue: str = " ") -> str:
    """The text alternative of `markup` as clients write it (links as "text<glue><url>")."""
    r = _TextRenderer(glue)
    r.feed(markup)
    r.close()
    text = "".join(r.out)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _inner_html(markup: str) -> str:
    m = re.search(r"<body[^>]*>(.*)</body\s*>", markup, re.IGNORECASE | re.DOTALL)
    return (m.group(1) if m else markup).strip()


def _text_as_html(text: str) -> str:
    escaped = html.escape(text)
    linked = re.sub(r"(https?://[^\s<>&]+(?:&amp;[^\s<>&]+)*)", r'<a href="\1">\1</a>', escaped)
    return linked.replace("\n", "<br>\n")


# --------------------------------------------------------------------------- gateway wrapping


def _pct(text: str, safe: str = "", lower: bool = False) -> str:
    out = urllib.parse.quote(text, safe=safe)
    if lower:
        out = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), out)
    return out


# Characters URL Defense v3 leaves in place; every other one becomes a "*" placeholder.
_V3_PLAIN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@&=;,'()")


def _v3_run_letter(n: int) -> str:
    return _B64URL[n - 2]


def urldefense_v3_encode(url: str) -> tuple[str, str]:
    """URL Defense v3's body for `url`: (text with placeholders, replacements in base64).

    Each character outside _V3_PLAIN is replaced: a single one by "*", a run of 2..65 by
    "**" and a letter giving the run's length (A=2 ... Z=27, a=28 ... z=53, 0=54 ... 9=63,
    -=64, _=65); the replaced characters, in order, UTF-8 and URL-safe base64 without "="
    padding, follow "__;"."""
    out: list[str] = []
    replaced: list[str] = []
    i = 0
    while i < len(url):
        if url[i] in _V3_PLAIN:
            out.append(url[i])
            i += 1
            continue
        j = i
        while j < len(url) and url[j] not in _V3_PLAIN:
            j += 1
        run = url[i:j]
        replaced.append(run)
        while run:
            chunk, run = run[:65], run[65:]
            if len(chunk) == 1:
                out.append("*")
            else:
                out.append("**" + _v3_run_letter(len(chunk)))
        i = j
    b64 = base64.urlsafe_b64encode("".join(replaced).encode("utf-8")).decode().rstrip("=")
    return "".join(out), b64


def wrap_url(url: str, gateway: str, recipient: str = "user@example.org") -> str:
    """`url` as the named gateway rewrites it in delivered mail.

    gateway: "safelinks" (Microsoft Safe Links), "urldefense_v2" / "urldefense_v3"
    (Proofpoint URL Defense), "google" (Google's redirect), "barracuda" (Barracuda Link
    Protection) or "opaque" (a token rewriter, Mimecast-style, whose target is not in the
    URL). The tokens (signatures, tenant ids) are derived from the URL and recipient, so
    output is stable; their shapes and lengths follow the real formats."""
    seed = f"{gateway}|{url}|{recipient}"
    if gateway == "safelinks":
        tenant = _det(seed + "t", 32, _HEX)
        message = _det(seed + "m", 32, _HEX)
        ticks = "638" + _det(seed + "n", 15, "0123456789")
        mailflow = base64.b64encode(
            b'Mailflow|{"EmptyMapi":true,"V":"0.0.0000","P":"Win32","AN":"Mail","WT":2}').decode()
        data = "|".join(["05", "02", recipient, message, tenant, "0", "0", ticks, "Unknown",
                         mailflow, "0", "", "", ""])
        sdata = base64.b64encode(hashlib.sha256(seed.encode()).digest()[:32]).decode()
        return ("https://eur02.safelinks.protection.outlook.com/?url=" + _pct(url)
                + "&data=" + _pct(data) + "&sdata=" + _pct(sdata) + "&reserved=0")
    if gateway == "urldefense_v2":
        encoded = _pct(url, safe="/").replace("-", "%2D").replace("_", "%5F")
        encoded = encoded.replace("%", "-").replace("/", "_")
        return ("https://urldefense.proofpoint.com/v2/url?u=" + encoded + "&d=DwMFaQ"
                + "&c=" + _det(seed + "c", 22, _B64URL) + "&r=" + _det(seed + "r", 43, _B64URL)
                + "&m=" + _det(seed + "m", 43, _B64URL) + "&s=" + _det(seed + "s", 43, _B64URL)
                + "&e=")
    if gateway == "urldefense_v3":
        body, replacements = urldefense_v3_encode(url)
        customer = _det(seed + "c", 12, _B64URL)
        signature = _det(seed + "s", 72, _B64URL)
        return f"https://urldefense.com/v3/__{body}__;{replacements}!!{customer}!{signature}$"
    if gateway == "google":
        ust = "1765" + _det(seed + "u", 12, "0123456789")
        usg = "AOvVaw" + _det(seed + "g", 22, _B64URL)
        return f"https://www.google.com/url?q={_pct(url, safe=':/')}&source=gmail&ust={ust}&usg={usg}"
    if gateway == "barracuda":
        token = _det(seed + "c", 86, _B64URL)
        return f"https://linkprotect.cudasvc.com/url?a={_pct(url, lower=True)}&c=E,1,{token},&typo=1"
    if gateway == OPAQUE:
        host = urllib.parse.urlsplit(url).hostname or "example.com"
        return f"https://protect-eu.mimecast.com/s/{_det(seed, 22, _B64URL)}?domain={host}"
    raise ValueError(f"unknown gateway {gateway!r}")


# --------------------------------------------------------------------------- the reported messages


def _received(from_host: str, from_ip: str, by_host: str, rcpt: str, dt: datetime,
              seed: str) -> str:
    return (f"from {from_host} ({from_host} [{from_ip}])\r\n\tby {by_host} with ESMTPS id "
            f"{_det(seed, 12, _UPPER_ALNUM)}\r\n\tfor <{rcpt}>; {_rfc2822(dt)}")


def _gmime_boundary(seed: str) -> str:
    return "=-" + base64.b64encode(hashlib.sha256(seed.encode()).digest()[:16]).decode()


def simulation_message(rid: str, base_url: str, to_addr: str, message_id: str,
                       subject: str = SIMULATION_SUBJECT, wrap: str | None = None, *,
                       pixel: bool = True, extra_query: str = "", to_name: str | None = None,
                       from_addr: str = SIMULATION_SENDER[1],
                       from_name: str = SIMULATION_SENDER[0], date: datetime | None = None,
                       rid_parameter: str = "rid", track_path: str = "/track",
                       decoy_path: str = "/r") -> bytes:
    """A Phishdrill simulation as it sits in the recipient's mailbox.

    What the server composes (GMime: From, To, Subject, Date, Message-ID, MIME-Version,
    multipart/alternative with a text and an HTML part; the HTML carries the landing link
    `{base_url}/?{rid_parameter}={rid}`, the tracking pixel `{base_url}{track_path}?...`
    when `pixel`, and the hidden decoy link `{base_url}{decoy_path}?...` before </body>),
    plus what delivery adds on top: Return-Path, Delivered-To, Received and a passing
    Authentication-Results from the organisation's MX (mx.<domain of to_addr>).

    wrap: None, a gateway of GATEWAYS, or "opaque". A gateway rewrites every link (HTML
    hrefs and URLs in the text part) but not image sources; "opaque" rewrites links into
    tokens nothing can decode, so only the pixel (when kept) or the Message-ID identifies
    the simulation. extra_query is appended to the landing link (a template may add its
    own parameters; characters such as "+", "*" or non-ASCII exercise URL Defense v3's
    replacements). message_id is given without angle brackets (they are accepted)."""
    date = date or _now()
    base = base_url.rstrip("/")
    message_id = message_id.strip().strip("<>")
    to_name = display_name_for(to_addr) if to_name is None else to_name
    first = (to_name.split() or ["there"])[0]
    url = f"{base}/?{rid_parameter}={rid}{extra_query}"
    track = f"{base}{track_path}?{rid_parameter}={rid}"
    decoy = f"{base}{decoy_path}?{rid_parameter}={rid}"

    def link(u: str) -> str:
        return wrap_url(u, wrap, to_addr) if wrap else u

    org = _domain(to_addr)
    sender_domain = _domain(from_addr)
    pixel_html = (f'<img src="{html.escape(track)}" width="1" height="1" alt="" '
                  f'style="display:block;border:0">\n') if pixel else ""
    html_body = (
        '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=utf-8"></head>\n'
        '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222">\n'
        f"<p>Hello {html.escape(first)},</p>\n"
        "<p>Your mailbox has reached 98% of its storage quota. From tomorrow, messages sent to "
        "you may be returned to their senders.</p>\n"
        "<p>To keep receiving mail, review your storage settings today:</p>\n"
        f'<p><a href="{html.escape(link(url))}" style="background:#0b5cad;color:#ffffff;'
        'padding:8px 16px;text-decoration:none">Review storage settings</a></p>\n'
        f"<p>Thank you,<br>{html.escape(from_name)}</p>\n"
        f"{pixel_html}"
        f'<a href="{html.escape(link(decoy))}" style="display:none" aria-hidden="true" '
        'tabindex="-1"></a></body></html>\n')
    text_body = (
        f"Hello {first},\n\n"
        "Your mailbox has reached 98% of its storage quota. From tomorrow, messages sent to you "
        "may be returned to their senders.\n\n"
        f"To keep receiving mail, review your storage settings today:\n{link(url)}\n\n"
        f"Thank you,\n{from_name}\n")

    mime = _Mime(f"sim|{rid}|{message_id}|{wrap}")
    boundary = _gmime_boundary(f"sim|{rid}|{message_id}")
    alternative = mime.multipart(
        [("MIME-Version", "1.0"),
         ("Content-Type", f'multipart/alternative; boundary="{boundary}"')],
        [_text_leaf(mime, text_body, "plain", "quoted-printable", charset="utf-8",
                    quote_charset=False),
         _text_leaf(mime, html_body, "html", "quoted-printable", charset="utf-8",
                    quote_charset=False)])
    bounce = f"bounces+{_det(rid, 10, _HEX)}@{sender_domain}"
    delivered = date + timedelta(seconds=2)
    headers = [
        ("Return-Path", f"<{bounce}>"),
        ("Delivered-To", to_addr),
        ("Received", f"from mx.{org} ([192.0.2.25])\r\n\tby mbox.{org} with LMTP id "
                     f"{_det(rid + 'l', 22, _B64URL)}\r\n\tfor <{to_addr}>; {_rfc2822(delivered)}"),
        ("Authentication-Results",
         f"mx.{org};\r\n\tspf=pass smtp.mailfrom={sender_domain};\r\n"
         f"\tdkim=pass header.d={sender_domain};\r\n\tdmarc=pass header.from={sender_domain}"),
        ("Received", _received(f"mail.{sender_domain}", "198.51.100.25", f"mx.{org}", to_addr,
                               date + timedelta(seconds=1), rid)),
        ("DKIM-Signature",
         f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={sender_domain};\r\n\ts=mail; "
         f"h=from:to:subject:date:message-id;\r\n\tbh={_det(rid + 'bh', 43, _ALNUM)}=;\r\n"
         f"\tb={_det(rid + 'b', 68, _ALNUM)}\r\n\t {_det(rid + 'b2', 68, _ALNUM)}="),
        ("From", _mailbox(from_name, from_addr)),
        ("To", _mailbox(to_name, to_addr)),
        ("Subject", _encoded_subject(subject)),
        ("Date", format_datetime(date)),
        ("Message-ID", f"<{message_id}>"),
    ]
    return mime.render(_with_headers(headers, alternative))


def credential_form_html(action: str, title: str = "Secure document") -> bytes:
    """An HTML attachment that asks for a password and posts it to `action`."""
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>\n"
        "<h2>Sign in to view the document</h2>\n"
        f'<form method="post" action="{html.escape(action)}">\n'
        '<input type="email" name="login" placeholder="Work email">\n'
        '<input type="password" name="password" placeholder="Password">\n'
        "<button>View document</button></form></body></html>\n").encode()


def zip_archive(files: Sequence[tuple[str, bytes]]) -> bytes:
    """A real ZIP archive holding `files` (fixed timestamps: deterministic bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return buf.getvalue()


def minimal_pdf(title: str = "Travel policy") -> bytes:
    """A small, valid one-page PDF (an unrelated attachment)."""
    text = title.replace("(", "[").replace(")", "]")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 18 Tf 72 770 Td ({text}) Tj ET".encode()
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _attachment_leaf(mime: _Mime, name: str, content_type: str, data: bytes,
                     style: str = "outlook", dt: datetime | None = None) -> Message:
    """A base64 file attachment with the client's header layout."""
    if style == "outlook":
        stamp = format_datetime((dt or _now()).astimezone(timezone.utc), usegmt=True)
        headers = [
            ("Content-Type", f"{content_type}; name={_quoted_param(name)}"),
            ("Content-Description", Header(name, "utf-8").encode() if not name.isascii() else name),
            ("Content-Disposition",
             f"attachment; filename={_quoted_param(name)}; size={len(data)};\r\n"
             f'\tcreation-date="{stamp}";\r\n\tmodification-date="{stamp}"'),
            ("Content-Transfer-Encoding", "base64"),
        ]
    elif style == "gmail":
        att_id = "f_" + _det(name + str(len(data)), 9, "abcdefghijklmnopqrstuvwxyz0123456789")
        headers = [
            ("Content-Type", f"{content_type}; name={_quoted_param(name)}"),
            ("Content-Disposition", f"attachment; filename={_quoted_param(name)}"),
            ("Content-Transfer-Encoding", "base64"),
            ("Content-ID", f"<{att_id}>"),
            ("X-Attachment-Id", att_id),
        ]
    else:  # thunderbird / apple / a plain mailer
        headers = [
            ("Content-Type", f"{content_type}; name={_quoted_param(name)}"),
            ("Content-Disposition", f"attachment; filename={_quoted_param(name)}"),
            ("Content-Transfer-Encoding", "base64"),
        ]
    return mime.leaf(headers, _b64(data))


def real_phish(from_addr: str, from_name: str, subject: str,
               links: Sequence[tuple[str, str]] = (),
               spf: str = "fail", dkim: str = "fail", dmarc: str = "fail",
               reply_to: str | None = None,
               attachments: Sequence[tuple[str, str, bytes]] = (),
               message_id: str | None = None, to_addr: str = "someone@example.org", *,
               to_name: str | None = None, date: datetime | None = None,
               return_path: str | None = None, sending_ip: str = "203.0.113.47",
               paragraphs: Sequence[str] | None = None) -> bytes:
    """A real phishing message as delivered to `to_addr`.

    links: (href, shown text) pairs; the shown text may be another URL (a mismatch).
    Authentication-Results is the organisation's MX verdict, in the form
    "mx.<org>; spf=<spf> smtp.mailfrom=<envelope domain>; dkim=<dkim> header.d=<from
    domain>; dmarc=<dmarc> header.from=<from domain>". Two Received hops from an address
    in a documentation range, a Return-Path (default: a bounce address at another domain),
    an optional Reply-To, urgency and credential language in the body, and attachments
    (name, content type, bytes) as base64 parts. message_id: without brackets (a random-
    looking one at the sender's domain when None)."""
    date = date or _now()
    from_domain = _domain(from_addr)
    org = _domain(to_addr)
    seed = f"phish|{from_addr}|{subject}|{to_addr}|{message_id}"
    message_id = (message_id or f"{_det(seed, 24, _HEX)}@{from_domain}").strip().strip("<>")
    return_path = return_path or f"bounce-{_det(seed + 'rp', 6, '0123456789')}@mailer.bulk-send.test"
    mailfrom_domain = _domain(return_path)
    to_name = display_name_for(to_addr) if to_name is None else to_name
    paragraphs = list(paragraphs) if paragraphs is not None else [
        "We detected unusual sign-in activity on your account. For your security, access will "
        "be suspended within 24 hours unless you verify your identity.",
        "Please confirm your password and payment details immediately to avoid permanent "
        "loss of access to your mailbox and files.",
    ]
    greeting = f"Dear {to_name.split()[0] if to_name else 'user'},"
    html_links = "".join(
        f'<p><a href="{html.escape(href)}">{html.escape(shown)}</a></p>\n' for href, shown in links)
    text_links = "".join(f"{shown} <{href}>\n" for href, shown in links)
    html_body = ("<html><head><meta charset=\"utf-8\"></head><body>\n"
                 f"<p>{html.escape(greeting)}</p>\n"
                 + "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
                 + html_links
                 + f"<p>Regards,<br>{html.escape(from_name)}</p>\n</body></html>\n")
    text_body = (f"{greeting}\n\n" + "".join(f"{p}\n\n" for p in paragraphs) + text_links
                 + f"\nRegards,\n{from_name}\n")

    mime = _Mime(seed)
    alt_boundary = f"----=_Part_{_det(seed + 'a', 6, '0123456789')}_{_det(seed + 'b', 9, '0123456789')}"
    alternative = mime.multipart(
        [("Content-Type", f'multipart/alternative;\r\n\tboundary="{alt_boundary}"')],
        [_text_leaf(mime, text_body, "plain", "quoted-printable", charset="utf-8"),
         _text_leaf(mime, html_body, "html", "quoted-printable", charset="utf-8")])
    if attachments:
        mixed_boundary = f"----=_Part_{_det(seed + 'c', 6, '0123456789')}_{_det(seed + 'd', 9, '0123456789')}"
        root = mime.multipart(
            [("Content-Type", f'multipart/mixed;\r\n\tboundary="{mixed_boundary}"')],
            [alternative] + [_attachment_leaf(mime, n, t, d, style="plain")
                             for n, t, d in attachments])
    else:
        root = alternative
    headers = [
        ("Return-Path", f"<{return_path}>"),
        ("Delivered-To", to_addr),
        ("Received", f"from mx.{org} ([192.0.2.25])\r\n\tby mbox.{org} with LMTP id "
                     f"{_det(seed + 'l', 22, _B64URL)}\r\n\tfor <{to_addr}>; "
                     f"{_rfc2822(date + timedelta(seconds=3))}"),
        ("Authentication-Results",
         f"mx.{org}; spf={spf} smtp.mailfrom={mailfrom_domain}; dkim={dkim} "
         f"header.d={from_domain}; dmarc={dmarc} header.from={from_domain}"),
        ("Received-SPF", f"{spf.capitalize()} (mx.{org}: domain of {return_path} does not "
                         f"designate {sending_ip} as permitted sender)"
         if spf in ("fail", "softfail") else f"{spf.capitalize()} (mx.{org})"),
        ("Received", _received(f"vps-{_det(seed + 'h', 5, '0123456789')}.hosting.test",
                               sending_ip, f"mx.{org}", to_addr, date + timedelta(seconds=2),
                               seed)),
        ("Received", f"from localhost (localhost [127.0.0.1])\r\n\tby "
                     f"vps-{_det(seed + 'h', 5, '0123456789')}.hosting.test with ESMTP id "
                     f"{_det(seed + 'q', 10, _UPPER_ALNUM)};\r\n\t{_rfc2822(date)}"),
        ("Date", _rfc2822(date)),
        ("From", _mailbox(from_name, from_addr)),
        ("To", _mailbox(to_name, to_addr)),
    ]
    if reply_to:
        headers.append(("Reply-To", reply_to))
    headers += [
        ("Subject", _encoded_subject(subject)),
        ("Message-ID", f"<{message_id}>"),
        ("X-Priority", "1 (Highest)"),
        ("MIME-Version", "1.0"),
    ]
    return mime.render(_with_headers(headers, root))


# --------------------------------------------------------------------------- report wrappers


def _report_ids(client: str, reporter: str, seed: str) -> tuple[str, str]:
    """(Message-ID without brackets, outer boundary) in the client's style."""
    domain = _domain(reporter)
    if client == "outlook":
        host = f"DB9PR0{_det(seed + 'h', 1, '123456789')}MB{_det(seed + 'n', 4, '0123456789')}"
        mid = f"{host}{_det(seed, 24, _UPPER_ALNUM)}@{host}.eurprd01.prod.exchange.example"
        return mid, f"_004_{host}{_det(seed + 'b', 24, _UPPER_ALNUM)}_"
    if client == "gmail":
        mid = "CA+" + _det(seed, 40, _B64URL.replace("-", "").replace("_", "") + "+") + "@mail.example.com"
        return mid, "000000000000" + _det(seed + "b", 16, _HEX)
    if client == "apple":
        u = _det(seed, 32, "0123456789ABCDEF")
        uuid = f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
        return f"{uuid}@{domain}", f"Apple-Mail=_{uuid}"
    u = _det(seed, 32, _HEX)
    uuid = f"{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
    return f"{uuid}@{domain}", "------------" + _det(seed + "b", 24, _ALNUM)


def _report_headers(client: str, reporter: str, to: str, subject: str, message_id: str,
                    dt: datetime, *, reporter_name: str | None = None,
                    thread_topic: str | None = None) -> list[tuple[str, str]]:
    """The report's own header block, in the client's order."""
    name = display_name_for(reporter) if reporter_name is None else reporter_name
    org = _domain(reporter)
    received = ("Received", f"from mail.{org} ([192.0.2.40])\r\n\tby mx.{_domain(to)} with ESMTPS id "
                            f"{_det(message_id, 12, _UPPER_ALNUM)}\r\n\tfor <{to}>; {_rfc2822(dt)}")
    if client == "outlook":
        topic = thread_topic if thread_topic is not None else subject
        thread_index = base64.b64encode(hashlib.sha256(message_id.encode()).digest()[:22]).decode()
        return [
            ("Return-Path", f"<{reporter}>"), received,
            ("From", _mailbox(name, reporter)),
            ("To", to),
            ("Subject", _encoded_subject(subject)),
            ("Thread-Topic", _encoded_subject(topic)),
            ("Thread-Index", thread_index),
            ("Date", _rfc2822(dt.astimezone(timezone.utc))),
            ("Message-ID", f"<{message_id}>"),
            ("Accept-Language", "en-US"),
            ("Content-Language", "en-US"),
        ]
    if client == "gmail":
        return [
            ("Return-Path", f"<{reporter}>"), received,
            ("MIME-Version", "1.0"),
            ("From", _mailbox(name, reporter)),
            ("Date", _rfc2822(dt)),
            ("Message-ID", f"<{message_id}>"),
            ("Subject", _encoded_subject(subject)),
            ("To", to),
        ]
    if client == "apple":
        return [
            ("Return-Path", f"<{reporter}>"), received,
            ("Mime-Version", "1.0"),
            ("Subject", _encoded_subject(subject)),
            ("Date", _rfc2822(dt)),
            ("To", to),
            ("Message-Id", f"<{message_id}>"),
            ("From", _mailbox(name, reporter)),
        ]
    # thunderbird
    return [
        ("Return-Path", f"<{reporter}>"), received,
        ("Message-ID", f"<{message_id}>"),
        ("Date", _rfc2822(dt)),
        ("MIME-Version", "1.0"),
        ("Content-Language", "en-US"),
        ("To", to),
        ("From", _mailbox(name, reporter)),
        ("Subject", _encoded_subject(subject)),
    ]


def _outlook_note_parts(mime: _Mime, note: str, seed: str) -> Message:
    """Outlook's multipart/alternative body for a short note."""
    boundary = f"_000_{_det(seed + 'alt', 40, _UPPER_ALNUM)}_"
    charset = _charset_for(note)
    note_html = (
        '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; '
        f'charset={charset}">\r\n'
        '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\r\n'
        '</head>\r\n<body dir="ltr">\r\n<div class="elementToProof" style="font-family: Aptos, '
        'Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">\r\n'
        + html.escape(note).replace("\n", "<br>\r\n") + "</div>\r\n</body>\r\n</html>\r\n")
    return mime.multipart(
        [("Content-Type", f'multipart/alternative;\r\n\tboundary="{boundary}"')],
        [_text_leaf(mime, note + "\n", "plain", "quoted-printable"),
         _text_leaf(mime, note_html, "html", "quoted-printable")])


def _gmail_note_parts(mime: _Mime, note: str, seed: str) -> Message:
    boundary = "000000000000" + _det(seed + "alt", 16, _HEX)
    note_html = '<div dir="ltr">' + html.escape(note).replace("\n", "<br>") + "</div>\r\n"
    return mime.multipart(
        [("Content-Type", f'multipart/alternative; boundary="{boundary}"')],
        [_text_leaf(mime, note + "\n", "plain", "", charset="UTF-8"),
         _text_leaf(mime, note_html, "html", "", charset="UTF-8")])


def _rfc822_leaf(mime: _Mime, original: bytes, client: str, dt: datetime,
                 encoding: str = "7bit") -> Message:
    """The original as a message/rfc822 part, as the client attaches it."""
    original = _ensure_crlf_end(original)
    name = _eml_filename(_read_original(original).subject or "Untitled")
    if encoding == "base64":
        return mime.leaf([
            ("Content-Type", f"message/rfc822; name={_quoted_param(name)}"),
            ("Content-Disposition", f"attachment; filename={_quoted_param(name)}"),
            ("Content-Transfer-Encoding", "base64"),
        ], _b64(original))
    if client == "outlook":
        stamp = format_datetime(dt.astimezone(timezone.utc), usegmt=True)
        return mime.leaf([
            ("Content-Type", "message/rfc822"),
            ("Content-Disposition",
             f'attachment;\r\n\tcreation-date="{stamp}";\r\n\tmodification-date="{stamp}"'),
        ], original)
    if client == "gmail":
        att_id = "f_" + _det(name + client, 9, "abcdefghijklmnopqrstuvwxyz0123456789")
        return mime.leaf([
            ("Content-Type", f"message/rfc822; name={_quoted_param(name)}"),
            ("Content-Disposition", f"attachment; filename={_quoted_param(name)}"),
            ("Content-ID", f"<{att_id}>"),
            ("X-Attachment-Id", att_id),
        ], original)
    # thunderbird: the forwarded message is shown inline
    return mime.leaf([
        ("Content-Type", f"message/rfc822; charset=UTF-8; name={_quoted_param(name)}"),
        ("Content-Disposition", f"inline; filename={_quoted_param(name)}"),
        ("Content-Transfer-Encoding", "8bit" if _has_8bit(original) else "7bit"),
    ], original)


def outlook_report_button(original: bytes, reporter: str, reporting_address: str, *,
                          subject_prefix: str = "Phishing: ", note: str | None = None,
                          date: datetime | None = None) -> bytes:
    """What Outlook's built-in "Report > Report phishing" sends to a reporting mailbox.

    Sent from the reporter's mailbox: the subject is the original's with a verdict prefix
    (the documented prefixes are "Phishing:", "Junk:", "Not junk:" or their numeric forms
    "3|", "1|", "2|"), a short body, and the original attached as message/rfc822 named
    after its subject (.eml)."""
    dt = date or _now()
    summary = _read_original(original)
    seed = f"button|{reporter}|{summary.message_id}|{subject_prefix}"
    mid, boundary = _report_ids("outlook", reporter, seed)
    mime = _Mime(seed)
    note = note if note is not None else "This message was reported as phishing by the user."
    original = _ensure_crlf_end(original)
    name = _eml_filename(summary.subject or "Untitled")
    attached = mime.leaf([
        ("Content-Type", f"message/rfc822; name={_quoted_param(name)}"),
        ("Content-Description", name if name.isascii() else Header(name, "utf-8").encode()),
        ("Content-Disposition", f"attachment; filename={_quoted_param(name)}"),
    ], original)
    root = mime.multipart([("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'),
                           ("MIME-Version", "1.0")],
                          [_outlook_note_parts(mime, note, seed), attached])
    headers = _report_headers("outlook", reporter, reporting_address,
                              subject_prefix + summary.subject, mid, dt,
                              thread_topic=summary.subject)
    return mime.render(_with_headers(headers, root))


def forward_as_attachment(original: bytes, reporter: str, to: str, client: str = "outlook", *,
                          note: str | None = None, encoding: str = "7bit",
                          date: datetime | None = None) -> bytes:
    """"Forward as attachment": a note and the original as a message/rfc822 part.

    client "outlook": subject "FW: ...", note as text+HTML, the attachment as
    message/rfc822 with creation/modification dates and no name (Exchange's layout);
    "gmail": "Fwd: ...", the attachment named "<subject>.eml" with Content-ID and
    X-Attachment-Id; "thunderbird": "Fwd: ...", a format=flowed note and the message
    attached with an inline disposition and "<subject>.eml" as name.
    encoding "base64" base64-encodes the message/rfc822 part (RFC 2046 forbids it, some
    webmail clients do it all the same)."""
    if client not in FORWARD_CLIENTS:
        raise ValueError(f"unknown client {client!r}")
    dt = date or _now()
    summary = _read_original(original)
    seed = f"fwdatt|{client}|{reporter}|{to}|{summary.message_id}|{encoding}"
    mid, boundary = _report_ids(client, reporter, seed)
    mime = _Mime(seed)
    note = note if note is not None else "Hi, this looks suspicious to me. Forwarding it as requested."
    attached = _rfc822_leaf(mime, original, client, dt, encoding)
    if client == "outlook":
        root = mime.multipart([("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'),
                               ("MIME-Version", "1.0")],
                              [_outlook_note_parts(mime, note, seed), attached])
        subject = "FW: " + summary.subject
    elif client == "gmail":
        root = mime.multipart([("Content-Type", f'multipart/mixed; boundary="{boundary}"')],
                              [_gmail_note_parts(mime, note, seed), attached])
        subject = "Fwd: " + summary.subject
    else:
        root = mime.multipart(
            [("Content-Type", f'multipart/mixed; boundary="{boundary}"')],
            [_text_leaf(mime, note + "\n", "plain", "7bit" if note.isascii() else "8bit",
                        charset="UTF-8", quote_charset=False, extra_params="; format=flowed"),
             attached],
            preamble="This is a multi-part message in MIME format.")
        subject = "Fwd: " + summary.subject
    headers = _report_headers(client, reporter, to, subject, mid, dt,
                              thread_topic=summary.subject)
    return mime.render(_with_headers(headers, root))


def eml_as_octet_stream(original: bytes, reporter: str, to: str, *, filename: str = "x.eml",
                        note: str | None = None, date: datetime | None = None) -> bytes:
    """A message saved as a file and attached to a new mail: application/octet-stream,
    base64, named `filename` (Outlook's layout for file attachments)."""
    dt = date or _now()
    summary = _read_original(original)
    seed = f"octet|{reporter}|{to}|{summary.message_id}|{filename}"
    mid, boundary = _report_ids("outlook", reporter, seed)
    mime = _Mime(seed)
    note = note if note is not None else "I saved the suspicious message and attached it."
    attached = _attachment_leaf(mime, filename, "application/octet-stream",
                                _ensure_crlf_end(original), style="outlook", dt=dt)
    root = mime.multipart([("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'),
                           ("MIME-Version", "1.0")],
                          [_outlook_note_parts(mime, note, seed), attached])
    headers = _report_headers("outlook", reporter, to, "Suspicious email", mid, dt)
    return mime.render(_with_headers(headers, root))


def _quoted_header_block(client: str, s: _Original) -> tuple[str, str]:
    """(text, HTML) of the client's forwarded-message header block."""
    dt = s.date or _now()
    from_text = f"{s.from_name} <{s.from_address}>" if s.from_name else s.from_address
    from_html = html.escape(from_text)
    subj = s.subject
    if client == "outlook":
        text = (f"________________________________\nFrom: {from_text}\n"
                f"Sent: {outlook_sent_date(dt)}\nTo: {s.to_display}\nSubject: {subj}\n")
        markup = (
            '<div id="appendonsend"></div>\r\n'
            '<hr style="display:inline-block;width:98%" tabindex="-1">\r\n'
            '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" '
            'style="font-size:11pt" color="#000000"><b>From:</b> ' + from_html + "<br>\r\n"
            "<b>Sent:</b> " + html.escape(outlook_sent_date(dt)) + "<br>\r\n"
            "<b>To:</b> " + html.escape(s.to_display) + "<br>\r\n"
            "<b>Subject:</b> " + html.escape(subj) + "</font>\r\n<div>&nbsp;</div>\r\n</div>\r\n")
        return text, markup
    if client == "gmail":
        to_text = ", ".join(f"{n} <{a}>" if n else f"<{a}>" for n, a in s.to_addresses)
        to_html = ", ".join(
            (f'{html.escape(n)} &lt;<a href="mailto:{html.escape(a)}">{html.escape(a)}</a>&gt;'
             if n else f'&lt;<a href="mailto:{html.escape(a)}">{html.escape(a)}</a>&gt;')
            for n, a in s.to_addresses)
        text = (f"---------- Forwarded message ---------\nFrom: {from_text}\n"
                f"Date: {gmail_date(dt)}\nSubject: {subj}\nTo: {to_text}\n")
        markup = (
            '<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">'
            "---------- Forwarded message ---------<br>From: <strong class=\"gmail_sendername\" "
            f'dir="auto">{html.escape(s.from_name or s.from_address)}</strong> <span dir="auto">'
            f'&lt;<a href="mailto:{html.escape(s.from_address)}">{html.escape(s.from_address)}'
            f"</a>&gt;</span><br>Date: {html.escape(gmail_date(dt))}<br>Subject: "
            f"{html.escape(subj)}<br>To: {to_html}<br></div><br><br>")
        return text, markup
    if client == "apple":
        text = (f"Begin forwarded message:\n\nFrom: {from_text}\nSubject: {subj}\n"
                f"Date: {apple_date(dt)}\nTo: {s.to_display}\n")
        span = ('<span style="font-family: -webkit-system-font, Helvetica Neue, Helvetica, '
                'sans-serif; color:rgba(0, 0, 0, 1.0);">')
        span2 = '<span style="font-family: -webkit-system-font, Helvetica Neue, Helvetica, sans-serif;">'
        div = '<div style="margin-top: 0px; margin-right: 0px; margin-bottom: 0px; margin-left: 0px;">'

        def row(label: str, value_html: str) -> str:
            return f"{div}{span}<b>{label}: </b></span>{span2}{value_html}<br></span></div>\r\n"

        markup = (
            '<div><br><blockquote type="cite"><div>Begin forwarded message:</div>'
            '<br class="Apple-interchange-newline">\r\n'
            + row("From", f'{html.escape(s.from_name)} &lt;<a href="mailto:'
                          f'{html.escape(s.from_address)}">{html.escape(s.from_address)}</a>&gt;')
            + row("Subject", f"<b>{html.escape(subj)}</b>")
            + row("Date", html.escape(apple_date(dt)))
            + row("To", html.escape(s.to_display))
            + "<br>")
        return text, markup
    # thunderbird
    date_text = s.date_header or _rfc2822(dt)
    text = (f"-------- Forwarded Message --------\nSubject: \t{subj}\nDate: \t{date_text}\n"
            f"From: \t{from_text}\nTo: \t{s.to_display}\n")
    th = '<th valign="BASELINE" nowrap="nowrap" align="RIGHT">'
    to_cells = ", ".join(
        f'<a class="moz-txt-link-abbreviated" href="mailto:{html.escape(a)}">{html.escape(a)}</a>'
        for _, a in s.to_addresses)
    markup = (
        '<div class="moz-forward-container"><br>\r\n<br>\r\n-------- Forwarded Message --------\r\n'
        '<table class="moz-email-headers-table" cellspacing="0" cellpadding="0" border="0">\r\n'
        "<tbody>\r\n"
        f"<tr>{th}Subject: </th><td>{html.escape(subj)}</td></tr>\r\n"
        f"<tr>{th}Date: </th><td>{html.escape(date_text)}</td></tr>\r\n"
        f"<tr>{th}From: </th><td>{html.escape(s.from_name)} "
        f'<a class="moz-txt-link-rfc2396E" href="mailto:{html.escape(s.from_address)}">'
        f"&lt;{html.escape(s.from_address)}&gt;</a></td></tr>\r\n"
        f"<tr>{th}To: </th><td>{to_cells}</td></tr>\r\n"
        "</tbody>\r\n</table>\r\n<br>\r\n<br>\r\n")
    return text, markup


def inline_forward(original: bytes, reporter: str, to: str, client: str = "outlook", *,
                   note: str | None = None, date: datetime | None = None) -> bytes:
    """An ordinary forward: the original quoted in the body under the client's header block.

    Both a text/plain part (the original's text rendered from its HTML, links as
    "text <url>"; Outlook writes "text<url>") and a text/html part (the original's HTML
    inside the client's quote container: Outlook's divRplyFwdMsg, Gmail's gmail_quote,
    Apple Mail's <blockquote type="cite">, Thunderbird's moz-forward-container). Only the
    header lines the block shows survive (no Message-ID). The original's file attachments
    are carried along as attachments of the forward, as clients do."""
    if client not in INLINE_CLIENTS:
        raise ValueError(f"unknown client {client!r}")
    dt = date or _now()
    s = _read_original(original)
    seed = f"inline|{client}|{reporter}|{to}|{s.message_id}|{s.subject}"
    mid, boundary = _report_ids(client, reporter, seed)
    mime = _Mime(seed)
    note = note if note is not None else "Is this genuine? It asks me to sign in."
    block_text, block_html = _quoted_header_block(client, s)
    body_html = _inner_html(s.html) if s.html else _text_as_html(s.text)
    glue = "" if client == "outlook" else " "
    body_text = html_to_text(s.html, glue) if s.html else s.text

    # Blank lines between the header block and the quoted text, as each client leaves them.
    gap = {"outlook": "\n", "gmail": "\n\n", "apple": "\n", "thunderbird": "\n\n\n"}[client]
    text = f"{note}\n\n{block_text}{gap}{body_text}"
    if client == "outlook":
        charset = _charset_for(note + block_html + body_html)
        markup = (
            '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; '
            f'charset={charset}">\r\n'
            '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\r\n'
            '</head>\r\n<body dir="ltr">\r\n<div class="elementToProof" style="font-family: Aptos, '
            'Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">\r\n'
            f"{html.escape(note)}</div>\r\n{block_html}<div>\r\n{body_html}\r\n</div>\r\n"
            "</body>\r\n</html>\r\n")
        alt_boundary = f"_000_{_det(seed + 'alt', 40, _UPPER_ALNUM)}_"
        alternative = mime.multipart(
            [("Content-Type", f'multipart/alternative;\r\n\tboundary="{alt_boundary}"')],
            [_text_leaf(mime, text, "plain", "quoted-printable"),
             _text_leaf(mime, markup, "html", "quoted-printable")])
        subject = "FW: " + s.subject
    elif client == "gmail":
        markup = (f'<div dir="ltr">{html.escape(note)}<br><br>{block_html}'
                  f"{body_html}</div></div>\r\n")
        alt_boundary = "000000000000" + _det(seed + "alt", 16, _HEX)
        alternative = mime.multipart(
            [("Content-Type", f'multipart/alternative; boundary="{alt_boundary}"')],
            [_text_leaf(mime, text, "plain", "quoted-printable", charset="UTF-8"),
             _text_leaf(mime, markup, "html", "quoted-printable", charset="UTF-8")])
        subject = "Fwd: " + s.subject
    elif client == "apple":
        markup = (
            '<html aria-label="message body"><head><meta http-equiv="content-type" '
            'content="text/html; charset=utf-8"></head><body style="overflow-wrap: break-word; '
            '-webkit-nbsp-mode: space; line-break: after-white-space;">'
            f'{html.escape(note)}<br id="lineBreakAtBeginningOfMessage">{block_html}'
            f'<div dir="ltr">{body_html}</div></blockquote></div><br></body></html>\r\n')
        u = _det(seed + "alt", 32, "0123456789ABCDEF")
        alt_boundary = f"Apple-Mail=_{u[:8]}-{u[8:12]}-{u[12:16]}-{u[16:20]}-{u[20:]}"
        alternative = mime.multipart(
            [("Content-Type", f'multipart/alternative;\r\n\tboundary="{alt_boundary}"')],
            [_text_leaf(mime, text, "plain", "quoted-printable", charset="utf-8",
                        quote_charset=False, header_order="cte-first"),
             _text_leaf(mime, markup, "html", "quoted-printable", charset="utf-8",
                        quote_charset=False, header_order="cte-first")])
        subject = "Fwd: " + s.subject
    else:  # thunderbird
        markup = (
            "<!DOCTYPE html>\r\n<html>\r\n<head>\r\n"
            '<meta http-equiv="content-type" content="text/html; charset=UTF-8">\r\n</head>\r\n'
            f"<body>\r\n<p>{html.escape(note)}</p>\r\n{block_html}{body_html}\r\n</div>\r\n"
            "</body>\r\n</html>\r\n")
        alt_boundary = "------------" + _det(seed + "alt", 24, _ALNUM)
        cte = "8bit" if not (text + markup).isascii() else "7bit"
        alternative = mime.multipart(
            [("Content-Type", f'multipart/alternative; boundary="{alt_boundary}"')],
            [_text_leaf(mime, text, "plain", cte, charset="UTF-8", quote_charset=False,
                        extra_params="; format=flowed"),
             _text_leaf(mime, markup, "html", cte, charset="UTF-8", quote_charset=False)],
            preamble=None)
        subject = "Fwd: " + s.subject

    style = {"outlook": "outlook", "gmail": "gmail"}.get(client, "plain")
    files = [a for a in s.attachments if not a[1].startswith("message/")]
    if files:
        if client == "outlook":
            mixed_ct = f'multipart/mixed;\r\n\tboundary="{boundary}"'
        elif client == "apple":
            mixed_ct = f'multipart/mixed;\r\n\tboundary="{boundary}"'
        else:
            mixed_ct = f'multipart/mixed; boundary="{boundary}"'
        root = mime.multipart([("Content-Type", mixed_ct)],
                              [alternative] + [_attachment_leaf(mime, n or "attachment.bin", t, d,
                                                                style=style, dt=dt)
                                               for n, t, d in files],
                              preamble="This is a multi-part message in MIME format."
                              if client == "thunderbird" else None)
    else:
        root = alternative
        if client == "thunderbird":
            root.preamble = "This is a multi-part message in MIME format."
    if client == "outlook":
        root["MIME-Version"] = "1.0"
    headers = _report_headers(client, reporter, to, subject, mid, dt, thread_topic=s.subject)
    return mime.render(_with_headers(headers, root))


def redirect(original: bytes, reporter: str, to: str, *, date: datetime | None = None) -> bytes:
    """"Redirect" (also "Bounce"/"Resend"): the original unchanged with Resent-From,
    Resent-To, Resent-Date and Resent-Message-ID put on top (RFC 5322 3.6.6). The report
    is the message itself; the reporter is Resent-From."""
    dt = date or _now()
    summary = _read_original(original)
    mid, _ = _report_ids("thunderbird", reporter, f"redirect|{reporter}|{summary.message_id}")
    block = (f"Resent-From: {_mailbox(display_name_for(reporter), reporter)}\r\n"
             f"Resent-To: {to}\r\n"
             f"Resent-Date: {_rfc2822(dt)}\r\n"
             f"Resent-Message-ID: <{mid}>\r\n").encode()
    return block + _ensure_crlf_end(original)


def several_attachments(originals: Sequence[bytes], reporter: str, to: str, *,
                        pdf: bool = True, note: str | None = None,
                        date: datetime | None = None) -> bytes:
    """One report carrying several messages (Outlook, several selected and forwarded as
    attachments), each as message/rfc822, plus an unrelated PDF."""
    dt = date or _now()
    seed = "several|" + reporter + "|" + "|".join(_read_original(o).message_id for o in originals)
    mid, boundary = _report_ids("outlook", reporter, seed)
    mime = _Mime(seed)
    note = note if note is not None else (
        "I received these today, they all look odd. The travel policy is attached for reference.")
    parts = [_outlook_note_parts(mime, note, seed)]
    parts += [_rfc822_leaf(mime, o, "outlook", dt) for o in originals]
    if pdf:
        parts.append(_attachment_leaf(mime, "Travel policy 2026.pdf", "application/pdf",
                                      minimal_pdf("Travel policy 2026"), style="outlook", dt=dt))
    root = mime.multipart([("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'),
                           ("MIME-Version", "1.0")], parts)
    headers = _report_headers("outlook", reporter, to, "FW: suspicious messages", mid, dt)
    return mime.render(_with_headers(headers, root))


def report_of_report(report: bytes, forwarder: str, to: str, client: str = "outlook", *,
                     note: str | None = None, date: datetime | None = None) -> bytes:
    """A report forwarded as attachment again (e.g. a person sent it to a colleague or the
    helpdesk first, and it was then forwarded to the reporting mailbox)."""
    note = note if note is not None else (
        "Passing this on to the reporting address - it was sent to the helpdesk first.")
    return forward_as_attachment(report, forwarder, to, client, note=note, date=date)


def msg_attachment(reporter: str, to: str, *, filename: str = "Unpaid invoice 20431.msg",
                   size: int = 24_576, date: datetime | None = None) -> bytes:
    """A report whose only attachment is an Outlook .msg file (application/vnd.ms-outlook):
    an OLE compound file, here its 8 magic bytes D0 CF 11 E0 A1 B1 1A E1, a header-like
    block and filler up to `size` bytes. Nothing in it is a readable message."""
    dt = date or _now()
    seed = f"msg|{reporter}|{filename}"
    mid, boundary = _report_ids("outlook", reporter, seed)
    mime = _Mime(seed)
    header = OLE_MAGIC + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00" + bytes(10)
    data = header + _det_bytes(seed, max(0, size - len(header)))
    root = mime.multipart(
        [("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'), ("MIME-Version", "1.0")],
        [_outlook_note_parts(mime, "Dragged the suspicious mail in here, see attached.", seed),
         _attachment_leaf(mime, filename, "application/vnd.ms-outlook", data, style="outlook",
                          dt=dt)])
    headers = _report_headers("outlook", reporter, to, "Suspicious mail attached", mid, dt)
    return mime.render(_with_headers(headers, root))


def _replace_header(message: bytes, name: bytes, new_line: bytes | None) -> bytes:
    """`message` with its first top-level `name` field (and continuation lines) replaced by
    new_line (a full "Name: value" without CRLF), or removed when None."""
    head_end = message.find(b"\r\n\r\n")
    head = message if head_end < 0 else message[:head_end + 2]
    rest = b"" if head_end < 0 else message[head_end + 2:]
    pattern = re.compile(rb"(?im)^" + re.escape(name) + rb":[^\r\n]*\r\n(?:[ \t][^\r\n]*\r\n)*")
    m = pattern.search(head)
    if not m:
        raise ValueError(f"no {name!r} header")
    replacement = b"" if new_line is None else new_line + b"\r\n"
    return head[:m.start()] + replacement + head[m.end():] + rest


def _default_phish(to_addr: str) -> bytes:
    return real_phish(
        "it-support@mailbox-quota.test", "Mailbox Administrator",
        "Your mailbox will be deactivated today",
        links=[("https://mailbox-quota.test/upgrade?u=" + urllib.parse.quote(to_addr),
                "Keep my mailbox active")],
        to_addr=to_addr, message_id=f"{_det(to_addr, 20, _HEX)}@mailbox-quota.test")


def malformed(kind: str, original: bytes | None = None, reporter: str = "amelia.hart@example.org",
              to: str = "report-phish@example.org", *, date: datetime | None = None) -> bytes:
    """A broken report of `original` (a default real phish when None). Kinds:

    missing_closing_boundary  an Outlook forward-as-attachment whose outer multipart lacks
                              its closing "--boundary--" (the parts are all there)
    broken_base64             the original as x.eml (application/octet-stream) whose base64
                              has characters outside the alphabet ("!", "*", "#", ".") in
                              its lines and its "=" padding dropped; RFC 2045 6.8 has
                              decoders ignore such characters, so it still decodes whole
    invalid_utf8_subject      a Gmail forward-as-attachment whose Subject is raw 8-bit
                              (Latin-1 bytes and \\xff\\xfe\\xc0\\xaf) and whose attached
                              message's Subject is a UTF-8 encoded word that decodes to
                              invalid UTF-8
    no_from                   an Outlook forward-as-attachment without a From field (and
                              without Return-Path), so the reporter is unknown
    headers_only              a report's header block (multipart Content-Type included) and
                              no body at all: nothing reported in it
    garbage                   bytes 0x80-0xFF and punctuation in CRLF lines, no header
                              structure at all
    """
    dt = date or _now()
    if kind == "headers_only":
        mid, boundary = _report_ids("outlook", reporter, f"headers-only|{reporter}")
        lines = [f"{n}: {v}" for n, v in _report_headers("outlook", reporter, to,
                                                         "FW: please check", mid, dt)]
        lines += [f'Content-Type: multipart/mixed;\r\n\tboundary="{boundary}"', "MIME-Version: 1.0"]
        return ("\r\n".join(lines) + "\r\n").encode()
    if kind == "garbage":
        rng = random.Random(hashlib.sha256(b"garbage" + reporter.encode()).digest())
        alphabet = bytes(range(0x80, 0x100)) + b"!#$%&*+-./;<>?@[]^_{|}~"
        lines = []
        for _ in range(64):
            n = rng.randint(20, 200)
            lines.append(bytes(rng.choice(alphabet) for _ in range(n)))
        return b"\r\n".join(lines) + b"\r\n"
    original = original if original is not None else _default_phish(reporter)
    if kind == "missing_closing_boundary":
        data = forward_as_attachment(original, reporter, to, "outlook", date=dt)
        boundary = re.search(rb'boundary="([^"]+)"', data).group(1)
        closing = b"\r\n--" + boundary + b"--\r\n"
        if not data.endswith(closing):
            raise AssertionError("unexpected report layout")
        return data[: -len(closing)] + b"\r\n"
    if kind == "broken_base64":
        data = eml_as_octet_stream(original, reporter, to, date=dt)
        start = data.index(b"Content-Transfer-Encoding: base64\r\n\r\n", data.index(b'name="x.eml"'))
        start += len(b"Content-Transfer-Encoding: base64\r\n\r\n")
        end = data.index(b"\r\n\r\n--", start)
        lines = data[start:end].split(b"\r\n")
        junk = [b"!", b"*", b"#", b"."]
        broken = []
        for i, line in enumerate(lines):
            if i % 3 == 1 and len(line) > 10:
                pos = 7 + (i % 50)
                line = line[:pos] + junk[i % 4] + line[pos:]
            broken.append(line)
        broken[-1] = broken[-1].rstrip(b"=")
        return data[:start] + b"\r\n".join(broken) + data[end:]
    if kind == "invalid_utf8_subject":
        bad_inner = b"Subject: =?utf-8?B?" + base64.b64encode(
            b"Action requise \xff\xfe v\xe9rifiez \xc0\xaf votre bo\xeete") + b"?="
        inner = _replace_header(_ensure_crlf_end(original), b"Subject", bad_inner)
        data = forward_as_attachment(inner, reporter, to, "gmail", date=dt)
        return _replace_header(data, b"Subject",
                               b"Subject: Fwd: Action requise : v\xe9rifiez votre bo\xeete \xff\xfe\xc0\xaf")
    if kind == "no_from":
        data = forward_as_attachment(original, reporter, to, "outlook", date=dt)
        data = _replace_header(data, b"From", None)
        return _replace_header(data, b"Return-Path", None)
    raise ValueError(f"unknown malformed kind {kind!r}")


def large_report(original: bytes, reporter: str, to: str, size_mb: float = 20, *,
                 date: datetime | None = None) -> bytes:
    """An Outlook forward-as-attachment of `original` that also carries a large ZIP-named
    binary attachment (incompressible bytes, base64), so that the whole report is about
    `size_mb` MiB (within 1 %)."""
    dt = date or _now()
    target = int(size_mb * 1024 * 1024)
    summary = _read_original(original)
    seed = f"large|{reporter}|{summary.message_id}|{size_mb}"
    mid, boundary = _report_ids("outlook", reporter, seed)

    def build(n: int) -> bytes:
        mime = _Mime(seed)
        root = mime.multipart(
            [("Content-Type", f'multipart/mixed;\r\n\tboundary="{boundary}"'), ("MIME-Version", "1.0")],
            [_outlook_note_parts(mime, "Suspicious, and it came with a big archive.", seed),
             _rfc822_leaf(mime, original, "outlook", dt),
             _attachment_leaf(mime, "site-survey-photos.zip", "application/zip",
                              _det_bytes(seed, n), style="outlook", dt=dt)])
        headers = _report_headers("outlook", reporter, to, "FW: " + summary.subject, mid, dt,
                                  thread_topic=summary.subject)
        return mime.render(_with_headers(headers, root))

    overhead = len(build(0))
    n = max(0, (target - overhead) * 57 // 78)
    return build(n)


# --------------------------------------------------------------------------- all shapes


@dataclass
class ShapeContext:
    """What all_shapes() needs to know about the server under test.

    simulations: (rid, recipient address, Message-ID) of simulations already sent, each to
    its own recipient (all_shapes uses SIMULATIONS_NEEDED of them, one per shape, since one
    person reporting one Message-ID twice is a duplicate). aliases: {alias address: primary
    address}; at least one primary must be the recipient of one of the simulations.
    """

    base_url: str
    simulations: Sequence[tuple[str, str, str]]
    aliases: Mapping[str, str]
    reporting_address: str
    org_domain: str
    rid_parameter: str = "rid"
    track_path: str = "/track"
    decoy_path: str = "/r"
    date: datetime | None = None  # when the simulations were delivered (default: now)


SIMULATIONS_NEEDED = 29

_FIRST = ("amelia", "bruno", "chloe", "dmitri", "elena", "farid", "greta", "hugo", "ines",
          "jonas", "kaito", "lena", "mateo", "nadia", "oskar", "priya", "quentin", "rosa",
          "samir", "tilda", "ulrich", "vera", "wen", "yusuf", "zofia")
_LAST = ("hartwell", "okonkwo", "lindgren", "moreau", "castell", "brandt", "novak", "sato",
         "ferreira", "quinlan", "abara", "vidal")


def _context(ctx) -> ShapeContext:
    if isinstance(ctx, ShapeContext):
        return ctx
    get = ctx.get if isinstance(ctx, Mapping) else (lambda k, d=None: getattr(ctx, k, d))
    return ShapeContext(base_url=get("base_url"), simulations=list(get("simulations")),
                        aliases=dict(get("aliases") or {}),
                        reporting_address=get("reporting_address"),
                        org_domain=get("org_domain"),
                        rid_parameter=get("rid_parameter", "rid") or "rid",
                        track_path=get("track_path", "/track") or "/track",
                        decoy_path=get("decoy_path", "/r") or "/r", date=get("date", None))


def _expected(outcome: str, reporter: str | None, *, credited: str | None = None,
              cluster: str | None = None, refusal: str | None = None, match: str | None = None,
              shape: str | None = None, rid: str | None = None, message_id: str | None = None,
              report_count: int | None = None, large: bool = False, **extra) -> dict:
    e = {
        "outcome": outcome,
        "credited_address": credited,
        "cluster": cluster,
        "refusal_contains": refusal,
        "reporter": reporter,
        "match": match,
        "shape": shape,
        "rid": rid,
        "message_id": message_id,
        "report_count": report_count if report_count is not None else (
            0 if outcome == "duplicate" else 1),
        "large": large,
    }
    e.update(extra)
    return e


def all_shapes(ctx, include_large: bool = True) -> list[tuple[str, bytes, dict]]:
    """Every report shape, in the order to deliver them, with what the server should conclude.

    ctx: a ShapeContext, or a mapping / object with its fields. Returns (name, bytes,
    expected) triples; names are unique. expected holds:
      outcome           "simulation" (credited to its recipient), "simulation_other" (a
                        simulation reported by someone it was not sent to: nobody
                        credited), "triage", "refused" or "duplicate" (the same person
                        reported the same Message-ID before; nothing new is recorded) -
                        the outcome of the report's first reported message
      credited_address  the recipient credited ("simulation" only; for an alias, the
                        primary address), else None
      cluster           for "triage": a name shared by the shapes whose reports must land
                        in one cluster (same sender and subject), else None
      refusal_contains  for "refused": a phrase the refusal note must contain
                        (case-insensitive), else None (any note)
      reporter          the address the report comes from (None: no readable From)
      match             how the simulation is recognised: "link" (the tracking id in a
                        link, after unwrapping), "image" (the tracking pixel) or
                        "message_id"; None otherwise
      shape             "attached", "inline_forward" or "direct" (the reported message's
                        shape); None for refused
      rid, message_id   the simulation's rid and the reported message's Message-ID (None
                        when unknown to the server, e.g. quoted inline)
      report_count      reports the server records for it (0 for a duplicate; several for
                        a report carrying several messages)
      outcomes/clusters per reported message, for reports carrying several
      large             True for the ~20 MiB report (tests may run it separately; it is
                        last, and nothing depends on it)
      duplicate_of      for "duplicate": the earlier shape it repeats
    Shapes must be delivered in order: each "duplicate" follows the shape it repeats, and
    the 20 reports of the "shared-invoice" cluster come before the 21st (an inline forward
    that joins it). The reported messages are dated ctx.date (default now).
    """
    c = _context(ctx)
    org = c.org_domain
    base = c.base_url.rstrip("/")
    to = c.reporting_address
    now = c.date or _now()
    sims = [(r, a, m.strip().strip("<>")) for r, a, m in c.simulations]
    if len(sims) < SIMULATIONS_NEEDED:
        raise ValueError(f"all_shapes needs {SIMULATIONS_NEEDED} simulations, got {len(sims)}")
    # The alias shape needs the simulation whose recipient has an alias.
    alias_pick = None
    for alias, primary in c.aliases.items():
        for i, (_, recipient, _) in enumerate(sims[:SIMULATIONS_NEEDED]):
            if recipient.lower() == primary.lower():
                alias_pick = (alias, i)
                break
        if alias_pick:
            break
    if alias_pick is None:
        raise ValueError("ctx.aliases must map an alias to the recipient of one of the first "
                         f"{SIMULATIONS_NEEDED} simulations")
    pool_iter = iter([i for i in range(SIMULATIONS_NEEDED) if i != alias_pick[1]])

    def take():
        rid, recipient, mid = sims[next(pool_iter)]
        return rid, recipient, mid

    def sim(rid, recipient, mid, **kw):
        return simulation_message(rid, base, recipient, mid, date=now, rid_parameter=c.rid_parameter,
                                  track_path=c.track_path, decoy_path=c.decoy_path, **kw)

    shapes: list[tuple[str, bytes, dict]] = []
    later = now + timedelta(minutes=7)

    def add(name, data, expected):
        shapes.append((name, data, expected))

    def credited(name, rid, recipient, mid, data, *, match="link", shape="attached",
                 message_id=True):
        add(name, data, _expected("simulation", recipient, credited=recipient, match=match,
                                  shape=shape, rid=rid, message_id=mid if message_id else None))

    # --- simulations reported by their recipients, every wrapper
    rid, rcpt, mid = take()
    credited("sim_outlook_report_button", rid, rcpt, mid,
             outlook_report_button(sim(rid, rcpt, mid), rcpt, to, date=later))
    rid, rcpt, mid = take()
    first_fwd = ("sim_forward_attachment_outlook", rid, rcpt, mid)
    credited("sim_forward_attachment_outlook", rid, rcpt, mid,
             forward_as_attachment(sim(rid, rcpt, mid), rcpt, to, "outlook", date=later))
    for client in ("gmail", "thunderbird"):
        rid, rcpt, mid = take()
        credited(f"sim_forward_attachment_{client}", rid, rcpt, mid,
                 forward_as_attachment(sim(rid, rcpt, mid), rcpt, to, client, date=later))
    rid, rcpt, mid = take()
    credited("sim_eml_octet_stream", rid, rcpt, mid,
             eml_as_octet_stream(sim(rid, rcpt, mid), rcpt, to, date=later))
    for client in INLINE_CLIENTS:
        rid, rcpt, mid = take()
        credited(f"sim_inline_forward_{client}", rid, rcpt, mid,
                 inline_forward(sim(rid, rcpt, mid), rcpt, to, client, date=later),
                 shape="inline_forward", message_id=False)
    rid, rcpt, mid = take()
    credited("sim_rfc822_base64", rid, rcpt, mid,
             forward_as_attachment(sim(rid, rcpt, mid), rcpt, to, "gmail", encoding="base64",
                                   date=later))
    rid, rcpt, mid = take()
    credited("sim_redirect", rid, rcpt, mid, redirect(sim(rid, rcpt, mid), rcpt, to, date=later),
             shape="direct")

    # --- gateways (no pixel: only the wrapped links carry the rid)
    gateway_clients = {"safelinks": "outlook", "urldefense_v2": "outlook",
                       "urldefense_v3": "gmail", "google": "gmail", "barracuda": "thunderbird"}
    for gateway, client in gateway_clients.items():
        rid, rcpt, mid = take()
        extra = "&src=mail+q4!*&lang=fr&n=été" if gateway == "urldefense_v3" else ""
        message = sim(rid, rcpt, mid, wrap=gateway, pixel=False, extra_query=extra)
        credited(f"sim_{gateway}", rid, rcpt, mid,
                 forward_as_attachment(message, rcpt, to, client, date=later), match="link")
    rid, rcpt, mid = take()
    credited("sim_safelinks_inline_outlook", rid, rcpt, mid,
             inline_forward(sim(rid, rcpt, mid, wrap="safelinks", pixel=False), rcpt, to,
                            "outlook", date=later), shape="inline_forward", message_id=False)

    # --- who reports, and by what the simulation is recognised
    alias, alias_index = alias_pick
    rid, rcpt, mid = sims[alias_index]
    add("sim_from_alias", forward_as_attachment(sim(rid, rcpt, mid), alias, to, "outlook", date=later),
        _expected("simulation", alias, credited=rcpt, match="link", shape="attached", rid=rid,
                  message_id=mid))
    rid, rcpt, mid = take()
    colleague = f"jonas.brandt.colleague@{org}"
    add("sim_reported_by_someone_else",
        forward_as_attachment(sim(rid, rcpt, mid), colleague, to, "outlook",
                              note=f"{display_name_for(rcpt)} forwarded me this, reporting it.",
                              date=later),
        _expected("simulation_other", colleague, match="link", shape="attached", rid=rid,
                  message_id=mid))
    rid, rcpt, mid = take()
    credited("sim_message_id_only", rid, rcpt, mid,
             forward_as_attachment(sim(rid, rcpt, mid, wrap=OPAQUE, pixel=False), rcpt, to,
                                   "outlook", date=later), match="message_id")
    rid, rcpt, mid = take()
    credited("sim_pixel_only_inline", rid, rcpt, mid,
             inline_forward(sim(rid, rcpt, mid, wrap=OPAQUE, pixel=True), rcpt, to, "outlook",
                            date=later), match="image", shape="inline_forward", message_id=False)

    # --- reports of reports, several messages in one report
    rid, rcpt, mid = take()
    helpdesk = f"servicedesk@{org}"
    first = forward_as_attachment(sim(rid, rcpt, mid), rcpt, helpdesk, "outlook", date=later)
    credited("sim_report_of_own_report", rid, rcpt, mid,
             report_of_report(first, rcpt, to, date=later + timedelta(minutes=3)))
    rid, rcpt, mid = take()
    agent = f"oskar.vidal.helpdesk@{org}"
    first = forward_as_attachment(sim(rid, rcpt, mid), rcpt, helpdesk, "outlook", date=later)
    add("sim_report_of_report_by_helpdesk",
        report_of_report(first, agent, to, date=later + timedelta(minutes=3)),
        _expected("simulation_other", agent, match="link", shape="attached", rid=rid,
                  message_id=mid))

    rid, rcpt, mid = take()
    parcel = real_phish(
        "notify@parcel-track-service.test", "Parcel Delivery", "Your parcel is on hold - customs fee unpaid",
        links=[("https://parcel-track-service.test/pay?ref=RX5521", "Pay the 1.99 EUR fee")],
        spf="softfail", dkim="none", dmarc="fail", to_addr=rcpt, date=now,
        message_id=f"{_det(rcpt + 'parcel', 20, _HEX)}@parcel-track-service.test",
        paragraphs=["Your parcel could not be delivered because a customs fee of 1.99 EUR is "
                    "unpaid. Pay within 12 hours or the parcel is returned to the sender.",
                    "Enter your card details on the secure page to release it."])
    parcel_mid = _read_original(parcel).message_id.strip("<>")
    add("sim_and_phish_several_attachments",
        several_attachments([sim(rid, rcpt, mid), parcel], rcpt, to, date=later),
        _expected("simulation", rcpt, credited=rcpt, match="link", shape="attached", rid=rid,
                  message_id=mid, report_count=2, outcomes=["simulation", "triage"],
                  clusters=[None, "parcel-on-hold"]))

    # --- malformed reports that still carry a readable simulation
    rid, rcpt, mid = take()
    credited("malformed_missing_closing_boundary", rid, rcpt, mid,
             malformed("missing_closing_boundary", sim(rid, rcpt, mid), rcpt, to, date=later))
    rid, rcpt, mid = take()
    credited("malformed_broken_base64", rid, rcpt, mid,
             malformed("broken_base64", sim(rid, rcpt, mid), rcpt, to, date=later))
    rid, rcpt, mid = take()
    credited("malformed_invalid_utf8_subject", rid, rcpt, mid,
             malformed("invalid_utf8_subject", sim(rid, rcpt, mid), rcpt, to, date=later))
    rid, rcpt, mid = take()
    add("malformed_no_from", malformed("no_from", sim(rid, rcpt, mid), rcpt, to, date=later),
        _expected("simulation_other", None, match="link", shape="attached", rid=rid,
                  message_id=mid))

    # --- a second report of the same simulation by the same person
    name, rid, rcpt, mid = first_fwd
    add("duplicate_sim_via_button",
        outlook_report_button(sim(rid, rcpt, mid), rcpt, to, date=later + timedelta(minutes=5)),
        _expected("duplicate", rcpt, match="link", shape="attached", rid=rid, message_id=mid,
                  duplicate_of=name))

    # --- real phish
    payroll_to = f"greta.novak@{org}"
    lookalike = org.split(".")[0] + "-payroll-portal.test"
    payroll = real_phish(
        f"payroll@{org}", "Payroll Team", "Urgent: confirm your bank details before payday",
        links=[(f"https://{lookalike}/auth/login?session=8f1c2d",
                f"https://portal.{org}/payroll"),
               (f"https://{lookalike}/unsubscribe", "Unsubscribe")],
        spf="fail", dkim="fail", dmarc="fail", reply_to=f"payroll-desk@{lookalike}",
        attachments=[("Salary_Adjustment_Q4.html", "text/html",
                      credential_form_html(f"https://{lookalike}/collect", "Salary adjustment")),
                     ("Benefits_2027.zip", "application/zip",
                      zip_archive([("Benefits_2027.pdf.exe", b"MZ\x90\x00" + bytes(60))]))],
        to_addr=payroll_to, date=now,
        message_id=f"{_det('payroll', 20, _HEX)}@{lookalike}",
        paragraphs=["Our payroll provider is migrating accounts. Your salary payment will be "
                    "held unless you confirm your bank details and password today.",
                    "This is your final notice: accounts not confirmed within 2 hours are "
                    "suspended."])
    add("phish_spoofed_payroll_fails_auth",
        forward_as_attachment(payroll, payroll_to, to, "outlook", date=later),
        _expected("triage", payroll_to, cluster="payroll-bank-details", shape="attached",
                  message_id=_read_original(payroll).message_id.strip("<>")))

    mfa_to = f"hugo.sato@{org}"
    mfa = real_phish(
        "security-alerts@account-verify.test", "Account Security",
        "Multi-factor authentication will be disabled",
        links=[("https://account-verify.test/mfa/reset?id=" + _det(mfa_to, 16, _HEX),
                "Keep MFA enabled")],
        spf="pass", dkim="none", dmarc="fail", to_addr=mfa_to, date=now,
        message_id=f"{_det('mfa', 20, _HEX)}@account-verify.test")
    add("phish_via_report_button",
        outlook_report_button(mfa, mfa_to, to, date=later),
        _expected("triage", mfa_to, cluster="mfa-disabled", shape="attached",
                  message_id=_read_original(mfa).message_id.strip("<>")))

    doc_to = f"priya.ferreira@{org}"
    doc = real_phish(
        "noreply@docs-share.test", "Shared Documents", "Ines shared \"Q4 bonus plan.xlsx\" with you",
        links=[("https://docs-share.test/s/q4-bonus?login=" + urllib.parse.quote(doc_to),
                "Open document")],
        spf="softfail", dkim="fail", dmarc="fail", to_addr=doc_to, date=now,
        attachments=[("Q4 bonus plan.htm", "text/html",
                      credential_form_html("https://docs-share.test/collect", "Q4 bonus plan"))],
        message_id=f"{_det('doc', 20, _HEX)}@docs-share.test")
    add("phish_eml_octet_stream",
        eml_as_octet_stream(doc, doc_to, to, date=later),
        _expected("triage", doc_to, cluster="shared-document", shape="attached",
                  message_id=_read_original(doc).message_id.strip("<>")))

    # --- one phish, twenty reporters, each forwarding their own copy as attachment
    invoice_from = ("Accounts Receivable", "accounts@northwind-supply.test")
    invoice_subject = "Overdue invoice INV-20431 - payment escalated today"
    cluster_reporters = []
    for i in range(20):
        first_name = _FIRST[i % len(_FIRST)]
        last_name = _LAST[(i * 7) % len(_LAST)]
        cluster_reporters.append(f"{first_name}.{last_name}@{org}")
    first_copy = None
    for i, reporter in enumerate(cluster_reporters):
        copy = real_phish(
            invoice_from[1], invoice_from[0], invoice_subject,
            links=[("https://northwind-supply.test/invoices/view?id=INV-20431&u="
                    + _det(reporter, 10, _HEX), "View invoice INV-20431")],
            spf="fail", dkim="fail", dmarc="fail", reply_to="collections@northwind-billing.test",
            attachments=[("INV-20431.html", "text/html",
                          credential_form_html("https://northwind-supply.test/pay", "Invoice"))],
            to_addr=reporter, date=now + timedelta(seconds=i),
            message_id=f"{_det('invoice' + reporter, 24, _HEX)}@northwind-supply.test",
            paragraphs=["Invoice INV-20431 is 30 days overdue. Unless payment is confirmed "
                        "today, the account will be passed to our collections agency.",
                        "Sign in with your work account to view the invoice and confirm payment."])
        copy_mid = _read_original(copy).message_id.strip("<>")
        client = FORWARD_CLIENTS[i % len(FORWARD_CLIENTS)]
        name = f"phish_cluster_{i + 1:02d}_{client}"
        add(name, forward_as_attachment(copy, reporter, to, client,
                                        date=later + timedelta(seconds=30 * i)),
            _expected("triage", reporter, cluster="shared-invoice", shape="attached",
                      message_id=copy_mid))
        if first_copy is None:
            first_copy = (name, reporter, copy, copy_mid)
    inline_reporter = f"zofia.abara@{org}"
    inline_copy = real_phish(
        invoice_from[1], invoice_from[0], invoice_subject,
        links=[("https://northwind-supply.test/invoices/view?id=INV-20431&u="
                + _det(inline_reporter, 10, _HEX), "View invoice INV-20431")],
        spf="fail", dkim="fail", dmarc="fail", to_addr=inline_reporter, date=now,
        message_id=f"{_det('invoice' + inline_reporter, 24, _HEX)}@northwind-supply.test")
    add("phish_cluster_inline_gmail",
        inline_forward(inline_copy, inline_reporter, to, "gmail", date=later),
        _expected("triage", inline_reporter, cluster="shared-invoice", shape="inline_forward"))
    name, reporter, copy, copy_mid = first_copy
    add("duplicate_phish_via_button",
        outlook_report_button(copy, reporter, to, date=later + timedelta(minutes=20)),
        _expected("duplicate", reporter, shape="attached", message_id=copy_mid,
                  duplicate_of=name))

    # --- nothing readable
    refuser = f"elena.castell@{org}"
    add("malformed_headers_only", malformed("headers_only", None, refuser, to, date=later),
        _expected("refused", refuser, refusal="no reported message"))
    add("malformed_garbage", malformed("garbage", None, refuser, to, date=later),
        _expected("refused", None, refusal="no reported message"))
    add("outlook_msg_attachment", msg_attachment(refuser, to, date=later),
        _expected("refused", refuser, refusal=".msg"))

    # --- large, last
    rid, rcpt, mid = take()
    if include_large:
        add("sim_large_20mb", large_report(sim(rid, rcpt, mid), rcpt, to, 20, date=later),
            _expected("simulation", rcpt, credited=rcpt, match="link", shape="attached",
                      rid=rid, message_id=mid, large=True))
    return shapes


# --------------------------------------------------------------------------- IMAP


def append_to_imap(host: str, port: int, user: str, password: str, ca_file: str,
                   messages: Iterable[bytes], folder: str = "INBOX", *,
                   timeout: float = 60.0, flags: str | None = None) -> list[bytes]:
    """APPEND each message to `folder` over implicit TLS (imaplib.IMAP4_SSL), trusting only
    the CA in `ca_file` and checking the certificate against `host` (use the name the
    server's certificate carries). Messages are appended in order; returns each APPEND's
    response text (with the APPENDUID when the server has UIDPLUS). Raises imaplib.IMAP4.error
    on a refused login or APPEND."""
    context = ssl.create_default_context(cafile=ca_file)
    responses: list[bytes] = []
    with imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout) as imap:
        imap.login(user, password)
        for message in messages:
            if not isinstance(message, (bytes, bytearray)):
                raise TypeError("messages must be bytes")
            typ, data = imap.append(folder, flags, imaplib.Time2Internaldate(time.time()),
                                    bytes(message))
            if typ != "OK":
                raise imaplib.IMAP4.error(f"APPEND refused: {data!r}")
            responses.append(data[0] if data and data[0] is not None else b"")
        imap.logout()
    return responses
