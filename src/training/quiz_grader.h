// Grading a quiz on the server: the learner's choices per question are
// compared with the module's answers, and the score is the percentage of
// questions answered exactly right. A forged answer set (an unknown or missing
// question, a choice index out of range, several choices for a question with a
// single right answer) is refused. Pure; thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "training/training_module.h"

namespace phishdrill {

struct QuestionResult {
  std::string id;
  bool correct = false;
  std::set<int> right_answers;
  std::string explanation;
};

struct QuizResult {
  int correct = 0;
  int total = 0;
  int score_percent = 0;  // rounded down
  bool passed = false;
  std::vector<QuestionResult> questions;  // in quiz order
};

// `answers`: question id → chosen indexes. Every question must be answered.
Result<QuizResult> grade_quiz(const TrainingModule& module,
                              const std::map<std::string, std::set<int>>& answers);

}  // namespace phishdrill
