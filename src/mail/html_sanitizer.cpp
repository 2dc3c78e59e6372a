#include "mail/html_sanitizer.h"

#include <gumbo.h>

#include <cstddef>
#include <utility>

#include "core/ascii.h"
#include "core/html_tree.h"

namespace phishdrill {
namespace {

bool icontains(std::string_view text, std::string_view needle) {
  return ascii_ifind(text, needle) != std::string_view::npos;
}

constexpr GumboTag kActiveElements[] = {
    GUMBO_TAG_SCRIPT, GUMBO_TAG_IFRAME, GUMBO_TAG_FRAME,  GUMBO_TAG_FRAMESET,
    GUMBO_TAG_OBJECT, GUMBO_TAG_EMBED,  GUMBO_TAG_APPLET, GUMBO_TAG_BASE,
};

constexpr std::string_view kUrlAttributes[] = {
    "href",       "src",      "action", "formaction", "background", "poster",
    "data",       "codebase", "cite",   "longdesc",   "lowsrc",     "dynsrc",
    "xlink:href", "ping",     "srcset", "manifest",   "archive",
};

// A URL as a browser reads its scheme: leading spaces and controls skipped,
// tabs and line breaks anywhere ignored.
std::string scheme_view(std::string_view url) {
  std::string out;
  for (const char c : url) {
    const auto byte = static_cast<unsigned char>(c);
    if (out.empty() && byte <= 0x20) continue;
    if (c == '\t' || c == '\n' || c == '\r') continue;
    out += ascii_lower(c);
    if (out.size() >= 32) break;
  }
  return out;
}

bool is_active_url(std::string_view name, std::string_view value) {
  const std::string url = scheme_view(value);
  if (url.starts_with("javascript:") || url.starts_with("vbscript:") ||
      url.starts_with("livescript:")) {
    return true;
  }
  if (!url.starts_with("data:")) return false;
  // Inline images are the one harmless data: use.
  return !(name == "src" && url.starts_with("data:image/") && !url.starts_with("data:image/svg"));
}

bool is_void(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_FRAME:
      return true;
    default:
      return false;
  }
}

bool is_raw_text(GumboTag tag) {
  return tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_XMP || tag == GUMBO_TAG_NOEMBED ||
         tag == GUMBO_TAG_NOFRAMES || tag == GUMBO_TAG_PLAINTEXT || tag == GUMBO_TAG_NOSCRIPT;
}

std::string tag_name(const GumboElement& element) {
  if (element.tag != GUMBO_TAG_UNKNOWN && element.tag_namespace != GUMBO_NAMESPACE_SVG) {
    return gumbo_normalized_tagname(element.tag);
  }
  GumboStringPiece piece = element.original_tag;
  if (piece.data == nullptr || piece.length == 0) return gumbo_normalized_tagname(element.tag);
  gumbo_tag_from_original_text(&piece);
  if (element.tag_namespace == GUMBO_NAMESPACE_SVG) {
    if (const char* svg = gumbo_normalize_svg_tagname(&piece)) return svg;
  }
  return ascii_lowercase(std::string_view(piece.data, piece.length));
}

std::string attribute_name(const GumboAttribute& attribute) {
  switch (attribute.attr_namespace) {
    case GUMBO_ATTR_NAMESPACE_XLINK:
      return std::string("xlink:") + attribute.name;
    case GUMBO_ATTR_NAMESPACE_XML:
      return std::string("xml:") + attribute.name;
    case GUMBO_ATTR_NAMESPACE_XMLNS:
      return std::string_view(attribute.name) == "xmlns" ? "xmlns"
                                                         : std::string("xmlns:") + attribute.name;
    default:
      return attribute.name;
  }
}

void append_escaped(std::string& out, std::string_view text, bool attribute) {
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += attribute ? "<" : "&lt;";
        break;
      case '>':
        out += attribute ? ">" : "&gt;";
        break;
      case '"':
        out += attribute ? "&quot;" : "\"";
        break;
      default:
        out += c;
    }
  }
}

const GumboVector* children_of(const GumboNode* node) {
  switch (node->type) {
    case GUMBO_NODE_DOCUMENT:
      return &node->v.document.children;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
      return &node->v.element.children;
    default:
      return nullptr;
  }
}

class Sanitizer {
 public:
  explicit Sanitizer(std::string& out) : out_(out) {}

  // Decides what goes; `write` false only records findings.
  void run(const GumboNode* document, bool write) {
    write_ = write;
    // Iterative walk (attacker-supplied HTML can nest deeply): an entry with
    // `close` set writes the end tag of an element whose children are done.
    struct Step {
      const GumboNode* node;
      bool close;
    };
    std::vector<Step> pending = {{document, false}};
    while (!pending.empty()) {
      const auto [node, close] = pending.back();
      pending.pop_back();
      if (close) {
        emit("</" + tag_name(node->v.element) + ">");
        continue;
      }
      if (!enter(node)) continue;
      const GumboVector* children = children_of(node);
      if (children == nullptr) continue;
      if (node->type != GUMBO_NODE_DOCUMENT && !is_void(node->v.element.tag)) {
        pending.push_back({node, true});
      }
      for (unsigned int i = children->length; i > 0; --i) {
        pending.push_back({static_cast<const GumboNode*>(children->data[i - 1]), false});
      }
    }
  }

  std::vector<std::string> report() const {
    std::vector<std::string> lines;
    for (const auto& [what, count] : findings_) {
      lines.push_back(count == 1 ? what : what + " (" + std::to_string(count) + ")");
    }
    return lines;
  }

  bool found_any() const { return !findings_.empty(); }

 private:
  void emit(std::string_view text) {
    if (write_) out_ += text;
  }

  void note(std::string what) {
    if (write_) return;  // the first pass records
    for (auto& [known, count] : findings_) {
      if (known == what) {
        ++count;
        return;
      }
    }
    findings_.emplace_back(std::move(what), 1);
  }

  // Writes the node's own markup; false when the node and its subtree go.
  bool enter(const GumboNode* node) {
    switch (node->type) {
      case GUMBO_NODE_DOCUMENT:
        doctype(node->v.document);
        return true;
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE: {
        const GumboNode* parent = node->parent;
        const bool raw = parent != nullptr && parent->type == GUMBO_NODE_ELEMENT &&
                         is_raw_text(parent->v.element.tag);
        if (raw) {
          emit(node->v.text.text);
        } else if (write_) {
          append_escaped(out_, node->v.text.text, false);
        }
        return false;
      }
      case GUMBO_NODE_CDATA:
        emit("<![CDATA[");
        emit(node->v.text.text);
        emit("]]>");
        return false;
      case GUMBO_NODE_COMMENT:
        emit("<!--");
        emit(node->v.text.text);
        emit("-->");
        return false;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        return element(node->v.element);
    }
    return false;
  }

  void doctype(const GumboDocument& document) {
    if (!document.has_doctype) return;
    emit("<!DOCTYPE ");
    emit(*document.name != '\0' ? document.name : "html");
    if (*document.public_identifier != '\0') {
      emit(" PUBLIC \"");
      emit(document.public_identifier);
      emit("\"");
    }
    if (*document.system_identifier != '\0') {
      emit(*document.public_identifier != '\0' ? " \"" : " SYSTEM \"");
      emit(document.system_identifier);
      emit("\"");
    }
    emit(">");
  }

  bool element(const GumboElement& element) {
    const std::string name = tag_name(element);
    for (const GumboTag tag : kActiveElements) {
      if (element.tag == tag || name == gumbo_normalized_tagname(tag)) {
        note("<" + name + "> element");
        return false;
      }
    }
    if (element.tag == GUMBO_TAG_META) {
      const GumboAttribute* equiv = gumbo_get_attribute(&element.attributes, "http-equiv");
      if (equiv != nullptr && ascii_istarts_with(equiv->value, "refresh")) {
        note("<meta http-equiv=\"refresh\"> element");
        return false;
      }
      // A page that declares UTF-7 turns "+ADw-script+AD4-" into markup.
      const GumboAttribute* charset = gumbo_get_attribute(&element.attributes, "charset");
      const GumboAttribute* content = gumbo_get_attribute(&element.attributes, "content");
      if ((charset != nullptr && icontains(charset->value, "utf-7")) ||
          (content != nullptr && icontains(content->value, "utf-7"))) {
        note("<meta> declaring UTF-7");
        return false;
      }
    }
    emit("<" + name);
    for (unsigned int i = 0; i < element.attributes.length; ++i) {
      attribute(*static_cast<const GumboAttribute*>(element.attributes.data[i]));
    }
    emit(">");
    return true;
  }

  void attribute(const GumboAttribute& attribute) {
    const std::string name = attribute_name(attribute);
    const std::string_view value = attribute.value;
    if (ascii_istarts_with(name, "on")) {
      note(name + " attribute");
      return;
    }
    for (const std::string_view url_attribute : kUrlAttributes) {
      if (name == url_attribute && is_active_url(name, value)) {
        const std::string url = scheme_view(value);
        note(url.substr(0, url.find(':') + 1) + " URL in " + name);
        return;
      }
    }
    if (name == "style" && (icontains(value, "expression(") || icontains(value, "javascript:"))) {
      note("style attribute with script");
      return;
    }
    if (!write_) return;
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_escaped(out_, value, true);
    out_ += '"';
  }

  std::string& out_;
  bool write_ = false;
  std::vector<std::pair<std::string, std::size_t>> findings_;
};

}  // namespace

SanitizedHtml strip_active_content(std::string_view html) {
  SanitizedHtml result;
  if (html.empty()) return result;
  const ParsedHtml parsed(html);
  if (!parsed.complete()) {  // too malformed to tell what a browser would run
    result.removed.emplace_back(
        "the whole HTML body (too malformed, or nested too deeply, to read safely)");
    return result;
  }
  Sanitizer sanitizer(result.html);
  sanitizer.run(parsed.output().document, false);
  if (!sanitizer.found_any()) {
    result.html = std::string(html);
    return result;
  }
  sanitizer.run(parsed.output().document, true);
  result.removed = sanitizer.report();
  return result;
}

}  // namespace phishdrill
