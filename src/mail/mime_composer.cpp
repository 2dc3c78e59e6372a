#include "mail/mime_composer.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>
#include <vector>

#include "core/ascii.h"
#include "core/email_address.h"
#include "mail/eml_import.h"
#include "mail/gmime_ptr.h"

namespace phishdrill {
namespace {

constexpr const char* kCharset = "utf-8";
constexpr std::size_t kMaxLineOctets = 998;  // RFC 5322 2.1.1, without the CRLF

// Headers the composer owns: a custom header may not replace or duplicate
// them (a second From or Content-Type would make the message ambiguous).
bool is_reserved_header(std::string_view name) {
  for (std::string_view reserved :
       {"From", "To", "Subject", "Date", "Message-ID", "MIME-Version"}) {
    if (ascii_iequals(name, reserved)) return true;
  }
  return ascii_istarts_with(name, "Content-");
}

// RFC 5322 field name: printable ASCII except ':' (and not empty).
bool is_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 33 || byte > 126 || c == ':') return false;
  }
  return true;
}

bool has_line_break_or_nul(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// GMime converts LF to CRLF on output; bodies are first brought to LF so
// that CRLF input or stray CRs do not end up as CR CR LF or bare CR.
std::string to_lf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::size_t longest_line(std::string_view text) {
  std::size_t longest = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    longest = std::max(longest, end - start);
    start = end + 1;
  }
  return longest;
}

GObjectPtr<GMimeDataWrapper> wrap_bytes(std::string_view bytes) {
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  return GObjectPtr<GMimeDataWrapper>(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
}

// A text/<subtype> UTF-8 part whose transfer encoding GMime picks for 7-bit
// transport: 7bit when possible, else quoted-printable or base64.
GObjectPtr<GMimeObject> text_part(const char* subtype, std::string_view text) {
  GObjectPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  g_mime_object_set_content_type_parameter(GMIME_OBJECT(part.get()), "charset", kCharset);
  const std::string body = to_lf(text);
  GObjectPtr<GMimeDataWrapper> content = wrap_bytes(body);
  g_mime_part_set_content(GMIME_PART(part.get()), content.get());
  g_mime_object_encode(GMIME_OBJECT(part.get()), GMIME_ENCODING_CONSTRAINT_7BIT);
  // GMime's line-length measure skips a last line without a newline, so a
  // long unterminated last line would go out as 7bit: check it here.
  const GMimeContentEncoding chosen = g_mime_part_get_content_encoding(GMIME_PART(part.get()));
  if ((chosen == GMIME_CONTENT_ENCODING_DEFAULT || chosen == GMIME_CONTENT_ENCODING_7BIT) &&
      longest_line(body) > kMaxLineOctets) {
    g_mime_part_set_content_encoding(GMIME_PART(part.get()),
                                     GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

bool is_base64(std::string_view text) {
  for (const char c : text) {
    if (!g_ascii_isalnum(c) && c != '+' && c != '/' && c != '=' && !g_ascii_isspace(c)) {
      return false;
    }
  }
  return true;
}

std::string decode_base64(const std::string& encoded) {
  gsize length = 0;
  GCharPtr bytes(reinterpret_cast<char*>(g_base64_decode(encoded.c_str(), &length)));
  return bytes ? std::string(bytes.get(), length) : std::string();
}

// An attached email (message/rfc822), which MIME forbids to encode: the
// message itself as a part, so every mail client shows it as an email.
// Null when the bytes are not a message (it then goes as a plain file).
GObjectPtr<GMimeObject> message_part(const std::string& bytes, const std::string& name) {
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeMessage> inner(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!inner ||
      g_mime_header_list_get_count(g_mime_object_get_header_list(GMIME_OBJECT(inner.get()))) == 0) {
    return {};
  }
  GObjectPtr<GMimeMessagePart> part(g_mime_message_part_new_with_message("rfc822", inner.get()));
  g_mime_object_set_disposition(GMIME_OBJECT(part.get()), GMIME_DISPOSITION_ATTACHMENT);
  if (!name.empty() && !has_line_break_or_nul(name)) {
    g_mime_object_set_content_disposition_parameter(GMIME_OBJECT(part.get()), "filename",
                                                    name.c_str());
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

// Attachments are always base64 (but attached emails, see message_part()):
// it keeps their bytes exact (no newline conversion) and is what common mail
// clients do.
Result<GObjectPtr<GMimeObject>> attachment_part(const Attachment& attachment, bool inline_image) {
  if (!is_base64(attachment.content_base64)) {
    return fail(ErrorCode::kValidation, "attachment content is not base64", "attachments");
  }
  if (!inline_image && ascii_iequals(attachment.content_type, "message/rfc822")) {
    if (auto part = message_part(decode_base64(attachment.content_base64), attachment.name)) {
      return part;
    }
  }
  GObjectPtr<GMimeContentType> type(
      g_mime_content_type_parse(nullptr, attachment.content_type.c_str()));
  if (!type || g_mime_content_type_get_media_type(type.get()) == nullptr ||
      g_mime_content_type_get_media_subtype(type.get()) == nullptr) {
    type.reset(g_mime_content_type_new("application", "octet-stream"));
  }
  GObjectPtr<GMimePart> part(
      g_mime_part_new_with_type(g_mime_content_type_get_media_type(type.get()),
                                g_mime_content_type_get_media_subtype(type.get())));
  const std::string bytes = decode_base64(attachment.content_base64);
  GObjectPtr<GMimeDataWrapper> content = wrap_bytes(bytes);
  g_mime_part_set_content(part.get(), content.get());
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
  if (!attachment.name.empty() && !has_line_break_or_nul(attachment.name)) {
    g_mime_part_set_filename(part.get(), attachment.name.c_str());
  }
  if (inline_image) {
    g_mime_object_set_disposition(GMIME_OBJECT(part.get()), GMIME_DISPOSITION_INLINE);
    g_mime_part_set_content_id(part.get(), attachment.name.c_str());
  } else {
    g_mime_object_set_disposition(GMIME_OBJECT(part.get()), GMIME_DISPOSITION_ATTACHMENT);
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

bool is_cid_name_char(char c) {
  return g_ascii_isalnum(c) ||
         std::string_view("!#$%&*+-./=?^_`{|}~@").find(c) != std::string_view::npos;
}

// True when the HTML references "cid:NAME" (the scheme case-insensitively,
// the name exactly and not as the prefix of a longer name).
bool html_references_cid(std::string_view html, std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t at = 0; at + 4 + name.size() <= html.size(); ++at) {
    if (!ascii_iequals(html.substr(at, 4), "cid:")) continue;
    if (html.substr(at + 4, name.size()) != name) continue;
    const std::size_t end = at + 4 + name.size();
    if (end == html.size() || !is_cid_name_char(html[end])) return true;
  }
  return false;
}

bool is_image(std::string_view content_type) { return ascii_istarts_with(content_type, "image/"); }

GObjectPtr<GMimeMultipart> multipart(const char* subtype) {
  return GObjectPtr<GMimeMultipart>(g_mime_multipart_new_with_subtype(subtype));
}

Result<GObjectPtr<GMimeObject>> body_tree(const OutgoingMessage& message) {
  std::vector<const Attachment*> inline_images;
  std::vector<const Attachment*> attachments;
  for (const Attachment& attachment : message.attachments) {
    if (!message.html.empty() && is_image(attachment.content_type) &&
        html_references_cid(message.html, attachment.name)) {
      inline_images.push_back(&attachment);
    } else {
      attachments.push_back(&attachment);
    }
  }

  GObjectPtr<GMimeObject> html;
  if (!message.html.empty()) {
    html = text_part("html", message.html);
    if (!inline_images.empty()) {
      GObjectPtr<GMimeMultipart> related = multipart("related");
      g_mime_object_set_content_type_parameter(GMIME_OBJECT(related.get()), "type", "text/html");
      g_mime_multipart_add(related.get(), html.get());
      for (const Attachment* image : inline_images) {
        Result<GObjectPtr<GMimeObject>> part = attachment_part(*image, true);
        if (!part) return std::unexpected(std::move(part.error()));
        g_mime_multipart_add(related.get(), part->get());
      }
      html.reset(GMIME_OBJECT(related.release()));
    }
  }

  GObjectPtr<GMimeObject> body;
  if (!message.text.empty() && html) {
    GObjectPtr<GMimeMultipart> alternative = multipart("alternative");
    GObjectPtr<GMimeObject> text = text_part("plain", message.text);
    g_mime_multipart_add(alternative.get(), text.get());
    g_mime_multipart_add(alternative.get(), html.get());
    body.reset(GMIME_OBJECT(alternative.release()));
  } else if (html) {
    body = std::move(html);
  } else {
    body = text_part("plain", message.text);
  }

  if (attachments.empty()) return body;
  GObjectPtr<GMimeMultipart> mixed = multipart("mixed");
  g_mime_multipart_add(mixed.get(), body.get());
  for (const Attachment* attachment : attachments) {
    Result<GObjectPtr<GMimeObject>> part = attachment_part(*attachment, false);
    if (!part) return std::unexpected(std::move(part.error()));
    g_mime_multipart_add(mixed.get(), part->get());
  }
  return GObjectPtr<GMimeObject>(GMIME_OBJECT(mixed.release()));
}

// An internationalised domain is written in A-labels, which every reader
// and relay takes; a non-ASCII local part stays UTF-8 (only a relay offering
// SMTPUTF8 takes the message, see SmtpTransport).
void add_mailbox(GMimeMessage* message, GMimeAddressType type, const std::string& name,
                 const std::string& address) {
  InternetAddressList* list = g_mime_message_get_addresses(message, type);
  const Result<std::string> ascii = email_to_ascii(address);
  const std::string& written = ascii ? *ascii : address;
  GObjectPtr<InternetAddress> mailbox(
      internet_address_mailbox_new(name.empty() ? nullptr : name.c_str(), written.c_str()));
  internet_address_set_charset(mailbox.get(), kCharset);
  internet_address_list_add(list, mailbox.get());
}

Result<void> check_message(const OutgoingMessage& message) {
  if (message.html.empty() && message.text.empty()) {
    return fail(ErrorCode::kValidation, "the message has neither an HTML nor a text body", "html");
  }
  struct Line {
    const std::string& value;
    const char* field;
    bool required;
  };
  for (const Line& line :
       {Line{message.from_address, "from_address", true},
        Line{message.to_address, "to_address", true}, Line{message.message_id, "message_id", true},
        Line{message.from_name, "from_name", false}, Line{message.to_name, "to_name", false},
        Line{message.subject, "subject", false}}) {
    if (line.required && line.value.empty()) {
      return fail(ErrorCode::kValidation, std::string(line.field) + " is required", line.field);
    }
    if (has_line_break_or_nul(line.value)) {
      return fail(ErrorCode::kValidation, std::string(line.field) + " must be a single line",
                  line.field);
    }
  }
  if (message.message_id.find_first_of("<> \t") != std::string::npos) {
    return fail(ErrorCode::kValidation, "message_id must not contain brackets or spaces",
                "message_id");
  }
  return {};
}

Result<std::string> compose(const OutgoingMessage& message) {
  if (Result<void> ok = check_message(message); !ok) return std::unexpected(std::move(ok.error()));
  gmime_init();

  Result<GObjectPtr<GMimeObject>> body = body_tree(message);
  if (!body) return std::unexpected(std::move(body.error()));

  // Headers come out in the order they are set (pretty_headers = FALSE would
  // put Date first and Subject before To).
  GObjectPtr<GMimeMessage> mime(g_mime_message_new(FALSE));
  add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_FROM, message.from_name, message.from_address);
  add_mailbox(mime.get(), GMIME_ADDRESS_TYPE_TO, message.to_name, message.to_address);
  g_mime_message_set_subject(mime.get(), message.subject.c_str(), kCharset);
  GDateTime* date = g_date_time_new_from_unix_utc(message.date);
  if (date == nullptr) {
    return fail(ErrorCode::kValidation, "the date is out of range", "date");
  }
  g_mime_message_set_date(mime.get(), date);
  g_date_time_unref(date);
  // Set as a header so that it keeps the RFC spelling "Message-ID" (GMime
  // would write "Message-Id").
  const std::string message_id = "<" + message.message_id + ">";
  g_mime_object_set_header(GMIME_OBJECT(mime.get()), "Message-ID", message_id.c_str(), nullptr);

  GMimeObject* object = GMIME_OBJECT(mime.get());
  for (const HeaderField& header : message.headers) {
    if (!is_field_name(header.name) || is_reserved_header(header.name) ||
        has_line_break_or_nul(header.value)) {
      continue;
    }
    g_mime_object_append_header(object, header.name.c_str(), header.value.c_str(), kCharset);
  }
  g_mime_message_set_mime_part(mime.get(), body->get());

  GMimeFormatOptions* options = g_mime_format_options_new();
  g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
  GObjectPtr<GMimeStream> sink(g_mime_stream_mem_new());
  const gssize written = g_mime_object_write_to_stream(object, options, sink.get());
  g_mime_format_options_free(options);
  if (written < 0) return fail(ErrorCode::kInternal, "could not format the message");
  const GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(sink.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

bool is_domain_char(char c) { return g_ascii_isalnum(c) || c == '-' || c == '.'; }

}  // namespace

Result<std::string> compose_mime(const OutgoingMessage& message) {
  // Only std::bad_alloc / std::length_error can be thrown here; keep them
  // inside the module.
  try {
    return compose(message);
  } catch (const std::exception&) {
    return fail(ErrorCode::kInternal, "out of memory while composing the message");
  }
}

std::string new_message_id(std::string_view from_address) {
  std::array<std::uint8_t, 16> random{};
  std::size_t filled = 0;
  while (filled < random.size()) {
    const ssize_t got = getrandom(random.data() + filled, random.size() - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      std::terminate();  // the kernel CSPRNG is unavailable: nothing sensible to do
    }
    filled += static_cast<std::size_t>(got);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  id.reserve(32 + 1 + from_address.size());
  for (const std::uint8_t byte : random) {
    id.push_back(kHex[byte >> 4]);
    id.push_back(kHex[byte & 0xf]);
  }
  // Only a plain ASCII host name may follow the "@": an IP literal or an
  // internationalised domain would not be a valid msg-id.
  std::string_view domain;
  if (const std::size_t at = from_address.rfind('@'); at != std::string_view::npos) {
    domain = from_address.substr(at + 1);
  }
  bool usable = !domain.empty() && domain.front() != '.' && domain.back() != '.';
  for (const char c : domain) usable = usable && is_domain_char(c);
  id.push_back('@');
  id.append(usable ? domain : std::string_view("localhost"));
  return id;
}

}  // namespace phishdrill
