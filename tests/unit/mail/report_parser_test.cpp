#include "mail/report_parser.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace phishdrill {
namespace {

// Converts the LF line ends of a test literal to the CRLF of real mail.
std::string crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  GChecksum* checksum = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(checksum, reinterpret_cast<const guchar*>(bytes.data()),
                    static_cast<gssize>(bytes.size()));
  std::string hex = g_checksum_get_string(checksum);
  g_checksum_free(checksum);
  return hex;
}

// Base64 in 76-column lines, as mail clients write it.
std::string base64_lines(std::string_view bytes) {
  gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size());
  const std::string flat(encoded);
  g_free(encoded);
  std::string out;
  for (std::size_t at = 0; at < flat.size(); at += 76) {
    out += flat.substr(at, 76);
    out += "\r\n";
  }
  return out;
}

ParsedReport parse_ok(std::string_view raw) {
  Result<ParsedReport> parsed = parse_report(raw);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : ParsedReport{};
}

bool has_refusal(const ParsedReport& report, std::string_view needle) {
  for (const std::string& refusal : report.refusals) {
    if (refusal.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string refusals_of(const ParsedReport& report) {
  std::string all;
  for (const std::string& refusal : report.refusals) all += refusal + "\n";
  return all;
}

constexpr std::string_view kPdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n";

// A phishing message as it reached the mailbox: relays' headers, two
// Authentication-Results, a German display name and subject in encoded
// words, HTML with a link whose text names another site and a tracking
// pixel, a text alternative, and a PDF.
std::string phish_message() {
  return crlf(
      R"(Received: from mail.paypa1-secure.example (mail.paypa1-secure.example [203.0.113.7])
	by mx.example.org with ESMTPS id 4Z1abc
	for <ada@example.org>; Mon, 03 Mar 2025 09:14:23 +0000
Authentication-Results: mx.example.org;
	spf=fail (sender IP is 203.0.113.7) smtp.mailfrom=paypa1-secure.example;
	dkim=none header.d=none;
	dmarc=fail action=none header.from=paypa1-secure.example
Authentication-Results: relay.paypa1-secure.example; none
Return-Path: <Bounce@Paypa1-Secure.example>
From: =?UTF-8?Q?PayPal_Sicherheitsteam?= <Service@PayPa1-Secure.example>
Reply-To: "PayPal" <Support@PayPa1-Help.example>
To: Ada Lovelace <ada@example.org>
Subject: =?UTF-8?B?SWhyIEtvbnRvIHd1cmRlIGVpbmdlc2NocsOkbmt0?=
Date: Mon, 03 Mar 2025 09:14:22 +0000
Message-ID: <20250303091422.12345@paypa1-secure.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----=_Part_1_2025"

------=_Part_1_2025
Content-Type: multipart/alternative; boundary="----=_Part_2_2025"

------=_Part_2_2025
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Sehr geehrter Kunde, Ihr Konto wurde eingeschr=C3=A4nkt.
Bitte best=C3=A4tigen Sie Ihre Daten: https://paypa1-secure.example/login?id=3D42.

------=_Part_2_2025
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

<html><head><style>p{color:red}</style></head><body>
<p>Sehr geehrter Kunde, Ihr Konto wurde <b>eingeschr=C3=A4nkt</b>.</p>
<p><a href=3D"https://paypa1-secure.example/login?id=3D42&amp;s=3D1">https://www.=
paypal.com/signin</a></p>
<img src=3D"https://track.paypa1-secure.example/p.gif" width=3D"1" height=3D"1">
</body></html>
------=_Part_2_2025--

------=_Part_1_2025
Content-Type: application/pdf; name="Rechnung.pdf"
Content-Disposition: attachment; filename="Rechnung.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PD4+CmVuZG9iagolJUVPRgo=
------=_Part_1_2025--
)");
}

// What Outlook's "Report" button and "Forward as attachment" send (Exchange
// turns the item into a message/rfc822 part).
std::string outlook_report(const std::string& attached) {
  return crlf(R"(From: Ada Lovelace <Ada@Example.org>
To: "Phishing reports" <phishing@example.org>
Subject: FW: Ihr Konto wurde eingeschraenkt
Thread-Topic: Ihr Konto wurde eingeschraenkt
Date: Tue, 4 Mar 2025 10:02:11 +0000
Message-ID: <DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com>
Accept-Language: en-GB, en-US
Content-Language: en-GB
X-MS-Has-Attach: yes
Content-Type: multipart/mixed;
	boundary="_004_DB9PR01MB1234ABCD_"
MIME-Version: 1.0

--_004_DB9PR01MB1234ABCD_
Content-Type: multipart/alternative;
	boundary="_000_DB9PR01MB1234ABCD_"

--_000_DB9PR01MB1234ABCD_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

This looks like phishing.

--_000_DB9PR01MB1234ABCD_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p class=3D"MsoNormal">This looks like phishing.</p></body></html>

--_000_DB9PR01MB1234ABCD_--

--_004_DB9PR01MB1234ABCD_
Content-Type: message/rfc822
Content-Disposition: attachment;
	creation-date="Tue, 04 Mar 2025 10:02:10 GMT";
	modification-date="Tue, 04 Mar 2025 10:02:10 GMT"

)") + attached +
         crlf("\n--_004_DB9PR01MB1234ABCD_--\n");
}

TEST(ReportParserTest, OutlookReportAttachesTheOriginalWhoseBytesAndHeadersAreKept) {
  const std::string phish = phish_message();
  const ParsedReport report = parse_ok(outlook_report(phish));
  EXPECT_EQ(report.reporter, "ada@example.org");
  EXPECT_EQ(report.reporter_name, "Ada Lovelace");
  EXPECT_EQ(report.message_id, "DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.outlook.com");
  EXPECT_EQ(report.subject, "FW: Ihr Konto wurde eingeschraenkt");
  EXPECT_EQ(report.date, 1741082531);
  EXPECT_TRUE(report.refusals.empty()) << refusals_of(report);
  ASSERT_EQ(report.messages.size(), 1u);

  const ReportedMessage& message = report.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kAttached);
  EXPECT_EQ(message.raw, phish);  // byte for byte, relays' headers first
  EXPECT_EQ(message.from_name, "PayPal Sicherheitsteam");
  EXPECT_EQ(message.from_address, "service@paypa1-secure.example");
  EXPECT_EQ(message.reply_to, "support@paypa1-help.example");
  EXPECT_EQ(message.return_path, "bounce@paypa1-secure.example");
  EXPECT_EQ(message.subject, "Ihr Konto wurde eingeschränkt");
  EXPECT_EQ(message.message_id, "20250303091422.12345@paypa1-secure.example");
  EXPECT_EQ(message.date, 1740993262);
  ASSERT_EQ(message.authentication_results.size(), 2u);
  EXPECT_EQ(message.authentication_results[0],
            "mx.example.org; spf=fail (sender IP is 203.0.113.7) "
            "smtp.mailfrom=paypa1-secure.example; dkim=none header.d=none; dmarc=fail "
            "action=none header.from=paypa1-secure.example");
  EXPECT_EQ(message.authentication_results[1], "relay.paypa1-secure.example; none");

  EXPECT_EQ(message.text,
            "Sehr geehrter Kunde, Ihr Konto wurde eingeschränkt.\r\n"
            "Bitte bestätigen Sie Ihre Daten: https://paypa1-secure.example/login?id=42.\r\n");
  EXPECT_NE(message.html.find("<b>eingeschränkt</b>"), std::string::npos);
  // From the HTML (not the text): the link with the text it shows, and the pixel.
  ASSERT_EQ(message.links.size(), 2u);
  EXPECT_EQ(message.links[0].href, "https://paypa1-secure.example/login?id=42&s=1");
  EXPECT_EQ(message.links[0].text, "https://www.paypal.com/signin");
  EXPECT_FALSE(message.links[0].image);
  EXPECT_EQ(message.links[1].href, "https://track.paypa1-secure.example/p.gif");
  EXPECT_EQ(message.links[1].text, "");
  EXPECT_TRUE(message.links[1].image);

  ASSERT_EQ(message.attachments.size(), 1u);
  EXPECT_EQ(message.attachments[0].name, "Rechnung.pdf");
  EXPECT_EQ(message.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(message.attachments[0].size, static_cast<std::int64_t>(kPdf.size()));
  EXPECT_EQ(message.attachments[0].sha256, sha256_hex(kPdf));
}

TEST(ReportParserTest, AttachedMessageWithUnixLineEndsKeepsItsBytes) {
  // Thunderbird on Linux and files saved by hand use LF only.
  const std::string phish =
      "From: Payroll <payroll@examp1e.example>\n"
      "Subject: Salary review\n"
      "Date: Mon, 03 Mar 2025 09:14:22 +0100\n"
      "Content-Type: text/plain; charset=utf-8\n"
      "\n"
      "Open https://examp1e.example/salary and sign in.\n";
  const std::string report =
      "From: bob@example.org\n"
      "Subject: Fwd: Salary review\n"
      "MIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"------------tb1\"\n"
      "\n"
      "This is a multi-part message in MIME format.\n"
      "--------------tb1\n"
      "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
      "\n"
      "phish?\n"
      "\n"
      "--------------tb1\n"
      "Content-Type: message/rfc822; name=\"Salary review.eml\"\n"
      "Content-Disposition: attachment; filename=\"Salary review.eml\"\n"
      "\n" +
      phish +
      "\n"
      "--------------tb1--\n";
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].raw, phish);
  EXPECT_EQ(parsed.messages[0].date, 1740993262 - 3600);
  // A plain-text message: its bare URL, without trailing punctuation.
  ASSERT_EQ(parsed.messages[0].links.size(), 1u);
  EXPECT_EQ(parsed.messages[0].links[0].href, "https://examp1e.example/salary");
}

TEST(ReportParserTest, GmailForwardAsAttachmentFindsTheMessage) {
  const std::string phish = crlf(R"(Return-Path: <noreply@docs-share.example>
From: "Google Drive" <noreply@docs-share.example>
To: ada@example.org
Subject: Ada shared "Q1 bonus.xlsx" with you
Date: Mon, 3 Mar 2025 10:00:00 -0500
Message-ID: <CAF=abc123@mail.gmail.com>
Content-Type: text/plain; charset="UTF-8"

Open: <https://docs-share.example/d/1xYz>
)");
  const std::string report = crlf(R"(MIME-Version: 1.0
Date: Tue, 4 Mar 2025 11:00:00 +0100
Message-ID: <CAH+report@mail.gmail.com>
Subject: Fwd: Ada shared "Q1 bonus.xlsx" with you
From: Ada <ada@example.org>
To: phishing@example.org
Content-Type: multipart/mixed; boundary="000000000000a1b2c3"

--000000000000a1b2c3
Content-Type: multipart/alternative; boundary="000000000000a1b2c1"

--000000000000a1b2c1
Content-Type: text/plain; charset="UTF-8"

Suspicious.

--000000000000a1b2c1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Suspicious.</div>

--000000000000a1b2c1--
--000000000000a1b2c3
Content-Type: message/rfc822; name="Ada shared Q1 bonus.xlsx with you.eml"
Content-Disposition: attachment; filename="Ada shared Q1 bonus.xlsx with you.eml"
Content-ID: <f_m7abc>
X-Attachment-Id: f_m7abc

)") + phish + crlf("\n--000000000000a1b2c3--\n");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kAttached);
  EXPECT_EQ(message.raw, phish);
  EXPECT_EQ(message.from_name, "Google Drive");
  EXPECT_EQ(message.return_path, "noreply@docs-share.example");
  EXPECT_EQ(message.message_id, "CAF=abc123@mail.gmail.com");
  EXPECT_EQ(message.date, 1741014000);
  EXPECT_TRUE(message.html.empty());
  ASSERT_EQ(message.links.size(), 1u);
  EXPECT_EQ(message.links[0].href, "https://docs-share.example/d/1xYz");
  EXPECT_EQ(message.links[0].text, "Open:");
}

TEST(ReportParserTest, EmlFileOfAnyTypeIsReadAndItsDecodedBytesAreTheRaw) {
  const std::string phish = phish_message();
  const std::string report = crlf(R"(From: ada@example.org
Subject: suspicious
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attachment
--b
Content-Type: application/octet-stream; name="Ihr Konto.EML"
Content-Disposition: attachment; filename="Ihr Konto.EML"
Content-Transfer-Encoding: base64

)") + base64_lines(phish) + crlf("--b--\n");
  const ParsedReport parsed = parse_ok(report);
  EXPECT_TRUE(parsed.refusals.empty()) << refusals_of(parsed);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].shape, ReportShape::kAttached);
  EXPECT_EQ(parsed.messages[0].raw, phish);
  EXPECT_EQ(parsed.messages[0].subject, "Ihr Konto wurde eingeschränkt");
  ASSERT_EQ(parsed.messages[0].attachments.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments[0].sha256, sha256_hex(kPdf));
}

TEST(ReportParserTest, Base64EncodedMessagePartIsDecodedAndRead) {
  // RFC 2046 forbids it, some gateways do it anyway; GMime leaves it a leaf part.
  const std::string phish = phish_message();
  const std::string report = crlf(R"(From: ada@example.org
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: message/rfc822
Content-Transfer-Encoding: base64

)") + base64_lines(phish) + crlf("--b--\n");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].raw, phish);
  EXPECT_EQ(parsed.messages[0].from_address, "service@paypa1-secure.example");
}

std::string simple_message(std::string_view subject, std::string_view from) {
  return crlf("From: " + std::string(from) + "\nSubject: " + std::string(subject) +
              "\nDate: Mon, 03 Mar 2025 09:14:22 +0000\nContent-Type: text/plain\n\nbody of " +
              std::string(subject) + "\n");
}

TEST(ReportParserTest, SeveralAttachedMessagesAreEachFoundAndOtherFilesIgnored) {
  const std::string first = simple_message("First", "a@one.example");
  const std::string second = simple_message("Second", "b@two.example");
  const std::string report = crlf(R"(From: ada@example.org
Subject: two phish
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

two of them, and a screenshot
--b
Content-Type: message/rfc822

)") + first + crlf(R"(
--b
Content-Type: image/png; name="screenshot.png"
Content-Disposition: attachment; filename="screenshot.png"
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUg==
--b
Content-Type: application/pdf; name="notes.pdf"
Content-Disposition: attachment; filename="notes.pdf"

%PDF-1.4
--b
Content-Type: message/rfc822

)") + second + crlf("\n--b--\n");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_EQ(parsed.messages[0].subject, "First");
  EXPECT_EQ(parsed.messages[0].raw, first);
  EXPECT_EQ(parsed.messages[1].subject, "Second");
  EXPECT_EQ(parsed.messages[1].raw, second);
  EXPECT_TRUE(parsed.messages[0].attachments.empty());
  EXPECT_TRUE(parsed.refusals.empty()) << refusals_of(parsed);
}

// A report as a colleague's client sends it: a short note and the original.
std::string wrap(const std::string& inner, std::string_view boundary, std::string_view note) {
  return crlf(
             "From: Bob <bob@example.org>\nTo: ada@example.org\nSubject: FW: look at this\n"
             "Date: Tue, 04 Mar 2025 09:00:00 +0000\nMIME-Version: 1.0\n"
             "Content-Type: multipart/mixed; boundary=\"" +
             std::string(boundary) + "\"\n\n--" + std::string(boundary) +
             "\nContent-Type: text/plain\n\n" + std::string(note) + "\n--" + std::string(boundary) +
             "\nContent-Type: image/png; name=\"image001.png\"\n" +
             "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--" + std::string(boundary) +
             "\nContent-Type: message/rfc822\n\n") +
         inner + crlf("\n--" + std::string(boundary) + "--\n");
}

TEST(ReportParserTest, ReportOfAReportDescendsToTheInnermostMessage) {
  const std::string phish = phish_message();
  // Bob reported it to Ada; Ada forwarded his report (as an attachment) to us.
  const std::string bobs_report = wrap(phish, "bob-1", "Is this phishing? Bob");
  const ParsedReport parsed = parse_ok(outlook_report(bobs_report));
  EXPECT_TRUE(parsed.refusals.empty()) << refusals_of(parsed);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].from_address, "service@paypa1-secure.example");
  // The innermost message's bytes, cut at the boundary of the report around it.
  EXPECT_EQ(parsed.messages[0].raw, phish);
}

TEST(ReportParserTest, MessageWithLongTextAndAnAttachedMessageIsNoWrapper) {
  const std::string inner = simple_message("Old thread", "x@example.net");
  const std::string lure = wrap(inner, "lure", std::string(3000, 'a'));
  const ParsedReport parsed = parse_ok(outlook_report(lure));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].from_address, "bob@example.org");
  EXPECT_EQ(parsed.messages[0].raw, lure);
  // The nested message is not one of its attachments; the image is.
  ASSERT_EQ(parsed.messages[0].attachments.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments[0].name, "image001.png");
}

TEST(ReportParserTest, ReportsNestedBeyondTheLimitAreRefused) {
  std::string message = simple_message("Deep", "x@evil.example");
  for (int level = 0; level < kMaxReportNesting + 1; ++level) {
    message = wrap(message, "level" + std::to_string(level), "fyi");
  }
  const ParsedReport parsed = parse_ok(message);
  EXPECT_TRUE(parsed.messages.empty());
  EXPECT_TRUE(has_refusal(parsed, "levels deep")) << refusals_of(parsed);

  std::string shallow = simple_message("Deep", "x@evil.example");
  for (int level = 0; level < kMaxReportNesting; ++level) {
    shallow = wrap(shallow, "level" + std::to_string(level), "fyi");
  }
  const ParsedReport found = parse_ok(shallow);
  ASSERT_EQ(found.messages.size(), 1u);
  EXPECT_EQ(found.messages[0].subject, "Deep");
}

TEST(ReportParserTest, OutlookInlineForwardReadsTheQuotedHeadersAndTheHtmlLinksBelowThem) {
  const std::string report = crlf(R"(From: Ada Lovelace <ada@example.org>
To: phishing@example.org
Subject: FW: Action required: confirm your bank details
Date: Tue, 4 Mar 2025 10:02:11 +0100
Message-ID: <AM0PR01MB5555@AM0PR01MB5555.eurprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="_000_AM0PR01MB5555_"

--_000_AM0PR01MB5555_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

Is this real? My signature: https://example.org/ada

________________________________
From: Payroll Team <payroll@examp1e-hr.example>
Sent: Monday, March 3, 2025 9:14 AM
To: Ada Lovelace <ada@example.org>
Subject: Action required: confirm your bank details

Dear Ada,

Please confirm your details here<https://examp1e-hr.example/confirm?u=3Dada> by Friday.
https://www.example.org<https://evil.example/x>

--_000_AM0PR01MB5555_
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: quoted-printable

<html><body><div class=3D"WordSection1"><p class=3D"MsoNormal">Is this real? <a href=3D"https://example.org/ada">My signature</a></p>
<div style=3D"border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0in 0in 0in">
<p class=3D"MsoNormal"><b>From:</b> Payroll Team &lt;payroll@examp1e-hr.example&gt;<br>
<b>Sent:</b> Monday, March 3, 2025 9:14 AM<br>
<b>To:</b> Ada Lovelace &lt;ada@example.org&gt;<br>
<b>Subject:</b> Action required: confirm your bank details</p>
</div>
<p class=3D"MsoNormal">Dear Ada,</p>
<p class=3D"MsoNormal">Please confirm your details <a href=3D"https://examp1e-hr.example/confirm?u=3Dada">here</a> by Friday.</p>
<p><a href=3D"https://evil.example/x">https://www.example.org</a></p>
</div></body></html>

--_000_AM0PR01MB5555_--
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_name, "Payroll Team");
  EXPECT_EQ(message.from_address, "payroll@examp1e-hr.example");
  EXPECT_EQ(message.subject, "Action required: confirm your bank details");
  // No zone in Outlook's "Sent:": read on the report's own clock (+01:00).
  EXPECT_EQ(message.date, 1740993240 - 3600);
  EXPECT_TRUE(message.reply_to.empty());
  EXPECT_TRUE(message.authentication_results.empty());
  EXPECT_EQ(message.text.rfind("Dear Ada,", 0), 0u) << message.text;
  EXPECT_EQ(message.raw.rfind("________________________________\r\nFrom: Payroll Team", 0), 0u);
  // The forwarder's signature link is above the quote: not the message's.
  ASSERT_EQ(message.links.size(), 2u);
  EXPECT_EQ(message.links[0].href, "https://examp1e-hr.example/confirm?u=ada");
  EXPECT_EQ(message.links[0].text, "here");
  EXPECT_EQ(message.links[1].href, "https://evil.example/x");
  EXPECT_EQ(message.links[1].text, "https://www.example.org");
}

TEST(ReportParserTest, HtmlOnlyInlineForwardFromOutlookOnTheWeb) {
  const std::string report = crlf(R"(From: Ada <ada@example.org>
To: phishing@example.org
Subject: Fw: Voicemail
Date: Tue, 4 Mar 2025 10:02:11 +0000
MIME-Version: 1.0
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><body><div dir=3D"ltr">Caf=E9 phish?</div>
<hr style=3D"display:inline-block;width:98%" tabindex=3D"-1">
<div id=3D"divRplyFwdMsg" dir=3D"ltr"><font face=3D"Calibri, sans-serif" style=3D"font-size:11pt" color=3D"#000000"><b>From:</b> Voicemail &lt;vm@v0ice.example&gt;<br>
<b>Sent:</b> Monday, March 3, 2025 9:14 AM<br>
<b>To:</b> Ada &lt;ada@example.org&gt;<br>
<b>Subject:</b> New voicemail</font>
<div>&nbsp;</div></div>
<div>Listen: <a href=3D"https://v0ice.example/play">play.wav</a></div>
</body></html>
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_address, "vm@v0ice.example");
  EXPECT_EQ(message.subject, "New voicemail");
  EXPECT_EQ(message.date, 1740993240);
  EXPECT_NE(message.text.find("Listen: play.wav"), std::string::npos) << message.text;
  EXPECT_NE(message.html.find("Caf\xc3\xa9 phish?"), std::string::npos);
  ASSERT_EQ(message.links.size(), 1u);
  EXPECT_EQ(message.links[0].href, "https://v0ice.example/play");
  EXPECT_EQ(message.links[0].text, "play.wav");
}

TEST(ReportParserTest, OutlookPlainTextForwardReadsLinksInTheAngleBracketForm) {
  const std::string report = crlf(R"(From: ada@example.org
Subject: FW: Invoice
Date: Tue, 4 Mar 2025 10:02:11 +0000
Content-Type: text/plain; charset="us-ascii"

-----Original Message-----
From: Accounts [mailto:accounts@inv0ice.example]
Sent: 03 March 2025 09:14
To: Ada Lovelace
Subject: Invoice 4411

Your invoice: View invoice<https://inv0ice.example/4411>
Or visit https://www.inv0ice.example/help.
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_name, "Accounts");
  EXPECT_EQ(message.from_address, "accounts@inv0ice.example");
  EXPECT_EQ(message.subject, "Invoice 4411");
  EXPECT_EQ(message.date, 1740993240);
  ASSERT_EQ(message.links.size(), 2u);
  EXPECT_EQ(message.links[0].href, "https://inv0ice.example/4411");
  EXPECT_EQ(message.links[0].text, "View invoice");
  EXPECT_EQ(message.links[1].href, "https://www.inv0ice.example/help");
  EXPECT_EQ(message.links[1].text, "");
}

TEST(ReportParserTest, GmailInlineForwardTakesLinksFromTheHtmlButNotTheSendersMailto) {
  const std::string report = crlf(R"(MIME-Version: 1.0
Date: Tue, 4 Mar 2025 11:00:00 +0100
Message-ID: <CAH+fwd@mail.gmail.com>
Subject: Fwd: Your parcel is waiting
From: Ada <ada@example.org>
To: phishing@example.org
Content-Type: multipart/alternative; boundary="000000000000f00d"

--000000000000f00d
Content-Type: text/plain; charset="UTF-8"

---------- Forwarded message ---------
From: DHL Express <noreply@dh1-parcel.example>
Date: Mon, Mar 3, 2025 at 9:14 AM
Subject: Your parcel is waiting
To: <ada@example.org>


Pay the customs fee: https://dh1-parcel.example/pay

--000000000000f00d
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr"><br><br><div class=3D"gmail_quote"><div dir=3D"ltr" class=
=3D"gmail_attr">---------- Forwarded message ---------<br>From: <strong cla=
ss=3D"gmail_sendername" dir=3D"auto">DHL Express</strong> <span dir=3D"auto=
">&lt;<a href=3D"mailto:noreply@dh1-parcel.example">noreply@dh1-parcel.exam=
ple</a>&gt;</span><br>Date: Mon, Mar 3, 2025 at 9:14=E2=80=AFAM<br>Subject:=
 Your parcel is waiting<br>To:  &lt;<a href=3D"mailto:ada@example.org">ada=
@example.org</a>&gt;<br></div><br><br><p>Pay the customs fee: <a href=3D"ht=
tps://dh1-parcel.example/pay">Pay now</a></p></div></div>

--000000000000f00d--
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_name, "DHL Express");
  EXPECT_EQ(message.from_address, "noreply@dh1-parcel.example");
  EXPECT_EQ(message.subject, "Your parcel is waiting");
  EXPECT_EQ(message.date, 1740993240 - 3600);
  EXPECT_EQ(message.text, "Pay the customs fee: https://dh1-parcel.example/pay\r\n");
  ASSERT_EQ(message.links.size(), 1u);
  EXPECT_EQ(message.links[0].href, "https://dh1-parcel.example/pay");
  EXPECT_EQ(message.links[0].text, "Pay now");
  EXPECT_NE(message.html.find("gmail_quote"), std::string::npos);
}

TEST(ReportParserTest, AppleMailInlineForwardFromIosWithQuotedHeaderLines) {
  const std::string report = crlf(R"(From: Ada Lovelace <ada@example.org>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable
Mime-Version: 1.0 (1.0)
Subject: Fwd: Apple ID locked
Date: Tue, 4 Mar 2025 10:02:11 +0000
Message-Id: <A1B2C3D4-0000@example.org>
To: phishing@example.org

Sent from my iPhone

Begin forwarded message:

> From: Apple <id@app1e-support.example>
> Date: 3 March 2025 at 09:14:22 GMT+1
> To: ada@example.org
> Subject: Apple ID locked
> =EF=BB=BF
> Unlock it: https://app1e-support.example/unlock
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_name, "Apple");
  EXPECT_EQ(message.from_address, "id@app1e-support.example");
  EXPECT_EQ(message.subject, "Apple ID locked");
  EXPECT_EQ(message.date, 1740993262 - 3600);
  EXPECT_NE(message.text.find("Unlock it: https://app1e-support.example/unlock"),
            std::string::npos);
  EXPECT_EQ(message.text.find('>'), std::string::npos) << message.text;
  ASSERT_EQ(message.links.size(), 1u);
  EXPECT_EQ(message.links[0].href, "https://app1e-support.example/unlock");
}

TEST(ReportParserTest, ThunderbirdInlineForwardWithTabsAndAnRfc5322Date) {
  const std::string report = crlf(
      "From: Ada <ada@example.org>\n"
      "Subject: Fwd: Mailbox quota\n"
      "Date: Tue, 4 Mar 2025 10:02:11 +0000\n"
      "Content-Type: text/plain; charset=UTF-8; format=flowed\n"
      "Content-Transfer-Encoding: 8bit\n"
      "\n"
      "\n"
      "\n"
      "\n"
      "-------- Forwarded Message --------\n"
      "Subject: \tMailbox quota\n"
      "Date: \tMon, 3 Mar 2025 09:14:22 +0000\n"
      "From: \tIT Helpdesk <helpdesk@it-support.example>\n"
      "Reply-To: \tnoreply@it-support.example\n"
      "To: \tada@example.org\n"
      "\n"
      "\n"
      "\n"
      "Your mailbox is full. Click https://it-support.example/quota to keep your mail.\n");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kInlineForward);
  EXPECT_EQ(message.from_name, "IT Helpdesk");
  EXPECT_EQ(message.from_address, "helpdesk@it-support.example");
  EXPECT_EQ(message.subject, "Mailbox quota");
  EXPECT_EQ(message.date, 1740993262);
  EXPECT_EQ(message.text.rfind("Your mailbox is full.", 0), 0u);
  ASSERT_EQ(message.links.size(), 1u);
  EXPECT_EQ(message.links[0].href, "https://it-support.example/quota");
}

TEST(ReportParserTest, InlineForwardOfAColleaguesForwardReadsTheInnerBlock) {
  const std::string report = crlf(R"(From: Ada <ada@example.org>
Subject: Fwd: Fwd: Wire transfer
Date: Tue, 4 Mar 2025 10:02:11 +0000
Content-Type: text/plain; charset=utf-8

---------- Forwarded message ---------
From: Bob <bob@example.org>
Date: Tue, Mar 4, 2025 at 9:00 AM
Subject: Fwd: Wire transfer
To: <ada@example.org>

Got this, looks odd.

---------- Forwarded message ---------
From: CEO <ceo@examp1e.example>
Date: Mon, Mar 3, 2025 at 9:14 AM
Subject: Wire transfer
To: <bob@example.org>

Please pay https://pay.examp1e.example/now today.
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].from_address, "ceo@examp1e.example");
  EXPECT_EQ(parsed.messages[0].subject, "Wire transfer");
  ASSERT_EQ(parsed.messages[0].links.size(), 1u);
  EXPECT_EQ(parsed.messages[0].links[0].href, "https://pay.examp1e.example/now");
}

TEST(ReportParserTest, FakeThreadInsideAnExternalMessageIsNotFollowed) {
  // A lure quoting a made-up earlier message: the outer sender is outside the
  // reporter's domain, so the first block is the reported message.
  const std::string report = crlf(R"(From: Ada <ada@example.org>
Subject: FW: RE: invoice
Date: Tue, 4 Mar 2025 10:02:11 +0000
Content-Type: text/plain; charset=utf-8

-----Original Message-----
From: Supplier <billing@supp1ier.example>
Sent: Monday, March 3, 2025 9:14 AM
To: Ada
Subject: RE: invoice

New bank details attached.

-----Original Message-----
From: Ada <ada@example.org>
Sent: Friday, February 28, 2025 4:00 PM
Subject: invoice

Thanks.
)");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].from_address, "billing@supp1ier.example");
  EXPECT_NE(parsed.messages[0].text.find("New bank details"), std::string::npos);
}

TEST(ReportParserTest, DirectReportIsItselfTheMessage) {
  const std::string phish = phish_message();
  const ParsedReport parsed = parse_ok(phish);
  EXPECT_EQ(parsed.reporter, "service@paypa1-secure.example");
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_EQ(message.shape, ReportShape::kDirect);
  EXPECT_EQ(message.raw, phish);
  EXPECT_EQ(message.subject, "Ihr Konto wurde eingeschränkt");
  EXPECT_EQ(message.authentication_results.size(), 2u);
  EXPECT_EQ(message.links.size(), 2u);
  EXPECT_EQ(message.attachments.size(), 1u);
}

TEST(ReportParserTest, ARedirectedMessageIsReportedByItsResentFrom) {
  const std::string redirected = crlf(R"(Resent-From: Ada Lovelace <ada@example.org>
Resent-To: reports@example.org
Resent-Date: Mon, 3 Mar 2025 10:00:00 +0000
From: Payroll <payroll@examp1e.example>
To: ada@example.org
Subject: Bank details
Date: Mon, 3 Mar 2025 09:14:22 +0000
Content-Type: text/plain

Update your bank details today.
)");
  const ParsedReport parsed = parse_ok(redirected);
  EXPECT_EQ(parsed.reporter, "ada@example.org");
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].shape, ReportShape::kDirect);
  EXPECT_EQ(parsed.messages[0].from_address, "payroll@examp1e.example");
  // Without Resent-From the sender is the reporter.
  EXPECT_EQ(parse_ok(redirected.substr(redirected.find("From: Payroll"))).reporter,
            "payroll@examp1e.example");
}

TEST(ReportParserTest, RedirectedMessageQuotingAMadeUpThreadStaysDirect) {
  // Header-like lines without a marker, in a message whose subject is no
  // forward: the message itself was redirected to the mailbox.
  const std::string lure = crlf(R"(From: CEO <ceo@examp1e.example>
To: ada@example.org
Subject: RE: payment
Date: Mon, 3 Mar 2025 09:14:22 +0000
Content-Type: text/plain

Please handle today.

From: Ada <ada@example.org>
Sent: Friday, February 28, 2025 4:00 PM
To: CEO <ceo@example.org>
Subject: payment

Which account?
)");
  const ParsedReport direct = parse_ok(lure);
  ASSERT_EQ(direct.messages.size(), 1u);
  EXPECT_EQ(direct.messages[0].shape, ReportShape::kDirect);
  EXPECT_EQ(direct.messages[0].from_address, "ceo@examp1e.example");

  // The same lines under "[EXTERNAL] WG:" are Outlook's forward.
  std::string forwarded = lure;
  forwarded.replace(forwarded.find("RE: payment"), 11, "[EXTERNAL] WG: payment");
  const ParsedReport inline_forward = parse_ok(forwarded);
  ASSERT_EQ(inline_forward.messages.size(), 1u);
  EXPECT_EQ(inline_forward.messages[0].shape, ReportShape::kInlineForward);
  EXPECT_EQ(inline_forward.messages[0].from_address, "ada@example.org");
}

TEST(ReportParserTest, HtmlOnlyMessageGetsTheHtmlsTextAsItsText) {
  const ParsedReport parsed = parse_ok(crlf(
      "From: x@evil.example\nSubject: html\nContent-Type: text/html; charset=utf-8\n\n"
      "<html><head><title>t</title><script>var a=1;</script></head><body>"
      "<p>Hello&nbsp;there,</p><div>click <a href='https://evil.example/a'>here\n now</a></div>"
      "<table><tr><td>A</td><td>B</td></tr></table></body></html>\n"));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].text, "Hello there,\nclick here now\nA B\n");
  ASSERT_EQ(parsed.messages[0].links.size(), 1u);
  EXPECT_EQ(parsed.messages[0].links[0].text, "here now");
}

TEST(ReportParserTest, CharsetsAreConvertedToUtf8) {
  const std::string phish =
      "From: =?iso-8859-1?q?J=FCrgen_M=FCller?= <jm@bank.example>\r\n"
      "Subject: =?windows-1252?q?Sch=F6ne_Gr=FC=DFe_=80?=\r\n"
      "Content-Type: text/plain; charset=iso-8859-15\r\n"
      "Content-Transfer-Encoding: 8bit\r\n"
      "\r\n"
      "Gr\xfc\xdf\x65 \xa4\r\n";
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].from_name, "Jürgen Müller");
  EXPECT_EQ(parsed.messages[0].subject, "Schöne Grüße €");
  EXPECT_EQ(parsed.messages[0].text, "Grüße €\r\n");
}

// An Outlook .msg: an OLE compound file with Outlook's property streams.
std::string fake_msg_bytes() {
  std::string bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  bytes += std::string(504, '\0');
  for (const char c : std::string_view("__substg1.0_0037001F")) {
    bytes.push_back(c);
    bytes.push_back('\0');
  }
  bytes += std::string(64, '\0');
  return bytes;
}

TEST(ReportParserTest, OutlookMsgAttachmentIsRecognisedAndRefused) {
  const std::string report = crlf(R"(From: ada@example.org
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

attached
--b
Content-Type: application/vnd.ms-outlook; name="report.msg"
Content-Disposition: attachment; filename="report.msg"
Content-Transfer-Encoding: base64

)") + base64_lines(fake_msg_bytes()) +
                             crlf(R"(--b
Content-Type: application/octet-stream; name="ATT00001"
Content-Transfer-Encoding: base64

)") + base64_lines(fake_msg_bytes()) +
                             crlf("--b--\n");
  const ParsedReport parsed = parse_ok(report);
  EXPECT_TRUE(parsed.messages.empty());
  EXPECT_TRUE(has_refusal(parsed,
                          "report.msg is an Outlook .msg file, which is not read; forward the "
                          "message as an attachment (.eml) instead"))
      << refusals_of(parsed);
  // The nameless one is known by its bytes.
  EXPECT_TRUE(has_refusal(parsed, "ATT00001 is an Outlook .msg file")) << refusals_of(parsed);
}

TEST(ReportParserTest, OldOfficeDocumentInAReportedMessageIsAnAttachmentNotAMsg) {
  std::string doc("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  doc += std::string(1000, 'W');
  const std::string phish = crlf(R"(From: x@evil.example
Subject: invoice
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p"

--p
Content-Type: text/plain

see the document
--p
Content-Type: application/msword; name="invoice.doc"
Content-Disposition: attachment; filename="invoice.doc"
Content-Transfer-Encoding: base64

)") + base64_lines(doc) + crlf("--p--\n");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  EXPECT_TRUE(parsed.refusals.empty()) << refusals_of(parsed);
  ASSERT_EQ(parsed.messages.size(), 1u);
  ASSERT_EQ(parsed.messages[0].attachments.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments[0].content_type, "application/msword");
  EXPECT_EQ(parsed.messages[0].attachments[0].size, static_cast<std::int64_t>(doc.size()));
}

TEST(ReportParserTest, EmlThatIsNotAMessageIsRefused) {
  const std::string report = crlf(R"(From: ada@example.org
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: application/octet-stream; name="broken.eml"
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==
--b--
)");
  const ParsedReport parsed = parse_ok(report);
  EXPECT_TRUE(parsed.messages.empty());
  EXPECT_TRUE(has_refusal(parsed, "broken.eml is not an email message that can be read"))
      << refusals_of(parsed);
}

TEST(ReportParserTest, MissingBoundaryIsRecoveredFromTheFirstBoundaryLine) {
  const std::string phish = simple_message("Recovered", "x@evil.example");
  const std::string report = crlf(R"(From: ada@example.org
Subject: report
MIME-Version: 1.0
Content-Type: multipart/mixed

--XyZ
Content-Type: text/plain

look
--XyZ
Content-Type: message/rfc822

)") + phish + crlf("\n--XyZ--\n");
  const ParsedReport parsed = parse_ok(report);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].subject, "Recovered");
  EXPECT_EQ(parsed.messages[0].raw, phish);
  EXPECT_TRUE(has_refusal(parsed, "boundary does not match")) << refusals_of(parsed);
}

TEST(ReportParserTest, MultipartWithoutAnyBoundaryIsReadAsText) {
  const ParsedReport parsed = parse_ok(crlf(R"(From: x@evil.example
Subject: broken
Content-Type: multipart/alternative; boundary="never-used"

Just text, visit https://evil.example/x
)"));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].shape, ReportShape::kDirect);
  EXPECT_NE(parsed.messages[0].text.find("Just text"), std::string::npos);
  ASSERT_EQ(parsed.messages[0].links.size(), 1u);
  EXPECT_TRUE(has_refusal(parsed, "read as plain text")) << refusals_of(parsed);
}

TEST(ReportParserTest, NestedBrokenMultipartsAreNotCopiedWithoutEnd) {
  // Every recovery reads the rest again: 200 levels of a 1 MiB body would
  // copy 200 MiB.
  std::string raw =
      "From: x@evil.example\r\nSubject: broken\r\nContent-Type: multipart/mixed\r\n\r\n";
  for (int i = 0; i < 200; ++i) {
    raw += "--x" + std::to_string(i) + "\r\nContent-Type: multipart/mixed\r\n\r\n";
  }
  raw += std::string(1024 * 1024, 'a') + "\r\n";
  const ParsedReport parsed = parse_ok(raw);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_TRUE(has_refusal(parsed, "nest too deeply")) << refusals_of(parsed);
}

TEST(ReportParserTest, DamagedBase64IsReadAsFarAsPossibleAndNamed) {
  const std::string phish = crlf(R"(From: x@evil.example
Subject: damaged
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p"

--p
Content-Type: text/plain

body
--p
Content-Type: application/pdf; name="scan.pdf"
Content-Disposition: attachment; filename="scan.pdf"
Content-Transfer-Encoding: base64

JVBERi0x!!LjQK***
--p--
)");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  ASSERT_EQ(parsed.messages[0].attachments.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments[0].size, 9);  // "%PDF-1.4\n"
  EXPECT_EQ(parsed.messages[0].attachments[0].sha256, sha256_hex("%PDF-1.4\n"));
  EXPECT_TRUE(has_refusal(parsed, "scan.pdf: its base64 encoding is damaged"))
      << refusals_of(parsed);
}

TEST(ReportParserTest, InvalidUtf8AndEightBitHeadersBecomeValidUtf8) {
  const std::string phish =
      "From: \"J\xfcrgen \xff\xfe\" <j@evil.example>\r\n"
      "Subject: caf\xe9 \xc3\x28 \xed\xa0\x80 ok\r\n"
      "Authentication-Results: mx; spf=\xff\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "\r\n"
      "bad \xc3\x28 bytes\r\n";
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  const ReportedMessage& message = parsed.messages[0];
  EXPECT_TRUE(is_valid_utf8(message.subject));
  EXPECT_NE(message.subject.find("caf"), std::string::npos);
  EXPECT_NE(message.subject.find("ok"), std::string::npos);
  EXPECT_TRUE(is_valid_utf8(message.from_name));
  EXPECT_EQ(message.from_address, "j@evil.example");
  ASSERT_EQ(message.authentication_results.size(), 1u);
  EXPECT_TRUE(is_valid_utf8(message.authentication_results[0]));
  EXPECT_TRUE(is_valid_utf8(message.text));
  EXPECT_NE(message.text.find("bytes"), std::string::npos);
}

TEST(ReportParserTest, HugeHeaderCountsParseAndAuthenticationResultsAreCapped) {
  std::string phish;
  for (int i = 0; i < 100'000; ++i) phish += "X-Junk-" + std::to_string(i) + ": value\r\n";
  for (int i = 0; i < 80; ++i)
    phish += "Authentication-Results: relay" + std::to_string(i) + "\r\n";
  phish += "From: x@evil.example\r\nSubject: many headers\r\n\r\nbody\r\n";
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].subject, "many headers");
  ASSERT_EQ(parsed.messages[0].authentication_results.size(), kMaxAuthenticationResults);
  EXPECT_EQ(parsed.messages[0].authentication_results[0], "relay0");
  EXPECT_EQ(parsed.messages[0].raw, phish);
}

TEST(ReportParserTest, TwentyMegabyteAttachmentIsDigestedWhole) {
  std::string big(20 * 1024 * 1024, '\0');
  std::uint32_t state = 12345;
  for (char& c : big) {
    state = state * 1664525u + 1013904223u;
    c = static_cast<char>(state >> 24);
  }
  const std::string phish = crlf(R"(From: x@evil.example
Subject: big
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p"

--p
Content-Type: text/plain

see the archive
--p
Content-Type: application/zip; name="Invoices.zip"
Content-Disposition: attachment; filename="Invoices.zip"
Content-Transfer-Encoding: base64

)") + base64_lines(big) + crlf("--p--\n");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  EXPECT_TRUE(parsed.refusals.empty()) << refusals_of(parsed);
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].raw.size(), phish.size());
  ASSERT_EQ(parsed.messages[0].attachments.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments[0].name, "Invoices.zip");
  EXPECT_EQ(parsed.messages[0].attachments[0].size, static_cast<std::int64_t>(big.size()));
  EXPECT_EQ(parsed.messages[0].attachments[0].sha256, sha256_hex(big));
}

TEST(ReportParserTest, EncryptedMessageIsRefused) {
  const std::string phish = crlf(R"(From: x@evil.example
Subject: sealed
MIME-Version: 1.0
Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHA6CAMIACAQAxggE=
)");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_TRUE(has_refusal(parsed, "\"sealed\" is encrypted")) << refusals_of(parsed);
}

TEST(ReportParserTest, LinksPerMessageAreLimited) {
  std::string html = "<html><body>";
  for (std::size_t i = 0; i < kMaxLinksPerMessage + 100; ++i) {
    html += "<a href=\"https://evil.example/" + std::to_string(i) + "\">l</a>";
  }
  html += "</body></html>";
  const ParsedReport parsed = parse_ok(outlook_report(
      crlf("From: x@evil.example\nSubject: links\nContent-Type: text/html\n\n") + html + "\r\n"));
  ASSERT_EQ(parsed.messages.size(), 1u);
  ASSERT_EQ(parsed.messages[0].links.size(), kMaxLinksPerMessage);
  EXPECT_EQ(parsed.messages[0].links.back().href,
            "https://evil.example/" + std::to_string(kMaxLinksPerMessage - 1));
  EXPECT_TRUE(has_refusal(parsed, "links; the rest were not read")) << refusals_of(parsed);
}

TEST(ReportParserTest, AttachmentsPerMessageAreLimited) {
  std::string phish = crlf(
      "From: x@evil.example\nSubject: files\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"p\"\n\n--p\nContent-Type: text/plain\n\nhi\n");
  for (std::size_t i = 0; i < kMaxAttachmentsPerMessage + 20; ++i) {
    phish += crlf("--p\nContent-Type: text/plain; name=\"f" + std::to_string(i) +
                  ".txt\"\nContent-Disposition: attachment\n\nx\n");
  }
  phish += crlf("--p--\n");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  ASSERT_EQ(parsed.messages.size(), 1u);
  EXPECT_EQ(parsed.messages[0].attachments.size(), kMaxAttachmentsPerMessage);
  EXPECT_TRUE(has_refusal(parsed, "attachments; the rest were not read")) << refusals_of(parsed);
}

TEST(ReportParserTest, MessagesPerReportAreLimited) {
  std::string report = crlf(
      "From: ada@example.org\nSubject: many\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n");
  for (std::size_t i = 0; i < kMaxReportedMessages + 5; ++i) {
    report += crlf("--b\nContent-Type: message/rfc822\n\n") +
              simple_message("m" + std::to_string(i), "x@evil.example") + "\r\n";
  }
  report += crlf("--b--\n");
  const ParsedReport parsed = parse_ok(report);
  EXPECT_EQ(parsed.messages.size(), kMaxReportedMessages);
  EXPECT_TRUE(has_refusal(parsed, "messages; the rest were not read")) << refusals_of(parsed);
}

TEST(ReportParserTest, PartsPerReportAreLimited) {
  std::string phish = crlf(
      "From: x@evil.example\nSubject: parts\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"p\"\n\n");
  for (std::size_t i = 0; i < kMaxReportParts + 500; ++i) {
    phish += crlf("--p\nContent-Type: image/gif\n\nGIF89a\n");
  }
  phish += crlf("--p--\n");
  const ParsedReport parsed = parse_ok(outlook_report(phish));
  EXPECT_TRUE(has_refusal(parsed, "MIME parts; the rest were not read")) << refusals_of(parsed);
}

TEST(ReportParserTest, HostileHtmlInAReportedMessageIsReadWithoutBlowingUp) {
  // 75 KB of this makes a plain HTML parse take gigabytes.
  std::string html;
  for (int i = 0; i < 4000; ++i) html += "<p><b id=" + std::to_string(i) + ">x</p>";
  html += "<a href=\"https://evil.example/after\">go</a>";
  const ParsedReport parsed = parse_ok(outlook_report(
      crlf("From: x@evil.example\nSubject: html\nContent-Type: text/html\n\n") + html + "\r\n"));
  ASSERT_EQ(parsed.messages.size(), 1u);
  ASSERT_EQ(parsed.messages[0].links.size(), 1u);
  EXPECT_EQ(parsed.messages[0].links[0].href, "https://evil.example/after");
  EXPECT_EQ(parsed.messages[0].links[0].text, "go");
}

TEST(ReportParserTest, DeeplyNestedMimeDoesNotCrash) {
  std::string nested = "From: x@evil.example\r\nSubject: deep\r\n";
  for (int i = 0; i < 5000; ++i) {
    nested += "Content-Type: multipart/mixed; boundary=\"d" + std::to_string(i) + "\"\r\n\r\n--d" +
              std::to_string(i) + "\r\n";
  }
  nested += "Content-Type: text/plain\r\n\r\nbottom\r\n";
  const ParsedReport parsed = parse_ok(nested);
  EXPECT_EQ(parsed.messages.size(), 1u);

  std::string messages = "From: x@evil.example\r\nSubject: deep\r\n";
  for (int i = 0; i < 5000; ++i)
    messages += "Content-Type: message/rfc822\r\n\r\nFrom: y@z.example\r\n";
  messages += "Content-Type: text/plain\r\n\r\nbottom\r\n";
  const ParsedReport deep = parse_ok(messages);
  EXPECT_TRUE(deep.messages.empty());
  EXPECT_TRUE(has_refusal(deep, "levels deep")) << refusals_of(deep);
}

TEST(ReportParserTest, InputThatIsNoMessageFails) {
  for (const std::string_view raw : {std::string_view(""), std::string_view(" \r\n\r\n"),
                                     std::string_view("just some words without a header\n\nbody"),
                                     std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)}) {
    const Result<ParsedReport> parsed = parse_report(raw);
    ASSERT_FALSE(parsed.has_value()) << raw;
    EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
    EXPECT_EQ(parsed.error().field, "content");
  }
}

TEST(ReportParserTest, InputOverTheSizeLimitFails) {
  std::string raw = "From: x@evil.example\r\nSubject: big\r\n\r\n";
  raw.resize(kMaxReportBytes + 1, 'a');
  const Result<ParsedReport> parsed = parse_report(raw);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
  EXPECT_NE(parsed.error().message.find("32 MiB"), std::string::npos);

  raw.resize(kMaxReportBytes);
  EXPECT_TRUE(parse_report(raw).has_value());
}

TEST(ReportParserTest, AReportAMachineSentSaysSoAndOnlyThen) {
  const std::string report = outlook_report(phish_message());
  EXPECT_FALSE(parse_ok(report).auto_submitted);
  EXPECT_FALSE(parse_ok("Auto-Submitted: no\r\n" + report).auto_submitted);
  EXPECT_TRUE(parse_ok("Auto-Submitted: auto-replied\r\n" + report).auto_submitted);
  EXPECT_TRUE(parse_ok("Auto-Submitted:  Auto-Generated (vacation)\r\n" + report).auto_submitted);
  // Still read as a report: only its answer is withheld.
  EXPECT_EQ(parse_ok("Auto-Submitted: auto-replied\r\n" + report).messages.size(), 1u);
}

}  // namespace
}  // namespace phishdrill
