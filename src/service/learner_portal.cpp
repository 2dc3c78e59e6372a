#include "service/learner_portal.h"

#include <optional>

#include "crypto/sodium.h"

namespace phishdrill::service {
namespace {

constexpr std::size_t kMinTokenLength = 16;
constexpr std::size_t kMaxTokenLength = 128;
constexpr std::size_t kQuizNonceBytes = 24;

std::unexpected<PortalDenial> refuse(PortalRefusal reason) {
  return std::unexpected(PortalDenial{reason, {}, 0});
}

// A store transaction's outcome as the portal reports it.
PortalResult<void> stored(const Result<void>& done) {
  if (done) return {};
  return std::unexpected(PortalDenial{PortalRefusal::kUnavailable, done.error().message, 0});
}

bool plausible(std::string_view token) {
  return token.size() >= kMinTokenLength && token.size() <= kMaxTokenLength;
}

PortalResult<PortalLink> live(const std::optional<PortalLink>& link, std::int64_t now) {
  if (!link) return refuse(PortalRefusal::kUnknownLink);
  if (link->expires_at <= now) return refuse(PortalRefusal::kExpiredLink);
  return *link;
}

const TrainingModule* find_in(const ModuleList& modules, std::string_view slug) {
  for (const auto& m : modules) {
    if (m.slug == slug) return &m;
  }
  return nullptr;
}

PortalResult<void> not_completed_yet(const Assignment& a) {
  if (a.status != AssignmentStatus::kCompleted) return {};
  return std::unexpected(PortalDenial{PortalRefusal::kAlreadyCompleted, {}, a.score.value_or(0)});
}

}  // namespace

LearnerPortal::LearnerPortal(Store& store, std::shared_ptr<const TrainingCatalogue> catalogue,
                             const TokenSource& tokens)
    : store_(store), catalogue_(std::move(catalogue)), tokens_(tokens) {}

PortalResult<PortalHome> LearnerPortal::home(std::string_view token, std::int64_t now) const {
  std::optional<PortalLink> link;
  std::vector<Assignment> assignments;
  PD_TRY(stored(store_.read([&](Repositories& repos) -> Result<void> {
    if (!plausible(token)) return {};
    link = repos.portal.find_portal_link(crypto::hash_token(token));
    if (link && link->expires_at > now) {
      assignments = repos.portal.assignments_of_target(link->workspace_id, link->target_id);
    }
    return {};
  })));
  PortalHome home{PD_TRY(live(link, now)), {}, nullptr};
  home.modules = catalogue_->modules(home.link.workspace_id);
  for (auto& a : assignments) {
    const TrainingModule* module = find_in(*home.modules, a.module_slug);
    home.entries.push_back({std::move(a), module});
  }
  return home;
}

PortalResult<PortalVisit> LearnerPortal::assignment(std::string_view token, std::int64_t id,
                                                    std::int64_t now) const {
  std::optional<PortalLink> link;
  std::optional<Assignment> a;
  PD_TRY(stored(store_.read([&](Repositories& repos) -> Result<void> {
    if (!plausible(token)) return {};
    link = repos.portal.find_portal_link(crypto::hash_token(token));
    if (link && id > 0) a = repos.training.find_assignment(link->workspace_id, id);
    return {};
  })));
  PortalVisit visit{PD_TRY(live(link, now)), {}, nullptr};
  if (!a || a->target.id != visit.link.target_id) return refuse(PortalRefusal::kNotTheirs);
  if (a->status == AssignmentStatus::kCancelled) return refuse(PortalRefusal::kWithdrawn);
  visit.modules = catalogue_->modules(visit.link.workspace_id);
  const TrainingModule* module = find_in(*visit.modules, a->module_slug);
  if (module == nullptr) return refuse(PortalRefusal::kModuleRemoved);
  visit.entry = {std::move(*a), module};
  return visit;
}

PortalResult<PortalVisit> LearnerPortal::lesson(std::string_view token, std::int64_t id,
                                                std::size_t number, std::int64_t now) const {
  PortalVisit visit = PD_TRY(assignment(token, id, now));
  if (number == 0 || number > visit.entry.module->lessons.size()) {
    return refuse(PortalRefusal::kNoSuchLesson);
  }
  PD_TRY(stored(store_.write([&](Repositories& repos) -> Result<void> {
    repos.portal.mark_started(visit.entry.assignment.id, now);
    return {};
  })));
  return visit;
}

PortalResult<QuizForm> LearnerPortal::open_quiz(std::string_view token, std::int64_t id,
                                                std::int64_t now) const {
  QuizForm form{PD_TRY(assignment(token, id, now)), {}};
  PD_TRY(not_completed_yet(form.visit.entry.assignment));
  form.nonce = tokens_.token(kQuizNonceBytes);
  const auto assignment_id = form.visit.entry.assignment.id;
  PD_TRY(stored(store_.write([&](Repositories& repos) -> Result<void> {
    repos.portal.mark_started(assignment_id, now);
    repos.portal.set_quiz_nonce(assignment_id, crypto::hash_token(form.nonce));
    return {};
  })));
  return form;
}

PortalResult<GradedQuiz> LearnerPortal::submit_quiz(std::string_view token, std::int64_t id,
                                                    const QuizSubmission& sent,
                                                    std::int64_t now) const {
  PortalVisit visit = PD_TRY(assignment(token, id, now));
  auto& a = visit.entry.assignment;
  PD_TRY(not_completed_yet(a));
  if (!sent.problem.empty()) {
    return std::unexpected(PortalDenial{PortalRefusal::kBadAnswers, sent.problem, 0});
  }
  auto graded = grade_quiz(*visit.entry.module, sent.answers);
  if (!graded) {
    return std::unexpected(PortalDenial{PortalRefusal::kBadAnswers, graded.error().message, 0});
  }
  bool fresh = false;
  PD_TRY(stored(store_.write([&](Repositories& repos) -> Result<void> {
    fresh = repos.portal.consume_quiz_nonce(a.id, crypto::hash_token(sent.nonce));
    if (!fresh) return {};
    repos.portal.record_attempt(
        {0, a.id, now, graded->score_percent, graded->passed, visit.entry.module->version});
    return {};
  })));
  if (!fresh) return refuse(PortalRefusal::kFormUsed);
  if (graded->passed) {
    a.status = AssignmentStatus::kCompleted;
    a.completed_at = now;
  }
  return GradedQuiz{std::move(visit), std::move(*graded)};
}

PortalResult<PortalVisit> LearnerPortal::certificate(std::string_view token, std::int64_t id,
                                                     std::int64_t now) const {
  PortalVisit visit = PD_TRY(assignment(token, id, now));
  if (visit.entry.assignment.status != AssignmentStatus::kCompleted) {
    return refuse(PortalRefusal::kNotCompleted);
  }
  return visit;
}

}  // namespace phishdrill::service
