// The organisation's numbers for a group of people over a period, from their
// histories (core/person_history.h). A simulation belongs to the period it
// was delivered in ([from, to)); what a person did with it counts whenever
// they did it. Definitions (shown to users as written here):
//  - phish-prone percentage: people who failed at least one simulation
//    (clicked, an attachment's link included, or submitted) over people
//    delivered at least one;
//  - report rate: simulations reported over simulations delivered;
//  - median time to report: over the reported simulations, from delivery to
//    report (the mean of the two middle ones when their number is even);
//  - resilience ratio: people who reported at least one simulation over
//    people who failed at least one (none when nobody failed);
//  - repeat clickers: people who failed two or more simulations;
//  - training: assignments made in the period, those completed (passed),
//    and those overdue at `to` (due before it and not completed by it).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "core/person_history.h"

namespace phishdrill {

struct PhishMetrics {
  std::int64_t people_delivered = 0;
  std::int64_t people_failed = 0;
  std::int64_t people_reported = 0;
  std::int64_t repeat_clickers = 0;
  std::int64_t delivered = 0;
  std::int64_t failed = 0;
  std::int64_t reported = 0;
  std::optional<double> phish_prone;  // 0..1; none when nobody was delivered
  std::optional<double> report_rate;  // 0..1; none when nothing was delivered
  std::optional<std::int64_t> median_seconds_to_report;
  std::optional<double> resilience_ratio;  // none when nobody failed
  std::int64_t training_assigned = 0;
  std::int64_t training_completed = 0;
  std::int64_t training_overdue = 0;
};

PhishMetrics phish_metrics(std::span<const PersonHistory> people, std::int64_t from,
                           std::int64_t to);

}  // namespace phishdrill
