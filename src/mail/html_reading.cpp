#include "mail/html_reading.h"

#include <gumbo.h>

#include <array>
#include <utility>

#include "core/ascii.h"
#include "core/html_tree.h"
#include "core/utf8.h"
#include "mail/text_links.h"

namespace phishdrill {
namespace {

// The formatting elements of the HTML standard's "list of active formatting
// elements", less <a> (a new <a> always closes the previous one, so they
// cannot pile up).
constexpr std::array<std::string_view, 13> kFormattingTags = {
    "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"};

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool ends_tag_name(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>';
}

// Renames every formatting start and end tag by replacing the first letter of
// its name with 'x' ("<b>" becomes "<x>", "</strong>" "</xtrong>"): unknown
// elements, which a parser nests and closes like any other. Every occurrence
// counts, even inside comments or attribute values, so that none is missed.
// Returns the number of start tags ('<' and a letter) alongside.
std::pair<std::string, std::size_t> defuse_formatting(std::string_view html) {
  std::string out(html);
  std::size_t tags = 0;
  for (std::size_t at = out.find('<'); at != std::string::npos; at = out.find('<', at + 1)) {
    std::size_t name = at + 1;
    if (name < out.size() && out[name] == '/') {
      ++name;
    } else if (name < out.size() && is_ascii_letter(out[name])) {
      ++tags;
    }
    std::size_t end = name;
    while (end < out.size() && is_ascii_letter(out[end])) ++end;
    if (end == name || (end < out.size() && !ends_tag_name(out[end]))) continue;
    const std::string_view tag(out.data() + name, end - name);
    for (const std::string_view formatting : kFormattingTags) {
      if (ascii_iequals(tag, formatting)) {
        out[name] = 'x';
        break;
      }
    }
  }
  return {std::move(out), tags};
}

bool is_block(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
      return true;
    default:
      return false;
  }
}

bool is_hidden(GumboTag tag) {
  return tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
         tag == GUMBO_TAG_TITLE || tag == GUMBO_TAG_TEMPLATE;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Builds the text a reader sees, a piece at a time.
class TextBuilder {
 public:
  std::string& text() { return text_; }

  // Text as written: runs of white space shown as one space (kept in <pre>).
  void add(std::string_view piece, bool preformatted) {
    for (std::size_t i = 0; i < piece.size(); ++i) {
      char c = piece[i];
      // U+00A0 NO-BREAK SPACE reads as a space.
      if (c == '\xC2' && i + 1 < piece.size() && piece[i + 1] == '\xA0') {
        ++i;
        c = ' ';
      }
      if (preformatted) {
        text_.push_back(c == '\r' ? '\n' : c);
      } else if (is_space(c)) {
        if (!text_.empty() && text_.back() != ' ' && text_.back() != '\n') text_.push_back(' ');
      } else {
        text_.push_back(c);
      }
    }
  }

  // Ends the current line unless it is empty.
  void end_line() {
    while (!text_.empty() && text_.back() == ' ') text_.pop_back();
    if (!text_.empty() && text_.back() != '\n') text_.push_back('\n');
  }

  // A <br>: always a line break.
  void line_break() {
    while (!text_.empty() && text_.back() == ' ') text_.pop_back();
    text_.push_back('\n');
  }

  void separate_cell() {
    if (!text_.empty() && text_.back() != ' ' && text_.back() != '\n') text_.push_back(' ');
  }

 private:
  std::string text_;
};

std::string one_line(std::string_view text) {
  std::string out;
  for (const char c : trim(text)) {
    if (c == '\n') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string attribute(const GumboElement& element, const char* name) {
  const char* value = attribute_value(element, name);
  if (value == nullptr) return {};
  return std::string(utf8_prefix(trim(value), kMaxLinkHrefBytes));
}

// Reads a parsed document's text, a node at a time, and the links it holds.
class ParsedReader {
 public:
  explicit ParsedReader(std::size_t max_links) : max_links_(max_links) {}

  HtmlReading read(const GumboNode* document);

 private:
  static constexpr std::size_t kNoLink = static_cast<std::size_t>(-1);
  struct Step {
    const GumboNode* node;
    bool leaving;
    std::size_t link;  // index in reading_.links of the <a> being left, or kNoLink
  };

  void visit(const Step& step);
  void enter(const GumboNode* node, GumboTag tag);
  void leave(std::size_t link, GumboTag tag);
  std::size_t read_link(const GumboElement& element, GumboTag tag);
  std::size_t add_link(ReportedLink link);
  void read_shown_text(std::size_t link);
  void push_children(const GumboVector& children);

  std::size_t max_links_;
  HtmlReading reading_;
  TextBuilder builder_;
  std::vector<Step> pending_;
  int preformatted_ = 0;  // depth of <pre> elements around the node
};

HtmlReading ParsedReader::read(const GumboNode* document) {
  // Iterative: attacker-supplied HTML may nest deeply.
  pending_.push_back({document, false, kNoLink});
  while (!pending_.empty()) {
    const Step step = pending_.back();
    pending_.pop_back();
    visit(step);
  }
  builder_.end_line();
  reading_.text = std::move(builder_.text());
  return std::move(reading_);
}

void ParsedReader::visit(const Step& step) {
  const GumboNode* node = step.node;
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    builder_.add(node->v.text.text, preformatted_ > 0);
    return;
  }
  if (node->type == GUMBO_NODE_DOCUMENT) {
    push_children(node->v.document.children);
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;  // comments; templates are hidden
  const GumboElement& element = node->v.element;
  const GumboTag tag =
      element.tag_namespace == GUMBO_NAMESPACE_HTML ? element.tag : GUMBO_TAG_UNKNOWN;
  if (step.leaving) {
    leave(step.link, tag);
  } else {
    enter(node, tag);
  }
}

void ParsedReader::enter(const GumboNode* node, GumboTag tag) {
  if (is_hidden(tag)) return;
  if (tag == GUMBO_TAG_BR) {
    builder_.line_break();
    return;
  }
  if (is_block(tag)) builder_.end_line();
  if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) builder_.separate_cell();
  if (tag == GUMBO_TAG_PRE) ++preformatted_;
  const std::size_t link = read_link(node->v.element, tag);
  pending_.push_back({node, true, link});
  push_children(node->v.element.children);
}

void ParsedReader::leave(std::size_t link, GumboTag tag) {
  if (link != kNoLink) read_shown_text(link);
  if (tag == GUMBO_TAG_PRE) --preformatted_;
  if (is_block(tag)) builder_.end_line();
}

// The link of an <a> (returned, to read its shown text when it is left) or of
// an <img> (which shows no text).
std::size_t ParsedReader::read_link(const GumboElement& element, GumboTag tag) {
  if (tag == GUMBO_TAG_A) {
    if (std::string href = attribute(element, "href"); !href.empty()) {
      return add_link(ReportedLink{.href = std::move(href), .text = {}, .image = false});
    }
  } else if (tag == GUMBO_TAG_IMG) {
    if (std::string src = attribute(element, "src"); !src.empty()) {
      add_link(ReportedLink{.href = std::move(src), .text = {}, .image = true});
    }
  }
  return kNoLink;
}

std::size_t ParsedReader::add_link(ReportedLink link) {
  if (reading_.links.size() == max_links_) {
    reading_.links_truncated = true;
    return kNoLink;
  }
  reading_.links.push_back(HtmlLink{std::move(link), builder_.text().size()});
  return reading_.links.size() - 1;
}

void ParsedReader::read_shown_text(std::size_t link) {
  // Only the start of the text is read: links can nest (through tables),
  // and each must not read all the text below it.
  const std::string_view shown =
      std::string_view(builder_.text())
          .substr(reading_.links[link].text_offset, 4 * kMaxLinkTextBytes);
  reading_.links[link].link.text = valid_utf8(utf8_prefix(one_line(shown), kMaxLinkTextBytes));
}

// Children are pushed last first, so that they are read in document order.
void ParsedReader::push_children(const GumboVector& children) {
  for (unsigned i = children.length; i > 0; --i) {
    pending_.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false, kNoLink});
  }
}

HtmlReading read_parsed(const std::string& html, std::size_t max_links) {
  const ParsedHtml parsed(html);
  return ParsedReader(max_links).read(parsed.output().document);
}

// "&amp;" and the like, for the text of a body too large to parse.
std::size_t decode_entity(std::string_view html, std::size_t at, std::string& out) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kNamed = {{
      {"&amp;", "&"},
      {"&lt;", "<"},
      {"&gt;", ">"},
      {"&quot;", "\""},
      {"&apos;", "'"},
      {"&#39;", "'"},
      {"&nbsp;", " "},
  }};
  for (const auto& [name, value] : kNamed) {
    if (ascii_istarts_with(html.substr(at), name)) {
      out.append(value);
      return name.size();
    }
  }
  out.push_back('&');
  return 1;
}

// `html` without the content of its <script> and <style> elements.
std::string without_scripts(std::string_view html) {
  std::string out;
  std::size_t at = 0;
  while (at < html.size()) {
    std::size_t open = html.find('<', at);
    if (open == std::string_view::npos) break;
    std::string_view hidden;
    for (const std::string_view name : {"script", "style"}) {
      const std::string_view rest = html.substr(open + 1);
      if (ascii_istarts_with(rest, name) &&
          (rest.size() == name.size() || ends_tag_name(rest[name.size()]))) {
        hidden = name;
      }
    }
    if (hidden.empty()) {
      out.append(html.substr(at, open + 1 - at));
      at = open + 1;
      continue;
    }
    out.append(html.substr(at, open - at));
    const std::size_t end = ascii_ifind(html.substr(open), std::string("</").append(hidden));
    if (end == std::string_view::npos) return out;
    at = open + end;
  }
  out.append(html.substr(at));
  return out;
}

// The text of HTML read without a parser: tags dropped (a line break for the
// common block ones), the most common entities decoded, white space collapsed.
std::string source_text(std::string_view html) {
  std::string raw;
  std::size_t at = 0;
  while (at < html.size()) {
    const char c = html[at];
    if (c == '&') {
      at += decode_entity(html, at, raw);
      continue;
    }
    if (c != '<') {
      raw.push_back(c);
      ++at;
      continue;
    }
    const std::size_t close = html.find('>', at);
    if (close == std::string_view::npos) break;
    const std::string_view tag = html.substr(at + 1, close - at - 1);
    at = close + 1;
    std::string_view name = tag;
    if (name.starts_with('/')) name.remove_prefix(1);
    for (const std::string_view block : {"br", "p", "div", "tr", "li", "h1", "h2", "h3", "table"}) {
      if (ascii_istarts_with(name, block) &&
          (name.size() == block.size() || ends_tag_name(name[block.size()]))) {
        raw.push_back('\n');
        break;
      }
    }
  }
  TextBuilder builder;
  std::size_t line = 0;
  while (line < raw.size()) {
    std::size_t end = raw.find('\n', line);
    if (end == std::string::npos) end = raw.size();
    builder.add(std::string_view(raw).substr(line, end - line), false);
    builder.line_break();
    line = end + 1;
  }
  std::string text = std::move(builder.text());
  // Collapse the blank lines that dropped tags leave.
  std::string out;
  for (const char c : text) {
    if (c == '\n' && (out.empty() || out.ends_with("\n\n"))) continue;
    out.push_back(c);
  }
  return valid_utf8(out);
}

}  // namespace

HtmlReading read_html(std::string_view html, std::size_t max_links) {
  if (html.empty()) return {};
  auto [defused, tags] = defuse_formatting(html);
  if (html.size() <= kMaxParsedHtmlBytes && tags <= kMaxParsedHtmlTags) {
    return read_parsed(defused, max_links);
  }
  HtmlReading reading;
  reading.parsed = false;
  const std::string visible = without_scripts(html);
  reading.text = source_text(visible);
  TextLinks found = find_text_links(visible, max_links);
  for (ReportedLink& link : found.links) {
    link.text.clear();  // "<url>" in markup is no shown text
    reading.links.push_back(HtmlLink{std::move(link), 0});
  }
  reading.links_truncated = found.truncated;
  return reading;
}

}  // namespace phishdrill
