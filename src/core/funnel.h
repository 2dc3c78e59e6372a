// A recipient's result as people are counted: the furthest step human hits
// reached (0 none, 1 opened, 2 clicked, 3 submitted), when each step was
// first reached, and when they reported. A hit only moves it forward;
// re-classifying hits recomputes it from the human events that remain. The
// campaign's people counters move by the difference between two funnels, so
// a person counts once per step whatever the number of hits. Pure; thread-safe.
#pragma once

#include <cstdint>

namespace phishdrill {

struct Funnel {
  int rank = 0;
  std::int64_t first_opened_at = 0;
  std::int64_t first_clicked_at = 0;
  std::int64_t first_submitted_at = 0;
  std::int64_t reported_at = 0;

  bool operator==(const Funnel&) const = default;
};

// How a campaign's people counters change (and its count of automated events).
struct CounterDelta {
  std::int64_t opened = 0;
  std::int64_t clicked = 0;
  std::int64_t submitted = 0;
  std::int64_t reported = 0;
  std::int64_t automated_events = 0;

  bool empty() const {
    return opened == 0 && clicked == 0 && submitted == 0 && reported == 0 && automated_events == 0;
  }

  CounterDelta& operator+=(const CounterDelta& other) {
    opened += other.opened;
    clicked += other.clicked;
    submitted += other.submitted;
    reported += other.reported;
    automated_events += other.automated_events;
    return *this;
  }
};

// The funnel after a human hit at `at` that reached `rank` and/or reported.
// Never moves back; a step reached for the first time is dated `at`.
Funnel advance(const Funnel& before, int rank, bool report, std::int64_t at);

// People entering (+1) or leaving (-1) each step when a recipient's funnel
// goes from `before` to `after`.
CounterDelta counter_delta(const Funnel& before, const Funnel& after);

}  // namespace phishdrill
