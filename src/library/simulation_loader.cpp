#include "library/simulation_loader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/ascii.h"
#include "core/email_address.h"
#include "core/message_template.h"
#include "core/phish_scale.h"
#include "core/placeholders.h"
#include "core/slug.h"
#include "core/text_rules.h"
#include "core/utf8.h"
#include "library/library_vocabulary.h"
#include "training/content_files.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxEmailBytes = 64 * 1024;
constexpr std::size_t kMaxPageBytes = 256 * 1024;
constexpr std::size_t kMaxRedFlags = 8;
constexpr std::size_t kMaxTags = 10;

// What the library's own variables become while a simulation is checked.
const LibraryValues kSampleValues{"Example Health", "example-health.org",
                                  "<img src=\"cid:qr-code.png\" alt=\"QR code\">"};

std::string text_of(const toml::table& t, std::string_view key) {
  return std::string(t[key].value_or(std::string_view()));
}

// A required one-line text of 1..max characters.
Result<std::string> line_of(const toml::table& t, std::string_view key, std::size_t max,
                            const fs::path& file) {
  std::string value = trim(text_of(t, key));
  if (!check_line(value, key, max, true)) {
    return invalid_content(file,
                           fmt::format("{} must be one line of 1 to {} characters", key, max));
  }
  return value;
}

Result<std::string> word_of(const toml::table& t, std::string_view key,
                            std::span<const std::string_view> words, const fs::path& file) {
  std::string value = text_of(t, key);
  if (!is_one_of(words, value)) {
    std::string allowed;
    for (const auto w : words) allowed += (allowed.empty() ? "" : ", ") + std::string(w);
    return invalid_content(file, fmt::format("{} must be one of: {}", key, allowed));
  }
  return value;
}

// Scripts, event handlers, javascript: URLs and remote addresses: none in
// library HTML.
Result<void> check_inert_html(std::string_view html, const fs::path& file) {
  const std::string lower = ascii_lowercase(html);
  for (const std::string_view banned : {"<script", "javascript:", "http://", "https://"}) {
    if (lower.find(banned) != std::string::npos) {
      return invalid_content(file, fmt::format("must not contain \"{}\"", banned));
    }
  }
  static const std::regex handler(R"(<[^>]*\son[a-z]+\s*=)");
  if (std::regex_search(lower, handler)) {
    return invalid_content(file, "must not have event handler attributes (on...=)");
  }
  return {};
}

// Compiles in the message template language once the library's variables are filled.
Result<void> check_template(std::string_view source, const fs::path& file, std::string_view what) {
  auto compiled =
      CompiledTemplate::compile(with_library_values(source, kSampleValues), std::string(what));
  if (!compiled)
    return invalid_content(file, fmt::format("{}: {}", what, compiled.error().message));
  return {};
}

// "{{.Tracker}}" followed by nothing but closing tags and white space.
bool ends_with_tracker(const std::string& html) {
  const auto at = html.rfind("{{.Tracker}}");
  if (at == std::string::npos) return false;
  static const std::regex rest(R"(^(\s*</[a-zA-Z]+>)*\s*$)");
  return std::regex_match(html.substr(at + 12), rest);
}

Result<std::string> read_page(const SimulationFiles& f, std::string_view name, std::size_t max) {
  const fs::path file = f.origin / std::string(name);
  const std::string* text = f.find(name);
  if (text == nullptr) return invalid_content(file, "is missing");
  if (!is_valid_utf8(*text)) return invalid_content(file, "is not valid UTF-8");
  if (text->empty() || text->size() > max) {
    return invalid_content(file, fmt::format("must hold 1 to {} bytes", max));
  }
  return *text;
}

Result<toml::table> read_manifest_toml(const SimulationFiles& f) {
  const fs::path file = f.origin / "simulation.toml";
  const std::string text = PD_TRY(read_page(f, "simulation.toml", kMaxPageBytes));
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    return invalid_content(file,
                           fmt::format("{} (line {})", e.description(), e.source().begin.line));
  }
}

Result<void> read_email(const toml::table& manifest, const SimulationFiles& f, Simulation& s) {
  const fs::path& folder = f.origin;
  const fs::path file = folder / "simulation.toml";
  const auto* email = manifest["email"].as_table();
  if (email == nullptr) return invalid_content(file, "[email] is required");
  s.from_name = PD_TRY(line_of(*email, "from_name", 100, file));
  s.from_address = PD_TRY(line_of(*email, "from_address", 254, file));
  s.subject = PD_TRY(line_of(*email, "subject", 200, file));
  const std::string address = with_library_values(s.from_address, kSampleValues);
  if (!parse_mailbox(address, "from_address") || address.find('<') != std::string::npos) {
    return invalid_content(file, "from_address must be an address");
  }
  PD_TRY(check_template(s.subject, file, "subject"));
  PD_TRY(check_template(s.from_name, file, "from_name"));
  s.html = PD_TRY(read_page(f, "email.html", kMaxEmailBytes));
  s.text = PD_TRY(read_page(f, "email.txt", kMaxEmailBytes));
  PD_TRY(check_template(s.html, folder / "email.html", "html"));
  PD_TRY(check_template(s.text, folder / "email.txt", "text"));
  PD_TRY(check_inert_html(s.html, folder / "email.html"));
  if (s.html.find("{{.URL}}") == std::string::npos ||
      s.text.find("{{.URL}}") == std::string::npos) {
    return invalid_content(folder, "both bodies must link to {{.URL}}");
  }
  if (!ends_with_tracker(s.html)) {
    return invalid_content(folder / "email.html", "must end with {{.Tracker}}");
  }
  const bool qr = s.html.find("{{.QRCode}}") != std::string::npos;
  if (qr != (s.channel == "qr-code")) {
    return invalid_content(folder / "email.html",
                           "{{.QRCode}} belongs in (and only in) qr-code simulations");
  }
  return {};
}

Result<void> read_landing(const toml::table& manifest, const SimulationFiles& f, Simulation& s) {
  const fs::path& folder = f.origin;
  const fs::path page = folder / "landing.html";
  const auto* landing = manifest["landing"].as_table();
  if (f.find("landing.html") == nullptr) {
    if (landing != nullptr) return invalid_content(page, "is named by [landing] but missing");
    return {};
  }
  const fs::path file = folder / "simulation.toml";
  if (landing == nullptr) return invalid_content(file, "[landing] is required with landing.html");
  s.landing.title = PD_TRY(line_of(*landing, "title", 120, file));
  s.landing.capture = text_of(*landing, "capture");
  if (s.landing.capture != "none" && s.landing.capture != "fields") {
    return invalid_content(file, "[landing] capture must be none or fields");
  }
  s.landing.html = PD_TRY(read_page(f, "landing.html", kMaxPageBytes));
  PD_TRY(check_template(s.landing.html, page, "landing page"));
  PD_TRY(check_inert_html(s.landing.html, page));
  const std::string lower = ascii_lowercase(s.landing.html);
  static const std::regex form(R"(<form\b[^>]*>)");
  for (auto it = std::sregex_iterator(lower.begin(), lower.end(), form);
       it != std::sregex_iterator(); ++it) {
    const std::string tag = it->str();
    if (tag.find("action") != std::string::npos || tag.find("post") == std::string::npos) {
      return invalid_content(page, "a form must post back to the page (method post, no action)");
    }
  }
  return {};
}

Result<void> read_attachments(const toml::table& manifest, const SimulationFiles& f,
                              Simulation& s) {
  const fs::path& folder = f.origin;
  const fs::path file = folder / "simulation.toml";
  std::set<std::string, std::less<>> named;
  if (const auto* list = manifest["attachments"].as_array()) {
    for (const auto& node : *list) {
      const auto* a = node.as_table();
      if (a == nullptr) return invalid_content(file, "[[attachments]] must be tables");
      SimulationAttachment attachment;
      const std::string name = text_of(*a, "file");
      if (!is_slug(fs::path(name).stem().string()) || name.find('/') != std::string::npos) {
        return invalid_content(file,
                               fmt::format("attachment file \"{}\" is not a plain name", name));
      }
      attachment.name = PD_TRY(line_of(*a, "name", 120, file));
      if (attachment.name.find_first_of("/\\") != std::string::npos) {
        return invalid_content(file, "an attachment's name has no folders");
      }
      attachment.content_type = text_of(*a, "content_type");
      if (attachment.content_type != "text/html") {
        return invalid_content(file, "an attachment is a text/html document");
      }
      const fs::path path = folder / "attachments" / name;
      attachment.content = PD_TRY(read_page(f, "attachments/" + name, kMaxPageBytes));
      named.insert("attachments/" + name);
      PD_TRY(check_template(attachment.content, path, "attachment"));
      PD_TRY(check_inert_html(attachment.content, path));
      s.attachments.push_back(std::move(attachment));
    }
  }
  for (const auto& [path, content] : f.files) {
    if (path.starts_with("attachments/") && !named.contains(path)) {
      return invalid_content(folder / path, "is not named by [[attachments]]");
    }
  }
  if (s.attachments.empty() != (s.channel != "attachment")) {
    return invalid_content(file, "attachments belong to (and only to) attachment simulations");
  }
  return {};
}

// The text a red flag's part is: where its text must be found.
bool flag_found(const Simulation& s, const RedFlag& flag) {
  if (flag.text.empty()) return true;
  const auto in = [&](const std::string& where) {
    return where.find(flag.text) != std::string::npos;
  };
  if (flag.part == "subject") return in(s.subject);
  if (flag.part == "from") return in(s.from_name) || in(s.from_address);
  if (flag.part == "body") return in(s.text) || in(s.html);
  return in(s.html);  // "link": the link's text or surroundings
}

Result<void> read_red_flags(const toml::table& manifest, const fs::path& file, Simulation& s) {
  const auto* list = manifest["red_flags"].as_array();
  if (list == nullptr || list->empty() || list->size() > kMaxRedFlags) {
    return invalid_content(file, "1 to 8 [[red_flags]] are required");
  }
  for (const auto& node : *list) {
    const auto* t = node.as_table();
    if (t == nullptr) return invalid_content(file, "[[red_flags]] must be tables");
    RedFlag flag{text_of(*t, "part"), text_of(*t, "text"), trim(text_of(*t, "explanation"))};
    if (flag.part != "subject" && flag.part != "from" && flag.part != "body" &&
        flag.part != "link") {
      return invalid_content(file, "a red flag's part is subject, from, body or link");
    }
    if (flag.explanation.empty() || utf8_length(flag.explanation) > 1000) {
      return invalid_content(file, "a red flag explains itself in 1 to 1000 characters");
    }
    if (!flag_found(s, flag)) {
      return invalid_content(
          file, fmt::format("red flag text \"{}\" is not in the {}", flag.text, flag.part));
    }
    s.red_flags.push_back(std::move(flag));
  }
  return {};
}

Result<void> read_scale(const toml::table& manifest, const fs::path& file, Simulation& s) {
  if (const auto* list = manifest["cues"].as_array()) {
    for (const auto& node : *list) {
      const auto* t = node.as_table();
      if (t == nullptr) return invalid_content(file, "[[cues]] must be tables");
      SimulationCue cue{text_of(*t, "type"), trim(text_of(*t, "where"))};
      if (!is_cue_type(cue.type)) {
        return invalid_content(file, fmt::format("\"{}\" is not a Phish Scale cue type", cue.type));
      }
      if (cue.where.empty()) return invalid_content(file, "a cue says where it is");
      s.cues.push_back(std::move(cue));
    }
  }
  const auto* premise = manifest["premise"].as_table();
  if (premise == nullptr) return invalid_content(file, "[premise] is required");
  for (const PremiseElement element : premise_elements()) {
    const std::string_view key = premise_element_name(element);
    const auto rating = parse_applicability(text_of(*premise, key));
    if (!rating) {
      return invalid_content(
          file,
          fmt::format("[premise] {} must be none, low, moderate, significant or extreme", key));
    }
    s.premise[element] = *rating;
  }
  return {};
}

Result<void> read_manifest(const toml::table& t, const SimulationFiles& f, Simulation& s) {
  const fs::path file = f.origin / "simulation.toml";
  s.slug = text_of(t, "slug");
  if (s.slug != f.slug || !is_slug(s.slug)) {
    return invalid_content(file,
                           "slug must equal the folder name (lowercase letters, digits, "
                           "hyphens)");
  }
  s.title = PD_TRY(line_of(t, "title", 120, file));
  s.summary = PD_TRY(line_of(t, "summary", 400, file));
  s.category = PD_TRY(word_of(t, "category", simulation_categories(), file));
  s.channel = PD_TRY(word_of(t, "channel", simulation_channels(), file));
  s.language = PD_TRY(word_of(t, "language", simulation_languages(), file));
  s.audience = PD_TRY(word_of(t, "audience", simulation_audiences(), file));
  s.version = static_cast<int>(t["version"].value_or(std::int64_t{0}));
  if (s.version < 1) return invalid_content(file, "version must be 1 or more");
  if (const auto* tags = t["tags"].as_array()) {
    for (const auto& tag : *tags) s.tags.emplace_back(tag.value_or(std::string_view()));
  }
  const bool tags_ok = s.tags.size() <= kMaxTags &&
                       std::all_of(s.tags.begin(), s.tags.end(), [](const std::string& tag) {
                         return !tag.empty() && tag.size() <= 40 && ascii_lowercase(tag) == tag;
                       });
  if (!tags_ok) return invalid_content(file, "at most 10 tags, lowercase, 1 to 40 characters");
  return {};
}

}  // namespace

std::string with_library_values(std::string_view text, const LibraryValues& values) {
  return fill_placeholders(text, [&](std::string_view name) -> std::optional<std::string> {
    if (name == "OrgName") return values.org_name;
    if (name == "OrgDomain") return values.org_domain;
    if (name == "QRCode") return values.qr_code;
    return std::nullopt;
  });
}

Result<Simulation> parse_simulation(const SimulationFiles& files) {
  for (const auto& [path, content] : files.files) {
    PD_TRY(check_simulation_file_name(files.origin, path));
  }
  const fs::path file = files.origin / "simulation.toml";
  const toml::table manifest = PD_TRY(read_manifest_toml(files));
  Simulation s;
  PD_TRY(read_manifest(manifest, files, s));
  PD_TRY(read_email(manifest, files, s));
  PD_TRY(read_landing(manifest, files, s));
  PD_TRY(read_attachments(manifest, files, s));
  PD_TRY(read_red_flags(manifest, file, s));
  PD_TRY(read_scale(manifest, file, s));
  return s;
}

Result<Simulation> load_simulation(const fs::path& folder) {
  return parse_simulation(PD_TRY(read_simulation_folder(folder)));
}

Result<std::vector<Simulation>> load_simulations(const fs::path& root) {
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.starts_with('.') || name.starts_with('_')) continue;
    folders.push_back(entry.path());
  }
  if (ec) return invalid_content(root, "cannot be listed: " + ec.message());
  std::sort(folders.begin(), folders.end());
  std::vector<Simulation> out;
  for (const auto& folder : folders) out.push_back(PD_TRY(load_simulation(folder)));
  return out;
}

}  // namespace phishdrill
