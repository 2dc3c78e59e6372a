#include "library/simulation_writer.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <sstream>

#include "core/phish_scale.h"
#include "core/slug.h"

namespace phishdrill {
namespace {

// Writes the manifest by hand in the README's order (toml++ would sort the
// keys), each value formatted and escaped by toml++ as a basic "..." string:
// literal and multi-line strings cannot hold every text ('\'\'\'' inside one;
// TOML drops a newline right after the opening quotes).
class ManifestWriter {
 public:
  template <typename T>
  ManifestWriter& key(std::string_view name, T&& value) {
    static constexpr auto kFlags =
        toml::toml_formatter::default_flags &
        ~(toml::format_flags::allow_literal_strings | toml::format_flags::allow_multi_line_strings |
          toml::format_flags::allow_real_tabs_in_strings);
    out_ << toml::toml_formatter(toml::table{{name, std::forward<T>(value)}}, kFlags) << "\n";
    return *this;
  }
  ManifestWriter& section(std::string_view header) {
    out_ << "\n" << header << "\n";
    return *this;
  }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string manifest_of(const Simulation& s, const std::vector<std::string>& attachment_files) {
  ManifestWriter m;
  toml::array tags;
  for (const auto& tag : s.tags) tags.push_back(tag);
  m.key("slug", s.slug).key("title", s.title).key("summary", s.summary);
  m.key("category", s.category).key("channel", s.channel).key("language", s.language);
  m.key("version", s.version).key("tags", std::move(tags)).key("audience", s.audience);
  m.section("[email]").key("from_name", s.from_name).key("from_address", s.from_address);
  m.key("subject", s.subject);
  if (!s.landing.html.empty()) {
    m.section("[landing]").key("title", s.landing.title).key("capture", s.landing.capture);
  }
  for (std::size_t i = 0; i < s.attachments.size(); ++i) {
    m.section("[[attachments]]").key("file", attachment_files[i]);
    m.key("name", s.attachments[i].name).key("content_type", s.attachments[i].content_type);
  }
  for (const auto& f : s.red_flags) {
    m.section("[[red_flags]]").key("part", f.part).key("text", f.text);
    m.key("explanation", f.explanation);
  }
  for (const auto& c : s.cues) m.section("[[cues]]").key("type", c.type).key("where", c.where);
  m.section("[premise]");
  for (const PremiseElement element : premise_elements()) {
    m.key(premise_element_name(element), std::string(applicability_name(s.premise[element])));
  }
  return m.str();
}

}  // namespace

std::string attachment_file_name(std::string_view shown_name, std::size_t index) {
  const auto dot = shown_name.rfind('.');
  const std::string_view stem =
      dot == std::string_view::npos ? shown_name : shown_name.substr(0, dot);
  std::string extension =
      dot == std::string_view::npos ? ".html" : std::string(shown_name.substr(dot));
  extension = "." + slug_of(extension.substr(1), 16);
  if (extension == ".") extension = ".html";
  std::string base = slug_of(stem, 48);
  if (base.empty()) base = fmt::format("attachment-{}", index + 1);
  return base + extension;
}

SimulationFiles simulation_files(const Simulation& s) {
  SimulationFiles out{s.slug, {}, s.slug};
  std::vector<std::string> attachment_files;
  for (std::size_t i = 0; i < s.attachments.size(); ++i) {
    std::string name = attachment_file_name(s.attachments[i].name, i);
    while (out.find("attachments/" + name) != nullptr) name = fmt::format("{}-{}", i + 1, name);
    out.files.emplace("attachments/" + name, s.attachments[i].content);
    attachment_files.push_back(std::move(name));
  }
  out.files.emplace("simulation.toml", manifest_of(s, attachment_files));
  out.files.emplace("email.html", s.html);
  out.files.emplace("email.txt", s.text);
  if (!s.landing.html.empty()) out.files.emplace("landing.html", s.landing.html);
  return out;
}

}  // namespace phishdrill
