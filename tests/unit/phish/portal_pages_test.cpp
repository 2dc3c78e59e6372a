#include "phish/portal_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "training/quiz_grader.h"

namespace phishdrill::phish {
namespace {

constexpr std::int64_t kNow = 1796083200;  // Tuesday 1 December 2026
constexpr std::int64_t kDay = 86400;
constexpr const char* kEvilName = "<b>x</b>";

bool has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

PortalLinks links() { return PortalLinks{"/learn", "TOK"}; }

// Three lessons; question 1 has one right answer (index 2) of four, question
// 2 has two right answers.
TrainingModule make_module() {
  TrainingModule m;
  m.slug = "spotting-red-flags";
  m.title = "Spotting red flags";
  m.summary = "How to tell a phish from real mail.";
  m.minutes = 5;
  m.version = 3;
  m.pass_mark = 80;
  m.lessons = {{"01.md", "What phishing looks like", "", "<h1>What phishing looks like</h1>"},
               {"02.md", "Links", "", "<h1>Links</h1><p>Hover first.</p>"},
               {"03.md", "Reporting", "", "<h1>Reporting</h1>"}};
  QuizQuestion q1;
  q1.id = "sender";
  q1.text = "Which sender is suspicious?";
  q1.choices = {"it@corp.example", "hr@corp.example", "it@c0rp.example", "ceo@corp.example"};
  q1.answers = {2};
  q1.explanation = "EXPLAIN-ONE: the zero in c0rp is a look-alike.";
  QuizQuestion q2;
  q2.id = "flags";
  q2.text = "Which are red flags?";
  q2.choices = {"Urgency", "Your first name", "A threat of loss"};
  q2.answers = {0, 2};
  q2.explanation = "EXPLAIN-TWO: pressure and threats.";
  m.quiz = {q1, q2};
  return m;
}

Assignment make_assignment(std::int64_t id, AssignmentStatus status, std::int64_t due_at) {
  Assignment a;
  a.id = id;
  a.target.id = 3;
  a.target.email = "alice@corp.example";
  a.target.first_name = "Alice";
  a.module_slug = "spotting-red-flags";
  a.reason = "manual";
  a.assigned_at = kNow - kDay;
  a.due_at = due_at;
  a.status = status;
  return a;
}

// The markup of each choice of question `qi`, in order.
std::vector<std::string> choice_blocks(const std::string& html, std::size_t qi) {
  std::vector<std::string> out;
  const std::string id_prefix = "id=\"q" + std::to_string(qi) + "c";
  std::size_t at = 0;
  while ((at = html.find("<div class=\"choice\">", at)) != std::string::npos) {
    const auto end = html.find("</div>", at);
    if (end == std::string::npos) break;
    std::string block = html.substr(at, end - at);
    if (has(block, id_prefix)) out.push_back(block);
    at = end;
  }
  return out;
}

// A choice's markup with its index and label replaced by placeholders.
std::string normalised(std::string block, std::size_t qi, std::size_t ci,
                       const std::string& label_escaped) {
  auto replace_all = [&](const std::string& from, const std::string& to) {
    for (auto at = block.find(from); at != std::string::npos;
         at = block.find(from, at + to.size())) {
      block.replace(at, from.size(), to);
    }
  };
  replace_all(">" + label_escaped + "</label>", ">LABEL</label>");
  replace_all("q" + std::to_string(qi) + "c" + std::to_string(ci) + "\"", "qIcN\"");
  replace_all("value=\"" + std::to_string(ci) + "\"", "value=\"N\"");
  return block;
}

TEST(PortalQuiz, NeverRevealsTheRightAnswersOrExplanations) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const std::string html = quiz_html(links(), item, "NONCE-1");
  EXPECT_FALSE(has(html, "EXPLAIN-ONE"));
  EXPECT_FALSE(has(html, "EXPLAIN-TWO"));
  EXPECT_FALSE(has(html, "checked"));
  EXPECT_FALSE(has(html, "correct"));
  EXPECT_FALSE(has(html, "data-"));
  for (const char* choice :
       {"it@corp.example", "hr@corp.example", "it@c0rp.example", "ceo@corp.example", "Urgency",
        "Your first name", "A threat of loss"}) {
    EXPECT_TRUE(has(html, choice)) << choice;
  }
}

TEST(PortalQuiz, ChoicesAreSymmetrical) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module};
  const std::string html = quiz_html(links(), item, "NONCE-1");
  for (std::size_t qi = 0; qi < module.quiz.size(); ++qi) {
    const auto blocks = choice_blocks(html, qi);
    ASSERT_EQ(blocks.size(), module.quiz[qi].choices.size()) << qi;
    const std::string first = normalised(blocks[0], qi, 0, module.quiz[qi].choices[0]);
    EXPECT_FALSE(has(first, module.quiz[qi].choices[0])) << first;
    for (std::size_t ci = 1; ci < blocks.size(); ++ci) {
      EXPECT_EQ(normalised(blocks[ci], qi, ci, module.quiz[qi].choices[ci]), first)
          << "question " << qi << " choice " << ci;
    }
  }
}

TEST(PortalQuiz, PageIsTheSameWhateverTheRightAnswerIs) {
  auto a = make_module();
  auto b = make_module();
  b.quiz[0].answers = {0};
  b.quiz[1].answers = {1, 2};
  b.quiz[0].explanation = "something else";
  const auto assignment = make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay);
  EXPECT_EQ(quiz_html(links(), PortalItem{assignment, &a}, "N"),
            quiz_html(links(), PortalItem{assignment, &b}, "N"));
}

TEST(PortalQuiz, RadiosForOneAnswerCheckboxesForSeveral) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module};
  const std::string html = quiz_html(links(), item, "NONCE-1");
  for (const auto& block : choice_blocks(html, 0)) {
    EXPECT_TRUE(has(block, "type=\"radio\"")) << block;
    EXPECT_TRUE(has(block, "name=\"q.sender\"")) << block;
  }
  for (const auto& block : choice_blocks(html, 1)) {
    EXPECT_TRUE(has(block, "type=\"checkbox\"")) << block;
    EXPECT_TRUE(has(block, "name=\"q.flags\"")) << block;
  }
  EXPECT_TRUE(has(html, "choose all that apply"));
  // Only the multi-answer question says so.
  EXPECT_EQ(html.find("choose all that apply"), html.rfind("choose all that apply"));
  EXPECT_GT(html.find("choose all that apply"), html.find("Which are red flags?"));
}

TEST(PortalQuiz, PostsToTheAssignmentWithTheNonce) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module};
  const std::string html = quiz_html(links(), item, "NONCE-\"1\"");
  EXPECT_TRUE(has(html, "<form method=\"post\" action=\"/learn/TOK/11/quiz\"")) << html;
  EXPECT_TRUE(has(html, "name=\"nonce\" value=\"NONCE-&quot;1&quot;\"")) << html;
}

TEST(PortalQuiz, EscapesQuestionAndChoiceText) {
  auto module = make_module();
  module.title = kEvilName;
  module.quiz[0].text = "<i>q</i>";
  module.quiz[0].choices[1] = "<img src=x onerror=alert(1)>";
  PortalItem item{make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module};
  const std::string html = quiz_html(links(), item, "N");
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<i>q</i>"));
  EXPECT_FALSE(has(html, "<img"));
  EXPECT_TRUE(has(html, "&lt;img src=x onerror=alert(1)&gt;"));
}

std::map<std::string, std::set<int>> answers_one_wrong() {
  return {{"sender", {1}}, {"flags", {0, 2}}};
}

TEST(PortalQuizResult, ShowsExplanationsAndRightAnswersForWrongQuestions) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const auto answers = answers_one_wrong();
  auto graded = grade_quiz(module, answers);
  ASSERT_TRUE(graded.has_value()) << graded.error().message;
  ASSERT_FALSE(graded->passed);
  const std::string html = quiz_result_html(links(), item, *graded, answers);
  EXPECT_TRUE(has(html, "EXPLAIN-ONE"));
  EXPECT_TRUE(has(html, "EXPLAIN-TWO"));
  EXPECT_TRUE(has(html, "Not quite yet"));
  EXPECT_TRUE(has(html, "1 of 2 questions right (50%)")) << html;
  EXPECT_TRUE(has(html, "the pass mark is 80%"));
  EXPECT_TRUE(has(html, "Your answer: hr@corp.example")) << html;
  EXPECT_TRUE(has(html, "The right answer: it@c0rp.example")) << html;
  // The question answered right does not repeat the answer as a correction.
  EXPECT_EQ(html.find("The right answer:"), html.rfind("The right answer:"));
  EXPECT_TRUE(has(html, "Your answer: Urgency; A threat of loss")) << html;
  EXPECT_TRUE(has(html, "/learn/TOK/11/quiz\">Try the quiz again"));
  EXPECT_FALSE(has(html, "/certificate"));
}

TEST(PortalQuizResult, PassLinksToTheCertificate) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kCompleted, kNow + kDay), &module};
  const std::map<std::string, std::set<int>> answers = {{"sender", {2}}, {"flags", {0, 2}}};
  auto graded = grade_quiz(module, answers);
  ASSERT_TRUE(graded.has_value());
  ASSERT_TRUE(graded->passed);
  const std::string html = quiz_result_html(links(), item, *graded, answers);
  EXPECT_TRUE(has(html, "you passed"));
  EXPECT_TRUE(has(html, "2 of 2 questions right (100%)"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/certificate\""));
  EXPECT_FALSE(has(html, "The right answer:"));
  EXPECT_TRUE(has(html, "EXPLAIN-ONE"));  // explanations for every question
}

TEST(PortalQuizResult, EscapesChoicesAndExplanations) {
  auto module = make_module();
  module.quiz[0].choices[1] = kEvilName;
  module.quiz[0].choices[2] = "<u>right</u>";
  module.quiz[0].explanation = "<script>x</script>";
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const auto answers = answers_one_wrong();
  auto graded = grade_quiz(module, answers);
  ASSERT_TRUE(graded.has_value());
  const std::string html = quiz_result_html(links(), item, *graded, answers);
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<u>right</u>"));
  EXPECT_FALSE(has(html, "<script>"));
  EXPECT_TRUE(has(html, "&lt;b&gt;x&lt;/b&gt;"));
}

TEST(PortalHome, SplitsToDoAndCompleted) {
  const auto module = make_module();
  auto done = make_assignment(12, AssignmentStatus::kCompleted, kNow - kDay);
  done.completed_at = kNow - 2 * kDay;
  done.score = 90;
  auto todo = make_assignment(11, AssignmentStatus::kAssigned, kNow + 3 * kDay);
  auto late = make_assignment(13, AssignmentStatus::kInProgress, kNow - kDay);
  late.module_slug = "retired-module";
  const std::vector<PortalItem> items = {{todo, &module}, {late, nullptr}, {done, &module}};
  const std::string html = portal_home_html(links(), "Alice", items, kNow);
  EXPECT_TRUE(has(html, "Hello Alice"));
  const auto todo_at = html.find(">To do</h2>");
  const auto done_at = html.find(">Completed</h2>");
  ASSERT_NE(todo_at, std::string::npos);
  ASSERT_NE(done_at, std::string::npos);
  EXPECT_LT(todo_at, done_at);
  // Open ones under "To do", with their due dates.
  const auto todo_link = html.find("href=\"/learn/TOK/11\"");
  ASSERT_NE(todo_link, std::string::npos);
  EXPECT_GT(todo_link, todo_at);
  EXPECT_LT(todo_link, done_at);
  EXPECT_TRUE(has(html, "due Friday 4 December 2026"));
  const auto retired = html.find("retired-module");
  ASSERT_NE(retired, std::string::npos);
  EXPECT_LT(retired, done_at);
  EXPECT_TRUE(has(html, "no longer available"));
  EXPECT_TRUE(has(html, "badge overdue"));
  // The completed one under "Completed", with its date, score and certificate.
  const auto cert = html.find("href=\"/learn/TOK/12/certificate\"");
  ASSERT_NE(cert, std::string::npos);
  EXPECT_GT(cert, done_at);
  EXPECT_TRUE(has(html, "completed Sunday 29 November 2026 with 90%")) << html;
  EXPECT_FALSE(has(html, "no training to do"));
}

TEST(PortalHome, NoTrainingWhenEmpty) {
  const std::string html = portal_home_html(links(), "", {}, kNow);
  EXPECT_TRUE(has(html, "You have no training to do right now"));
  EXPECT_TRUE(has(html, "<h1>Your training</h1>"));
  EXPECT_FALSE(has(html, ">To do</h2>"));
  EXPECT_FALSE(has(html, ">Completed</h2>"));
}

TEST(PortalHome, OnlyCompletedSaysNothingToDo) {
  const auto module = make_module();
  auto done = make_assignment(12, AssignmentStatus::kCompleted, kNow - kDay);
  done.completed_at = kNow - kDay;
  const std::string html = portal_home_html(links(), "Alice", {{done, &module}}, kNow);
  EXPECT_TRUE(has(html, "You have no training to do right now"));
  EXPECT_TRUE(has(html, ">Completed</h2>"));
  EXPECT_FALSE(has(html, ">To do</h2>"));
}

TEST(PortalHome, EscapesNameAndModuleText) {
  auto module = make_module();
  module.title = "<i>title</i>";
  module.summary = "<s>summary</s>";
  auto gone = make_assignment(13, AssignmentStatus::kAssigned, kNow + kDay);
  gone.module_slug = "<em>slug</em>";
  const std::vector<PortalItem> items = {
      {make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module}, {gone, nullptr}};
  const std::string html = portal_home_html(links(), kEvilName, items, kNow);
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<i>title"));
  EXPECT_FALSE(has(html, "<s>summary"));
  EXPECT_FALSE(has(html, "<em>slug"));
  EXPECT_TRUE(has(html, "Hello &lt;b&gt;x&lt;/b&gt;"));
}

TEST(PortalModuleOverview, ListsLessonsAndStartsTheFirst) {
  auto module = make_module();
  module.summary = kEvilName;
  PortalItem item{make_assignment(11, AssignmentStatus::kAssigned, kNow + kDay), &module};
  const std::string html = module_overview_html(links(), item, kNow);
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/1\">What phishing looks like"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/3\">Reporting"));
  EXPECT_TRUE(has(html, "3 lessons and a 2-question quiz"));
  EXPECT_TRUE(has(html, "pass mark 80%"));
  EXPECT_TRUE(has(html, "Start the first lesson"));
}

TEST(PortalLesson, FirstLessonHasNextOnly) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const std::string html = lesson_html(links(), item, 0);
  EXPECT_TRUE(has(html, "Lesson 1 of 3"));
  EXPECT_TRUE(has(html, "<h1>What phishing looks like</h1>"));
  EXPECT_FALSE(has(html, "Previous lesson"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/2\">Next lesson"));
  EXPECT_FALSE(has(html, "/quiz"));
}

TEST(PortalLesson, MiddleLessonHasPreviousAndNext) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const std::string html = lesson_html(links(), item, 1);
  EXPECT_TRUE(has(html, "Lesson 2 of 3"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/1\">Previous lesson"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/3\">Next lesson"));
  EXPECT_FALSE(has(html, "/quiz"));
}

TEST(PortalLesson, LastLessonLeadsToTheQuizUnlessCompleted) {
  const auto module = make_module();
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  std::string html = lesson_html(links(), item, 2);
  EXPECT_TRUE(has(html, "Lesson 3 of 3"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/lesson/2\">Previous lesson"));
  EXPECT_FALSE(has(html, "Next lesson"));
  EXPECT_TRUE(has(html, "href=\"/learn/TOK/11/quiz\">Take the quiz"));

  item.assignment.status = AssignmentStatus::kCompleted;
  html = lesson_html(links(), item, 2);
  EXPECT_FALSE(has(html, "/quiz"));
  EXPECT_TRUE(has(html, "Previous lesson"));
}

TEST(PortalLesson, EscapesModuleAndLessonTitles) {
  auto module = make_module();
  module.title = kEvilName;
  module.lessons[0].title = "<i>lesson</i>";
  PortalItem item{make_assignment(11, AssignmentStatus::kInProgress, kNow + kDay), &module};
  const std::string html = lesson_html(links(), item, 0);
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<i>lesson</i>"));
}

TEST(PortalCertificate, ShowsNameScoreVersionAndDate) {
  const auto module = make_module();
  auto a = make_assignment(11, AssignmentStatus::kCompleted, kNow + kDay);
  a.completed_at = kNow;
  a.score = 90;
  a.module_version = 3;
  const std::string html = certificate_html(links(), PortalItem{a, &module}, "Alice Smith");
  EXPECT_TRUE(has(html, "Alice Smith"));
  EXPECT_TRUE(has(html, "Spotting red flags"));
  EXPECT_TRUE(has(html, "<dt>Score</dt><dd>90%</dd>")) << html;
  EXPECT_TRUE(has(html, "<dt>Module version</dt><dd>3</dd>")) << html;
  EXPECT_TRUE(has(html, "<dt>Completed</dt><dd>Tuesday 1 December 2026</dd>")) << html;
  EXPECT_TRUE(has(html, "#11"));
}

TEST(PortalCertificate, EscapesTheNameAndUsesTheSlugWithoutModule) {
  auto a = make_assignment(11, AssignmentStatus::kCompleted, kNow + kDay);
  a.completed_at = kNow;
  a.module_slug = "<i>gone</i>";
  const std::string html = certificate_html(links(), PortalItem{a, nullptr}, kEvilName);
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<i>gone</i>"));
  EXPECT_TRUE(has(html, "&lt;b&gt;x&lt;/b&gt;"));
  EXPECT_TRUE(has(html, "&lt;i&gt;gone&lt;/i&gt;"));
}

TEST(PortalMessage, EscapesEverythingAndLinksBackOnlyWhenAsked) {
  std::string html = message_html("/learn", kEvilName, "<i>msg</i>");
  EXPECT_FALSE(has(html, kEvilName));
  EXPECT_FALSE(has(html, "<i>msg</i>"));
  EXPECT_TRUE(has(html, "<h1>&lt;b&gt;x&lt;/b&gt;</h1>"));
  EXPECT_TRUE(has(html, "&lt;i&gt;msg&lt;/i&gt;"));
  EXPECT_TRUE(has(html, "href=\"/learn/portal.css\""));
  EXPECT_EQ(html.find("<p><a href"), std::string::npos);

  html = message_html("/learn", "Link expired", "Ask for a new one.", "/learn/T?a=1&b=2",
                      "<b>back</b>");
  EXPECT_TRUE(has(html, "<a href=\"/learn/T?a=1&amp;b=2\">&lt;b&gt;back&lt;/b&gt;</a>")) << html;
}

TEST(PortalPages, EveryPageHasTheFrame) {
  const auto module = make_module();
  auto a = make_assignment(11, AssignmentStatus::kCompleted, kNow + kDay);
  a.completed_at = kNow;
  PortalItem item{a, &module};
  for (const std::string& html :
       {portal_home_html(links(), "A", {item}, kNow), module_overview_html(links(), item, kNow),
        lesson_html(links(), item, 0), quiz_html(links(), item, "n"),
        certificate_html(links(), item, "A"), message_html("/learn", "t", "m")}) {
    EXPECT_TRUE(html.starts_with("<!doctype html><html lang=\"en\">"));
    EXPECT_TRUE(has(html, "<main id=\"main\""));
    EXPECT_TRUE(has(html, "href=\"#main\""));
    EXPECT_FALSE(has(html, "<script"));
    EXPECT_TRUE(html.ends_with("</html>"));
  }
}

TEST(PortalCss, IsServedText) {
  EXPECT_TRUE(has(std::string(portal_css()), ".choice"));
  EXPECT_TRUE(has(std::string(portal_css()), "@media print"));
}

}  // namespace
}  // namespace phishdrill::phish
