#include "mail/eml_import.h"

#include <glib.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace phishdrill {
namespace {

std::string base64_decode(const std::string& encoded) {
  gsize length = 0;
  guchar* bytes = g_base64_decode(encoded.c_str(), &length);
  std::string out(reinterpret_cast<const char*>(bytes), length);
  g_free(bytes);
  return out;
}

// Converts the LF line ends of a test literal to the CRLF of real mail.
std::string crlf(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

ImportedMessage import_ok(std::string_view raw, bool convert_links = false) {
  Result<ImportedMessage> result = import_eml(raw, convert_links);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? *result : ImportedMessage{};
}

void expect_content_error(std::string_view raw) {
  Result<ImportedMessage> result = import_eml(raw, true);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_EQ(result.error().field, "content");
  EXPECT_FALSE(result.error().message.empty());
}

TEST(EmlImportTest, MultipartAlternativeDecodesQuotedPrintableHtmlAndBase64Text) {
  const std::string raw = crlf(R"(From: IT Service Desk <it@example.com>
To: victim@example.org
Subject: Password expiry
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

R3LDvMOfZSBhdXMgS8O2bG4NClp3ZWl0ZSBaZWlsZQ0K
--b1
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<p>Caf=C3=A9 =E2=82=AC <a href=3D"https://example.com/reset">reset</a> a long =
line</p>
--b1--
)");
  const ImportedMessage message = import_ok(raw);
  EXPECT_EQ(message.subject, "Password expiry");
  EXPECT_EQ(message.from, "IT Service Desk <it@example.com>");
  EXPECT_EQ(message.text, "Grüße aus Köln\r\nZweite Zeile\r\n");
  EXPECT_EQ(message.html,
            "<p>Café € <a href=\"https://example.com/reset\">reset</a> a long line</p>");
  EXPECT_TRUE(message.attachments.empty());
}

TEST(EmlImportTest, DecodesEncodedWordsInSubjectAndFromDisplayName) {
  const ImportedMessage message = import_ok(
      "From: =?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.com>\n"
      "Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5nIGJlc3TDpHRpZ2Vu?= =?ISO-8859-1?Q?_heute_f=E4llig?=\n"
      "Content-Type: text/plain; charset=us-ascii\n"
      "\n"
      "Hello\n");
  EXPECT_EQ(message.subject, "Überweisung bestätigen heute fällig");
  EXPECT_EQ(message.from, "Jürgen Müller <juergen@example.com>");
  EXPECT_EQ(message.text, "Hello\n");
}

TEST(EmlImportTest, FromWithoutDisplayNameIsTheBareAddressAndFoldedSubjectIsOneLine) {
  const ImportedMessage message = import_ok(
      "From: alerts@example.com\n"
      "Subject: Your mailbox\n"
      " is almost full\n"
      "\n"
      "Body\n");
  EXPECT_EQ(message.from, "alerts@example.com");
  EXPECT_EQ(message.subject, "Your mailbox is almost full");
}

TEST(EmlImportTest, CollectsAttachmentsAndNamedInlineImages) {
  const std::string raw = crlf(R"(From: hr@example.com
Subject: Payslip
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/related; boundary="rel"

--rel
Content-Type: text/html; charset=utf-8

<p>See <img src="cid:logo@x"></p>
--rel
Content-Type: image/png; name="logo.png"
Content-Transfer-Encoding: base64
Content-ID: <logo@x>
Content-Disposition: inline

iVBORw0KGgoAAAANSUhEUg==
--rel
Content-Type: image/gif
Content-Transfer-Encoding: base64
Content-ID: <spacer@x>

R0lGODlhAQABAAAAACw=
--rel--
--outer
Content-Type: Application/PDF; name="ignored.pdf"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename*=UTF-8''..%2F..%2FPayslip%20M%C3%A4rz.pdf

JVBERi0xLjQKJeLjz9MKMSAw
IG9iago8PD4+CmVuZG9iagolJUVPRgo=
--outer
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment

attached notes
--outer--
)");
  const ImportedMessage message = import_ok(raw);
  EXPECT_EQ(message.html, "<p>See <img src=\"cid:logo@x\"></p>");
  // The text/plain part is an attachment, not the text body.
  EXPECT_EQ(message.text, "");
  // The unnamed inline GIF has neither filename nor attachment disposition.
  ASSERT_EQ(message.attachments.size(), 3u);

  // The image the HTML points at is named by its Content-ID, so that the
  // composer sends it back inline with the same cid.
  EXPECT_EQ(message.attachments[0].name, "logo@x");
  EXPECT_EQ(message.attachments[0].content_type, "image/png");
  EXPECT_EQ(message.attachments[0].content_base64, "iVBORw0KGgoAAAANSUhEUg==");
  EXPECT_EQ(base64_decode(message.attachments[0].content_base64),
            std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));

  EXPECT_EQ(message.attachments[1].name, "Payslip März.pdf");
  EXPECT_EQ(message.attachments[1].content_type, "application/pdf");
  EXPECT_EQ(message.attachments[1].content_base64,
            "JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PD4+CmVuZG9iagolJUVPRgo=");
  EXPECT_EQ(base64_decode(message.attachments[1].content_base64),
            "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n");

  EXPECT_EQ(message.attachments[2].name, "attachment-3");
  EXPECT_EQ(message.attachments[2].content_type, "text/plain");
  // The line break before a boundary belongs to the boundary.
  EXPECT_EQ(base64_decode(message.attachments[2].content_base64), "attached notes");
}

TEST(EmlImportTest, AttachmentNamesKeepOnlyTheLastPathComponent) {
  const ImportedMessage message = import_ok(
      "From: a@example.com\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n"
      "--x\nContent-Type: text/plain\n\nbody\n"
      "--x\nContent-Type: application/octet-stream\n"
      "Content-Disposition: attachment; filename=\"C:\\\\Users\\\\me\\\\run.exe\"\n\nMZ\n"
      "--x\nContent-Type: application/octet-stream; name=\"/etc/\"\n\nxx\n"
      "--x--\n");
  ASSERT_EQ(message.attachments.size(), 2u);
  EXPECT_EQ(message.attachments[0].name, "run.exe");
  EXPECT_EQ(message.attachments[1].name, "attachment-2");
}

constexpr std::string_view kLinkHtml =
    "<!DOCTYPE html>\n"
    "<html><head><link href=\"https://cdn.example/s.css\" rel=stylesheet></head>\n"
    "<body>\n"
    "<a class=\"btn\" href=\"https://login.example/?a=1&amp;b=2\" id=x>Sign in</a>\n"
    "<A HREF=http://unquoted.example/path>upper</A>\n"
    "<a href='https://other.example/'>js</a>\n"
    "<a href=\"mailto:it@example.com\">mail</a>\n"
    "<a href=\" MAILTO:help@example.com\">mail2</a>\n"
    "<a href=\"tel:+15550100\">call</a>\n"
    "<a href=\"#top\">top</a>\n"
    "<a name=\"anchor\">no href</a>\n"
    "<!-- <a href=\"http://in-comment.example\"> -->\n"
    "<img src=\"http://img.example/p.png\" alt='&lt;a href=\"http://x\"&gt;'>\n"
    "<p>Text &amp; more <b>bold</p>\n"
    "</body></html>\n";

std::string link_message() {
  return "From: a@example.com\nSubject: Links\nContent-Type: text/html; charset=utf-8\n\n" +
         std::string(kLinkHtml);
}

TEST(EmlImportTest, ConvertLinksRewritesOnlyHrefValues) {
  const ImportedMessage message = import_ok(link_message(), /*convert_links=*/true);
  const std::string expected =
      "<!DOCTYPE html>\n"
      "<html><head><link href=\"https://cdn.example/s.css\" rel=stylesheet></head>\n"
      "<body>\n"
      "<a class=\"btn\" href=\"{{.URL}}\" id=x>Sign in</a>\n"
      "<A HREF=\"{{.URL}}\">upper</A>\n"
      "<a href=\"{{.URL}}\">js</a>\n"
      "<a href=\"mailto:it@example.com\">mail</a>\n"
      "<a href=\" MAILTO:help@example.com\">mail2</a>\n"
      "<a href=\"tel:+15550100\">call</a>\n"
      "<a href=\"#top\">top</a>\n"
      "<a name=\"anchor\">no href</a>\n"
      "<!-- <a href=\"http://in-comment.example\"> -->\n"
      "<img src=\"http://img.example/p.png\" alt='&lt;a href=\"http://x\"&gt;'>\n"
      "<p>Text &amp; more <b>bold</p>\n"
      "</body></html>\n";
  EXPECT_EQ(message.html, expected);
}

TEST(EmlImportTest, WithoutConvertLinksHtmlIsUnchanged) {
  const ImportedMessage message = import_ok(link_message(), /*convert_links=*/false);
  EXPECT_EQ(message.html, kLinkHtml);
}

TEST(EmlImportTest, MisnestedLinkIsRewrittenOnce) {
  // The HTML parser clones the <a> into the <p>; the source has one href.
  const ImportedMessage message = import_ok(
      "From: a@example.com\nContent-Type: text/html\n\n"
      "<a href=\"http://x.example\"><p>para</a> tail</p>",
      true);
  EXPECT_EQ(message.html, "<a href=\"{{.URL}}\"><p>para</a> tail</p>");
}

TEST(EmlImportTest, TextOnlyMessage) {
  const ImportedMessage message = import_ok(
      "From: Bob <bob@example.com>\n"
      "Subject: Lunch?\n"
      "\n"
      "Are we still on for 12:30? https://example.com/menu\n",
      true);
  EXPECT_EQ(message.subject, "Lunch?");
  EXPECT_EQ(message.from, "Bob <bob@example.com>");
  EXPECT_EQ(message.text, "Are we still on for 12:30? https://example.com/menu\n");
  EXPECT_EQ(message.html, "");
  EXPECT_TRUE(message.attachments.empty());
}

TEST(EmlImportTest, RejectsInputThatIsNotAMessageWithABody) {
  expect_content_error("");
  expect_content_error("garbage");
  expect_content_error("this is not an email at all\njust text\n");
  expect_content_error(std::string("\x00\x01\x02\xff\xfe\x80 binary", 12));
  expect_content_error("\n\nbody without any header\n");
  // Headers but no body at all.
  expect_content_error("From: a@example.com\nSubject: empty\n\n");
  // Only an attachment.
  expect_content_error(
      "From: a@example.com\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=x\n\n"
      "--x\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=a.pdf\n"
      "Content-Transfer-Encoding: base64\n\nJVBERi0=\n--x--\n");
}

TEST(EmlImportTest, NeutralisesInvalidTemplateExpressions) {
  const std::string raw = R"(From: a@example.com
Subject: Hi {{.FirstName}} {{ call .X }}
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b"

--b
Content-Type: text/plain; charset=utf-8

Dear {{.FirstName}}, {{ printf "%s" .Email }} {{ .LastName }} {{{.Email}} {{
--b
Content-Type: text/html; charset=utf-8

<p>{{.FirstName}} {{ printf }} {{.Password}} {{.Tracker}}</p><a href="mailto:{{x}}">m</a>
--b--
)";
  const ImportedMessage message = import_ok(raw, true);
  EXPECT_EQ(message.text,
            "Dear {{.FirstName}}, { { printf \"%s\" .Email }} {{ .LastName }} { {{.Email}} { {");
  EXPECT_EQ(message.html,
            "<p>{{.FirstName}} { { printf }} { {.Password}} {{.Tracker}}</p>"
            "<a href=\"mailto:{ {x}}\">m</a>");
  EXPECT_EQ(message.subject, "Hi {{.FirstName}} { { call .X }}");
}

TEST(EmlImportTest, ConvertsIso88591BodyToUtf8) {
  const ImportedMessage message = import_ok(
      "From: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>\n"
      "Subject: Test\n"
      "Content-Type: text/plain; charset=ISO-8859-1\n"
      "Content-Transfer-Encoding: quoted-printable\n"
      "\n"
      "Gr=FC=DFe, Andr=E9 =A3100\n");
  EXPECT_EQ(message.text, "Grüße, André £100\n");
  EXPECT_EQ(message.from, "André <andre@example.fr>");
}

TEST(EmlImportTest, ConvertsRaw8BitLatin1HtmlWithCharsetAlias) {
  const ImportedMessage message = import_ok(
      "From: a@example.com\n"
      "Content-Type: text/html; charset=latin1\n"
      "Content-Transfer-Encoding: 8bit\n"
      "\n"
      "<p>Se\xf1or \xe0 la caf\xe9</p>");
  EXPECT_EQ(message.html, "<p>Señor à la café</p>");
}

TEST(EmlImportTest, UndeclaredOrWrongCharsetStillYieldsValidUtf8) {
  const ImportedMessage undeclared =
      import_ok("From: a@example.com\nContent-Transfer-Encoding: 8bit\n\nK\xf6ln\n");
  EXPECT_TRUE(g_utf8_validate(undeclared.text.data(), undeclared.text.size(), nullptr));
  EXPECT_EQ(undeclared.text, "Köln\n");

  const ImportedMessage mislabelled = import_ok(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Transfer-Encoding: 8bit\n\nK\xf6ln\n");
  EXPECT_TRUE(g_utf8_validate(mislabelled.text.data(), mislabelled.text.size(), nullptr));
  EXPECT_EQ(mislabelled.text, "Köln\n");
}

TEST(EmlImportTest, ForwardedMessageAttachmentIsTheEnclosedMessage) {
  const ImportedMessage message = import_ok(
      "From: soc@example.com\nSubject: Reported\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=z\n\n"
      "--z\nContent-Type: text/plain\n\nSee attached.\n"
      "--z\nContent-Type: message/rfc822\nContent-Disposition: attachment; filename=phish.eml\n\n"
      "From: bad@evil.example\nSubject: Win\n\nClick here\n"
      "--z--\n");
  EXPECT_EQ(message.text, "See attached.");
  ASSERT_EQ(message.attachments.size(), 1u);
  EXPECT_EQ(message.attachments[0].name, "phish.eml");
  EXPECT_EQ(message.attachments[0].content_type, "message/rfc822");
  const std::string inner = base64_decode(message.attachments[0].content_base64);
  EXPECT_NE(inner.find("Subject: Win"), std::string::npos);
  EXPECT_NE(inner.find("Click here"), std::string::npos);
  EXPECT_EQ(inner.find("Content-Disposition"), std::string::npos);
}

TEST(EmlImportTest, GmimeInitIsIdempotentAcrossThreads) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([] {
      gmime_init();
      gmime_init();
      const Result<ImportedMessage> result =
          import_eml("From: a@example.com\n\n<p>hi</p>\n", false);
      EXPECT_TRUE(result.has_value());
    });
  }
  for (std::thread& thread : threads) thread.join();
}

bool has(const std::vector<std::string>& list, std::string_view needle) {
  for (const std::string& item : list) {
    if (item.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(EmlImportTest, ActiveContentIsStrippedAndListed) {
  const std::string raw = crlf(R"EML(From: a@example.com
Subject: Invoice
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<html><body><p onclick="steal()">Hi</p><script>alert(1)</script>
<img src="x.png" onerror="alert(2)"><a href=" JaVa&#x53;cript:alert(3)">pay</a>
<iframe src="https://evil.example/"></iframe><form action="javascript:x()">
<button formaction="vbscript:y">Go</button></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/"><a href="https://ok.example/">ok</a></body></html>
)EML");
  const ImportedMessage message = import_ok(raw);
  for (std::string_view gone : {"<script", "alert(", "onclick", "onerror", "<iframe", "avascript",
                                "vbscript", "refresh", "<base"}) {
    EXPECT_EQ(message.html.find(gone), std::string::npos) << gone << "\n" << message.html;
  }
  EXPECT_NE(message.html.find("<a href=\"https://ok.example/\">ok</a>"), std::string::npos);
  EXPECT_NE(message.html.find("<img src=\"x.png\">"), std::string::npos) << message.html;
  EXPECT_TRUE(has(message.removed, "<script> element"));
  EXPECT_TRUE(has(message.removed, "<iframe> element"));
  EXPECT_TRUE(has(message.removed, "onclick attribute"));
  EXPECT_TRUE(has(message.removed, "onerror attribute"));
  EXPECT_TRUE(has(message.removed, "javascript: URL in href"));
  EXPECT_TRUE(has(message.removed, "javascript: URL in action"));
  EXPECT_TRUE(has(message.removed, "vbscript: URL in formaction"));
  EXPECT_TRUE(has(message.removed, "refresh"));
  EXPECT_TRUE(has(message.removed, "<base> element"));
}

TEST(EmlImportTest, HarmlessHtmlIsKeptByteForByte) {
  const std::string html =
      "<p class=x>Hello <b>you</b> &amp; <a href='https://x.example/'>them</a>";
  const ImportedMessage message =
      import_ok(crlf("From: a@example.com\nSubject: s\nContent-Type: text/html\n\n") + html);
  EXPECT_EQ(message.html, html);
  EXPECT_TRUE(message.removed.empty());
}

TEST(EmlImportTest, Utf7BodyIsRefused) {
  for (std::string_view charset : {"utf-7", "UTF7", "x-unicode-2-0-utf-7", "unicode-1-1-utf-7"}) {
    const std::string raw =
        crlf("From: a@example.com\nSubject: s\nContent-Type: text/html; charset=" +
             std::string(charset) + "\n\n+ADw-script+AD4-alert(1)+ADw-/script+AD4-\n");
    Result<ImportedMessage> result = import_eml(raw, false);
    ASSERT_FALSE(result.has_value()) << charset;
    EXPECT_EQ(result.error().code, ErrorCode::kValidation);
    EXPECT_NE(result.error().message.find("UTF-7"), std::string::npos);
  }
}

TEST(EmlImportTest, InlineCidImageBecomesAnInlineAttachmentNamedByItsContentId) {
  const std::string raw = crlf(R"(From: a@example.com
Subject: Logo
MIME-Version: 1.0
Content-Type: multipart/related; boundary="r"

--r
Content-Type: text/html; charset=utf-8

<p><img src="cid:logo.123@example.com"></p>
--r
Content-Type: image/png; name="logo.png"
Content-ID: <logo.123@example.com>
Content-Disposition: inline; filename="logo.png"
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--r
Content-Type: image/gif
Content-ID: <unused@example.com>
Content-Transfer-Encoding: base64

R0lGODlh
--r--
)");
  const ImportedMessage message = import_ok(raw);
  ASSERT_EQ(message.attachments.size(), 1u);
  EXPECT_EQ(message.attachments[0].name, "logo.123@example.com");
  EXPECT_EQ(message.attachments[0].content_type, "image/png");
  EXPECT_EQ(base64_decode(message.attachments[0].content_base64), "\x89PNG\r\n\x1a\n");
  EXPECT_NE(message.html.find("cid:logo.123@example.com"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

// Found by eml_import_fuzz: an HTML-only message whose body the sanitiser
// must drop (gumbo misreads it) was imported with no body at all.
TEST(EmlImportTest, AnHtmlOnlyMessageTooMalformedToReadIsRefused) {
  const std::string raw = crlf(
      "From: a@example.com\nSubject: s\nContent-Type: text/html\n\n"
      "<a x x onclick=\"alert(1)\">a</a>\n");
  Result<ImportedMessage> result = import_eml(raw, true);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "content");
  EXPECT_NE(result.error().message.find("too malformed"), std::string::npos);
  // With a text body beside it, the text is kept and the HTML dropped, said so.
  const std::string both = crlf(
      "From: a@example.com\nSubject: s\nMIME-Version: 1.0\n"
      "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
      "plain words\n--b\nContent-Type: text/html\n\n<a x x onclick=\"alert(1)\">a</a>\n--b--\n");
  const ImportedMessage message = import_ok(both);
  EXPECT_EQ(message.html, "");
  EXPECT_NE(message.text.find("plain words"), std::string::npos);
  ASSERT_EQ(message.removed.size(), 1U);
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

// Formatting elements left open make gumbo quadratic (75 KB took 3 GB and
// 10 s): such a body is not parsed at all, and the import says so.
TEST(EmlImportHostileHtmlTest, FormattingLeftOpenIsRemovedNotParsed) {
  std::string html;
  for (int i = 0; i < 5000; ++i) html += "<p><b id=" + std::to_string(i) + ">x</p>";
  const std::string raw =
      "From: a@example.com\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\n"
      "Content-Type: text/plain\r\n\r\nplain text\r\n--b\r\nContent-Type: text/html\r\n\r\n" +
      html + "\r\n--b--\r\n";
  const auto imported = import_eml(raw, true);
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(imported->text, "plain text");
  EXPECT_EQ(imported->html.find("<b id="), std::string::npos);
  ASSERT_FALSE(imported->removed.empty());
  EXPECT_NE(imported->removed.front().find("nested too deeply"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill
