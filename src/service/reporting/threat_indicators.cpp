#include "service/reporting/threat_indicators.h"

#include <boost/json.hpp>
#include <map>

#include "core/csv.h"
#include "core/time_format.h"
#include "crypto/sodium.h"

namespace phishdrill::service {
namespace json = boost::json;
namespace {

constexpr int kMaxReports = 10000;
constexpr int kPageSize = 500;

using Key = std::pair<std::string, std::string>;  // type, value

void note(std::map<Key, ThreatIndicator>& seen, const char* type, std::string_view value,
          std::int64_t at) {
  if (value.empty()) return;
  auto [it, fresh] = seen.try_emplace(Key{type, std::string(value)});
  ThreatIndicator& i = it->second;
  if (fresh) {
    i.type = type;
    i.value = std::string(value);
    i.first_seen = i.last_seen = at;
  }
  i.first_seen = std::min(i.first_seen, at);
  i.last_seen = std::max(i.last_seen, at);
  ++i.reports;
}

void gather(std::map<Key, ThreatIndicator>& seen, const Report& report) {
  json::error_code ec;
  const json::value evidence = json::parse(report.evidence_json, ec);
  if (ec || !evidence.is_object()) return;
  const auto* indicators = evidence.as_object().if_contains("indicators");
  if (indicators == nullptr || !indicators->is_object()) return;
  const auto& i = indicators->as_object();
  const std::pair<const char*, const char*> lists[] = {
      {"urls", "url"}, {"domains", "domain"}, {"hashes", "sha256"}};
  for (const auto& [field, type] : lists) {
    const auto* values = i.if_contains(field);
    if (values == nullptr || !values->is_array()) continue;
    for (const auto& v : values->as_array()) {
      if (v.is_string()) note(seen, type, v.as_string(), report.received_at);
    }
  }
  note(seen, "email", report.from_address, report.received_at);
}

// RFC 9562 UUID version 8 (vendor-defined) from the value's SHA-256, so an
// indicator keeps its id from one export to the next.
std::string stable_uuid(const ThreatIndicator& i) {
  std::string hex = crypto::hash_token(i.type + ":" + i.value).substr(0, 32);
  hex[12] = '8';
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

// A STIX pattern's string literal: quotes and backslashes escaped.
std::string literal(std::string_view value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string pattern(const ThreatIndicator& i) {
  if (i.type == "url") return "[url:value = " + literal(i.value) + "]";
  if (i.type == "domain") return "[domain-name:value = " + literal(i.value) + "]";
  if (i.type == "sha256") return "[file:hashes.'SHA-256' = " + literal(i.value) + "]";
  return "[email-addr:value = " + literal(i.value) + "]";
}

}  // namespace

Result<std::vector<ThreatIndicator>> threat_indicators(Store& store, std::int64_t workspace_id) {
  std::map<Key, ThreatIndicator> seen;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    seen.clear();
    ReportFilter threats;
    threats.verdict = "threat";
    PageRequest page{0, kPageSize};
    for (int read = 0; read < kMaxReports;) {
      const auto batch = repos.reports.list_reports(workspace_id, threats, page);
      for (const auto& report : batch.items) gather(seen, report);
      read += static_cast<int>(batch.items.size());
      if (!batch.next_after) break;
      page.after_id = *batch.next_after;
    }
    return {};
  }));
  std::vector<ThreatIndicator> out;
  out.reserve(seen.size());
  for (auto& [key, indicator] : seen) out.push_back(std::move(indicator));
  return out;
}

std::string indicators_csv(const std::vector<ThreatIndicator>& indicators) {
  std::string out;
  append_csv_record(out, {"type", "value", "first_seen", "last_seen", "reports"});
  for (const auto& i : indicators) {
    append_csv_record(out, {i.type, i.value, format_rfc3339(i.first_seen),
                            format_rfc3339(i.last_seen), std::to_string(i.reports)});
  }
  return out;
}

std::string indicators_stix(const std::vector<ThreatIndicator>& indicators, std::int64_t now) {
  json::array objects;
  const std::string created = format_rfc3339(now);
  for (const auto& i : indicators) {
    // Stable across exports, as STIX wants of an object's creation time.
    const std::string first_seen = format_rfc3339(i.first_seen);
    objects.push_back(json::object{
        {"type", "indicator"},
        {"spec_version", "2.1"},
        {"id", "indicator--" + stable_uuid(i)},
        {"created", first_seen},
        {"modified", format_rfc3339(i.last_seen)},
        {"name", i.type + " seen in reported phishing"},
        {"indicator_types", json::array{"malicious-activity"}},
        {"pattern", pattern(i)},
        {"pattern_type", "stix"},
        {"valid_from", first_seen},
    });
  }
  ThreatIndicator bundle_key{"bundle", created, now, now, 0};
  json::object bundle{{"type", "bundle"},
                      {"id", "bundle--" + stable_uuid(bundle_key)},
                      {"objects", std::move(objects)}};
  return json::serialize(bundle);
}

}  // namespace phishdrill::service
