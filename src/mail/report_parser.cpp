#include "mail/report_parser.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <unordered_set>
#include <utility>

#include "core/ascii.h"
#include "core/email_address.h"
#include "core/utf8.h"
#include "mail/eml_import.h"
#include "mail/forward_date.h"
#include "mail/gmime_ptr.h"
#include "mail/html_reading.h"
#include "mail/inline_forward.h"
#include "mail/mime_reading.h"
#include "mail/text_links.h"

namespace phishdrill {
namespace {

constexpr std::size_t kMaxForwardBlocks = 10;
// Enclosing boundaries compared when finding where an attached message ends
// (GMime's own nesting stops near 1,000; real mail has a handful).
constexpr std::size_t kMaxBoundariesChecked = 100;
// How much of a subject names a message in a refusal.
constexpr std::size_t kMaxSubjectInRefusal = 80;
// RFC 2046: a boundary is at most 70 characters.
constexpr std::size_t kMaxBoundaryBytes = 70;

// The boundaries of the multiparts around a part, innermost first: an
// attached message ends at the first line that is one of them, as GMime's
// parser decides.
struct Boundaries {
  std::string boundary;
  std::shared_ptr<const Boundaries> outer;
};
using BoundaryChain = std::shared_ptr<const Boundaries>;

enum class EnclosedKind {
  kMessagePart,     // message/rfc822 parsed in place by GMime
  kEncodedMessage,  // a file holding a message (.eml, or message/rfc822 in base64)
  kOutlookMsg,      // recognised, not read
};

// A message inside a message: a candidate reported message.
struct Enclosed {
  GMimeObject* object = nullptr;
  EnclosedKind kind = EnclosedKind::kMessagePart;
  std::string_view source;  // the bytes `object` was parsed from
  BoundaryChain boundaries;
  std::string name;  // how a refusal names it
};

// What one message's own MIME tree holds (enclosed messages are not opened).
struct Content {
  GMimePart* text = nullptr;  // first text/plain body
  GMimePart* html = nullptr;  // first text/html body
  std::vector<GMimePart*> attachments;
  std::vector<Enclosed> enclosed;
  std::string recovered_text;  // a multipart's content read as text when it had no boundary
};

std::string cut(std::string_view text, std::size_t max_bytes = kMaxHeaderValueBytes) {
  return std::string(utf8_prefix(text, max_bytes));
}

std::string lower_file_name(GMimeObject* object) {
  return ascii_lowercase(header_line(declared_filename(object)));
}

std::string enclosed_name(GMimeObject* object) {
  const std::string name = cut(header_line(declared_filename(object)), 255);
  return name.empty() ? "an attached message" : name;
}

std::string utf16le(std::string_view ascii) {
  std::string out;
  for (const char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

// An OLE compound file (D0 CF 11 E0 A1 B1 1A E1) holding the property
// streams only Outlook items have ("__substg1.0_…", names in UTF-16LE).
bool is_outlook_msg(std::string_view bytes) {
  static constexpr std::string_view kOleMagic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  static const std::string kPropertyStream = utf16le("__substg1.0_");
  return bytes.starts_with(kOleMagic) && bytes.find(kPropertyStream) != std::string_view::npos;
}

// Content only its recipient's key (or an S/MIME library) can open.
bool is_sealed(GMimeObject* object) {
  return GMIME_IS_MULTIPART_ENCRYPTED(object) || GMIME_IS_APPLICATION_PKCS7_MIME(object);
}

// Whether a leaf part holds a message: by type or name, or, for a nameless
// or extension-less binary, by its bytes.
std::optional<EnclosedKind> enclosed_kind(GMimePart* part) {
  GMimeObject* object = GMIME_OBJECT(part);
  const std::string type = mime_type(object);
  const std::string name = lower_file_name(object);
  if (type == "application/vnd.ms-outlook" || name.ends_with(".msg")) {
    return EnclosedKind::kOutlookMsg;
  }
  if (type == "message/rfc822" || type == "message/global" || name.ends_with(".eml")) {
    return EnclosedKind::kEncodedMessage;
  }
  const bool opaque = type == "application/octet-stream" || type == "application/x-ole-storage" ||
                      type == "application/cdfv2";
  if (opaque && name.find('.') == std::string::npos && is_outlook_msg(decoded_content(part))) {
    return EnclosedKind::kOutlookMsg;
  }
  return std::nullopt;
}

// True when a base64 part holds bytes base64 has no use for, or ends in the
// middle of a group: GMime skips what it cannot decode.
bool has_damaged_base64(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (content == nullptr ||
      g_mime_data_wrapper_get_encoding(content) != GMIME_CONTENT_ENCODING_BASE64) {
    return false;
  }
  GMimeStream* stream = g_mime_data_wrapper_get_stream(content);
  if (stream == nullptr) return false;
  g_mime_stream_reset(stream);
  std::array<char, 16384> buffer{};
  std::size_t digits = 0;
  bool invalid = false;
  for (;;) {
    const ssize_t read = g_mime_stream_read(stream, buffer.data(), buffer.size());
    if (read <= 0) break;
    for (ssize_t i = 0; i < read; ++i) {
      const char c = buffer[static_cast<std::size_t>(i)];
      if (g_ascii_isalnum(c) || c == '+' || c == '/') {
        ++digits;
      } else if (c != '=' && !g_ascii_isspace(c)) {
        invalid = true;
      }
    }
  }
  g_mime_stream_reset(stream);
  return invalid || digits % 4 == 1;
}

ReportedAttachment describe_attachment(GMimePart* part) {
  GMimeObject* object = GMIME_OBJECT(part);
  ReportedAttachment attachment;
  attachment.name = cut(header_line(declared_filename(object)), 255);
  attachment.content_type = mime_type(object);
  // Decoded straight into SHA-256 (GMime's checksum filter, a GChecksum):
  // a 20 MB attachment is never copied.
  GObjectPtr<GMimeStream> sink(g_mime_stream_null_new());
  GObjectPtr<GMimeStream> filtered(g_mime_stream_filter_new(sink.get()));
  GObjectPtr<GMimeFilter> checksum(g_mime_filter_checksum_new(G_CHECKSUM_SHA256));
  g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered.get()), checksum.get());
  if (GMimeDataWrapper* content = g_mime_part_get_content(part); content != nullptr) {
    g_mime_data_wrapper_write_to_stream(content, filtered.get());
  }
  g_mime_stream_flush(filtered.get());
  attachment.size = static_cast<std::int64_t>(GMIME_STREAM_NULL(sink.get())->written);
  GCharPtr hex(g_mime_filter_checksum_get_string(GMIME_FILTER_CHECKSUM(checksum.get())));
  attachment.sha256 = hex ? ascii_lowercase(hex.get()) : std::string();
  return attachment;
}

// The boundary of the first line of `text` that looks like one ("--token").
std::optional<std::string> first_boundary_line(std::string_view text) {
  std::size_t line = 0;
  while (line < text.size()) {
    std::size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(line, end - line);
    while (!content.empty() && (content.back() == '\r' || content.back() == ' ')) {
      content.remove_suffix(1);
    }
    if (content.size() > 2 && content.starts_with("--")) {
      const std::string_view token = content.substr(2);
      const bool usable = token.size() <= kMaxBoundaryBytes &&
                          token.find_first_of("\"\\\t") == std::string_view::npos;
      return usable ? std::optional<std::string>(token) : std::nullopt;
    }
    line = end + 1;
  }
  return std::nullopt;
}

// Where the part starting at `start` in `source` ends: at the first line that
// is an enclosing boundary ("--b" or "--b--", trailing white space allowed,
// as GMime's parser reads them), less the line break before it (which
// belongs to the boundary), or at the end of `source`.
std::size_t part_end(std::string_view source, std::size_t start, const Boundaries* chain) {
  if (chain == nullptr) return source.size();
  std::unordered_set<std::string_view> boundaries;
  for (const Boundaries* b = chain; b != nullptr && boundaries.size() < kMaxBoundariesChecked;
       b = b->outer.get()) {
    boundaries.insert(b->boundary);
  }
  std::size_t line = start;
  while (line < source.size()) {
    std::size_t end = source.find('\n', line);
    if (end == std::string_view::npos) end = source.size();
    std::string_view text = source.substr(line, end - line);
    if (text.starts_with("--")) {
      text.remove_prefix(2);
      while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
      }
      if (boundaries.contains(text) ||
          (text.ends_with("--") && boundaries.contains(text.substr(0, text.size() - 2)))) {
        std::size_t cut_at = line;
        if (cut_at > start && source[cut_at - 1] == '\n') --cut_at;
        if (cut_at > start && source[cut_at - 1] == '\r') --cut_at;
        return cut_at;
      }
    }
    line = end + 1;
  }
  return source.size();
}

// The bytes of a part's content in `source`: from the blank line after its
// last header to where the part ends. nullopt when GMime gave no offsets.
std::optional<std::string_view> content_bytes(GMimeObject* object, std::string_view source,
                                              const Boundaries* boundaries) {
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int count = g_mime_header_list_get_count(headers);
  gint64 last = -1;
  for (int i = 0; i < count; ++i) {
    last = std::max(last, g_mime_header_get_offset(g_mime_header_list_get_header_at(headers, i)));
  }
  if (last < 0 || static_cast<std::uint64_t>(last) >= source.size()) return std::nullopt;
  std::size_t line = static_cast<std::size_t>(last);
  while (line < source.size()) {
    std::size_t end = source.find('\n', line);
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view text = source.substr(line, end - line);
    line = end + 1;
    if (text.empty() || text == "\r") {
      return source.substr(line, part_end(source, line, boundaries) - line);
    }
  }
  return std::nullopt;
}

int header_count(GMimeObject* object) {
  return g_mime_header_list_get_count(g_mime_object_get_header_list(object));
}

struct Mailbox {
  std::string name;
  std::string address;
};

Mailbox first_mailbox(InternetAddressList* list) {
  if (list == nullptr) return {};
  const int count = internet_address_list_length(list);
  for (int i = 0; i < count; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    const char* addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address));
    return Mailbox{cut(header_line(internet_address_get_name(address))),
                   cut(normalize_email(header_line(addr)))};
  }
  return {};
}

// Who sent the report: a message redirected (bounced) to the mailbox keeps
// its original From, and names the person who redirected it in Resent-From
// (RFC 5322 3.6.6; the topmost is the latest).
Mailbox report_sender(GMimeMessage* message) {
  const char* resent = g_mime_object_get_header(GMIME_OBJECT(message), "Resent-From");
  if (resent != nullptr) {
    InternetAddressList* list = internet_address_list_parse(nullptr, resent);
    const Mailbox sender = first_mailbox(list);
    if (list != nullptr) g_object_unref(list);
    if (!sender.address.empty()) return sender;
  }
  return first_mailbox(g_mime_message_get_from(message));
}

std::string return_path(GMimeObject* object) {
  std::string value = header_line(g_mime_object_get_header(object, "Return-Path"));
  const std::size_t open = value.find('<');
  if (open != std::string::npos) {
    const std::size_t close = value.find('>', open);
    value =
        value.substr(open + 1, close == std::string::npos ? std::string::npos : close - open - 1);
  }
  return cut(normalize_email(value));
}

std::int64_t unix_date(GMimeMessage* message) {
  GDateTime* date = g_mime_message_get_date(message);
  return date != nullptr ? g_date_time_to_unix(date) : 0;
}

std::int32_t utc_offset_seconds(GMimeMessage* message) {
  GDateTime* date = g_mime_message_get_date(message);
  return date != nullptr
             ? static_cast<std::int32_t>(g_date_time_get_utc_offset(date) / G_TIME_SPAN_SECOND)
             : 0;
}

std::vector<std::string> authentication_results(GMimeObject* object) {
  std::vector<std::string> values;
  GMimeHeaderList* headers = g_mime_object_get_header_list(object);
  const int count = g_mime_header_list_get_count(headers);
  for (int i = 0; i < count && values.size() < kMaxAuthenticationResults; ++i) {
    GMimeHeader* header = g_mime_header_list_get_header_at(headers, i);
    const char* name = g_mime_header_get_name(header);
    if (name == nullptr || g_ascii_strcasecmp(name, "Authentication-Results") != 0) continue;
    values.push_back(cut(header_line(g_mime_header_get_value(header))));
  }
  return values;
}

std::string domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<ReportedLink> links_of(std::vector<HtmlLink> links) {
  std::vector<ReportedLink> out;
  out.reserve(links.size());
  for (HtmlLink& link : links) out.push_back(std::move(link.link));
  return out;
}

// True when a subject says its message is a forward: "FW:", "Fwd:" and the
// prefixes of other languages' clients (WG, TR, RV, I, VS, VB, FS, ENC,
// Doorst), after any "[EXTERNAL]"-like tags a gateway put in front.
bool has_forward_prefix(std::string_view subject) {
  for (;;) {
    subject = trimmed(subject);
    if (!subject.starts_with('[')) break;
    const std::size_t close = subject.find(']');
    if (close == std::string_view::npos) return false;
    subject.remove_prefix(close + 1);
  }
  const std::size_t colon = subject.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string prefix = ascii_lowercase(trimmed(subject.substr(0, colon)));
  for (const std::string_view forward :
       {"fw", "fwd", "wg", "tr", "rv", "i", "vs", "vb", "fs", "enc", "doorst"}) {
    if (prefix == forward) return true;
  }
  return false;
}

// The index of the block that holds the reported message: the first, unless
// its sender is at the reporter's own domain and only a short note stands
// between it and the next block (a colleague forwarded it on).
std::size_t innermost_forward(const std::vector<ForwardBlock>& blocks,
                              const std::string& reporter) {
  const std::string reporter_domain = domain_of(reporter);
  std::size_t chosen = 0;
  while (chosen + 1 < blocks.size() && chosen + 1 < static_cast<std::size_t>(kMaxReportNesting)) {
    const ForwardBlock& block = blocks[chosen];
    if (reporter_domain.empty() || domain_of(block.from_address) != reporter_domain) break;
    if (blocks[chosen + 1].begin - block.body_begin > kMaxWrapperTextBytes) break;
    ++chosen;
  }
  return chosen;
}

// A part still to be read: with the bytes it was parsed from and the
// boundaries around it.
struct PendingPart {
  GMimeObject* object;
  std::string_view source;
  BoundaryChain boundaries;
};

// Takes a part as a body of the message when it is one (the first text/plain
// or text/html that is neither an attachment nor named); true when it is a
// body, or one more piece of one (alternatives, Apple's splits).
bool take_body(GMimePart* part, Content& content) {
  GMimeObject* object = GMIME_OBJECT(part);
  if (has_attachment_disposition(object) || has_filename(object)) return false;
  GMimeContentType* type = g_mime_object_get_content_type(object);
  const bool is_html = g_mime_content_type_is_type(type, "text", "html");
  const bool is_text = g_mime_content_type_is_type(type, "text", "plain");
  if (is_html && content.html == nullptr) {
    content.html = part;
  } else if (is_text && content.text == nullptr) {
    content.text = part;
  }
  return is_html || is_text;
}

// A leaf part is an enclosed message, a body or an attachment.
void sort_leaf(GMimePart* part, const PendingPart& item, Content& content) {
  GMimeObject* object = GMIME_OBJECT(part);
  if (const std::optional<EnclosedKind> kind = enclosed_kind(part)) {
    content.enclosed.push_back(
        Enclosed{object, *kind, item.source, item.boundaries, enclosed_name(object)});
    return;
  }
  if (take_body(part, content)) return;
  content.attachments.push_back(part);
}

std::string outlook_refusal(const std::string& name) {
  return name +
         " is an Outlook .msg file, which is not read; forward the message as an attachment "
         "(.eml) instead";
}

// An enclosed message opened for reading.
struct OpenedMessage {
  GMimeMessage* message = nullptr;
  std::string raw;          // its bytes, as the reported message keeps them
  std::string_view source;  // the bytes it was parsed from
  BoundaryChain boundaries;
};

// The bytes of a message parsed in place: from its first header to where its
// part ends in `source`, else as GMime writes it out.
std::string message_part_bytes(GMimeMessage* message, std::string_view source,
                               const Boundaries* boundaries) {
  GMimeHeader* first =
      g_mime_header_list_get_header_at(g_mime_object_get_header_list(GMIME_OBJECT(message)), 0);
  const gint64 start = g_mime_header_get_offset(first);
  if (start >= 0 && static_cast<std::uint64_t>(start) < source.size()) {
    const auto begin = static_cast<std::size_t>(start);
    return std::string(source.substr(begin, part_end(source, begin, boundaries) - begin));
  }
  GCharPtr written(g_mime_object_to_string(GMIME_OBJECT(message), nullptr));
  return written ? std::string(written.get()) : std::string();
}

// How refusals name an attached message.
std::string attached_message_name(GMimeMessage* message) {
  const std::string subject = header_line(g_mime_message_get_subject(message));
  return subject.empty() ? std::string("an attached message without a subject")
                         : "the attached message \"" + cut(subject, kMaxSubjectInRefusal) + "\"";
}

// The header fields of a reported message.
ReportedMessage message_headers(GMimeMessage* message, ReportShape shape) {
  GMimeObject* object = GMIME_OBJECT(message);
  ReportedMessage out;
  out.shape = shape;
  const Mailbox from = first_mailbox(g_mime_message_get_from(message));
  out.from_name = from.name;
  out.from_address = from.address;
  out.reply_to = first_mailbox(g_mime_message_get_reply_to(message)).address;
  out.return_path = return_path(object);
  out.subject = cut(header_line(g_mime_message_get_subject(message)));
  out.message_id = cut(header_line(g_mime_message_get_message_id(message)));
  out.date = unix_date(message);
  out.authentication_results = authentication_results(object);
  return out;
}

// The forwarded header blocks in a report's text. Without a marker line,
// header-like lines are a forward only when the report says it is one: a
// redirected message may quote a made-up thread.
std::vector<ForwardBlock> forward_blocks(std::string_view text, std::string_view report_subject) {
  std::vector<ForwardBlock> blocks = find_forward_blocks(text, kMaxForwardBlocks);
  if (!has_forward_prefix(report_subject)) {
    std::erase_if(blocks, [](const ForwardBlock& block) { return !block.marked; });
  }
  return blocks;
}

// The message a forward's header block introduces in `text`, without links or
// attachments.
ReportedMessage forwarded_message(const ForwardBlock& block, const std::string& text,
                                  std::int32_t report_utc_offset) {
  ReportedMessage out;
  out.shape = ReportShape::kInlineForward;
  out.from_name = cut(block.from_name);
  out.from_address = cut(block.from_address);
  out.subject = cut(block.subject);
  out.date = parse_forward_date(block.date, report_utc_offset).value_or(0);
  out.text = unquote(std::string_view(text).substr(block.body_begin), block.quote_depth);
  out.raw = text.substr(block.begin);
  return out;
}

// Where the chosen block's body begins in the HTML's text: the same block
// found by what it says, else by position; nullopt when it is not there.
// `blocks` were found in `html_text` when `same_text`.
std::optional<std::size_t> html_body_begin(const std::vector<ForwardBlock>& blocks,
                                           std::size_t chosen, std::string_view html_text,
                                           bool same_text) {
  const std::vector<ForwardBlock> html_blocks =
      same_text ? blocks : find_forward_blocks(html_text, kMaxForwardBlocks);
  const ForwardBlock& block = blocks[chosen];
  for (const ForwardBlock& candidate : html_blocks) {
    if (candidate.subject == block.subject && candidate.from_address == block.from_address) {
      return candidate.body_begin;
    }
  }
  if (html_blocks.size() == blocks.size()) return html_blocks[chosen].body_begin;
  return std::nullopt;
}

class ReportReader {
 public:
  explicit ReportReader(std::string_view raw) : raw_(raw) {}

  Result<ParsedReport> read();

 private:
  GMimeMessage* parse_message(std::string_view bytes);
  GMimeObject* parse_part(std::string_view bytes);
  std::string_view keep(std::string bytes);
  Content walk(GMimeObject* root, std::string_view source, BoundaryChain boundaries,
               const std::string& where);
  bool count_part();
  void open_multipart(const PendingPart& item, Content& content, std::vector<PendingPart>& pending,
                      const std::string& where);
  void recover_multipart(GMimeMultipart* multipart, std::string_view source,
                         const Boundaries* boundaries, Content& content,
                         std::vector<std::pair<GMimeObject*, std::string_view>>& recovered,
                         const std::string& where);
  bool is_wrapper(const Content& content);
  void resolve(const Enclosed& enclosed, int depth);
  bool room_for_message();
  std::optional<OpenedMessage> open_message_part(const Enclosed& enclosed);
  std::optional<OpenedMessage> open_encoded_message(const Enclosed& enclosed);
  void resolve_wrapped(const Content& wrapper, const std::string& where, int depth);
  ReportedMessage describe(GMimeMessage* message, const Content& content, std::string raw,
                           ReportShape shape, const std::string& where);
  void read_bodies(const Content& content, ReportedMessage& out, const std::string& where);
  void read_html_body(ReportedMessage& out, const std::string& where);
  void attach_files(const Content& content, ReportedMessage& out, const std::string& where);
  std::optional<ReportedMessage> inline_forward(GMimeMessage* report, const Content& content);
  std::vector<ReportedLink> html_links_from(HtmlReading& reading, std::size_t body_begin,
                                            const std::string& where);
  void attach_forwarded_files(const Content& content, ReportedMessage& out,
                              const std::string& where);
  std::vector<ReportedLink> links_in_text(std::string_view text, const std::string& where);
  void refuse_extra_links(const std::string& where);
  void refuse_extra_attachments(const std::string& where);
  void refuse(std::string reason);
  void refuse_damage(GMimePart* part, const std::string& what);

  std::string_view raw_;
  std::deque<std::string> buffers_;           // bytes GMime parsed besides `raw_`
  std::vector<GObjectPtr<GObject>> objects_;  // parsers and what they built
  std::size_t parts_ = 0;
  std::size_t recovered_bytes_ = 0;  // copied by recover_multipart
  bool parts_refused_ = false;
  bool messages_refused_ = false;
  ParsedReport report_;
};

std::string_view ReportReader::keep(std::string bytes) {
  buffers_.push_back(std::move(bytes));
  return buffers_.back();
}

GMimeMessage* ReportReader::parse_message(std::string_view bytes) {
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GMimeParser* parser = g_mime_parser_new_with_stream(stream.get());
  objects_.emplace_back(G_OBJECT(parser));
  GMimeMessage* message = g_mime_parser_construct_message(parser, nullptr);
  if (message == nullptr) return nullptr;
  objects_.emplace_back(G_OBJECT(message));
  // GMime accepts a header-less blob as a message; a message always has headers.
  return header_count(GMIME_OBJECT(message)) > 0 ? message : nullptr;
}

GMimeObject* ReportReader::parse_part(std::string_view bytes) {
  GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GMimeParser* parser = g_mime_parser_new_with_stream(stream.get());
  objects_.emplace_back(G_OBJECT(parser));
  GMimeObject* part = g_mime_parser_construct_part(parser, nullptr);
  if (part != nullptr) objects_.emplace_back(G_OBJECT(part));
  return part;
}

void ReportReader::refuse(std::string reason) {
  if (report_.refusals.size() >= kMaxRefusals) return;
  if (std::find(report_.refusals.begin(), report_.refusals.end(), reason) !=
      report_.refusals.end()) {
    return;
  }
  report_.refusals.push_back(valid_utf8(reason));
}

void ReportReader::refuse_damage(GMimePart* part, const std::string& what) {
  if (has_damaged_base64(part)) {
    refuse(what +
           ": its base64 encoding is damaged; only the bytes that could be decoded were read");
  }
}

// A multipart without parts is one whose boundary matched nothing (missing,
// or not the one its parts use): GMime keeps the whole content as its
// prologue. Read it again with the first boundary line found in it; failing
// that, keep it as text.
void ReportReader::recover_multipart(
    GMimeMultipart* multipart, std::string_view source, const Boundaries* boundaries,
    Content& content, std::vector<std::pair<GMimeObject*, std::string_view>>& recovered,
    const std::string& where) {
  // The content's own bytes when they can be found (GMime's prologue has its
  // line ends changed to LF), else the prologue.
  std::optional<std::string_view> own = content_bytes(GMIME_OBJECT(multipart), source, boundaries);
  const char* prologue = g_mime_multipart_get_prologue(multipart);
  const std::string_view text = own ? *own : prologue != nullptr ? prologue : "";
  if (is_blank(text)) return;
  // Each recovery copies what it reads again, and broken multiparts can nest:
  // all of them together copy at most the size of a whole report.
  const bool affordable = recovered_bytes_ + text.size() <= kMaxReportBytes;
  if (!affordable) {
    refuse(where +
           ": broken multipart sections nest too deeply to read them all; the innermost were "
           "read as plain text");
  }
  if (const std::optional<std::string> boundary =
          affordable ? first_boundary_line(text) : std::nullopt) {
    recovered_bytes_ += text.size();
    const std::string_view bytes = keep("Content-Type: multipart/mixed; boundary=\"" + *boundary +
                                        "\"\r\n\r\n" + std::string(text));
    GMimeObject* part = parse_part(bytes);
    if (part != nullptr && GMIME_IS_MULTIPART(part) &&
        g_mime_multipart_get_count(GMIME_MULTIPART(part)) > 0) {
      refuse(where +
             ": a multipart section's boundary does not match its parts; they were read with the "
             "boundary line found in it");
      recovered.emplace_back(part, bytes);
      return;
    }
  }
  if (affordable) {
    refuse(where +
           ": a multipart section has no boundary its parts use; its content was read as plain "
           "text");
  }
  if (content.recovered_text.empty()) content.recovered_text = valid_utf8(text);
}

Content ReportReader::walk(GMimeObject* root, std::string_view source, BoundaryChain boundaries,
                           const std::string& where) {
  Content content;
  // Iterative, in document order: the tree comes from outside.
  std::vector<PendingPart> pending = {{root, source, std::move(boundaries)}};
  while (!pending.empty()) {
    const PendingPart item = std::move(pending.back());
    pending.pop_back();
    GMimeObject* object = item.object;
    if (object == nullptr) continue;
    if (!count_part()) break;
    if (is_sealed(object)) {
      refuse(where + " is encrypted or sealed with S/MIME or PGP; its content was not read");
    } else if (GMIME_IS_MULTIPART(object)) {
      open_multipart(item, content, pending, where);
    } else if (GMIME_IS_MESSAGE_PART(object)) {
      content.enclosed.push_back(Enclosed{object, EnclosedKind::kMessagePart, item.source,
                                          item.boundaries, enclosed_name(object)});
    } else if (GMIME_IS_PART(object)) {
      sort_leaf(GMIME_PART(object), item, content);
    }
  }
  return content;
}

// Counts one more part of the report; false once there are too many.
bool ReportReader::count_part() {
  if (++parts_ <= kMaxReportParts) return true;
  if (!parts_refused_) {
    refuse("the report has more than " + std::to_string(kMaxReportParts) +
           " MIME parts; the rest were not read");
  }
  parts_refused_ = true;
  return false;
}

// Queues a multipart's parts, first part on top, inside its boundary; a
// multipart without parts is recovered.
void ReportReader::open_multipart(const PendingPart& item, Content& content,
                                  std::vector<PendingPart>& pending, const std::string& where) {
  GMimeMultipart* multipart = GMIME_MULTIPART(item.object);
  const int count = g_mime_multipart_get_count(multipart);
  if (count == 0) {
    std::vector<std::pair<GMimeObject*, std::string_view>> recovered;
    recover_multipart(multipart, item.source, item.boundaries.get(), content, recovered, where);
    for (const auto& [part, bytes] : recovered) pending.push_back({part, bytes, nullptr});
    return;
  }
  BoundaryChain inner = item.boundaries;
  if (const char* boundary = g_mime_multipart_get_boundary(multipart); boundary != nullptr) {
    inner = std::make_shared<const Boundaries>(Boundaries{boundary, item.boundaries});
  }
  for (int i = count; i > 0; --i) {
    pending.push_back({g_mime_multipart_get_part(multipart, i - 1), item.source, inner});
  }
}

// A message that only carries other messages: short text, and nothing else
// attached but images (a signature's logo) and the messages.
bool ReportReader::is_wrapper(const Content& content) {
  if (content.enclosed.empty()) return false;
  for (GMimePart* part : content.attachments) {
    if (!g_mime_content_type_is_type(g_mime_object_get_content_type(GMIME_OBJECT(part)), "image",
                                     "*")) {
      return false;
    }
  }
  std::string text;
  if (content.text != nullptr) {
    text = text_body(content.text);
  } else if (content.html != nullptr) {
    text = read_html(text_body(content.html), 0).text;
  } else {
    text = content.recovered_text;
  }
  return trimmed(text).size() <= kMaxWrapperTextBytes;
}

void ReportReader::resolve(const Enclosed& enclosed, int depth) {
  if (!room_for_message()) return;
  if (enclosed.kind == EnclosedKind::kOutlookMsg) {
    refuse(outlook_refusal(enclosed.name));
    return;
  }
  std::optional<OpenedMessage> opened = enclosed.kind == EnclosedKind::kMessagePart
                                            ? open_message_part(enclosed)
                                            : open_encoded_message(enclosed);
  if (!opened) return;
  const std::string where = attached_message_name(opened->message);
  const Content content = walk(g_mime_message_get_mime_part(opened->message), opened->source,
                               std::move(opened->boundaries), where);
  if (is_wrapper(content)) {
    resolve_wrapped(content, where, depth);
    return;
  }
  report_.messages.push_back(
      describe(opened->message, content, std::move(opened->raw), ReportShape::kAttached, where));
}

// False once the report holds as many messages as are read.
bool ReportReader::room_for_message() {
  if (report_.messages.size() < kMaxReportedMessages) return true;
  if (!messages_refused_) {
    refuse("the report holds more than " + std::to_string(kMaxReportedMessages) +
           " messages; the rest were not read");
  }
  messages_refused_ = true;
  return false;
}

// A message/rfc822 part GMime parsed in place; nullopt (refused) when empty.
std::optional<OpenedMessage> ReportReader::open_message_part(const Enclosed& enclosed) {
  GMimeMessage* message = g_mime_message_part_get_message(GMIME_MESSAGE_PART(enclosed.object));
  if (message == nullptr || header_count(GMIME_OBJECT(message)) == 0) {
    refuse(enclosed.name + " is empty: there is no message in it");
    return std::nullopt;
  }
  return OpenedMessage{
      .message = message,
      .raw = message_part_bytes(message, enclosed.source, enclosed.boundaries.get()),
      .source = enclosed.source,
      .boundaries = enclosed.boundaries,
  };
}

// A file holding a message, decoded and parsed; nullopt (refused) when it
// holds an Outlook item or no message.
std::optional<OpenedMessage> ReportReader::open_encoded_message(const Enclosed& enclosed) {
  GMimePart* part = GMIME_PART(enclosed.object);
  refuse_damage(part, enclosed.name);
  std::string bytes = decoded_content(part);
  if (is_outlook_msg(bytes)) {
    refuse(outlook_refusal(enclosed.name));
    return std::nullopt;
  }
  const std::string_view source = keep(std::move(bytes));
  GMimeMessage* message = parse_message(source);
  if (message == nullptr) {
    refuse(enclosed.name + " is not an email message that can be read");
    return std::nullopt;
  }
  return OpenedMessage{
      .message = message, .raw = std::string(source), .source = source, .boundaries = nullptr};
}

// A message that only carries others (a forward of a report): the messages
// in it are read instead, down to kMaxReportNesting levels.
void ReportReader::resolve_wrapped(const Content& wrapper, const std::string& where, int depth) {
  if (depth >= kMaxReportNesting) {
    refuse(where + " is a forwarded report more than " + std::to_string(kMaxReportNesting) +
           " levels deep; the messages inside it were not read");
    return;
  }
  for (const Enclosed& inner : wrapper.enclosed) resolve(inner, depth + 1);
}

ReportedMessage ReportReader::describe(GMimeMessage* message, const Content& content,
                                       std::string raw, ReportShape shape,
                                       const std::string& where) {
  ReportedMessage out = message_headers(message, shape);
  read_bodies(content, out, where);
  attach_files(content, out, where);
  out.raw = std::move(raw);
  return out;
}

// The text and HTML bodies, and the links they hold: the HTML's when there is
// one, else those in the text.
void ReportReader::read_bodies(const Content& content, ReportedMessage& out,
                               const std::string& where) {
  if (content.html != nullptr) {
    refuse_damage(content.html, where + "'s HTML body");
    out.html = text_body(content.html);
  }
  if (content.text != nullptr) {
    refuse_damage(content.text, where + "'s text body");
    out.text = text_body(content.text);
  }
  if (!out.html.empty()) {
    read_html_body(out, where);
    return;
  }
  if (out.text.empty()) out.text = content.recovered_text;
  out.links = links_in_text(out.text, where);
}

// The HTML body's links, with the text they show; its text stands for a
// missing text body.
void ReportReader::read_html_body(ReportedMessage& out, const std::string& where) {
  HtmlReading reading = read_html(out.html, kMaxLinksPerMessage);
  if (!reading.parsed) {
    refuse(where +
           ": the HTML body is too large or has too many tags to read safely; its links were "
           "taken from the HTML source, without the text they show");
  }
  if (reading.links_truncated) refuse_extra_links(where);
  if (out.text.empty()) out.text = std::move(reading.text);
  out.links = links_of(std::move(reading.links));
}

void ReportReader::attach_files(const Content& content, ReportedMessage& out,
                                const std::string& where) {
  std::vector<GMimePart*> files = content.attachments;
  // An enclosed .msg is a file of this message; an enclosed message is not.
  for (const Enclosed& enclosed : content.enclosed) {
    if (enclosed.kind == EnclosedKind::kOutlookMsg) files.push_back(GMIME_PART(enclosed.object));
  }
  for (GMimePart* part : files) {
    if (out.attachments.size() == kMaxAttachmentsPerMessage) {
      refuse_extra_attachments(where);
      break;
    }
    ReportedAttachment attachment = describe_attachment(part);
    refuse_damage(part, where + ": attachment " +
                            (attachment.name.empty() ? attachment.content_type : attachment.name));
    out.attachments.push_back(std::move(attachment));
  }
}

std::optional<ReportedMessage> ReportReader::inline_forward(GMimeMessage* report,
                                                            const Content& content) {
  const std::string plain = content.text != nullptr ? text_body(content.text) : std::string();
  const std::string html = content.html != nullptr ? text_body(content.html) : std::string();
  HtmlReading reading;
  if (!html.empty()) reading = read_html(html, kMaxLinksPerMessage);
  const std::string& text = !plain.empty()          ? plain
                            : !reading.text.empty() ? reading.text
                                                    : content.recovered_text;
  const std::vector<ForwardBlock> blocks = forward_blocks(text, report_.subject);
  if (blocks.empty()) return std::nullopt;
  const std::size_t chosen = innermost_forward(blocks, report_.reporter);
  ReportedMessage out = forwarded_message(blocks[chosen], text, utc_offset_seconds(report));
  out.html = html;
  const std::string where =
      "the forwarded message \"" + cut(out.subject, kMaxSubjectInRefusal) + "\"";
  // Links: those of the HTML below the same header block, with their shown
  // text; else the URLs in the quoted text.
  std::optional<std::size_t> html_body;
  if (!html.empty() && reading.parsed) {
    html_body = html_body_begin(blocks, chosen, reading.text, &text == &reading.text);
  }
  out.links =
      html_body ? html_links_from(reading, *html_body, where) : links_in_text(out.text, where);
  attach_forwarded_files(content, out, where);
  return out;
}

// The HTML's links from `body_begin` of its text on.
std::vector<ReportedLink> ReportReader::html_links_from(HtmlReading& reading,
                                                        std::size_t body_begin,
                                                        const std::string& where) {
  if (reading.links_truncated) refuse_extra_links(where);
  std::vector<ReportedLink> links;
  for (HtmlLink& link : reading.links) {
    if (link.text_offset >= body_begin) links.push_back(std::move(link.link));
  }
  return links;
}

// Clients forward the original's attachments with the forward.
void ReportReader::attach_forwarded_files(const Content& content, ReportedMessage& out,
                                          const std::string& where) {
  for (GMimePart* part : content.attachments) {
    if (out.attachments.size() == kMaxAttachmentsPerMessage) {
      refuse_extra_attachments(where);
      break;
    }
    out.attachments.push_back(describe_attachment(part));
  }
}

std::vector<ReportedLink> ReportReader::links_in_text(std::string_view text,
                                                      const std::string& where) {
  TextLinks found = find_text_links(text, kMaxLinksPerMessage);
  if (found.truncated) refuse_extra_links(where);
  return std::move(found.links);
}

void ReportReader::refuse_extra_links(const std::string& where) {
  refuse(where + " has more than " + std::to_string(kMaxLinksPerMessage) +
         " links; the rest were not read");
}

void ReportReader::refuse_extra_attachments(const std::string& where) {
  refuse(where + " has more than " + std::to_string(kMaxAttachmentsPerMessage) +
         " attachments; the rest were not read");
}

// RFC 3834: an Auto-Submitted field other than "no" marks a message no
// person wrote (an out-of-office reply, a bounce, another system's notice).
bool auto_submitted(GMimeMessage* message) {
  const char* value = g_mime_object_get_header(GMIME_OBJECT(message), "Auto-Submitted");
  if (value == nullptr) return false;
  const std::string keyword = ascii_lowercase(trimmed(header_line(value)));
  return !keyword.empty() && !keyword.starts_with("no");
}

Result<ParsedReport> ReportReader::read() {
  if (raw_.size() > kMaxReportBytes) {
    return fail(
        ErrorCode::kValidation,
        "the report is larger than " + std::to_string(kMaxReportBytes / (1024 * 1024)) + " MiB",
        "content");
  }
  if (is_blank(raw_)) return fail(ErrorCode::kValidation, "the report is empty", "content");
  gmime_init();
  GMimeMessage* message = parse_message(raw_);
  if (message == nullptr) {
    return fail(ErrorCode::kValidation, "the report is not an email message", "content");
  }
  const Mailbox reporter = report_sender(message);
  report_.reporter = reporter.address;
  report_.reporter_name = reporter.name;
  report_.message_id = cut(header_line(g_mime_message_get_message_id(message)));
  report_.subject = cut(header_line(g_mime_message_get_subject(message)));
  report_.date = unix_date(message);
  report_.auto_submitted = auto_submitted(message);

  const std::string where = "the report";
  const Content content = walk(g_mime_message_get_mime_part(message), raw_, nullptr, where);
  for (const Enclosed& enclosed : content.enclosed) resolve(enclosed, 1);
  if (!report_.messages.empty()) return std::move(report_);
  if (std::optional<ReportedMessage> forwarded = inline_forward(message, content)) {
    report_.messages.push_back(std::move(*forwarded));
  } else if (content.enclosed.empty()) {
    ReportedMessage direct =
        describe(message, content, std::string(raw_), ReportShape::kDirect, "the reported message");
    // A header block with nothing under it reports nothing (a message cut
    // short by a limit is still kept, with what was read).
    if (!direct.text.empty() || !direct.html.empty() || !direct.attachments.empty() ||
        !report_.refusals.empty()) {
      report_.messages.push_back(std::move(direct));
    }
  }
  return std::move(report_);
}

}  // namespace

Result<ParsedReport> parse_report(std::string_view raw) {
  // Only std::bad_alloc / std::length_error can be thrown here (GLib aborts
  // on its own allocation failures); keep them inside the module.
  try {
    return ReportReader(raw).read();
  } catch (const std::exception&) {
    return fail(ErrorCode::kInternal, "out of memory while reading the report", "content");
  }
}

}  // namespace phishdrill
