#include "mail/inline_forward.h"

#include <array>
#include <optional>

#include "core/ascii.h"
#include "core/email_address.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

// Header values longer than this are cut (on a character boundary).
constexpr std::size_t kMaxValueBytes = 2048;
// A field name is short: "Pièces jointes" is among the longest.
constexpr std::size_t kMaxFieldNameBytes = 32;
// Blank lines allowed between a marker and its header block.
constexpr int kMaxBlankLinesAfterMarker = 3;

enum class Field { kFrom, kDate, kTo, kCc, kSubject, kOther };

struct FieldName {
  std::string_view name;  // ASCII letters in lower case
  Field field;
};

constexpr std::array kFieldNames = {
    FieldName{"from", Field::kFrom},
    FieldName{"von", Field::kFrom},
    FieldName{"de", Field::kFrom},
    FieldName{"van", Field::kFrom},
    FieldName{"da", Field::kFrom},
    FieldName{"sent", Field::kDate},
    FieldName{"date", Field::kDate},
    FieldName{"gesendet", Field::kDate},
    FieldName{"datum", Field::kDate},
    FieldName{"envoyé", Field::kDate},
    FieldName{"fecha", Field::kDate},
    FieldName{"enviado", Field::kDate},
    FieldName{"enviado el", Field::kDate},
    FieldName{"verzonden", Field::kDate},
    FieldName{"inviato", Field::kDate},
    FieldName{"data", Field::kDate},
    FieldName{"to", Field::kTo},
    FieldName{"an", Field::kTo},
    FieldName{"à", Field::kTo},
    FieldName{"À", Field::kTo},
    FieldName{"para", Field::kTo},
    FieldName{"aan", Field::kTo},
    FieldName{"a", Field::kTo},
    FieldName{"cc", Field::kCc},
    FieldName{"bcc", Field::kCc},
    FieldName{"subject", Field::kSubject},
    FieldName{"betreff", Field::kSubject},
    FieldName{"objet", Field::kSubject},
    FieldName{"asunto", Field::kSubject},
    FieldName{"onderwerp", Field::kSubject},
    FieldName{"oggetto", Field::kSubject},
    FieldName{"reply-to", Field::kOther},
    FieldName{"antwort an", Field::kOther},
    FieldName{"répondre à", Field::kOther},
    FieldName{"importance", Field::kOther},
    FieldName{"wichtigkeit", Field::kOther},
    FieldName{"attachments", Field::kOther},
    FieldName{"anlagen", Field::kOther},
    FieldName{"pièces jointes", Field::kOther},
};

// Marker phrases of lines that end with ':' ("Begin forwarded message:").
constexpr std::array<std::string_view, 7> kMarkerPhrases = {
    "forwarded", "weitergeleitete", "réexpédié", "transféré",
    "reenviado", "doorgestuurd",    "inoltrato",
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f'; }

// Trims ASCII white space and U+00A0 NO-BREAK SPACE (French "De :" and
// text read out of HTML have it).
std::string_view trim(std::string_view text) {
  for (;;) {
    if (!text.empty() && is_space(text.front())) {
      text.remove_prefix(1);
    } else if (text.starts_with("\xC2\xA0")) {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!text.empty() && is_space(text.back())) {
      text.remove_suffix(1);
    } else if (text.ends_with("\xC2\xA0")) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

struct Line {
  std::size_t offset = 0;    // in the text
  std::size_t end = 0;       // offset just past its '\n' (or the text's end)
  int depth = 0;             // leading quote marks
  std::string_view content;  // after the quote marks, trimmed
};

Line read_line(std::string_view text, std::size_t offset) {
  Line line;
  line.offset = offset;
  std::size_t end = text.find('\n', offset);
  line.end = end == std::string_view::npos ? text.size() : end + 1;
  if (end == std::string_view::npos) end = text.size();
  std::string_view content = text.substr(offset, end - offset);
  for (;;) {
    content = trim(content);
    if (!content.starts_with('>')) break;
    content.remove_prefix(1);
    ++line.depth;
  }
  line.content = content;
  return line;
}

struct FieldLine {
  Field field;
  std::string_view value;
};

std::optional<FieldLine> field_line(std::string_view content) {
  const std::size_t colon = content.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > kMaxFieldNameBytes) {
    return std::nullopt;
  }
  const std::string name = ascii_lowercase(trim(content.substr(0, colon)));
  for (const FieldName& known : kFieldNames) {
    if (name == known.name) return FieldLine{known.field, trim(content.substr(colon + 1))};
  }
  return std::nullopt;
}

bool is_marker(std::string_view content) {
  if (content.size() >= 6 && content.starts_with("--") && content.ends_with("--")) {
    for (const char c : content) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    }
    return false;
  }
  if (content.size() >= 10 && content.find_first_not_of('_') == std::string_view::npos) {
    return true;
  }
  if (content.ends_with(':')) {
    for (const std::string_view phrase : kMarkerPhrases) {
      if (ascii_ifind(content, phrase) != std::string_view::npos) return true;
    }
  }
  return false;
}

std::string value_text(std::string_view value) {
  return valid_utf8(utf8_prefix(value, kMaxValueBytes));
}

std::string_view unquoted_name(std::string_view name) {
  name = trim(name);
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front()) {
    name = trim(name.substr(1, name.size() - 2));
  }
  return name;
}

bool looks_like_address(std::string_view text) {
  return text.find('@') != std::string_view::npos &&
         text.find_first_of(" \t<>\"") == std::string_view::npos;
}

// "Name <addr>", "Name [mailto:addr]", "<addr>", "addr", "Name", and
// Outlook's text of a linked address, "Name <addr<mailto:addr>>".
void read_from(std::string_view value, ForwardBlock& block) {
  std::size_t open = value.find('<');
  char close_char = '>';
  if (open == std::string_view::npos) {
    open = ascii_ifind(value, "[mailto:");
    close_char = ']';
  }
  if (open == std::string_view::npos) {
    if (looks_like_address(trim(value))) {
      block.from_address = normalize_email(trim(value));
    } else {
      block.from_name = value_text(unquoted_name(value));
    }
    return;
  }
  std::string_view inner = value.substr(open + 1);
  if (const std::size_t close = inner.rfind(close_char); close != std::string_view::npos) {
    inner = inner.substr(0, close);
  }
  if (ascii_istarts_with(inner, "mailto:")) inner.remove_prefix(7);
  if (const std::size_t nested = inner.find('<'); nested != std::string_view::npos) {
    inner = inner.substr(0, nested);
  }
  inner = trim(inner);
  if (looks_like_address(inner)) block.from_address = normalize_email(inner);
  const std::string_view name = unquoted_name(value.substr(0, open));
  // Gmail writes an address-only sender as "<addr>"; some clients repeat it as the name.
  if (!ascii_iequals(name, inner)) block.from_name = value_text(name);
}

// The run of field lines starting at `first`, and whether it is a header block.
struct Run {
  std::optional<ForwardBlock> block;
  std::size_t end = 0;  // offset just past the run
};

Run read_run(std::string_view text, const Line& first, std::optional<std::size_t> marker) {
  ForwardBlock block;
  block.begin = marker.value_or(first.offset);
  block.marked = marker.has_value();
  block.quote_depth = first.depth;
  bool has_from = false;
  bool has_subject_or_date = false;
  int fields = 0;
  Line line = first;
  for (;;) {
    const std::optional<FieldLine> field = field_line(line.content);
    if (!field) break;
    ++fields;
    switch (field->field) {
      case Field::kFrom:
        if (!has_from) read_from(field->value, block);
        has_from = true;
        break;
      case Field::kDate:
        if (block.date.empty()) block.date = value_text(field->value);
        has_subject_or_date = true;
        break;
      case Field::kSubject:
        if (block.subject.empty()) block.subject = value_text(field->value);
        has_subject_or_date = true;
        break;
      case Field::kTo:
        if (block.to.empty()) block.to = value_text(field->value);
        break;
      case Field::kCc:
      case Field::kOther:
        break;
    }
    block.body_begin = line.end;
    if (line.end >= text.size()) break;
    line = read_line(text, line.end);
  }
  const std::size_t end = block.body_begin;
  if (!has_from || !has_subject_or_date || (!marker && fields < 3)) return {std::nullopt, end};
  return {std::move(block), end};
}

}  // namespace

std::vector<ForwardBlock> find_forward_blocks(std::string_view text, std::size_t max_blocks) {
  std::vector<ForwardBlock> blocks;
  std::optional<std::size_t> marker;  // offset of the last marker line, while it still applies
  int blank_lines = 0;
  std::size_t offset = 0;
  while (offset < text.size() && blocks.size() < max_blocks) {
    const Line line = read_line(text, offset);
    if (line.content.empty()) {
      if (++blank_lines > kMaxBlankLinesAfterMarker) marker.reset();
      offset = line.end;
      continue;
    }
    if (is_marker(line.content)) {
      marker = line.offset;
      blank_lines = 0;
      offset = line.end;
      continue;
    }
    const std::optional<std::size_t> above = marker;
    marker.reset();
    if (field_line(line.content)) {
      // A run that is no block holds none either: skip it whole (no rescans).
      Run run = read_run(text, line, above);
      if (run.block) blocks.push_back(std::move(*run.block));
      offset = run.end;
      continue;
    }
    offset = line.end;
  }
  return blocks;
}

std::string unquote(std::string_view text, int depth) {
  std::string out;
  out.reserve(text.size());
  std::size_t offset = 0;
  bool leading = true;
  while (offset < text.size()) {
    std::size_t end = text.find('\n', offset);
    end = end == std::string_view::npos ? text.size() : end + 1;
    std::string_view line = text.substr(offset, end - offset);
    offset = end;
    for (int i = 0; i < depth && line.starts_with('>'); ++i) {
      line.remove_prefix(1);
      if (line.starts_with(' ')) line.remove_prefix(1);
    }
    if (leading && trim(line).find_first_not_of("\r\n") == std::string_view::npos) continue;
    leading = false;
    out.append(line);
  }
  return out;
}

}  // namespace phishdrill
