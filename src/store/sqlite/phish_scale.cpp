#include "store/json_columns.h"
#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

std::map<std::string, PremiseRatings> SqlitePhishScale::premise_answers(std::int64_t workspace_id) {
  auto stmt = db_.prepare("SELECT category, ratings FROM premise_answers WHERE workspace_id = ?");
  stmt.bind(1, workspace_id);
  std::map<std::string, PremiseRatings> out;
  while (stmt.step()) out[stmt.text(0)] = json_columns::premise_from_json(stmt.text(1));
  return out;
}

void SqlitePhishScale::save_premise_answers(std::int64_t workspace_id, const std::string& category,
                                            const PremiseRatings& ratings) {
  db_.prepare(
         "INSERT INTO premise_answers (workspace_id, category, ratings) VALUES (?,?,?) "
         "ON CONFLICT (workspace_id, category) DO UPDATE SET ratings = excluded.ratings")
      .bind(1, workspace_id)
      .bind(2, category)
      .bind(3, json_columns::premise_to_json(ratings))
      .run();
}

bool SqlitePhishScale::delete_premise_answers(std::int64_t workspace_id,
                                              const std::string& category) {
  db_.prepare("DELETE FROM premise_answers WHERE workspace_id = ? AND category = ?")
      .bind(1, workspace_id)
      .bind(2, category)
      .run();
  return db_.changes() > 0;
}

std::map<std::int64_t, TemplateOutcome> SqlitePhishScale::template_outcomes(
    std::int64_t workspace_id) {
  auto stmt = db_.prepare(
      "SELECT v.template_id, COUNT(*), SUM(r.status_rank >= 2), SUM(r.status_rank >= 3) "
      "FROM campaigns c JOIN recipients r ON r.campaign_id = c.id "
      "JOIN campaign_variants v ON v.id = r.variant_id "
      "WHERE c.workspace_id = ? AND r.state = 'sent' GROUP BY v.template_id");
  stmt.bind(1, workspace_id);
  std::map<std::int64_t, TemplateOutcome> out;
  while (stmt.step()) out[stmt.int64(0)] = {stmt.int64(1), stmt.int64(2), stmt.int64(3)};
  return out;
}

}  // namespace phishdrill::sqlite
