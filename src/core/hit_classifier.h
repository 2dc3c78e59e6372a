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
  int sweep_recipients = 1;      // distinct recipients this address + user agent hit in the
                                 // sweep window
  bool near_decoy = false;       // this recipient's decoy was followed recently, from this
                                 // address or with this user agent
};

struct ClassifierSettings {
  int delivery_window_seconds = 10;  // hits this soon after sending are scanners
  int burst_recipients = 5;          // one address clicking links of this many recipients …
  int burst_window_seconds = 10;     // … within this many seconds is a scanner
  int sweep_recipients = 6;          // one address and user agent hitting this many …
  int sweep_window_seconds = 60;     // … within this many seconds is a slow scanner
  int decoy_window_seconds = 300;    // hits this close to a decoy hit are the scanner's
};

struct Verdict {
  bool automated = false;
  std::string reason;  // empty for human hits
  // > 0 when this hit crossed a burst or sweep threshold, revealing a scanner
  // behind its address: that address's earlier hits within this many seconds
  // are the scanner's too.
  int mark_address_back_seconds = 0;
};

Verdict classify_hit(const HitSignals& hit, const ClassifierSettings& settings);

// The scanner or previewer a user agent names, or "" when it looks like a
// person's browser or mail client. Matching is case-insensitive.
std::string_view scanner_token(std::string_view user_agent);

}  // namespace phishdrill
