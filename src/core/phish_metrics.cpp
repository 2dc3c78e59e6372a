#include "core/phish_metrics.h"

#include <algorithm>
#include <vector>

namespace phishdrill {
namespace {

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<std::int64_t> median(std::vector<std::int64_t> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  if (values.size() % 2 == 1) return values[mid];
  return (values[mid - 1] + values[mid]) / 2;
}

// One person's simulations in the period.
void add_simulations(const PersonHistory& person, std::int64_t from, std::int64_t to,
                     PhishMetrics& m, std::vector<std::int64_t>& report_times) {
  int delivered = 0, failed = 0, reported = 0;
  for (const auto& s : person.simulations) {
    if (s.delivered_at < from || s.delivered_at >= to) continue;
    ++delivered;
    if (s.failed()) ++failed;
    if (s.reported()) {
      ++reported;
      report_times.push_back(std::max<std::int64_t>(0, s.funnel.reported_at - s.delivered_at));
    }
  }
  m.delivered += delivered;
  m.failed += failed;
  m.reported += reported;
  if (delivered > 0) ++m.people_delivered;
  if (failed > 0) ++m.people_failed;
  if (reported > 0) ++m.people_reported;
  if (failed >= 2) ++m.repeat_clickers;
}

void add_training(const PersonHistory& person, std::int64_t from, std::int64_t to,
                  PhishMetrics& m) {
  for (const auto& t : person.training) {
    if (t.assigned_at < from || t.assigned_at >= to) continue;
    ++m.training_assigned;
    const bool completed = t.completed_at && *t.completed_at < to;
    if (completed) ++m.training_completed;
    if (!completed && t.due_at < to) ++m.training_overdue;
  }
}

}  // namespace

PhishMetrics phish_metrics(std::span<const PersonHistory> people, std::int64_t from,
                           std::int64_t to) {
  PhishMetrics m;
  std::vector<std::int64_t> report_times;
  for (const auto& person : people) {
    add_simulations(person, from, to, m, report_times);
    add_training(person, from, to, m);
  }
  m.phish_prone = ratio(m.people_failed, m.people_delivered);
  m.report_rate = ratio(m.reported, m.delivered);
  m.median_seconds_to_report = median(std::move(report_times));
  m.resilience_ratio = ratio(m.people_reported, m.people_failed);
  return m;
}

}  // namespace phishdrill
