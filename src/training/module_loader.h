// Loading training modules from disk: module.toml (manifest), the Markdown
// lessons it lists (rendered with cmark-gfm, raw HTML suppressed) and
// quiz.toml. Every rule is checked and a failure names the file and the
// problem, so a broken module never reaches a learner. Thread-safe (no state).
#pragma once

#include <filesystem>
#include <vector>

#include "core/error.h"
#include "training/training_module.h"

namespace phishdrill {

// Loads one module folder. Rules: slug = folder name (lowercase letters,
// digits, hyphens); title and summary set; minutes 1..60; pass_mark 1..100;
// version ≥ 1; 1..10 lessons that exist inside the folder; 1..20 questions
// with unique ids, 2..6 distinct choices, at least one valid answer index and
// an explanation. Lesson images: each must be a local `images/<name>` (name of
// a-z 0-9 . _ -; .png, .jpg, .jpeg, .gif or .webp, no SVG; no remote http:,
// https:, // or data: URLs), a regular file in the module's images/ folder of
// at most 2 MiB whose first bytes match its type, with alt text; each file is
// loaded once into `assets`, and the HTML keeps the relative URL.
Result<TrainingModule> load_module(const std::filesystem::path& folder);

// Loads every module folder under `root` (sorted by slug). Folders whose name
// starts with '.' or '_' are skipped (imports in progress, sources).
Result<std::vector<TrainingModule>> load_modules(const std::filesystem::path& root);

// CommonMark + GFM tables and strikethrough to HTML; raw HTML is not passed
// through (it becomes a comment), and so are unsafe link schemes.
std::string render_markdown(std::string_view markdown);

}  // namespace phishdrill
