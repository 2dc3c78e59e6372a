#include "net/multipart_form.h"

#include <cstddef>

#include "core/ascii.h"
#include "net/http_message.h"

namespace phishdrill::net {
namespace {

constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1
constexpr std::string_view kCrlf = "\r\n";

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_token_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte > 32 && byte < 127 &&
         std::string_view("()<>@,;:\\\"/[]?=").find(c) == std::string_view::npos;
}

// A token or a quoted-string at the start of `rest`; advances `rest`.
std::optional<std::string> take_value(std::string_view& rest) {
  std::string value;
  if (!rest.empty() && rest.front() == '"') {
    std::size_t i = 1;
    while (i < rest.size() && rest[i] != '"') {
      if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
      value += rest[i++];
    }
    if (i >= rest.size()) return std::nullopt;
    rest.remove_prefix(i + 1);
    return value;
  }
  std::size_t i = 0;
  while (i < rest.size() && is_token_char(rest[i])) ++i;
  if (i == 0) return std::nullopt;
  value.assign(rest.substr(0, i));
  rest.remove_prefix(i);
  return value;
}

std::unexpected<Error> bad(std::string message) {
  return fail(ErrorCode::kBadRequest, "the multipart/form-data body is malformed: " + message);
}

// Part headers up to the blank line; fills `part`.
Result<void> read_part_headers(std::string_view headers, FormPart& part) {
  bool has_disposition = false;
  while (!headers.empty()) {
    const std::size_t end = headers.find(kCrlf);
    const std::string_view line = headers.substr(0, end);
    headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + kCrlf.size());
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad("a part header has no colon");
    const std::string_view name = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));
    if (ascii_iequals(name, "Content-Type")) {
      part.content_type = std::string(value);
    } else if (ascii_iequals(name, "Content-Disposition")) {
      const auto disposition = parse_media_type(value);
      if (!disposition || disposition->type != "form-data") {
        return bad("a part's Content-Disposition is not form-data");
      }
      const auto field = disposition->parameter("name");
      if (!field) return bad("a part has no name");
      part.name = std::string(*field);
      if (const auto file = disposition->parameter("filename")) part.filename = std::string(*file);
      has_disposition = true;
    }
  }
  if (!has_disposition) return bad("a part has no Content-Disposition");
  return {};
}

}  // namespace

std::optional<std::string_view> MediaType::parameter(std::string_view name) const {
  for (const auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::optional<MediaType> parse_media_type(std::string_view value) {
  MediaType media;
  const std::size_t semicolon = value.find(';');
  media.type = lower(trim(value.substr(0, semicolon)));
  if (media.type.empty()) return std::nullopt;
  for (const char c : media.type) {
    if (!is_token_char(c) && c != '/') return std::nullopt;
  }
  std::string_view rest = semicolon == std::string_view::npos ? "" : value.substr(semicolon);
  while (!rest.empty()) {
    rest = trim(rest);
    if (rest.empty()) break;
    if (rest.front() != ';') return std::nullopt;
    rest = trim(rest.substr(1));
    if (rest.empty()) break;  // a trailing ';'
    const std::size_t equals = rest.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    std::string key = lower(trim(rest.substr(0, equals)));
    rest = trim(rest.substr(equals + 1));
    auto parameter = take_value(rest);
    if (key.empty() || !parameter) return std::nullopt;
    media.parameters.emplace_back(std::move(key), std::move(*parameter));
  }
  return media;
}

Result<std::vector<FormPart>> parse_multipart_form(const MediaType& type, std::string_view body) {
  const auto boundary = type.parameter("boundary");
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength) {
    return bad("the Content-Type has no valid boundary");
  }
  const std::string delimiter = "--" + std::string(*boundary);
  // The first delimiter may open the body or follow a preamble line.
  std::size_t at = body.starts_with(delimiter) ? 0 : body.find(std::string(kCrlf) + delimiter);
  if (at == std::string_view::npos) return bad("the boundary never occurs in the body");
  if (at != 0) at += kCrlf.size();
  const std::string next_delimiter = std::string(kCrlf) + delimiter;

  std::vector<FormPart> parts;
  std::size_t pos = at + delimiter.size();
  while (true) {
    if (body.substr(pos).starts_with("--")) return parts;  // the closing delimiter
    // Transport padding, then the CRLF that ends the delimiter line.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (!body.substr(pos).starts_with(kCrlf)) return bad("a delimiter line does not end in CRLF");
    pos += kCrlf.size();
    if (body.substr(pos).starts_with(kCrlf)) return bad("a part has no Content-Disposition");
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return bad("a part's headers never end");
    FormPart part;
    if (auto ok = read_part_headers(body.substr(pos, headers_end - pos), part); !ok) {
      return std::unexpected(std::move(ok.error()));
    }
    const std::size_t content_start = headers_end + 2 * kCrlf.size();
    const std::size_t content_end = body.find(next_delimiter, content_start);
    if (content_end == std::string_view::npos) return bad("the closing boundary is missing");
    part.body.assign(body.substr(content_start, content_end - content_start));
    parts.push_back(std::move(part));
    pos = content_end + next_delimiter.size();
  }
}

}  // namespace phishdrill::net
