#include "store/json_columns.h"
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

std::map<std::string, PremiseRatings> PgPhishScale::premise_answers(std::int64_t workspace_id) {
  const auto rows = db_.run("SELECT category, ratings FROM premise_answers WHERE workspace_id = $1",
                            workspace_id);
  std::map<std::string, PremiseRatings> out;
  for (int i = 0; i < rows.size(); ++i) {
    out[rows.text(i, 0)] = json_columns::premise_from_json(rows.text(i, 1));
  }
  return out;
}

void PgPhishScale::save_premise_answers(std::int64_t workspace_id, const std::string& category,
                                        const PremiseRatings& ratings) {
  db_.run(
      "INSERT INTO premise_answers (workspace_id, category, ratings) VALUES ($1, $2, $3) "
      "ON CONFLICT (workspace_id, category) DO UPDATE SET ratings = excluded.ratings",
      workspace_id, category, json_columns::premise_to_json(ratings));
}

bool PgPhishScale::delete_premise_answers(std::int64_t workspace_id, const std::string& category) {
  return db_.run("DELETE FROM premise_answers WHERE workspace_id = $1 AND category = $2",
                 workspace_id, category)
             .affected() > 0;
}

std::map<std::int64_t, TemplateOutcome> PgPhishScale::template_outcomes(std::int64_t workspace_id) {
  const auto rows = db_.run(
      "SELECT v.template_id, COUNT(*), COUNT(*) FILTER (WHERE r.status_rank >= 2), "
      "COUNT(*) FILTER (WHERE r.status_rank >= 3) "
      "FROM campaigns c JOIN recipients r ON r.campaign_id = c.id "
      "JOIN campaign_variants v ON v.id = r.variant_id "
      "WHERE c.workspace_id = $1 AND r.state = 'sent' GROUP BY v.template_id",
      workspace_id);
  std::map<std::int64_t, TemplateOutcome> out;
  for (int i = 0; i < rows.size(); ++i) {
    out[rows.int64(i, 0)] = {rows.int64(i, 1), rows.int64(i, 2), rows.int64(i, 3)};
  }
  return out;
}

}  // namespace phishdrill::pg
