#include "core/funnel.h"

#include <algorithm>

namespace phishdrill {
namespace {

void date_first(std::int64_t& first_at, bool reached, std::int64_t at) {
  if (reached && first_at == 0) first_at = at;
}

std::int64_t crossed(int step, const Funnel& before, const Funnel& after) {
  return (after.rank >= step ? 1 : 0) - (before.rank >= step ? 1 : 0);
}

}  // namespace

Funnel advance(const Funnel& before, int rank, bool report, std::int64_t at) {
  Funnel after = before;
  after.rank = std::max(before.rank, rank);
  date_first(after.first_opened_at, after.rank >= 1, at);
  date_first(after.first_clicked_at, after.rank >= 2, at);
  date_first(after.first_submitted_at, after.rank >= 3, at);
  date_first(after.reported_at, report, at);
  return after;
}

CounterDelta counter_delta(const Funnel& before, const Funnel& after) {
  CounterDelta delta;
  delta.opened = crossed(1, before, after);
  delta.clicked = crossed(2, before, after);
  delta.submitted = crossed(3, before, after);
  delta.reported = (after.reported_at != 0 ? 1 : 0) - (before.reported_at != 0 ? 1 : 0);
  return delta;
}

}  // namespace phishdrill
