#include "training/module_loader.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/ascii.h"
#include "core/slug.h"
#include "core/text_rules.h"
#include "core/utf8.h"
#include "training/content_files.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

// BCP 47 in its common shape: a 2-3 letter language, then subtags of 1-8
// letters or digits ("en", "en-GB", "zh-Hant-TW"). It becomes the portal
// pages' lang attribute, so nothing else may pass.
bool is_language_tag(std::string_view tag) {
  if (tag.empty() || tag.size() > 35) return false;
  std::size_t start = 0;
  for (bool first = true; start <= tag.size(); first = false) {
    const auto end = std::min(tag.find('-', start), tag.size());
    const auto part = tag.substr(start, end - start);
    const bool letters = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    });
    const bool alnum = std::all_of(part.begin(), part.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    });
    if (first ? !(letters && part.size() >= 2 && part.size() <= 3)
              : !(alnum && !part.empty() && part.size() <= 8)) {
      return false;
    }
    if (end == tag.size()) return true;
    start = end + 1;
  }
  return false;
}

// The first heading of a Markdown text, without its #s.
std::string first_heading(std::string_view markdown) {
  std::size_t start = 0;
  while (start < markdown.size()) {
    const auto end = std::min(markdown.find('\n', start), markdown.size());
    std::string_view line = markdown.substr(start, end - start);
    if (line.starts_with("#")) {
      while (!line.empty() && line.front() == '#') line.remove_prefix(1);
      return trim(line);
    }
    start = end + 1;
  }
  return {};
}

// A Markdown document parsed once, then checked (images) and rendered.
class ParsedMarkdown {
 public:
  explicit ParsedMarkdown(std::string_view markdown)
      : parser_(new_parser(), cmark_parser_free), document_(nullptr, cmark_node_free) {
    cmark_parser_feed(parser_.get(), markdown.data(), markdown.size());
    document_.reset(cmark_parser_finish(parser_.get()));
  }
  cmark_node* document() const { return document_.get(); }
  cmark_llist* extensions() const { return cmark_parser_get_syntax_extensions(parser_.get()); }

 private:
  static cmark_parser* new_parser() {
    static std::once_flag once;
    std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
    cmark_parser* parser = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (const char* name : {"table", "strikethrough"}) {
      if (auto* extension = cmark_find_syntax_extension(name)) {
        cmark_parser_attach_syntax_extension(parser, extension);
      }
    }
    return parser;
  }

  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser_;
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document_;
};

std::string render_html(const ParsedMarkdown& parsed) {
  // Without CMARK_OPT_UNSAFE, raw HTML and javascript: links are not rendered.
  char* html = cmark_render_html(parsed.document(), CMARK_OPT_DEFAULT, parsed.extensions());
  std::string out(html);
  free(html);  // allocated by cmark with the system allocator
  return out;
}

// Lesson images: local files only (a remote image would tell a third party who
// reads which lesson, and data: URLs bypass the checks below), raster formats
// only (SVG can carry script), each file checked against its claimed type.
constexpr std::uintmax_t kMaxImageBytes = 2u << 20;
constexpr std::string_view kImageFolder = "images/";

struct ImageType {
  std::string_view extension;
  std::string_view content_type;
};
constexpr ImageType kImageTypes[] = {{".png", "image/png"},
                                     {".jpg", "image/jpeg"},
                                     {".jpeg", "image/jpeg"},
                                     {".gif", "image/gif"},
                                     {".webp", "image/webp"}};

bool magic_matches(std::string_view bytes, std::string_view content_type) {
  using namespace std::string_view_literals;
  if (content_type == "image/png") return bytes.starts_with("\x89PNG\r\n\x1a\n"sv);
  if (content_type == "image/jpeg") return bytes.starts_with("\xff\xd8\xff"sv);
  if (content_type == "image/gif") {
    return bytes.starts_with("GIF87a") || bytes.starts_with("GIF89a");
  }
  if (content_type == "image/webp") {
    return bytes.size() >= 12 && bytes.starts_with("RIFF") && bytes.substr(8, 4) == "WEBP";
  }
  return false;
}

// The plain text of an image's description (what cmark renders as alt).
std::string alt_text(cmark_node* image) {
  std::string text;
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(image),
                                                             cmark_iter_free);
  for (auto event = cmark_iter_next(it.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(it.get())) {
    cmark_node* node = cmark_iter_get_node(it.get());
    const auto type = cmark_node_get_type(node);
    if (event == CMARK_EVENT_ENTER && (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE)) {
      if (const char* literal = cmark_node_get_literal(node)) text += literal;
    }
  }
  return trim(text);
}

// Checks one image reference and returns the asset it names (read from disk).
Result<LessonAsset> load_image(const fs::path& folder, const fs::path& lesson,
                               std::string_view url) {
  const auto refuse = [&](std::string_view problem) {
    return invalid_content(lesson, fmt::format("image \"{}\": {}", url, problem));
  };
  const std::string lower = ascii_lowercase(url);
  for (std::string_view remote : {"http:", "https:", "//", "data:"}) {
    if (lower.starts_with(remote)) {
      return refuse("remote images are not allowed: put the file in images/ and use images/<name>");
    }
  }
  if (!url.starts_with(kImageFolder)) return refuse("an image must be images/<name>");
  const std::string_view name = url.substr(kImageFolder.size());
  const bool plain =
      !name.empty() && name.front() != '.' && name.front() != '-' &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  if (!plain) return refuse("the file name must use only a-z, 0-9, '.', '_' and '-'");
  if (name.ends_with(".svg")) return refuse("SVG images are not allowed (they can carry script)");
  const auto type = std::find_if(std::begin(kImageTypes), std::end(kImageTypes),
                                 [&](const ImageType& t) { return name.ends_with(t.extension); });
  if (type == std::end(kImageTypes)) {
    return refuse("an image must be .png, .jpg, .jpeg, .gif or .webp");
  }

  // Regular files only, no symbolic links: the image must live in the module.
  std::error_code ec;
  const fs::path file = folder / "images" / std::string(name);
  if (!fs::is_directory(fs::symlink_status(folder / "images", ec)) ||
      !fs::is_regular_file(fs::symlink_status(file, ec))) {
    return refuse("no such file in the module folder");
  }
  const auto size = fs::file_size(file, ec);
  if (ec) return refuse("cannot be read");
  if (size > kMaxImageBytes) return refuse("the file is larger than 2 MiB");
  std::ifstream in(file, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (!in) return refuse("cannot be read");
  LessonAsset asset{std::string(url), std::string(type->content_type), std::move(buffer).str()};
  if (asset.bytes.size() > kMaxImageBytes) return refuse("the file is larger than 2 MiB");
  if (!magic_matches(asset.bytes, asset.content_type)) {
    return refuse(
        fmt::format("the file is not {} (its first bytes do not match)", type->content_type));
  }
  return asset;
}

// Checks every image of a lesson and adds the files not yet loaded to m.assets.
Result<void> load_images(const fs::path& folder, const Lesson& lesson, const ParsedMarkdown& parsed,
                         TrainingModule& m) {
  const fs::path lesson_file = folder / lesson.file;
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> it(cmark_iter_new(parsed.document()),
                                                             cmark_iter_free);
  for (auto event = cmark_iter_next(it.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(it.get())) {
    cmark_node* node = cmark_iter_get_node(it.get());
    if (event != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_IMAGE) continue;
    const char* raw_url = cmark_node_get_url(node);
    const std::string url = raw_url != nullptr ? raw_url : "";
    if (alt_text(node).empty()) {
      return invalid_content(
          lesson_file,
          fmt::format("image \"{}\" has no alt text: describe it for screen readers", url));
    }
    const bool loaded = std::any_of(m.assets.begin(), m.assets.end(),
                                    [&](const LessonAsset& a) { return a.path == url; });
    if (loaded) continue;
    auto asset = load_image(folder, lesson_file, url);
    if (!asset) return std::unexpected(asset.error());
    m.assets.push_back(std::move(*asset));
  }
  return {};
}

Result<void> load_manifest(const fs::path& folder, TrainingModule& m) {
  const fs::path file = folder / "module.toml";
  auto table = read_content_toml(file);
  if (!table) return std::unexpected(table.error());
  m.slug = table->get_as<std::string>("slug") ? **table->get_as<std::string>("slug") : "";
  m.title = table->get_as<std::string>("title") ? **table->get_as<std::string>("title") : "";
  m.summary = table->get_as<std::string>("summary") ? **table->get_as<std::string>("summary") : "";
  m.locale = table->get_as<std::string>("locale") ? **table->get_as<std::string>("locale") : "en";
  m.minutes = static_cast<int>((*table)["minutes"].value_or(std::int64_t{0}));
  m.version = static_cast<int>((*table)["version"].value_or(std::int64_t{0}));
  m.pass_mark = static_cast<int>((*table)["pass_mark"].value_or(std::int64_t{0}));
  if (m.slug != folder.filename().string() || !is_slug(m.slug)) {
    return invalid_content(file,
                           "slug must equal the folder name (lowercase letters, digits, hyphens)");
  }
  if (trim(m.title).empty() || trim(m.summary).empty()) {
    return invalid_content(file, "title and summary are required");
  }
  if (!is_language_tag(m.locale)) {
    return invalid_content(file, "locale must be a language tag such as en, en-GB or pt-BR");
  }
  if (m.minutes < 1 || m.minutes > 60) return invalid_content(file, "minutes must be from 1 to 60");
  if (m.version < 1) return invalid_content(file, "version must be 1 or more");
  if (m.pass_mark < 1 || m.pass_mark > 100)
    return invalid_content(file, "pass_mark must be 1 to 100");
  if (const auto* tags = table->get_as<toml::array>("tags")) {
    for (const auto& tag : *tags) {
      if (auto text = tag.value<std::string>()) m.tags.push_back(*text);
    }
  }
  const auto* lessons = table->get_as<toml::array>("lessons");
  if (lessons == nullptr || lessons->empty() || lessons->size() > 10) {
    return invalid_content(file, "lessons must list 1 to 10 Markdown files");
  }
  for (const auto& entry : *lessons) {
    const auto name = entry.value<std::string>();
    if (!name || name->find('/') != std::string::npos || name->starts_with(".") ||
        !name->ends_with(".md")) {
      return invalid_content(file, "each lesson must be a .md file name inside the module folder");
    }
    auto markdown = read_content_text(folder / *name);
    if (!markdown) return std::unexpected(markdown.error());
    Lesson lesson{*name, first_heading(*markdown), std::move(*markdown), {}};
    if (lesson.title.empty())
      return invalid_content(folder / *name, "a lesson starts with a heading");
    const ParsedMarkdown parsed(lesson.markdown);
    if (auto ok = load_images(folder, lesson, parsed, m); !ok) return std::unexpected(ok.error());
    lesson.html = render_html(parsed);
    m.lessons.push_back(std::move(lesson));
  }
  return {};
}

Result<void> load_quiz(const fs::path& folder, TrainingModule& m) {
  const fs::path file = folder / "quiz.toml";
  auto table = read_content_toml(file);
  if (!table) return std::unexpected(table.error());
  const auto* questions = table->get_as<toml::array>("questions");
  if (questions == nullptr || questions->empty() || questions->size() > 20) {
    return invalid_content(file, "a quiz has 1 to 20 [[questions]]");
  }
  std::set<std::string> ids;
  for (const auto& node : *questions) {
    const auto* q = node.as_table();
    if (q == nullptr) return invalid_content(file, "each question must be a table");
    QuizQuestion question;
    question.id = (*q)["id"].value_or(std::string());
    question.text = (*q)["text"].value_or(std::string());
    question.explanation = (*q)["explanation"].value_or(std::string());
    const std::string where = fmt::format("question \"{}\"", question.id);
    if (!is_slug(question.id) || !ids.insert(question.id).second) {
      return invalid_content(file,
                             where + ": id must be unique, lowercase letters, digits and hyphens");
    }
    if (trim(question.text).empty() || trim(question.explanation).empty()) {
      return invalid_content(file, where + ": text and explanation are required");
    }
    if (const auto* choices = q->get_as<toml::array>("choices")) {
      for (const auto& choice : *choices) {
        if (auto text = choice.value<std::string>()) question.choices.push_back(*text);
      }
    }
    const std::set<std::string> distinct(question.choices.begin(), question.choices.end());
    if (question.choices.size() < 2 || question.choices.size() > 6 ||
        distinct.size() != question.choices.size()) {
      return invalid_content(file, where + ": 2 to 6 distinct choices");
    }
    if (const auto* answers = q->get_as<toml::array>("answers")) {
      for (const auto& answer : *answers) {
        const auto index = answer.value<std::int64_t>();
        if (!index || *index < 0 || *index >= static_cast<std::int64_t>(question.choices.size())) {
          return invalid_content(file, where + ": answers must be indexes of choices");
        }
        question.answers.insert(static_cast<int>(*index));
      }
    }
    if (question.answers.empty())
      return invalid_content(file, where + ": at least one right answer");
    m.quiz.push_back(std::move(question));
  }
  return {};
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  return render_html(ParsedMarkdown(markdown));
}

Result<TrainingModule> load_module(const fs::path& folder) {
  TrainingModule m;
  if (auto ok = load_manifest(folder, m); !ok) return std::unexpected(ok.error());
  if (auto ok = load_quiz(folder, m); !ok) return std::unexpected(ok.error());
  return m;
}

Result<std::vector<TrainingModule>> load_modules(const fs::path& root) {
  std::error_code ec;
  std::vector<fs::path> folders;
  // The error_code overloads throughout: no filesystem_error escapes.
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    // '.' and '_' mark what is not a module: an import in progress, sources.
    const std::string name = it->path().filename().string();
    if (name.starts_with('.') || name.starts_with('_')) continue;
    std::error_code type_ec;
    if (it->is_directory(type_ec)) folders.push_back(it->path());
  }
  if (ec) return fail(ErrorCode::kValidation, root.string() + ": " + ec.message());
  std::sort(folders.begin(), folders.end());
  std::vector<TrainingModule> modules;
  for (const auto& folder : folders) {
    auto module = load_module(folder);
    if (!module) return std::unexpected(module.error());
    modules.push_back(std::move(*module));
  }
  return modules;
}

}  // namespace phishdrill
