// The PostgreSQL send slots, throttle windows and change notices: what the
// nodes sharing the database agree on. A row is created if missing and then
// held with FOR UPDATE, so concurrent takers on any node go one at a time.
#include "store/postgres/repositories.h"

namespace phishdrill::pg {

SendSlotDecision PgSendRates::take_send_slot(std::int64_t profile_id, SendSlotRate rate) {
  db_.run(
      "INSERT INTO send_rates (profile_id, tat_us) VALUES ($1, 0) "
      "ON CONFLICT (profile_id) DO NOTHING",
      profile_id);
  // The clock is read in the same statement that waits for the row; a read
  // taken before a wait is earlier than the truth, which only makes the
  // decision stricter.
  const auto rows = db_.run(
      "SELECT tat_us, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint "
      "FROM send_rates WHERE profile_id = $1 FOR UPDATE",
      profile_id);
  const auto decision = phishdrill::take_send_slot(rows.int64(0, 0), rows.int64(0, 1), rate);
  if (decision.taken) {
    db_.run("UPDATE send_rates SET tat_us = $2 WHERE profile_id = $1", profile_id, decision.tat);
  }
  return decision;
}

ThrottleWindow PgThrottles::lock_window(std::string_view key) {
  db_.run(
      "INSERT INTO throttle_windows (key, failures, window_start, locked_until) "
      "VALUES ($1, 0, 0, 0) ON CONFLICT (key) DO NOTHING",
      key);
  const auto rows = db_.run(
      "SELECT failures, window_start, locked_until FROM throttle_windows WHERE key = $1 "
      "FOR UPDATE",
      key);
  return {static_cast<int>(rows.int64(0, 0)), rows.int64(0, 1), rows.int64(0, 2)};
}

void PgThrottles::save_window(std::string_view key, const ThrottleWindow& w) {
  db_.run(
      "INSERT INTO throttle_windows (key, failures, window_start, locked_until) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
      "window_start = excluded.window_start, locked_until = excluded.locked_until",
      key, w.failures, w.window_start, w.locked_until);
}

void PgThrottles::forget_window(std::string_view key) {
  db_.run("DELETE FROM throttle_windows WHERE key = $1", key);
}

int PgThrottles::forget_idle_windows(std::int64_t now, std::int64_t started_before) {
  return static_cast<int>(
      db_.run("DELETE FROM throttle_windows WHERE locked_until <= $1 AND window_start < $2", now,
              started_before)
          .affected());
}

std::optional<std::string> PgInstallation::key_check() {
  const auto rows = db_.run("SELECT key_check FROM installation WHERE id = 1");
  if (rows.empty()) return std::nullopt;
  return rows.text(0, 0);
}

void PgInstallation::record_key_check(std::string_view check) {
  db_.run("INSERT INTO installation (id, key_check) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
          check);
}

void PgNotices::announce(ChangeTopic topic) {
  pending_.announce(topic);
  db_.run(std::string("SELECT pg_notify(") + kChangeChannelSql + ", $1)",
          std::string(topic_name(topic)));
}

}  // namespace phishdrill::pg
