// Every module shipped in content/training loads, stands within the content
// rules (3-7 minutes, 3-6 questions) and grades correctly.
#include <gtest/gtest.h>

#include <filesystem>

#include "training/module_loader.h"
#include "training/quiz_grader.h"

namespace phishdrill {
namespace {

std::vector<std::string> shipped_slugs() {
  std::vector<std::string> slugs;
  for (const auto& entry : std::filesystem::directory_iterator(PHISHDRILL_CONTENT_DIR)) {
    const std::string name = entry.path().filename().string();
    // '_' and '.' folders are not modules (e.g. _sources: what images are made from).
    if (entry.is_directory() && !name.starts_with('_') && !name.starts_with('.')) {
      slugs.push_back(name);
    }
  }
  std::sort(slugs.begin(), slugs.end());
  return slugs;
}

class ShippedModule : public testing::TestWithParam<std::string> {
 protected:
  TrainingModule load() {
    auto module = load_module(std::filesystem::path(PHISHDRILL_CONTENT_DIR) / GetParam());
    EXPECT_TRUE(module.has_value()) << (module ? "" : module.error().message);
    return module ? *module : TrainingModule{};
  }
};

TEST_P(ShippedModule, LoadsWithinTheContentRules) {
  const auto m = load();
  EXPECT_EQ(m.slug, GetParam());
  EXPECT_GE(m.minutes, 3);
  EXPECT_LE(m.minutes, 7);
  EXPECT_GE(m.quiz.size(), 3u);
  EXPECT_LE(m.quiz.size(), 6u);
  EXPECT_FALSE(m.lessons.empty());
  for (const auto& lesson : m.lessons) {
    EXPECT_FALSE(lesson.title.empty()) << lesson.file;
    EXPECT_NE(lesson.html.find("<h1>"), std::string::npos) << lesson.file;
    // Lessons stand on their own: no raw HTML or links to elsewhere.
    EXPECT_EQ(lesson.html.find("<a href"), std::string::npos) << lesson.file;
    EXPECT_EQ(lesson.html.find("raw HTML omitted"), std::string::npos) << lesson.file;
  }
}

TEST_P(ShippedModule, RightAnswersPassAndWrongAnswersFail) {
  const auto m = load();
  std::map<std::string, std::set<int>> right;
  std::map<std::string, std::set<int>> wrong;
  for (const auto& q : m.quiz) {
    right[q.id] = q.answers;
    for (int i = 0; i < static_cast<int>(q.choices.size()); ++i) {
      if (!q.answers.contains(i)) {
        wrong[q.id] = {i};
        break;
      }
    }
  }
  auto perfect = grade_quiz(m, right);
  ASSERT_TRUE(perfect.has_value());
  EXPECT_EQ(perfect->score_percent, 100);
  EXPECT_TRUE(perfect->passed);
  EXPECT_EQ(perfect->correct, static_cast<int>(m.quiz.size()));

  auto failed = grade_quiz(m, wrong);
  ASSERT_TRUE(failed.has_value());
  EXPECT_EQ(failed->correct, 0);
  EXPECT_FALSE(failed->passed);
  for (const auto& q : failed->questions) EXPECT_FALSE(q.explanation.empty());

  // One wrong answer still passes at the shipped 80 % mark on 5+ questions.
  auto one_wrong = right;
  one_wrong[m.quiz.front().id] = wrong[m.quiz.front().id];
  auto almost = grade_quiz(m, one_wrong);
  ASSERT_TRUE(almost.has_value());
  EXPECT_EQ(almost->correct, static_cast<int>(m.quiz.size()) - 1);
  EXPECT_EQ(almost->passed, almost->score_percent >= m.pass_mark);
}

TEST_P(ShippedModule, ForgedAnswerSetsAreRefused) {
  const auto m = load();
  std::map<std::string, std::set<int>> right;
  for (const auto& q : m.quiz) right[q.id] = q.answers;

  auto missing = right;
  missing.erase(m.quiz.back().id);
  EXPECT_FALSE(grade_quiz(m, missing).has_value());

  auto unknown = right;
  unknown["not-a-question"] = {0};
  EXPECT_FALSE(grade_quiz(m, unknown).has_value());

  auto out_of_range = right;
  out_of_range[m.quiz.front().id] = {static_cast<int>(m.quiz.front().choices.size())};
  EXPECT_FALSE(grade_quiz(m, out_of_range).has_value());

  auto empty = right;
  empty[m.quiz.front().id] = {};
  EXPECT_FALSE(grade_quiz(m, empty).has_value());

  // Several choices for a single-answer (radio) question: only a forged form.
  for (const auto& q : m.quiz) {
    if (q.answers.size() != 1) continue;
    auto several = right;
    several[q.id] = {0, 1};
    EXPECT_FALSE(grade_quiz(m, several).has_value()) << q.id;
  }
}

std::string test_name(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Content, ShippedModule, testing::ValuesIn(shipped_slugs()), test_name);

TEST_P(ShippedModule, ImagesAreSmallPngsWithAltText) {
  const auto m = load();
  for (const auto& asset : m.assets) {
    EXPECT_EQ(asset.content_type, "image/png") << asset.path;
    EXPECT_LT(asset.bytes.size(), 150u * 1024) << asset.path;
  }
  for (const auto& lesson : m.lessons) {
    EXPECT_EQ(lesson.html.find("alt=\"\""), std::string::npos) << lesson.file;
  }
}

TEST(ShippedModules, RedFlagsLessonShowsTheAnnotatedPhish) {
  auto m = load_module(std::filesystem::path(PHISHDRILL_CONTENT_DIR) / "spotting-red-flags");
  ASSERT_TRUE(m.has_value()) << m.error().message;
  ASSERT_EQ(m->assets.size(), 1u);
  EXPECT_EQ(m->assets[0].path, "images/annotated-phish.png");
  EXPECT_NE(m->lessons[0].html.find("<img src=\"images/annotated-phish.png\" alt=\"A mock-up"),
            std::string::npos)
      << m->lessons[0].html;
}

TEST(ShippedModules, AtLeastEightCoverTheRequiredTopics) {
  const auto slugs = shipped_slugs();
  EXPECT_GE(slugs.size(), 8u);
  auto all = load_modules(PHISHDRILL_CONTENT_DIR);
  ASSERT_TRUE(all.has_value()) << all.error().message;
  EXPECT_EQ(all->size(), slugs.size());
}

}  // namespace
}  // namespace phishdrill
