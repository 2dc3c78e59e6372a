// The phish server's public endpoints (GoPhish-compatible defaults; paths and
// the rid parameter name are configurable):
//   GET  {track_path}?rid=   open pixel (1×1 GIF)
//   GET  /?rid=              click: the campaign's landing page, or the teaching page
//   POST /?rid=              form submission: recorded per the page's capture policy
//                            (never a secret), then the redirect or the teaching page
//   GET|POST {report_path}?rid=  "I reported this" (204)
//   GET  {decoy_path}?rid=   the hidden decoy link only machines follow
//   POST {beacon_path}?rid=  the landing page's own beacon once a person has
//                            looked at the page and used it (204)
// Every hit is classified human/automated and answered only after the writer
// has committed it. An unknown, malformed or finished campaign's rid gets the
// same plain 404. The client address is the request's remote_ip, which the
// server resolves through its trusted proxies (net/client_address.h).
#pragma once

#include <set>
#include <string>
#include <unordered_map>

#include "core/burst_tracker.h"
#include "core/clock.h"
#include "core/hit_classifier.h"
#include "core/mutex.h"
#include "core/rate_limiter.h"
#include "core/token_source.h"
#include "net/router.h"
#include "phish/content_cache.h"
#include "phish/event_writer.h"
#include "phish/rid_cache.h"
#include "store/store.h"

namespace phishdrill::phish {

struct PhishSettings {
  std::string rid_parameter = "rid";
  std::string track_path = "/track";
  std::string report_path = "/report";
  std::string decoy_path = "/r";
  std::string beacon_path = "/v";
  std::string portal_path = "/learn";  // the training portal (see portal_routes.h)
  ClassifierSettings classifier;
  // Hits per second one address may make (0 = no limit). Hits over the limit
  // are still recorded (as automated) before the 429 answer: a limit never
  // loses an event, it only spares the server rendering pages for a flood.
  int ip_hits_per_second = 50;
};

struct PhishContext {
  PhishContext(Store& s, const Clock& c, const TokenSource& t, EventWriter& w,
               PhishSettings settings_in);

  Store& store;
  const Clock& clock;
  const TokenSource& tokens;  // CSP nonces
  EventWriter& writer;
  PhishSettings settings;
  RidCache rids;
  ContentCache content;
  RateLimiter address_limits;
  BurstTracker bursts{settings.classifier.burst_window_seconds};  // by address
  BurstTracker sweeps{settings.classifier.sweep_window_seconds};  // by address + user agent
  struct DecoyHit {
    std::int64_t at = 0;
    std::string ip;
    std::string user_agent;
  };
  Mutex decoy_mutex;  // guards decoy_hits
  std::unordered_map<std::int64_t, DecoyHit> decoy_hits PD_GUARDED_BY(decoy_mutex);  // by recipient
};

// `base_url`: the phish server's public base URL (campaigns may override it).
void add_phish_routes(net::Router& router, PhishContext& context, const std::string& base_url);

}  // namespace phishdrill::phish
