#include "service/phish_scale/premise_answers.h"

#include "library/library_vocabulary.h"
#include "service/audit.h"

namespace phishdrill::service {
namespace {

Result<void> check_category(const std::string& category) {
  if (category.empty() || is_one_of(simulation_categories(), category)) return {};
  return fail(ErrorCode::kValidation, "not a library category", "category");
}

}  // namespace

Result<void> save_premise_answers(Store& store, const Caller& caller, const std::string& category,
                                  const PremiseRatings& ratings, std::int64_t now) {
  PD_TRY(check_category(category));
  for (const int rating : ratings.ratings) {
    if (rating < 0 || rating > 8 || rating % 2 != 0) {
      return fail(ErrorCode::kValidation, "each answer is 0, 2, 4, 6 or 8", "answers");
    }
  }
  return store.write([&](Repositories& repos) -> Result<void> {
    repos.phish_scale.save_premise_answers(caller.workspace_id, category, ratings);
    audit(repos, caller, now, "phish_scale.premise.update", "premise", 0,
          {{"category", category.empty() ? "general" : category},
           {"score", std::to_string(premise_score(ratings))}});
    return {};
  });
}

Result<void> reset_premise_answers(Store& store, const Caller& caller, const std::string& category,
                                   std::int64_t now) {
  PD_TRY(check_category(category));
  return store.write([&](Repositories& repos) -> Result<void> {
    if (!repos.phish_scale.delete_premise_answers(caller.workspace_id, category)) {
      return not_found();
    }
    audit(repos, caller, now, "phish_scale.premise.reset", "premise", 0,
          {{"category", category.empty() ? "general" : category}});
    return {};
  });
}

}  // namespace phishdrill::service
