// The SQLite send slots and throttle windows: the writer connection is the
// only one that writes, so reading and then writing a row inside its
// transaction is already one taker at a time.
#include <chrono>

#include "store/sqlite/repositories.h"

namespace phishdrill::sqlite {

SendSlotDecision SqliteSendRates::take_send_slot(std::int64_t profile_id, SendSlotRate rate) {
  auto& read = db_.cached("SELECT tat_us FROM send_rates WHERE profile_id = ?");
  read.bind(1, profile_id);
  const std::int64_t tat = read.step() ? read.int64(0) : 0;
  read.reset();
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto decision = phishdrill::take_send_slot(tat, now, rate);
  if (decision.taken) {
    db_.cached(
           "INSERT INTO send_rates (profile_id, tat_us) VALUES (?, ?) "
           "ON CONFLICT (profile_id) DO UPDATE SET tat_us = excluded.tat_us")
        .bind(1, profile_id)
        .bind(2, decision.tat)
        .run();
  }
  return decision;
}

ThrottleWindow SqliteThrottles::lock_window(std::string_view key) {
  auto& read =
      db_.cached("SELECT failures, window_start, locked_until FROM throttle_windows WHERE key = ?");
  read.bind(1, key);
  ThrottleWindow w;
  if (read.step()) {
    w.failures = static_cast<int>(read.int64(0));
    w.window_start = read.int64(1);
    w.locked_until = read.int64(2);
  }
  read.reset();
  return w;
}

void SqliteThrottles::save_window(std::string_view key, const ThrottleWindow& w) {
  db_.cached(
         "INSERT INTO throttle_windows (key, failures, window_start, locked_until) "
         "VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
         "window_start = excluded.window_start, locked_until = excluded.locked_until")
      .bind(1, key)
      .bind(2, w.failures)
      .bind(3, w.window_start)
      .bind(4, w.locked_until)
      .run();
}

void SqliteThrottles::forget_window(std::string_view key) {
  db_.cached("DELETE FROM throttle_windows WHERE key = ?").bind(1, key).run();
}

int SqliteThrottles::forget_idle_windows(std::int64_t now, std::int64_t started_before) {
  db_.cached("DELETE FROM throttle_windows WHERE locked_until <= ? AND window_start < ?")
      .bind(1, now)
      .bind(2, started_before)
      .run();
  return db_.changes();
}

std::optional<std::string> SqliteInstallation::key_check() {
  auto& read = db_.cached("SELECT key_check FROM installation WHERE id = 1");
  std::optional<std::string> check;
  if (read.step()) check = read.text(0);
  read.reset();
  return check;
}

void SqliteInstallation::record_key_check(std::string_view check) {
  db_.cached("INSERT INTO installation (id, key_check) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")
      .bind(1, check)
      .run();
}

}  // namespace phishdrill::sqlite
