// The hit classifier against labelled fixtures: every row of
// fixtures/hits.csv and fixtures/hits_offices.csv (written by
// make_office_hits.py) is a tracking hit a person or a machine really could
// send, labelled human or automated, with the request headers named by a row
// of fixtures/header_profiles.csv. The hits are replayed in time order through
// the whole pipeline — the signals src/phish/tracking_routes.cpp computes
// (burst and sweep trackers over clicks, the recipient → last-decoy memory),
// classify_hit, and the two retroactive steps the event writer applies in the
// database (a decoy marks its recipient's hits from the same address and
// browser automated; a burst or sweep flags the address's earlier clicks
// suspect) — and each hit is judged by its final label. The contract, over
// every row without exception: no person is marked automated, and every
// machine is caught — automated on evidence of its own, or, where its only
// tell is the address pattern, flagged suspect. The confusion matrix and each
// rule's measured error (docs/tracking.md quotes them) are printed.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/burst_tracker.h"
#include "core/csv.h"
#include "core/hit_classifier.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kEpoch = 1'717'000'000;  // the scenario's t = 0 (2024-05-29)

fs::path fixture_dir() {
#ifdef PHISHDRILL_HIT_FIXTURE
  return fs::path(PHISHDRILL_HIT_FIXTURE).parent_path();
#else
  return fs::path(__FILE__).parent_path() / "fixtures";
#endif
}

std::vector<CsvRow> read_csv(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::stringstream text;
  text << in.rdbuf();
  auto rows = parse_csv(text.str());
  EXPECT_TRUE(rows.has_value()) << path << ": " << (rows ? "" : rows.error().message);
  return rows ? *rows : std::vector<CsvRow>{};
}

// Request headers by profile name; {major}, {platform} and {mobile} are filled
// from each hit's user agent, so a browser's own hints always agree with it.
struct HeaderProfile {
  std::string accept, accept_language, sec_fetch_mode, sec_fetch_site, sec_ch_ua, sec_ch_ua_mobile,
      sec_ch_ua_platform;
};

std::map<std::string, HeaderProfile> load_profiles() {
  std::map<std::string, HeaderProfile> profiles;
  const auto rows = read_csv(fixture_dir() / "header_profiles.csv");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& f = rows[i].fields;
    if (f.size() != 9) {
      ADD_FAILURE() << "header_profiles.csv line " << rows[i].line << ": " << f.size() << " fields";
      continue;
    }
    EXPECT_FALSE(f[8].empty()) << "profile " << f[0] << " has no note";
    profiles[f[0]] = {f[1], f[2], f[3], f[4], f[5], f[6], f[7]};
  }
  return profiles;
}

std::string fill(std::string text, std::string_view user_agent) {
  std::smatch m;
  const std::string ua(user_agent);
  const std::string major =
      std::regex_search(ua, m, std::regex("Chrome/([0-9]+)")) ? m[1].str() : "0";
  std::string platform = "Linux";
  if (ua.find("Android") != std::string::npos) {
    platform = "Android";
  } else if (ua.find("Windows") != std::string::npos) {
    platform = "Windows";
  } else if (ua.find("CrOS") != std::string::npos) {
    platform = "Chrome OS";
  } else if (ua.find("Macintosh") != std::string::npos) {
    platform = "macOS";
  }
  const std::string mobile = ua.find("Mobile") != std::string::npos ? "1" : "0";
  for (const auto& [key, value] :
       {std::pair{std::string("{major}"), major}, std::pair{std::string("{platform}"), platform},
        std::pair{std::string("{mobile}"), mobile}}) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

struct FixtureHit {
  std::string file;
  std::string id;
  bool automated = false;  // the label
  HitKind kind = HitKind::kOpen;
  std::string kind_name;
  std::string method;
  std::string user_agent;
  std::string purpose;
  std::string profile;
  HeaderProfile headers;  // filled
  std::string ip;
  std::int64_t recipient_id = 0;
  std::int64_t seconds_after_delivery = 0;
  std::int64_t at = 0;  // seconds from the start of the scenario
  std::string note;
};

bool parse_kind(std::string_view name, HitKind& kind) {
  static const std::map<std::string_view, HitKind> kinds = {{"open", HitKind::kOpen},
                                                            {"click", HitKind::kClick},
                                                            {"submit", HitKind::kSubmit},
                                                            {"report", HitKind::kReport},
                                                            {"decoy", HitKind::kDecoy}};
  const auto it = kinds.find(name);
  if (it == kinds.end()) return false;
  kind = it->second;
  return true;
}

// Loads and validates one fixture file; any problem is a test failure naming the line.
std::vector<FixtureHit> load_file(const std::string& name,
                                  const std::map<std::string, HeaderProfile>& profiles) {
  const auto rows = read_csv(fixture_dir() / name);
  if (rows.empty()) return {};
  const std::vector<std::string> header = {
      "id",      "label",   "kind", "method",       "user_agent",
      "purpose", "headers", "ip",   "recipient_id", "seconds_after_delivery",
      "at",      "note"};
  EXPECT_EQ(rows[0].fields, header) << name;
  std::vector<FixtureHit> hits;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.fields.size() != header.size()) {
      ADD_FAILURE() << name << " line " << row.line << ": " << row.fields.size() << " fields";
      continue;
    }
    const auto& f = row.fields;
    FixtureHit hit;
    hit.file = name;
    hit.id = f[0];
    EXPECT_TRUE(f[1] == "human" || f[1] == "automated") << name << " line " << row.line;
    hit.automated = f[1] == "automated";
    hit.kind_name = f[2];
    EXPECT_TRUE(parse_kind(f[2], hit.kind)) << name << " line " << row.line << ": kind " << f[2];
    hit.method = f[3];
    hit.user_agent = f[4];
    hit.purpose = f[5];
    hit.profile = f[6];
    const auto profile = profiles.find(f[6]);
    EXPECT_NE(profile, profiles.end()) << name << " line " << row.line << ": profile " << f[6];
    if (profile != profiles.end()) {
      const auto& p = profile->second;
      hit.headers = {fill(p.accept, hit.user_agent),
                     fill(p.accept_language, hit.user_agent),
                     fill(p.sec_fetch_mode, hit.user_agent),
                     fill(p.sec_fetch_site, hit.user_agent),
                     fill(p.sec_ch_ua, hit.user_agent),
                     fill(p.sec_ch_ua_mobile, hit.user_agent),
                     fill(p.sec_ch_ua_platform, hit.user_agent)};
    }
    hit.ip = f[7];
    hit.recipient_id = std::stoll(f[8]);
    hit.seconds_after_delivery = std::stoll(f[9]);
    hit.at = std::stoll(f[10]);
    hit.note = f[11];
    hits.push_back(std::move(hit));
  }
  return hits;
}

std::vector<FixtureHit> load_fixture() {
  const auto profiles = load_profiles();
  auto hits = load_file("hits.csv", profiles);
  auto offices = load_file("hits_offices.csv", profiles);
  hits.insert(hits.end(), offices.begin(), offices.end());
  return hits;
}

// One replayed hit as the database ends up holding it.
struct Replayed {
  const FixtureHit* hit = nullptr;
  Verdict verdict;         // at the moment of the hit
  bool automated = false;  // final, after every retroactive step
  std::string reason;      // final reason
  std::string suspect;     // final suspect flag
  bool retro = false;      // made automated by a later hit, not by its own verdict
  // Which evidence rules would fire on this hit on their own, whatever came first.
  bool headers_alone = false;
  bool timing_alone = false;
  bool decoy_alone = false;
};

bool is_funnel(HitKind kind) {
  return kind == HitKind::kOpen || kind == HitKind::kClick || kind == HitKind::kSubmit;
}

// Replays the hits in `at` order (file order within a second) as the server does.
std::vector<Replayed> replay(const std::vector<FixtureHit>& hits, const ClassifierSettings& s) {
  std::vector<const FixtureHit*> order;
  for (const auto& hit : hits) order.push_back(&hit);
  std::stable_sort(order.begin(), order.end(),
                   [](const FixtureHit* a, const FixtureHit* b) { return a->at < b->at; });

  struct DecoyHit {
    std::int64_t at = 0;
    std::string ip;
    std::string user_agent;
  };
  BurstTracker bursts(s.burst_window_seconds);
  BurstTracker sweeps(s.sweep_window_seconds);
  std::unordered_map<std::int64_t, DecoyHit> last_decoy;  // recipient → last decoy hit
  std::vector<Replayed> out;
  out.reserve(order.size());
  for (const FixtureHit* hit : order) {
    const std::int64_t now = kEpoch + hit->at;
    HitSignals signals;
    signals.kind = hit->kind;
    signals.method = hit->method;
    signals.user_agent = hit->user_agent;
    signals.purpose = hit->purpose;
    signals.headers = {hit->headers.accept,
                       hit->headers.accept_language,
                       hit->headers.sec_fetch_mode,
                       hit->headers.sec_fetch_site,
                       hit->headers.sec_ch_ua,
                       hit->headers.sec_ch_ua_mobile,
                       hit->headers.sec_ch_ua_platform,
                       {}};
    signals.secure_origin = true;  // the scenario's links are https
    signals.own_origin = "https://go.example.com";
    signals.at = now;
    signals.sent_at = now - hit->seconds_after_delivery;
    if (is_funnel(hit->kind)) {
      // As tracking_routes.cpp: only clicks count towards bursts and sweeps.
      if (hit->kind == HitKind::kClick) {
        signals.ip_recipients_recent = bursts.record(hit->ip, hit->recipient_id, now);
        signals.sweep_recipients =
            sweeps.record(hit->ip + "|" + hit->user_agent, hit->recipient_id, now);
      }
      const auto it = last_decoy.find(hit->recipient_id);
      signals.near_decoy = it != last_decoy.end() &&
                           now - it->second.at <= s.decoy_window_seconds &&
                           it->second.ip == hit->ip && it->second.user_agent == hit->user_agent;
    }
    if (hit->kind == HitKind::kDecoy) {
      last_decoy[hit->recipient_id] = {now, hit->ip, hit->user_agent};
    }
    Replayed r;
    r.hit = hit;
    r.verdict = classify_hit(signals, s);
    r.automated = r.verdict.automated;
    r.reason = r.verdict.reason;
    if (!r.automated) r.suspect = r.verdict.suspect;
    if (hit->kind != HitKind::kReport && hit->kind != HitKind::kDecoy) {
      r.headers_alone = !browser_header_mismatch(signals).empty();
      r.timing_alone = hit->seconds_after_delivery < s.delivery_window_seconds;
      r.decoy_alone = signals.near_decoy;
    }

    // The retroactive steps only see events already stored: those replayed before.
    auto at_of = [](const Replayed& e) { return kEpoch + e.hit->at; };
    if (hit->kind == HitKind::kDecoy) {
      for (auto& e : out) {
        if (e.automated || e.hit->recipient_id != hit->recipient_id || !is_funnel(e.hit->kind)) {
          continue;
        }
        if (at_of(e) < now - s.decoy_window_seconds || at_of(e) > now + s.decoy_window_seconds) {
          continue;
        }
        if (e.hit->ip != hit->ip || e.hit->user_agent != hit->user_agent) continue;
        e.automated = e.retro = true;
        e.reason = "the hidden decoy link of this message was followed nearby";
      }
    }
    if (!r.automated && r.verdict.flag_address_back_seconds > 0) {
      for (auto& e : out) {
        if (e.automated || !e.suspect.empty() || e.hit->ip != hit->ip) continue;
        if (e.hit->kind != HitKind::kClick) continue;
        if (at_of(e) < now - r.verdict.flag_address_back_seconds || at_of(e) > now) continue;
        e.suspect = r.verdict.suspect;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string percent(int part, int whole) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << (whole == 0 ? 0.0 : 100.0 * part / whole) << "%";
  return out.str();
}

// A rule's name from a reason: numbers become N, so one rule is one line.
std::string rule_of(const std::string& reason) {
  return std::regex_replace(reason, std::regex("[0-9]+"), "N");
}

// A scanner kind from a note: the part before " (hit …)" and before a colon's detail.
std::string kind_of(const FixtureHit& hit) {
  std::string note =
      std::regex_replace(hit.note, std::regex(" \\((hit )?[0-9]+( of [0-9]+)?\\)$"), "");
  if (hit.file == "hits_offices.csv") note = "office: " + note.substr(note.find(": ") + 2);
  return note;
}

TEST(HitClassifierFixture, FixtureIsLabelledAndConsistent) {
  const auto hits = load_fixture();
  ASSERT_GE(hits.size(), 1200u);
  std::set<std::string> ids;
  std::map<std::int64_t, std::int64_t> sent_at;  // recipient → scenario send time
  std::set<std::string> shared_addresses;
  int humans = 0;
  for (const auto& hit : hits) {
    EXPECT_TRUE(ids.insert(hit.file + hit.id).second) << "duplicate id " << hit.id;
    EXPECT_GE(hit.seconds_after_delivery, 0) << hit.id;
    EXPECT_FALSE(hit.note.empty()) << hit.id;
    EXPECT_TRUE(hit.method == "GET" || hit.method == "POST" || hit.method == "HEAD") << hit.id;
    const auto it = sent_at.emplace(hit.recipient_id, hit.at - hit.seconds_after_delivery).first;
    EXPECT_EQ(it->second, hit.at - hit.seconds_after_delivery)
        << hit.id << ": recipient " << hit.recipient_id << " delivered at two different times";
    if (!hit.automated) ++humans;
    if (hit.kind == HitKind::kDecoy) {
      EXPECT_TRUE(hit.automated) << hit.id;
    }
  }
  EXPECT_GE(humans, 600);
  EXPECT_GE(static_cast<int>(hits.size()) - humans, 500);
}

TEST(HitClassifierFixture, NoPersonIsMarkedAutomatedAndEveryScannerKindIsCaught) {
  const auto hits = load_fixture();
  ASSERT_FALSE(hits.empty());
  const ClassifierSettings settings;
  const auto replayed = replay(hits, settings);

  int hh = 0, ha = 0, ah = 0, aa = 0, human_suspect = 0, machine_suspect = 0;
  std::ostringstream humans_flagged, machines_missed;
  struct RuleCount {
    int machines = 0;
    int humans = 0;
  };
  std::map<std::string, RuleCount> rules;     // automated-making rules, by final reason
  std::map<std::string, RuleCount> suspects;  // address rules, by flag
  struct KindCount {
    int hits = 0, automated = 0, suspect = 0;
  };
  std::map<std::string, KindCount> kinds;  // scanner kinds
  for (const auto& r : replayed) {
    const FixtureHit& hit = *r.hit;
    if (r.automated) {
      auto& rule = rules[r.retro ? "(later) " + rule_of(r.reason) : rule_of(r.reason)];
      (hit.automated ? rule.machines : rule.humans)++;
    } else if (!r.suspect.empty()) {
      auto& rule = suspects[rule_of(r.suspect)];
      (hit.automated ? rule.machines : rule.humans)++;
      (hit.automated ? machine_suspect : human_suspect)++;
    }
    if (hit.automated) {
      r.automated ? ++aa : ++ah;
      auto& kind = kinds[kind_of(hit)];
      ++kind.hits;
      if (r.automated) ++kind.automated;
      if (!r.automated && !r.suspect.empty()) ++kind.suspect;
    } else {
      r.automated ? ++ha : ++hh;
    }
    if (r.automated == hit.automated) continue;
    std::ostringstream line;
    line << "  " << hit.file << " " << hit.id << " " << hit.kind_name << " +"
         << hit.seconds_after_delivery << "s " << hit.ip << " recipient " << hit.recipient_id
         << " — " << hit.note << " — "
         << (r.automated
                 ? (r.retro ? "marked later: " : "verdict: ") + r.reason
                 : (r.suspect.empty() ? std::string("no rule matched") : "suspect: " + r.suspect))
         << "\n";
    (hit.automated ? machines_missed : humans_flagged) << line.str();
  }
  std::cout << "\nHit classifier pipeline on " << replayed.size()
            << " labelled hits (hits.csv + hits_offices.csv), final labels\n"
            << "  actual\\predicted      human  automated\n"
            << "  human           " << std::setw(10) << hh << std::setw(11) << ha << "\n"
            << "  automated       " << std::setw(10) << ah << std::setw(11) << aa << "\n"
            << "  automated: precision " << percent(aa, aa + ha) << ", recall "
            << percent(aa, aa + ah) << "; suspect among the machines left: " << machine_suspect
            << " of " << ah << "\n"
            << "  people flagged suspect (still counted): " << human_suspect << " of " << hh + ha
            << " (" << percent(human_suspect, hh + ha) << ")\n"
            << "Rules that mark hits automated (machines / people):\n";
  for (const auto& [rule, count] : rules) {
    std::cout << "  " << std::setw(4) << count.machines << " / " << count.humans << "  " << rule
              << "\n";
  }
  std::cout << "Evidence rules on their own, whatever fired first (machines / people):\n";
  for (const auto& [name, fires] :
       {std::pair{"browser headers inconsistent with the user agent",
                  +[](const Replayed& r) { return r.headers_alone; }},
        std::pair{"sooner than the delivery window after sending",
                  +[](const Replayed& r) { return r.timing_alone; }},
        std::pair{"the message's decoy followed from this address and browser",
                  +[](const Replayed& r) { return r.decoy_alone; }}}) {
    int machines = 0, people = 0;
    for (const auto& r : replayed) {
      if (fires(r)) (r.hit->automated ? machines : people)++;
    }
    std::cout << "  " << std::setw(4) << machines << " / " << people << "  " << name << "\n";
    EXPECT_EQ(people, 0) << name << " fires on people";
  }
  std::cout << "Address rules, suspect only (machines / people):\n";
  for (const auto& [rule, count] : suspects) {
    std::cout << "  " << std::setw(4) << count.machines << " / " << count.humans << "  " << rule
              << "\n";
  }
  std::cout << "Scanner kinds (hits: automated + suspect):\n";
  for (const auto& [kind, count] : kinds) {
    std::cout << "  " << std::setw(4) << count.hits << ": " << count.automated << " + "
              << count.suspect << "  " << kind << "\n";
  }
  std::cout << "People marked automated (" << ha << "):\n"
            << humans_flagged.str() << "Machines counted as people (" << ah << "):\n"
            << machines_missed.str() << std::flush;

  // The contract: no person is called a machine …
  EXPECT_EQ(ha, 0) << "human hits classified automated:\n" << humans_flagged.str();
  // … and every scanner kind is caught: each of its hits automated on its own
  // evidence, or flagged suspect where the address pattern is its only tell.
  for (const auto& [kind, count] : kinds) {
    EXPECT_EQ(count.automated + count.suspect, count.hits) << "scanner kind not caught: " << kind;
  }
}

}  // namespace
}  // namespace phishdrill
