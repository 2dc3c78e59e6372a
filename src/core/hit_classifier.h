// Telling people from machines: every tracking hit is classified human or
// automated, with the reason kept. Mail-security scanners and link previewers
// open links within seconds of delivery, from one address across many
// recipients, with tell-tale user agents and headers, and follow a hidden
// decoy link no person can see. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace phishdrill {

enum class HitKind { kOpen, kClick, kSubmit, kReport, kDecoy };

std::string_view hit_kind_event(HitKind kind);  // "opened", "clicked", "submitted", …
// Funnel rank a human hit of this kind reaches: open 1, click 2, submit 3;
// reports and decoys 0 (they are not steps of the funnel).
int hit_rank(HitKind kind);

struct HitSignals {
  HitKind kind = HitKind::kOpen;
  std::string_view method;  // "GET", "HEAD", "POST"
  std::string_view user_agent;
  std::string_view purpose;  // Purpose / Sec-Purpose / X-Purpose / X-Moz header values
  std::int64_t at = 0;
  std::int64_t sent_at = 0;      // 0 = not known to be delivered
  int ip_recipients_recent = 1;  // distinct recipients this address hit in the burst window
  bool near_decoy = false;       // this recipient's decoy link was followed recently
};

struct ClassifierSettings {
  int delivery_window_seconds = 10;  // hits this soon after sending are scanners
  int burst_recipients = 5;          // one address hitting this many recipients …
  int burst_window_seconds = 10;     // … within this many seconds is a scanner
  int decoy_window_seconds = 300;    // hits this close to a decoy hit are the scanner's
};

struct Verdict {
  bool automated = false;
  std::string reason;  // empty for human hits
};

Verdict classify_hit(const HitSignals& hit, const ClassifierSettings& settings);

// The scanner or previewer a user agent names, or "" when it looks like a
// person's browser or mail client. Matching is case-insensitive.
std::string_view scanner_token(std::string_view user_agent);

}  // namespace phishdrill
