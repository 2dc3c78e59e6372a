#include "core/message_template.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "core/html_escape.h"

namespace phishdrill {

namespace {

constexpr std::size_t kMaxEchoedExpression = 80;

struct VarName {
  std::string_view name;
  TemplateVar var;
};

// GoPhish names, case-sensitive as Go templates are.
constexpr VarName kVarNames[] = {
    {"FirstName", TemplateVar::kFirstName},
    {"LastName", TemplateVar::kLastName},
    {"Email", TemplateVar::kEmail},
    {"Position", TemplateVar::kPosition},
    {"From", TemplateVar::kFrom},
    {"URL", TemplateVar::kUrl},
    {"TrackingURL", TemplateVar::kTrackingUrl},
    {"Tracker", TemplateVar::kTracker},
    {"RId", TemplateVar::kRid},
    {"BaseURL", TemplateVar::kBaseUrl},
    {"QRCode", TemplateVar::kQrCode},
};

constexpr std::string_view kTrackerPrefix =
    R"(<img alt="" width="1" height="1" style="display:none" src=")";
constexpr std::string_view kTrackerSuffix = R"(">)";

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Parses the text between "{{" and "}}": optional blanks, ".Name", optional blanks.
bool lookup_var(std::string_view inner, TemplateVar& var) {
  while (!inner.empty() && is_blank(inner.front())) inner.remove_prefix(1);
  while (!inner.empty() && is_blank(inner.back())) inner.remove_suffix(1);
  if (inner.size() < 2 || inner.front() != '.') return false;
  inner.remove_prefix(1);
  for (const VarName& candidate : kVarNames) {
    if (candidate.name == inner) {
      var = candidate.var;
      return true;
    }
  }
  return false;
}

// The offending expression for an error message, cut to a readable length at a
// UTF-8 boundary, with control characters (line breaks) shown as spaces.
std::string echo_expression(std::string_view expression) {
  std::string out;
  std::size_t end = expression.size();
  bool cut = false;
  if (end > kMaxEchoedExpression) {
    end = kMaxEchoedExpression;
    while (end > 0 && (static_cast<unsigned char>(expression[end]) & 0xC0) == 0x80) --end;
    cut = true;
  }
  out.reserve(end + 3);
  for (std::size_t i = 0; i < end; ++i) {
    const auto c = static_cast<unsigned char>(expression[i]);
    out += (c < 0x20 || c == 0x7F) ? ' ' : expression[i];
  }
  if (cut) out += "\u2026";
  return out;
}

std::string_view value_of(const TemplateContext& context, TemplateVar var) {
  switch (var) {
    case TemplateVar::kFirstName:
      return context.first_name;
    case TemplateVar::kLastName:
      return context.last_name;
    case TemplateVar::kEmail:
      return context.email;
    case TemplateVar::kPosition:
      return context.position;
    case TemplateVar::kFrom:
      return context.from;
    case TemplateVar::kUrl:
      return context.url;
    case TemplateVar::kTrackingUrl:
    case TemplateVar::kTracker:
      return context.tracking_url;
    case TemplateVar::kRid:
      return context.rid;
    case TemplateVar::kBaseUrl:
      return context.base_url;
    case TemplateVar::kQrCode:
      return context.qr_code_src;
  }
  return {};
}

void append_without_line_breaks(std::string& out, std::string_view text) {
  std::size_t start = 0;
  while (true) {
    const std::size_t stop = text.find_first_of("\r\n", start);
    if (stop == std::string_view::npos) break;
    out.append(text.data() + start, stop - start);
    start = stop + 1;
  }
  out.append(text.data() + start, text.size() - start);
}

void append_tracker(std::string& out, std::string_view tracking_url) {
  out.append(kTrackerPrefix);
  append_html_escaped(out, tracking_url);
  out.append(kTrackerSuffix);
}

constexpr std::string_view kQrPrefix = R"(<img src=")";
constexpr std::string_view kQrSuffix =
    R"(" alt="QR code" width="200" height="200" style="display:block;border:0">)";

// Images only exist in HTML: the QR code and the tracker render as nothing
// in text and headers.
bool is_image(TemplateVar var) {
  return var == TemplateVar::kTracker || var == TemplateVar::kQrCode;
}

void append_image(std::string& out, TemplateVar var, const TemplateContext& context) {
  if (var == TemplateVar::kTracker) return append_tracker(out, context.tracking_url);
  out.append(kQrPrefix);
  append_html_escaped(out, context.qr_code_src);
  out.append(kQrSuffix);
}

}  // namespace

Result<CompiledTemplate> CompiledTemplate::compile(std::string_view source,
                                                   std::string_view field) {
  if (source.size() > std::numeric_limits<std::uint32_t>::max()) {
    return fail(ErrorCode::kValidation, "template is too large", std::string(field));
  }
  CompiledTemplate compiled;
  compiled.literals_.reserve(source.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = source.find("{{", pos);
    const std::size_t literal_end = open == std::string_view::npos ? source.size() : open;
    if (literal_end > pos) {
      Segment literal;
      literal.offset = static_cast<std::uint32_t>(compiled.literals_.size());
      literal.length = static_cast<std::uint32_t>(literal_end - pos);
      compiled.literals_.append(source.substr(pos, literal_end - pos));
      compiled.segments_.push_back(literal);
    }
    if (open == std::string_view::npos) break;
    const std::size_t close = source.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return fail(ErrorCode::kValidation, R"(unclosed "{{" in template)", std::string(field));
    }
    TemplateVar var{};
    if (!lookup_var(source.substr(open + 2, close - open - 2), var)) {
      return fail(ErrorCode::kValidation,
                  "unknown template expression \"" +
                      echo_expression(source.substr(open, close + 2 - open)) + "\"",
                  std::string(field));
    }
    Segment placeholder;
    placeholder.is_literal = false;
    placeholder.var = var;
    compiled.segments_.push_back(placeholder);
    pos = close + 2;
  }
  compiled.literals_.shrink_to_fit();
  return compiled;
}

std::string CompiledTemplate::render(const TemplateContext& context, RenderMode mode) const {
  std::string out;
  render_to(out, context, mode);
  return out;
}

void CompiledTemplate::render_to(std::string& out, const TemplateContext& context,
                                 RenderMode mode) const {
  // One reservation up front; HTML escaping may still grow it a little.
  std::size_t needed = literals_.size();
  for (const Segment& segment : segments_) {
    if (segment.is_literal) continue;
    if (is_image(segment.var)) {
      if (mode == RenderMode::kHtml) {
        needed += kQrSuffix.size() + kTrackerPrefix.size() + value_of(context, segment.var).size() +
                  kTrackerSuffix.size();
      }
    } else {
      needed += value_of(context, segment.var).size();
    }
  }
  out.reserve(out.size() + needed);

  const std::string_view literals = literals_;
  for (const Segment& segment : segments_) {
    if (segment.is_literal) {
      const std::string_view text = literals.substr(segment.offset, segment.length);
      // Header values must stay on one line whatever the template author typed.
      if (mode == RenderMode::kHeader) {
        append_without_line_breaks(out, text);
      } else {
        out.append(text);
      }
      continue;
    }
    if (is_image(segment.var)) {
      if (mode == RenderMode::kHtml) append_image(out, segment.var, context);
      continue;
    }
    const std::string_view value = value_of(context, segment.var);
    switch (mode) {
      case RenderMode::kHtml:
        append_html_escaped(out, value);
        break;
      case RenderMode::kText:
        out.append(value);
        break;
      case RenderMode::kHeader:
        append_without_line_breaks(out, value);
        break;
    }
  }
}

bool CompiledTemplate::uses(TemplateVar var) const {
  for (const Segment& segment : segments_) {
    if (!segment.is_literal && segment.var == var) return true;
  }
  return false;
}

std::string tracker_html(std::string_view tracking_url) {
  std::string out;
  out.reserve(kTrackerPrefix.size() + tracking_url.size() + kTrackerSuffix.size() + 8);
  append_tracker(out, tracking_url);
  return out;
}

}  // namespace phishdrill
