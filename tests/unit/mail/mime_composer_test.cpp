#include "mail/mime_composer.h"

#include <glib.h>
#include <gmime/gmime.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mail/eml_import.h"
#include "mail/gmime_ptr.h"
#include "mail/report_parser.h"

namespace phishdrill {
namespace {

std::string base64_encode(std::string_view bytes) {
  GCharPtr encoded(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
  return encoded.get();
}

std::string base64_decode(const std::string& encoded) {
  gsize length = 0;
  guchar* bytes = g_base64_decode(encoded.c_str(), &length);
  std::string out(reinterpret_cast<const char*>(bytes), length);
  g_free(bytes);
  return out;
}

OutgoingMessage sample() {
  OutgoingMessage message;
  message.from_name = "IT Service Desk";
  message.from_address = "helpdesk@example.com";
  message.to_name = "Jane Roe";
  message.to_address = "jane.roe@example.org";
  message.subject = "Password expiry notice";
  message.text = "Your password expires today.\nVisit the portal.";
  message.html = "<p>Your password expires <b>today</b>.</p>";
  message.message_id = "0123456789abcdef0123456789abcdef@example.com";
  message.date = 1795914123;  // Sun, 29 Nov 2026 01:02:03 +0000
  return message;
}

std::string compose_ok(const OutgoingMessage& message) {
  Result<std::string> mime = compose_mime(message);
  EXPECT_TRUE(mime.has_value()) << (mime ? "" : mime.error().message);
  return mime ? *mime : std::string();
}

// Parses composed bytes back with GMime.
class Parsed {
 public:
  explicit Parsed(const std::string& raw) {
    gmime_init();
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    message_.reset(g_mime_parser_construct_message(parser.get(), nullptr));
  }
  GMimeMessage* get() const { return message_.get(); }

  std::string mailbox(GMimeAddressType type, bool name) const {
    InternetAddressList* list = g_mime_message_get_addresses(message_.get(), type);
    if (list == nullptr || internet_address_list_length(list) != 1) return "<none>";
    InternetAddress* address = internet_address_list_get_address(list, 0);
    if (name) {
      const char* display = internet_address_get_name(address);
      return display != nullptr ? display : "";
    }
    return internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
  }

  std::string header(const char* name) const {
    const char* value = g_mime_object_get_header(GMIME_OBJECT(message_.get()), name);
    return value != nullptr ? value : "<none>";
  }

  std::string mime_type(GMimeObject* object) const {
    GCharPtr type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object)));
    return type.get();
  }

  GMimeObject* body() const { return g_mime_message_get_mime_part(message_.get()); }

 private:
  GObjectPtr<GMimeMessage> message_;
};

std::vector<std::string_view> header_block_lines(std::string_view raw) {
  std::vector<std::string_view> lines;
  const std::size_t end = raw.find("\r\n\r\n");
  std::string_view headers = raw.substr(0, end);
  while (!headers.empty()) {
    const std::size_t eol = headers.find("\r\n");
    lines.push_back(headers.substr(0, eol));
    if (eol == std::string_view::npos) break;
    headers.remove_prefix(eol + 2);
  }
  return lines;
}

// Names of the top-level header fields, in order.
std::vector<std::string> header_names(std::string_view raw) {
  std::vector<std::string> names;
  for (std::string_view line : header_block_lines(raw)) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') continue;
    names.emplace_back(line.substr(0, line.find(':')));
  }
  return names;
}

void expect_wire_safe(const std::string& raw) {
  ASSERT_FALSE(raw.empty());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto byte = static_cast<unsigned char>(raw[i]);
    ASSERT_LT(byte, 0x80) << "8-bit byte at offset " << i;
    if (raw[i] == '\n') {
      ASSERT_TRUE(i > 0 && raw[i - 1] == '\r') << "bare LF at offset " << i;
    }
    if (raw[i] == '\r') {
      ASSERT_TRUE(i + 1 < raw.size() && raw[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  EXPECT_TRUE(raw.ends_with("\r\n"));
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find("\r\n", start);
    if (end == std::string::npos) end = raw.size();
    EXPECT_LE(end - start, 998U) << "line at offset " << start;
    start = end + 2;
  }
}

TEST(MimeComposerTest, HeadersComeInOrderAndDecodeBack) {
  OutgoingMessage message = sample();
  message.headers = {{"X-Campaign-Ref", "Q4 drill"}, {"Reply-To", "desk@example.net"}};
  const std::string raw = compose_ok(message);

  const std::vector<std::string> expected = {"From",     "To",           "Subject",
                                             "Date",     "Message-ID",   "X-Campaign-Ref",
                                             "Reply-To", "MIME-Version", "Content-Type"};
  EXPECT_EQ(header_names(raw), expected) << raw;

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM, true), "IT Service Desk");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM, false), "helpdesk@example.com");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO, true), "Jane Roe");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO, false), "jane.roe@example.org");
  EXPECT_STREQ(g_mime_message_get_subject(parsed.get()), "Password expiry notice");
  EXPECT_STREQ(g_mime_message_get_message_id(parsed.get()),
               "0123456789abcdef0123456789abcdef@example.com");
  EXPECT_EQ(parsed.header("X-Campaign-Ref"), "Q4 drill");
  EXPECT_EQ(parsed.header("MIME-Version"), "1.0");
  EXPECT_NE(raw.find("\r\nDate: Sun, 29 Nov 2026 01:02:03 +0000\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\r\nMessage-ID: <0123456789abcdef0123456789abcdef@example.com>\r\n"),
            std::string::npos);
  GDateTime* date = g_mime_message_get_date(parsed.get());
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(g_date_time_to_unix(date), 1795914123);
  expect_wire_safe(raw);
}

TEST(MimeComposerTest, NonAsciiNamesAndSubjectAreEncodedWords) {
  OutgoingMessage message = sample();
  message.from_name = "Zoë Müller";
  message.to_name = "Łukasz Żółw, Jr.";
  message.subject = "Ihr Paket 📦 wartet — bitte bestätigen Sie die Zustellung heute noch";
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);
  EXPECT_NE(raw.find("=?"), std::string::npos);
  EXPECT_EQ(raw.find("Zoë"), std::string::npos);

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM, true), "Zoë Müller");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO, true), "Łukasz Żółw, Jr.");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_TO, false), "jane.roe@example.org");
  EXPECT_STREQ(g_mime_message_get_subject(parsed.get()), message.subject.c_str());

  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  EXPECT_EQ(imported->subject, message.subject);
  EXPECT_EQ(imported->from, "Zoë Müller <helpdesk@example.com>");
}

TEST(MimeComposerTest, EmptyDisplayNameGivesBareAddress) {
  OutgoingMessage message = sample();
  message.from_name.clear();
  message.to_name.clear();
  const std::string raw = compose_ok(message);
  EXPECT_NE(raw.find("From: helpdesk@example.com\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("To: jane.roe@example.org\r\n"), std::string::npos) << raw;
}

TEST(MimeComposerTest, InternationalisedDomainsAreWrittenInALabels) {
  OutgoingMessage message = sample();
  message.from_name.clear();
  message.to_name.clear();
  message.from_address = "it@b\u00FCro.example";
  message.to_address = "bo@b\u00FCcher.example";
  const std::string raw = compose_ok(message);
  EXPECT_NE(raw.find("From: it@xn--bro-hoa.example\r\n"), std::string::npos) << raw;
  EXPECT_NE(raw.find("To: bo@xn--bcher-kva.example\r\n"), std::string::npos) << raw;
}

TEST(MimeComposerTest, ImportedInlineImageGoesOutWithTheSameContentId) {
  const std::string eml =
      "From: a@example.com\r\nSubject: Logo\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/related; boundary=\"r\"\r\n\r\n"
      "--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
      "<p><img src=\"cid:logo.1@example.com\"></p>\r\n"
      "--r\r\nContent-Type: image/png\r\nContent-ID: <logo.1@example.com>\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--r--\r\n";
  Result<ImportedMessage> imported = import_eml(eml, false);
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  OutgoingMessage message = sample();
  message.html = imported->html;
  for (const ImportedAttachment& a : imported->attachments) {
    message.attachments.push_back({a.name, a.content_type, a.content_base64});
  }
  const std::string raw = compose_ok(message);
  EXPECT_NE(raw.find("multipart/related"), std::string::npos) << raw;
  EXPECT_NE(raw.find("Content-Id: <logo.1@example.com>"), std::string::npos) << raw;
  EXPECT_NE(raw.find("cid:logo.1@example.com"), std::string::npos) << raw;
}

TEST(MimeComposerTest, TextAndHtmlMakeMultipartAlternativeTextFirst) {
  OutgoingMessage message = sample();
  message.text = "Grüße aus der IT.\nZweite Zeile.";
  message.html = "<p>Grüße aus der <b>IT</b>.</p>";
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  GMimeObject* body = parsed.body();
  ASSERT_TRUE(GMIME_IS_MULTIPART(body));
  EXPECT_EQ(parsed.mime_type(body), "multipart/alternative");
  GMimeMultipart* alternative = GMIME_MULTIPART(body);
  ASSERT_EQ(g_mime_multipart_get_count(alternative), 2);
  EXPECT_EQ(parsed.mime_type(g_mime_multipart_get_part(alternative, 0)), "text/plain");
  EXPECT_EQ(parsed.mime_type(g_mime_multipart_get_part(alternative, 1)), "text/html");

  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  // Bodies come back with the CRLF of the wire.
  EXPECT_EQ(imported->text, "Grüße aus der IT.\r\nZweite Zeile.");
  EXPECT_EQ(imported->html, "<p>Grüße aus der <b>IT</b>.</p>");
}

TEST(MimeComposerTest, SingleBodyIsALeafPart) {
  OutgoingMessage text_only = sample();
  text_only.html.clear();
  Parsed text(compose_ok(text_only));
  ASSERT_NE(text.get(), nullptr);
  EXPECT_EQ(text.mime_type(text.body()), "text/plain");

  OutgoingMessage html_only = sample();
  html_only.text.clear();
  Parsed html(compose_ok(html_only));
  ASSERT_NE(html.get(), nullptr);
  EXPECT_EQ(html.mime_type(html.body()), "text/html");
}

TEST(MimeComposerTest, AttachmentMakesMultipartMixed) {
  OutgoingMessage message = sample();
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 256; ++i) pdf.push_back(static_cast<char>(i));
  message.attachments = {{"Rechnung März.pdf", "application/pdf", base64_encode(pdf)}};
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  EXPECT_EQ(parsed.mime_type(parsed.body()), "multipart/mixed");
  GMimeMultipart* mixed = GMIME_MULTIPART(parsed.body());
  ASSERT_EQ(g_mime_multipart_get_count(mixed), 2);
  EXPECT_EQ(parsed.mime_type(g_mime_multipart_get_part(mixed, 0)), "multipart/alternative");
  GMimeObject* attachment = g_mime_multipart_get_part(mixed, 1);
  EXPECT_EQ(g_mime_part_get_content_encoding(GMIME_PART(attachment)),
            GMIME_CONTENT_ENCODING_BASE64);

  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  ASSERT_EQ(imported->attachments.size(), 1U);
  EXPECT_EQ(imported->attachments[0].name, "Rechnung März.pdf");
  EXPECT_EQ(imported->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(base64_decode(imported->attachments[0].content_base64), pdf);
}

TEST(MimeComposerTest, ReferencedImageGoesInlineInMultipartRelated) {
  OutgoingMessage message = sample();
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + std::string(40, '\0');
  message.html = R"(<p><img src="cid:logo.png" alt="logo"> Sign in below.</p>)";
  message.attachments = {{"logo.png", "image/png", base64_encode(png)},
                         {"photo.jpg", "image/jpeg", base64_encode("jpeg bytes")}};
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  // mixed( alternative( text, related( html, logo ) ), photo )
  ASSERT_EQ(parsed.mime_type(parsed.body()), "multipart/mixed");
  GMimeMultipart* mixed = GMIME_MULTIPART(parsed.body());
  ASSERT_EQ(g_mime_multipart_get_count(mixed), 2);
  GMimeObject* alternative = g_mime_multipart_get_part(mixed, 0);
  ASSERT_EQ(parsed.mime_type(alternative), "multipart/alternative");
  GMimeObject* related = g_mime_multipart_get_part(GMIME_MULTIPART(alternative), 1);
  ASSERT_EQ(parsed.mime_type(related), "multipart/related");
  EXPECT_STREQ(g_mime_object_get_content_type_parameter(related, "type"), "text/html");
  ASSERT_EQ(g_mime_multipart_get_count(GMIME_MULTIPART(related)), 2);
  EXPECT_EQ(parsed.mime_type(g_mime_multipart_get_part(GMIME_MULTIPART(related), 0)), "text/html");
  GMimeObject* logo = g_mime_multipart_get_part(GMIME_MULTIPART(related), 1);
  EXPECT_EQ(parsed.mime_type(logo), "image/png");
  EXPECT_STREQ(g_mime_object_get_content_id(logo), "logo.png");
  EXPECT_STREQ(g_mime_object_get_disposition(logo), "inline");
  GMimeObject* photo = g_mime_multipart_get_part(mixed, 1);
  EXPECT_EQ(parsed.mime_type(photo), "image/jpeg");
  EXPECT_STREQ(g_mime_object_get_disposition(photo), "attachment");
  EXPECT_EQ(g_mime_object_get_content_id(photo), nullptr);

  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  ASSERT_EQ(imported->attachments.size(), 2U);
  EXPECT_EQ(base64_decode(imported->attachments[0].content_base64), png);
}

TEST(MimeComposerTest, CidMustMatchTheWholeName) {
  OutgoingMessage message = sample();
  message.text.clear();
  message.html = R"(<img src="cid:logo.png.bak">)";
  message.attachments = {{"logo.png", "image/png", base64_encode("png")}};
  Parsed parsed(compose_ok(message));
  ASSERT_NE(parsed.get(), nullptr);
  EXPECT_EQ(parsed.mime_type(parsed.body()), "multipart/mixed");
}

TEST(MimeComposerTest, LongAndEightBitLinesAreEncodedForSevenBitTransport) {
  OutgoingMessage message = sample();
  message.html = "<p>" + std::string(5000, 'x') + "</p>";  // one line, no newline at the end
  message.text = std::string(3000, 'y') + "\n" + std::string(2000, 'z') + "\n";
  message.attachments = {
      {"data.bin", "application/octet-stream", base64_encode(std::string(4000, '\xff'))}};
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);
  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  EXPECT_EQ(imported->html, message.html);
  EXPECT_EQ(imported->text, std::string(3000, 'y') + "\r\n" + std::string(2000, 'z') + "\r\n");
}

TEST(MimeComposerTest, MixedLineEndingsBecomeCrlf) {
  OutgoingMessage message = sample();
  message.text = "one\ntwo\r\nthree\rfour\n\n.five";
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);
  Result<ImportedMessage> imported = import_eml(raw, false);
  ASSERT_TRUE(imported.has_value());
  EXPECT_EQ(imported->text, "one\r\ntwo\r\nthree\r\nfour\r\n\r\n.five");
}

TEST(MimeComposerTest, NothingIdentifiesTheProduct) {
  OutgoingMessage message = sample();
  message.attachments = {{"a.txt", "text/plain", base64_encode("hello")}};
  const std::string raw = compose_ok(message);
  for (const char* marker : {"X-Mailer", "User-Agent", "phishdrill", "GMime", "gmime"}) {
    EXPECT_EQ(g_strstr_len(raw.c_str(), static_cast<gssize>(raw.size()), marker), nullptr)
        << marker;
  }
  GCharPtr lower(g_ascii_strdown(raw.c_str(), static_cast<gssize>(raw.size())));
  EXPECT_EQ(std::string_view(lower.get()).find("phishdrill"), std::string_view::npos);
  EXPECT_EQ(std::string_view(lower.get()).find("x-mailer"), std::string_view::npos);
}

TEST(MimeComposerTest, CustomHeadersKeptReservedOnesAndLineBreaksDropped) {
  OutgoingMessage message = sample();
  message.headers = {
      {"X-Priority", "1"},
      {"From", "ceo@evil.example"},
      {"to", "someone@evil.example"},
      {"SUBJECT", "replaced"},
      {"Date", "Mon, 1 Jan 2001 00:00:00 +0000"},
      {"message-id", "<forged@evil.example>"},
      {"Mime-Version", "2.0"},
      {"Content-Type", "text/plain"},
      {"content-transfer-encoding", "8bit"},
      {"X-Injected", "a\r\nBcc: victim@example.com"},
      {"X-Bare-LF", "a\nb"},
      {"Bad Name", "v"},
      {"X-Unicode", "Grüße"},
  };
  const std::string raw = compose_ok(message);
  expect_wire_safe(raw);
  const std::vector<std::string> expected = {"From",      "To",           "Subject",
                                             "Date",      "Message-ID",   "X-Priority",
                                             "X-Unicode", "MIME-Version", "Content-Type"};
  EXPECT_EQ(header_names(raw), expected) << raw;
  EXPECT_EQ(raw.find("evil.example"), std::string::npos);
  EXPECT_EQ(raw.find("Bcc"), std::string::npos);

  Parsed parsed(raw);
  ASSERT_NE(parsed.get(), nullptr);
  EXPECT_EQ(parsed.header("X-Priority"), "1");
  EXPECT_EQ(parsed.mailbox(GMIME_ADDRESS_TYPE_FROM, false), "helpdesk@example.com");
  GCharPtr unicode(g_mime_utils_header_decode_text(
      nullptr, g_mime_object_get_header(GMIME_OBJECT(parsed.get()), "X-Unicode")));
  EXPECT_STREQ(unicode.get(), "Grüße");
}

TEST(MimeComposerTest, RejectsIncompleteMessages) {
  OutgoingMessage no_body = sample();
  no_body.text.clear();
  no_body.html.clear();
  EXPECT_FALSE(compose_mime(no_body).has_value());

  OutgoingMessage no_id = sample();
  no_id.message_id.clear();
  EXPECT_FALSE(compose_mime(no_id).has_value());

  OutgoingMessage bracketed_id = sample();
  bracketed_id.message_id = "<x@y>";
  EXPECT_FALSE(compose_mime(bracketed_id).has_value());

  OutgoingMessage multi_line_subject = sample();
  multi_line_subject.subject = "a\r\nBcc: x@y";
  EXPECT_FALSE(compose_mime(multi_line_subject).has_value());

  OutgoingMessage bad_attachment = sample();
  bad_attachment.attachments = {{"a.bin", "application/octet-stream", "not base64!"}};
  EXPECT_FALSE(compose_mime(bad_attachment).has_value());
}

TEST(MimeComposerTest, EachCompositionGetsFreshBoundaries) {
  OutgoingMessage message = sample();
  const std::regex boundary(R"re(boundary="([^"]+)")re");
  std::set<std::string> seen;
  for (int i = 0; i < 5; ++i) {
    const std::string raw = compose_ok(message);
    std::smatch match;
    ASSERT_TRUE(std::regex_search(raw, match, boundary));
    seen.insert(match[1]);
  }
  EXPECT_EQ(seen.size(), 5U);
}

TEST(MessageIdTest, RandomHexAtTheSenderDomain) {
  const std::regex shape("[0-9a-f]{32}@mail\\.example\\.com");
  const std::string first = new_message_id("alerts@mail.example.com");
  const std::string second = new_message_id("alerts@mail.example.com");
  EXPECT_TRUE(std::regex_match(first, shape)) << first;
  EXPECT_TRUE(std::regex_match(second, shape)) << second;
  EXPECT_NE(first, second);
}

TEST(MessageIdTest, FallsBackToLocalhost) {
  EXPECT_TRUE(new_message_id("").ends_with("@localhost"));
  EXPECT_TRUE(new_message_id("no-at-sign").ends_with("@localhost"));
  EXPECT_TRUE(new_message_id("user@[192.0.2.1]").ends_with("@localhost"));
  EXPECT_TRUE(new_message_id("user@bücher.example").ends_with("@localhost"));
  EXPECT_TRUE(new_message_id("user@").ends_with("@localhost"));
}

TEST(MimeComposerTest, AnAttachedEmailGoesAsAnEmailThatReadsBack) {
  const std::string original =
      "From: Billing <billing@invoices.example>\r\nTo: jane.roe@example.org\r\n"
      "Subject: Invoice 4471 overdue\r\nMessage-ID: <4471@invoices.example>\r\n"
      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      "Please pay today: https://invoices.example/pay\r\n";
  OutgoingMessage message = sample();
  message.attachments.push_back(
      {"reported-message.eml", "message/rfc822", base64_encode(original)});
  const std::string mime = compose_ok(message);
  EXPECT_NE(mime.find("Content-Type: message/rfc822"), std::string::npos);
  EXPECT_NE(mime.find("filename=reported-message.eml"), std::string::npos);
  // Not encoded (RFC 2046 allows none for message/rfc822): its headers read as they are.
  EXPECT_NE(mime.find("Message-ID: <4471@invoices.example>"), std::string::npos);
  EXPECT_NE(mime.find("Please pay today: https://invoices.example/pay"), std::string::npos);
  const auto report = parse_report(mime);
  ASSERT_TRUE(report.has_value());
  ASSERT_EQ(report->messages.size(), 1u);
  EXPECT_EQ(report->messages[0].message_id, "4471@invoices.example");
  EXPECT_EQ(report->messages[0].subject, "Invoice 4471 overdue");
}

TEST(MimeComposerTest, AnAttachmentCalledAnEmailThatIsNotOneGoesAsAFile) {
  OutgoingMessage message = sample();
  message.attachments.push_back({"notes.eml", "message/rfc822", base64_encode("")});
  const std::string mime = compose_ok(message);
  EXPECT_NE(mime.find("Content-Transfer-Encoding: base64"), std::string::npos);
}

}  // namespace
}  // namespace phishdrill
