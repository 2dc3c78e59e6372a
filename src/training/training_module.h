// A training module: a short course of Markdown lessons and a quiz with a pass
// mark, loaded from content/training/<slug>/ (see module_loader.h). Versioned:
// a completion records the version it was taken at. Plain data.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace phishdrill {

struct Lesson {
  std::string file;      // e.g. "01-what-phishing-looks-like.md"
  std::string title;     // its first heading
  std::string markdown;  // as written
  std::string html;      // rendered (safe: raw HTML in the source is not passed through)
};

struct QuizQuestion {
  std::string id;
  std::string text;
  std::vector<std::string> choices;
  std::set<int> answers;  // zero-based indexes of the right choices
  std::string explanation;
};

// A file a lesson shows (e.g. images/inbox.png), served beside the lesson.
struct LessonAsset {
  std::string path;          // relative to the module folder, e.g. "images/inbox.png"
  std::string content_type;  // image/png, image/jpeg, image/gif or image/webp
  std::string bytes;
};

struct TrainingModule {
  std::string slug;
  std::string title;
  std::string summary;
  int minutes = 0;
  std::string locale;
  int version = 1;
  std::vector<std::string> tags;
  int pass_mark = 80;  // percent of questions answered right
  std::vector<Lesson> lessons;
  std::vector<QuizQuestion> quiz;
  std::vector<LessonAsset> assets;  // the images the lessons reference
};

}  // namespace phishdrill
