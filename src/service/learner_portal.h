// The training portal as a learner uses it, behind their personal link
// (its token is stored only as a hash, and expires): their assignments, a
// module's overview and lessons (opening one starts the assignment), the
// quiz — each form carries a one-time nonce from the TokenSource, so only
// the newest copy of the form is graded, and only once — graded on the
// server (training/quiz_grader.h), where a pass completes the assignment, and
// the certificate of a completed one. Every refusal has its reason, for the
// page that explains it. Each call runs its own transactions, so none may be
// called from inside one. Thread-safe as the store, catalogue and token
// source are.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/token_source.h"
#include "store/store.h"
#include "training/catalogue.h"
#include "training/quiz_grader.h"

namespace phishdrill::service {

enum class PortalRefusal {
  kUnknownLink,       // no such token
  kExpiredLink,       // the token's link has expired
  kNotTheirs,         // no such assignment, or another person's (or workspace's)
  kWithdrawn,         // the assignment was cancelled
  kModuleRemoved,     // its module is no longer in the catalogue
  kNoSuchLesson,      // the module has no lesson with that number
  kAlreadyCompleted,  // the quiz of a completed assignment
  kBadAnswers,        // answers that do not fit the quiz (nothing recorded)
  kFormUsed,          // a quiz form already sent, or replaced by a newer one
  kNotCompleted,      // the certificate before the quiz is passed
  kUnavailable,       // the store failed
};

struct PortalDenial {
  PortalRefusal reason = PortalRefusal::kUnavailable;
  std::string detail;  // kBadAnswers: what is wrong; kUnavailable: the store's message
  int score = 0;       // kAlreadyCompleted: the result recorded
};

template <typename T>
using PortalResult = std::expected<T, PortalDenial>;

struct PortalEntry {
  Assignment assignment;
  const TrainingModule* module = nullptr;  // null when no longer in the catalogue
};

// What one page sees. `modules` keeps every `module` pointer alive.
struct PortalHome {
  PortalLink link;
  std::vector<PortalEntry> entries;  // open ones first (by due date), then the rest
  std::shared_ptr<const ModuleList> modules;
};

struct PortalVisit {
  PortalLink link;
  PortalEntry entry;  // the assignment in the path, with its module (never null)
  std::shared_ptr<const ModuleList> modules;
};

struct QuizForm {
  PortalVisit visit;
  std::string nonce;  // for the form; only its hash is kept
};

// A sent quiz form as the handler read it.
struct QuizSubmission {
  std::string nonce;
  std::map<std::string, std::set<int>> answers;  // question id → chosen indexes
  std::string problem;  // what the form has that a quiz form cannot ("" when nothing)
};

struct GradedQuiz {
  PortalVisit visit;  // completed when passed
  QuizResult result;
};

class LearnerPortal {
 public:
  LearnerPortal(Store& store, std::shared_ptr<const TrainingCatalogue> catalogue,
                const TokenSource& tokens);

  PortalResult<PortalHome> home(std::string_view token, std::int64_t now) const;
  // Any page of assignment `id` that changes nothing (overview, images).
  PortalResult<PortalVisit> assignment(std::string_view token, std::int64_t id,
                                       std::int64_t now) const;
  // Lesson `number` (1-based) exists; the assignment counts as started.
  PortalResult<PortalVisit> lesson(std::string_view token, std::int64_t id, std::size_t number,
                                   std::int64_t now) const;
  // A fresh quiz form: its nonce replaces any earlier one.
  PortalResult<QuizForm> open_quiz(std::string_view token, std::int64_t id, std::int64_t now) const;
  // Grades the answers and records the attempt once per form.
  PortalResult<GradedQuiz> submit_quiz(std::string_view token, std::int64_t id,
                                       const QuizSubmission& sent, std::int64_t now) const;
  PortalResult<PortalVisit> certificate(std::string_view token, std::int64_t id,
                                        std::int64_t now) const;

 private:
  Store& store_;
  std::shared_ptr<const TrainingCatalogue> catalogue_;
  const TokenSource& tokens_;
};

}  // namespace phishdrill::service
