// Port: a workspace's NIST Phish Scale data: its own premise answers per
// library category (core/phish_scale.h), and what its people did with each
// template they were delivered (core/observed_difficulty.h): people whose
// human result reached a click or a submission, counted from recipients
// sent a variant of that template. Used only inside a Store transaction.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/observed_difficulty.h"
#include "core/phish_scale.h"

namespace phishdrill {

class PhishScaleRepository {
 public:
  virtual ~PhishScaleRepository() = default;

  // The workspace's answers, by category ("" = the general answers).
  virtual std::map<std::string, PremiseRatings> premise_answers(std::int64_t workspace_id) = 0;
  virtual void save_premise_answers(std::int64_t workspace_id, const std::string& category,
                                    const PremiseRatings& ratings) = 0;
  // False when the workspace had no answers for the category.
  virtual bool delete_premise_answers(std::int64_t workspace_id, const std::string& category) = 0;

  // By template id, every template delivered at least once.
  virtual std::map<std::int64_t, TemplateOutcome> template_outcomes(std::int64_t workspace_id) = 0;
};

}  // namespace phishdrill
