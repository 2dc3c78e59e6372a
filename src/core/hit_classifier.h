// Telling people from machines: every tracking hit is classified human or
// automated, with the reason kept, and a human hit may also be flagged
// *suspect*. A hit becomes automated only on evidence of its own: the hidden
// decoy, HEAD, a prefetch header, a scanner's user agent, headers a real
// browser never sends (or always sends, missing), client hints that contradict
// the user agent, timing right after delivery, or the decoy of the same
// message followed from the same address and browser. Rules that look only at
// the address (many recipients from one address in a short window) can never
// make a hit automated: offices, pharmacies and hospitals put hundreds of
// people behind one address, and marking a person a scanner is the worst
// error this product can make. They flag the hit suspect for an operator to
// review; it still counts. Evidence of a person (a form submission, a page
// beacon after real interaction) is never suspect. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace phishdrill {

enum class HitKind { kOpen, kClick, kSubmit, kReport, kDecoy, kBeacon };

// "opened", "clicked", "submitted", "reported", "decoy", "viewed".
std::string_view hit_kind_event(HitKind kind);
// Funnel rank a human hit of this kind reaches: open 1, click 2 (a page
// beacon proves a click too), submit 3; reports and decoys 0 (they are not
// steps of the funnel).
int hit_rank(HitKind kind);

// The request headers the rules read (empty = absent).
struct HitHeaders {
  std::string_view accept;
  std::string_view accept_language;
  std::string_view sec_fetch_mode;
  std::string_view sec_fetch_site;
  std::string_view sec_ch_ua;
  std::string_view sec_ch_ua_mobile;
  std::string_view sec_ch_ua_platform;
  std::string_view origin;
};

struct HitSignals {
  HitKind kind = HitKind::kOpen;
  std::string_view method;  // "GET", "HEAD", "POST"
  std::string_view user_agent;
  std::string_view purpose;  // Purpose / Sec-Purpose / X-Purpose / X-Moz header values
  HitHeaders headers;
  // The link's origin is https: browsers send Sec-Fetch-* and client hints
  // only to secure origins.
  bool secure_origin = false;
  std::string_view own_origin;  // scheme://host[:port] of the campaign's links
  std::int64_t at = 0;
  std::int64_t sent_at = 0;      // 0 = not known to be delivered
  int ip_recipients_recent = 1;  // distinct recipients this address clicked in the burst window
  int sweep_recipients = 1;      // distinct recipients this address + user agent clicked in
                                 // the sweep window
  bool near_decoy = false;       // this recipient's decoy was followed recently, from this
                                 // address with this user agent
  // Page beacon only: how long the landing page was visible and how many
  // trusted input events (pointer, key, touch, scroll) the person made.
  std::int64_t beacon_visible_ms = 0;
  int beacon_interactions = 0;
};

struct ClassifierSettings {
  int delivery_window_seconds = 10;  // hits this soon after sending are scanners
  int burst_recipients = 5;          // one address clicking links of this many recipients …
  int burst_window_seconds = 10;     // … within this many seconds is suspect
  int sweep_recipients = 6;          // one address and user agent clicking this many …
  int sweep_window_seconds = 60;     // … within this many seconds is suspect
  int decoy_window_seconds = 300;    // hits this close to a decoy hit are the scanner's
  int beacon_min_visible_ms = 1000;  // a beacon proves a person after this long on the page …
  int beacon_min_interactions = 1;   // … and this many trusted input events
};

struct Verdict {
  bool automated = false;
  std::string reason;   // why automated; empty for human hits
  std::string suspect;  // human hits only: why an operator may want to look
  // > 0 when this click crossed a burst or sweep threshold: that address's
  // earlier human clicks within this many seconds are flagged suspect too
  // (never made automated, never uncounted).
  int flag_address_back_seconds = 0;
  // A beacon that shows no person: nothing is recorded.
  bool ignore = false;
};

Verdict classify_hit(const HitSignals& hit, const ClassifierSettings& settings);

// The scanner or previewer a user agent names, or "" when it looks like a
// person's browser or mail client. Matching is case-insensitive.
std::string_view scanner_token(std::string_view user_agent);

// Why these headers cannot come from the browser the user agent names when
// it navigates to a link (click or form submission), or "" when they can.
std::string browser_header_mismatch(const HitSignals& hit);

}  // namespace phishdrill
