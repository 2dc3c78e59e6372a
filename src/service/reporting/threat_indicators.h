// The indicators of the messages operators judged a threat — their link
// targets, domains, attachment digests and senders — gathered from every
// threat report of a workspace (deduplicated, with first and last time seen
// and how many reports carried each), for a SIEM or a blocklist: as CSV
// (formula-like cells neutralised) and as a STIX 2.1 bundle of indicators
// whose ids are stable across exports (derived from the value, UUID version
// 8). At most 10,000 reports are read, newest first. Thread-safe as the ports.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "store/store.h"

namespace phishdrill::service {

struct ThreatIndicator {
  std::string type;  // "url", "domain", "sha256", "email"
  std::string value;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  int reports = 0;
};

Result<std::vector<ThreatIndicator>> threat_indicators(Store& store, std::int64_t workspace_id);

std::string indicators_csv(const std::vector<ThreatIndicator>& indicators);
// `now` dates the bundle's objects' creation.
std::string indicators_stix(const std::vector<ThreatIndicator>& indicators, std::int64_t now);

}  // namespace phishdrill::service
