#include "mail/mime_reading.h"

#include <optional>
#include <string_view>
#include <utility>

#include "mail/gmime_ptr.h"

namespace phishdrill {
namespace {

std::optional<std::string> convert_to_utf8(std::string_view bytes, const char* charset) {
  GObjectPtr<GMimeFilter> filter(g_mime_filter_charset_new(charset, "utf-8"));
  if (!filter) return std::nullopt;  // iconv does not know the charset
  GObjectPtr<GMimeStream> sink(g_mime_stream_mem_new());
  GObjectPtr<GMimeStream> filtered(g_mime_stream_filter_new(sink.get()));
  g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), filter.get());
  if (g_mime_stream_write(filtered.get(), bytes.data(), bytes.size()) < 0 ||
      g_mime_stream_flush(filtered.get()) < 0) {
    return std::nullopt;
  }
  return stream_bytes(sink.get());
}

bool is_utf8_superset(const char* charset) {
  const char* canonical = g_mime_charset_canon_name(charset);
  if (canonical == nullptr) return false;
  for (const char* name : {"utf-8", "utf8", "us-ascii", "ascii"}) {
    if (g_ascii_strcasecmp(canonical, name) == 0) return true;
  }
  return false;
}

// Text bodies never legitimately contain NUL, and NUL would truncate the
// string at the first C API that sees it.
void remove_nul(std::string& text) { std::erase(text, '\0'); }

bool is_valid_utf8(const std::string& text) {
  return g_utf8_validate_len(text.data(), text.size(), nullptr) != FALSE;
}

std::string make_valid_utf8(const char* text, gssize length) {
  GCharPtr valid(g_utf8_make_valid(text, length));
  return valid ? std::string(valid.get()) : std::string();
}

}  // namespace

std::string stream_bytes(GMimeStream* stream) {
  const GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
  if (bytes == nullptr || bytes->len == 0) return {};
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr) return {};
  GObjectPtr<GMimeStream> sink(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, sink.get());
  return stream_bytes(sink.get());
}

bool is_utf7(const char* charset) {
  if (charset == nullptr) return false;
  std::string folded;
  for (const char* c = charset; *c != '\0'; ++c) {
    if (g_ascii_isalnum(*c)) folded.push_back(g_ascii_tolower(*c));
  }
  // utf-7, utf7, unicode-1-1-utf-7, x-unicode-2-0-utf-7, csUnicode11UTF7, utf-7-imap
  return folded.find("utf7") != std::string::npos;
}

std::string text_body(GMimePart* part) {
  std::string raw = decoded_content(part);
  remove_nul(raw);
  const char* charset = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
  if (charset != nullptr && *charset != '\0' && !is_utf8_superset(charset)) {
    if (std::optional<std::string> converted = convert_to_utf8(raw, charset)) {
      remove_nul(*converted);
      if (is_valid_utf8(*converted)) return std::move(*converted);
    }
  }
  if (is_valid_utf8(raw)) return raw;
  GCharPtr guessed(g_mime_utils_decode_8bit(nullptr, raw.data(), raw.size()));
  if (!guessed) return make_valid_utf8(raw.data(), static_cast<gssize>(raw.size()));
  return make_valid_utf8(guessed.get(), -1);
}

std::string header_line(const char* value) {
  if (value == nullptr) return {};
  std::string line = make_valid_utf8(value, -1);
  std::string out;
  out.reserve(line.size());
  for (const char c : line) {
    if (c == '\r' || c == '\n' || c == '\t') {
      out.push_back(' ');
    } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      out.push_back(c);
    }
  }
  const std::size_t first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

const char* declared_charset(GMimeObject* object) {
  return g_mime_object_get_content_type_parameter(object, "charset");
}

bool has_attachment_disposition(GMimeObject* object) {
  GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
  return disposition != nullptr && g_mime_content_disposition_is_attachment(disposition);
}

const char* declared_filename(GMimeObject* object) {
  if (GMIME_IS_PART(object)) return g_mime_part_get_filename(GMIME_PART(object));
  GMimeContentDisposition* disposition = g_mime_object_get_content_disposition(object);
  const char* name = disposition != nullptr
                         ? g_mime_content_disposition_get_parameter(disposition, "filename")
                         : nullptr;
  return name != nullptr ? name : g_mime_object_get_content_type_parameter(object, "name");
}

bool has_filename(GMimeObject* object) {
  const char* name = declared_filename(object);
  return name != nullptr && *name != '\0';
}

std::string mime_type(GMimeObject* object) {
  GCharPtr type(g_mime_content_type_get_mime_type(g_mime_object_get_content_type(object)));
  if (!type) return "application/octet-stream";
  GCharPtr lower(g_ascii_strdown(type.get(), -1));
  return std::string(lower.get());
}

}  // namespace phishdrill
