#include "mail/eml_import.h"

#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "mail/gmime_ptr.h"
#include "mail/html_links.h"
#include "mail/html_sanitizer.h"
#include "mail/mime_reading.h"
#include "mail/template_braces.h"

namespace phishdrill {
namespace {

constexpr std::string_view kClickUrlVariable = "{{.URL}}";

std::string from_mailbox(GMimeMessage* message) {
  InternetAddressList* list = g_mime_message_get_from(message);
  if (list == nullptr) return {};
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    // encode = FALSE: UTF-8 display name, quoted only where RFC 5322 needs it.
    GCharPtr text(internet_address_to_string(address, nullptr, FALSE));
    return header_line(text.get());
  }
  return {};
}

// Only the last path component survives: names such as "..\..\x.exe" or
// "/etc/passwd" come from the sender and must not reach a file system.
std::string attachment_name(GMimeObject* object, std::size_t index) {
  std::string name = header_line(declared_filename(object));
  if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string::npos) {
    name = header_line(name.c_str() + slash + 1);
  }
  if (name.empty() || name == "." || name == "..") name = "attachment-" + std::to_string(index + 1);
  return name;
}

std::string base64(const std::string& bytes) {
  GCharPtr encoded(g_base64_encode(reinterpret_cast<const guchar*>(bytes.data()), bytes.size()));
  return encoded ? std::string(encoded.get()) : std::string();
}

std::string attachment_bytes(GMimeObject* object) {
  if (GMIME_IS_PART(object)) return decoded_content(GMIME_PART(object));
  // For message/rfc822 the attachment is the enclosed message, without the
  // MIME headers of the part that wraps it.
  if (GMIME_IS_MESSAGE_PART(object)) {
    GMimeMessage* inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
    if (inner == nullptr) return {};
    object = GMIME_OBJECT(inner);
  }
  GObjectPtr<GMimeStream> sink(g_mime_stream_mem_new());
  g_mime_object_write_to_stream(object, nullptr, sink.get());
  return stream_bytes(sink.get());
}

// A part's Content-ID without angle brackets ("" when none).
std::string content_id(GMimeObject* object) {
  const char* id = g_mime_object_get_content_id(object);
  return id != nullptr ? header_line(id) : std::string();
}

// Characters the composer accepts in a cid: reference (mime_composer.cpp).
bool is_usable_cid(std::string_view id) {
  if (id.empty() || id.size() > 255) return false;
  for (const char c : id) {
    if (!g_ascii_isalnum(c) &&
        std::string_view("!#$%&*+-.=?^_`{|}~@").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

bool html_references(std::string_view html, std::string_view cid) {
  const std::string needle = "cid:" + std::string(cid);
  for (std::size_t at = html.find(needle); at != std::string_view::npos;
       at = html.find(needle, at + 1)) {
    const std::size_t end = at + needle.size();
    if (end == html.size() || !is_usable_cid(html.substr(end, 1))) return true;
  }
  return false;
}

bool is_image(GMimeObject* object) {
  return g_mime_content_type_is_type(g_mime_object_get_content_type(object), "image", "*");
}

// Walks the MIME tree depth-first in document order (iteratively: the tree
// comes from an untrusted file). The first text/html and text/plain parts not
// marked as attachments become the bodies; an image with a Content-ID the HTML
// points at (cid:) becomes an inline attachment named by that Content-ID (the
// composer sends it back as a multipart/related part with the same cid);
// every other part with a filename or an attachment disposition becomes an
// attachment; the rest (unreferenced unnamed images, alternative bodies after
// the first) is dropped. A body in UTF-7 is refused.
Result<void> collect_parts(GMimeObject* root, ImportedMessage& out) {
  std::optional<std::string> html;
  std::optional<std::string> text;
  std::vector<GMimeObject*> others;
  std::vector<GMimeObject*> pending = {root};
  while (!pending.empty()) {
    GMimeObject* object = pending.back();
    pending.pop_back();
    if (object == nullptr) continue;
    if (GMIME_IS_MULTIPART(object)) {
      GMimeMultipart* multipart = GMIME_MULTIPART(object);
      for (int i = g_mime_multipart_get_count(multipart); i > 0; --i) {
        // A detached signature cannot survive re-sending: drop it.
        if (GMIME_IS_MULTIPART_SIGNED(object) && i - 1 == GMIME_MULTIPART_SIGNED_SIGNATURE) {
          continue;
        }
        pending.push_back(g_mime_multipart_get_part(multipart, i - 1));
      }
      continue;
    }
    const bool attachment = has_attachment_disposition(object);
    if (GMIME_IS_PART(object) && !attachment) {
      GMimeContentType* type = g_mime_object_get_content_type(object);
      const bool is_html = !html && g_mime_content_type_is_type(type, "text", "html");
      const bool is_text = !text && g_mime_content_type_is_type(type, "text", "plain");
      if ((is_html || is_text) && is_utf7(declared_charset(object))) {
        return fail(ErrorCode::kValidation,
                    "the message body is in UTF-7, which can hide markup in plain-looking text; "
                    "save the message in UTF-8 and import it again",
                    "content");
      }
      if (is_html) {
        html = text_body(GMIME_PART(object));
        continue;
      }
      if (is_text) {
        text = text_body(GMIME_PART(object));
        continue;
      }
    }
    others.push_back(object);
  }
  out.html = html.value_or("");
  out.text = text.value_or("");
  for (GMimeObject* object : others) {
    const std::string cid = content_id(object);
    const bool inline_image = GMIME_IS_PART(object) && is_image(object) && is_usable_cid(cid) &&
                              html_references(out.html, cid);
    if (!inline_image && !has_attachment_disposition(object) && !has_filename(object)) continue;
    const std::size_t index = out.attachments.size();
    out.attachments.push_back(ImportedAttachment{
        .name = inline_image ? cid : attachment_name(object, index),
        .content_type = mime_type(object),
        .content_base64 = base64(attachment_bytes(object)),
    });
  }
  return {};
}

Result<ImportedMessage> import(std::string_view raw, bool convert_links) {
  if (raw.empty()) return fail(ErrorCode::kValidation, "the file is empty", "content");
  gmime_init();

  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  GObjectPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), nullptr));
  // GMime accepts a header-less blob as a message; an .eml always has headers.
  if (!message || g_mime_header_list_get_count(
                      g_mime_object_get_header_list(GMIME_OBJECT(message.get()))) == 0) {
    return fail(ErrorCode::kValidation, "the file is not an email message (.eml)", "content");
  }

  ImportedMessage imported;
  imported.subject =
      neutralise_template_braces(header_line(g_mime_message_get_subject(message.get())));
  imported.from = from_mailbox(message.get());
  if (GMimeObject* body = g_mime_message_get_mime_part(message.get()); body != nullptr) {
    if (auto ok = collect_parts(body, imported); !ok) return std::unexpected(std::move(ok.error()));
  }
  if (imported.html.empty() && imported.text.empty()) {
    return fail(ErrorCode::kValidation, "the message has neither an HTML nor a text body",
                "content");
  }
  SanitizedHtml safe = strip_active_content(imported.html);
  if (safe.html.empty() && !imported.html.empty() && imported.text.empty()) {
    return fail(ErrorCode::kValidation,
                "the HTML body is too malformed to import safely and there is no text body",
                "content");
  }
  imported.html = std::move(safe.html);
  imported.removed = std::move(safe.removed);
  if (convert_links && !imported.html.empty()) {
    imported.html = rewrite_link_hrefs(imported.html, kClickUrlVariable);
  }
  imported.html = neutralise_template_braces(imported.html);
  imported.text = neutralise_template_braces(imported.text);
  return imported;
}

}  // namespace

Result<ImportedMessage> import_eml(std::string_view raw, bool convert_links) {
  // Only std::bad_alloc / std::length_error can be thrown here (GLib aborts
  // on its own allocation failures); keep them inside the module.
  try {
    return import(raw, convert_links);
  } catch (const std::exception&) {
    return fail(ErrorCode::kInternal, "out of memory while importing the message", "content");
  }
}

void gmime_init() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

}  // namespace phishdrill
