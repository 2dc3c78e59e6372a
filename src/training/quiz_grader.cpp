#include "training/quiz_grader.h"

#include <fmt/format.h>

namespace phishdrill {

Result<QuizResult> grade_quiz(const TrainingModule& module,
                              const std::map<std::string, std::set<int>>& answers) {
  for (const auto& [id, chosen] : answers) {
    const QuizQuestion* question = nullptr;
    for (const auto& q : module.quiz) {
      if (q.id == id) question = &q;
    }
    if (question == nullptr) {
      return fail(ErrorCode::kValidation, fmt::format("there is no question \"{}\"", id),
                  "answers");
    }
    if (chosen.empty()) {
      return fail(ErrorCode::kValidation, fmt::format("choose an answer for \"{}\"", id),
                  "answers");
    }
    // One right answer is asked as a single choice (radio buttons): several
    // choices can only come from a forged form.
    if (question->answers.size() == 1 && chosen.size() > 1) {
      return fail(ErrorCode::kValidation, fmt::format("question \"{}\" takes a single answer", id),
                  "answers");
    }
    for (const int index : chosen) {
      if (index < 0 || index >= static_cast<int>(question->choices.size())) {
        return fail(ErrorCode::kValidation,
                    fmt::format("question \"{}\" has no choice {}", id, index), "answers");
      }
    }
  }
  QuizResult result;
  result.total = static_cast<int>(module.quiz.size());
  for (const auto& q : module.quiz) {
    const auto it = answers.find(q.id);
    if (it == answers.end()) {
      return fail(ErrorCode::kValidation, fmt::format("question \"{}\" is not answered", q.id),
                  "answers");
    }
    const bool correct = it->second == q.answers;
    result.correct += correct ? 1 : 0;
    result.questions.push_back({q.id, correct, q.answers, q.explanation});
  }
  result.score_percent = result.total == 0 ? 0 : result.correct * 100 / result.total;
  result.passed = result.score_percent >= module.pass_mark;
  return result;
}

}  // namespace phishdrill
