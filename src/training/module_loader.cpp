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

#include "core/text_rules.h"
#include "core/utf8.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

std::unexpected<Error> invalid(const fs::path& file, std::string_view problem) {
  return fail(ErrorCode::kValidation, fmt::format("{}: {}", file.string(), problem));
}

bool is_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64 || slug.front() == '-' || slug.back() == '-') return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

Result<std::string> read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return invalid(file, "cannot be read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (!is_valid_utf8(text)) return invalid(file, "is not valid UTF-8");
  return text;
}

Result<toml::table> read_toml(const fs::path& file) {
  auto text = read_text(file);
  if (!text) return std::unexpected(text.error());
  try {
    return toml::parse(*text, file.string());
  } catch (const toml::parse_error& e) {
    return invalid(file, fmt::format("{} (line {})", e.description(), e.source().begin.line));
  }
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

Result<void> load_manifest(const fs::path& folder, TrainingModule& m) {
  const fs::path file = folder / "module.toml";
  auto table = read_toml(file);
  if (!table) return std::unexpected(table.error());
  m.slug = table->get_as<std::string>("slug") ? **table->get_as<std::string>("slug") : "";
  m.title = table->get_as<std::string>("title") ? **table->get_as<std::string>("title") : "";
  m.summary = table->get_as<std::string>("summary") ? **table->get_as<std::string>("summary") : "";
  m.locale = table->get_as<std::string>("locale") ? **table->get_as<std::string>("locale") : "en";
  m.minutes = static_cast<int>((*table)["minutes"].value_or(std::int64_t{0}));
  m.version = static_cast<int>((*table)["version"].value_or(std::int64_t{0}));
  m.pass_mark = static_cast<int>((*table)["pass_mark"].value_or(std::int64_t{0}));
  if (m.slug != folder.filename().string() || !is_slug(m.slug)) {
    return invalid(file, "slug must equal the folder name (lowercase letters, digits, hyphens)");
  }
  if (trim(m.title).empty() || trim(m.summary).empty()) {
    return invalid(file, "title and summary are required");
  }
  if (m.minutes < 1 || m.minutes > 60) return invalid(file, "minutes must be from 1 to 60");
  if (m.version < 1) return invalid(file, "version must be 1 or more");
  if (m.pass_mark < 1 || m.pass_mark > 100) return invalid(file, "pass_mark must be 1 to 100");
  if (const auto* tags = table->get_as<toml::array>("tags")) {
    for (const auto& tag : *tags) {
      if (auto text = tag.value<std::string>()) m.tags.push_back(*text);
    }
  }
  const auto* lessons = table->get_as<toml::array>("lessons");
  if (lessons == nullptr || lessons->empty() || lessons->size() > 10) {
    return invalid(file, "lessons must list 1 to 10 Markdown files");
  }
  for (const auto& entry : *lessons) {
    const auto name = entry.value<std::string>();
    if (!name || name->find('/') != std::string::npos || name->starts_with(".") ||
        !name->ends_with(".md")) {
      return invalid(file, "each lesson must be a .md file name inside the module folder");
    }
    auto markdown = read_text(folder / *name);
    if (!markdown) return std::unexpected(markdown.error());
    Lesson lesson{*name, first_heading(*markdown), std::move(*markdown), {}};
    if (lesson.title.empty()) return invalid(folder / *name, "a lesson starts with a heading");
    lesson.html = render_markdown(lesson.markdown);
    m.lessons.push_back(std::move(lesson));
  }
  return {};
}

Result<void> load_quiz(const fs::path& folder, TrainingModule& m) {
  const fs::path file = folder / "quiz.toml";
  auto table = read_toml(file);
  if (!table) return std::unexpected(table.error());
  const auto* questions = table->get_as<toml::array>("questions");
  if (questions == nullptr || questions->empty() || questions->size() > 20) {
    return invalid(file, "a quiz has 1 to 20 [[questions]]");
  }
  std::set<std::string> ids;
  for (const auto& node : *questions) {
    const auto* q = node.as_table();
    if (q == nullptr) return invalid(file, "each question must be a table");
    QuizQuestion question;
    question.id = (*q)["id"].value_or(std::string());
    question.text = (*q)["text"].value_or(std::string());
    question.explanation = (*q)["explanation"].value_or(std::string());
    const std::string where = fmt::format("question \"{}\"", question.id);
    if (!is_slug(question.id) || !ids.insert(question.id).second) {
      return invalid(file, where + ": id must be unique, lowercase letters, digits and hyphens");
    }
    if (trim(question.text).empty() || trim(question.explanation).empty()) {
      return invalid(file, where + ": text and explanation are required");
    }
    if (const auto* choices = q->get_as<toml::array>("choices")) {
      for (const auto& choice : *choices) {
        if (auto text = choice.value<std::string>()) question.choices.push_back(*text);
      }
    }
    const std::set<std::string> distinct(question.choices.begin(), question.choices.end());
    if (question.choices.size() < 2 || question.choices.size() > 6 ||
        distinct.size() != question.choices.size()) {
      return invalid(file, where + ": 2 to 6 distinct choices");
    }
    if (const auto* answers = q->get_as<toml::array>("answers")) {
      for (const auto& answer : *answers) {
        const auto index = answer.value<std::int64_t>();
        if (!index || *index < 0 || *index >= static_cast<std::int64_t>(question.choices.size())) {
          return invalid(file, where + ": answers must be indexes of choices");
        }
        question.answers.insert(static_cast<int>(*index));
      }
    }
    if (question.answers.empty()) return invalid(file, where + ": at least one right answer");
    m.quiz.push_back(std::move(question));
  }
  return {};
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
  std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)> parser(
      cmark_parser_new(CMARK_OPT_DEFAULT), cmark_parser_free);
  for (const char* name : {"table", "strikethrough"}) {
    if (auto* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
      cmark_parser_finish(parser.get()), cmark_node_free);
  // Without CMARK_OPT_UNSAFE, raw HTML and javascript: links are not rendered.
  char* html = cmark_render_html(document.get(), CMARK_OPT_DEFAULT,
                                 cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html);
  free(html);  // allocated by cmark with the system allocator
  return out;
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
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    if (entry.is_directory()) folders.push_back(entry.path());
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
