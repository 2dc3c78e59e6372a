#include "app/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <cstdlib>
#include <vector>

#include "core/landing_page.h"

namespace phishdrill::app {
namespace {

struct Key {
  const char* section;  // "" for top level
  const char* name;
  std::function<Result<void>(Config&, const std::string&)> set;
  bool list = false;  // a TOML array of strings is accepted (joined with commas)
};

Result<void> set_int(int& out, const std::string& text, const std::string& key, int min, int max) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return fail(
        ErrorCode::kValidation,
        fmt::format("{} must be an integer from {} to {}, not \"{}\"", key, min, max, text));
  }
  out = value;
  return {};
}

Result<void> set_bool(bool& out, const std::string& text, const std::string& key) {
  if (text == "true" || text == "1") {
    out = true;
  } else if (text == "false" || text == "0") {
    out = false;
  } else {
    return fail(ErrorCode::kValidation, fmt::format("{} must be true or false", key));
  }
  return {};
}

// "10.0.0.5, 10.0.0.6" -> {"10.0.0.5", "10.0.0.6"}
std::set<std::string> address_list(const std::string& text) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    std::erase(item, ' ');
    if (!item.empty()) out.insert(item);
    start = comma + 1;
  }
  return out;
}

std::vector<Key> keys() {
  auto text = [](std::string Config::*member) {
    return [member](Config& c, const std::string& v) -> Result<void> {
      c.*member = v;
      return {};
    };
  };
  auto integer = [](auto member_of, const char* key, int min, int max) {
    return [member_of, key, min, max](Config& c, const std::string& v) {
      return set_int(member_of(c), v, key, min, max);
    };
  };
  return {
      {"", "data_dir", text(&Config::data_dir)},
      {"store", "url",
       [](Config& c, const std::string& v) -> Result<void> {
         if (!v.empty() && !v.starts_with("postgres://") && !v.starts_with("postgresql://")) {
           return fail(ErrorCode::kValidation,
                       "store.url must be empty (the SQLite file in data_dir) or a "
                       "postgres:// URL");
         }
         c.store_url = v;
         return {};
       }},
      {"node", "name",
       [](Config& c, const std::string& v) -> Result<void> {
         const bool ok = !v.empty() && v.size() <= 63 &&
                         v.find_first_not_of(
                             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                             "0123456789.-_") == std::string::npos;
         if (!ok) {
           return fail(ErrorCode::kValidation,
                       "node.name must be 1 to 63 letters, digits, '.', '-' or '_'");
         }
         c.node_name = v;
         return {};
       }},
      {"node", "roles",
       [](Config& c, const std::string& v) -> Result<void> {
         c.roles = PD_TRY(parse_node_roles(v));
         return {};
       }},
      {"admin", "listen", text(&Config::admin_listen)},
      {"admin", "secure_cookie",
       [](Config& c, const std::string& v) {
         return set_bool(c.security.secure_cookie, v, "admin.secure_cookie");
       }},
      {"admin", "threads",
       integer([](Config& c) -> int& { return c.threads; }, "admin.threads", 0, 64)},
      {"phish", "listen", text(&Config::phish_listen)},
      {"phish", "base_url", text(&Config::phish_base_url)},
      {"initial", "admin_email", text(&Config::initial_admin_email)},
      {"initial", "admin_password", text(&Config::initial_admin_password)},
      {"initial", "api_key", text(&Config::initial_api_key)},
      {"security", "login_max_failures",
       integer([](Config& c) -> int& { return c.security.login_max_failures; },
               "security.login_max_failures", 1, 1000)},
      {"security", "ip_max_failures",
       integer([](Config& c) -> int& { return c.security.ip_max_failures; },
               "security.ip_max_failures", 1, 100000)},
      {"security", "account_max_failures",
       integer([](Config& c) -> int& { return c.security.account_max_failures; },
               "security.account_max_failures", 1, 100000)},
      {"security", "session_max_hours",
       integer([](Config& c) -> int& { return c.security.session_max_hours; },
               "security.session_max_hours", 1, 24 * 90)},
      {"security", "lockout_seconds",
       integer([](Config& c) -> int& { return c.security.lockout_seconds; },
               "security.lockout_seconds", 1, 86400 * 7)},
      {"security", "session_idle_minutes",
       integer([](Config& c) -> int& { return c.security.session_idle_minutes; },
               "security.session_idle_minutes", 1, 60 * 24 * 30)},
      {"log", "level",
       [](Config& c, const std::string& v) -> Result<void> {
         for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
           if (v == level) {
             c.log_level = v;
             return {};
           }
         }
         return fail(ErrorCode::kValidation,
                     "log.level must be trace, debug, info, warn, error, critical or off");
       }},
      {"log", "max_file_mb",
       integer([](Config& c) -> int& { return c.log_max_file_mb; }, "log.max_file_mb", 1, 4096)},
      {"log", "max_files",
       integer([](Config& c) -> int& { return c.log_max_files; }, "log.max_files", 1, 100)},
      {"jobs", "workers",
       integer([](Config& c) -> int& { return c.send_workers; }, "jobs.workers", 1, 64)},
      {"jobs", "lease_seconds",
       integer([](Config& c) -> int& { return c.lease_seconds; }, "jobs.lease_seconds", 2, 3600)},
      {"jobs", "retry_base_seconds",
       integer([](Config& c) -> int& { return c.retry_base_seconds; }, "jobs.retry_base_seconds", 1,
               86400)},
      {"jobs", "retry_max_attempts",
       integer([](Config& c) -> int& { return c.retry_max_attempts; }, "jobs.retry_max_attempts", 1,
               100)},
      {"jobs", "webhook_retry_base_seconds",
       integer([](Config& c) -> int& { return c.webhook_retry_base_seconds; },
               "jobs.webhook_retry_base_seconds", 1, 3600)},
      {"mail", "verify_tls",
       [](Config& c, const std::string& v) {
         return set_bool(c.verify_tls, v, "mail.verify_tls");
       }},
      {"phish", "rid_parameter", text(&Config::rid_parameter)},
      {"phish", "track_path", text(&Config::track_path)},
      {"phish", "report_path", text(&Config::report_path)},
      {"phish", "decoy_path", text(&Config::decoy_path)},
      {"phish", "beacon_path", text(&Config::beacon_path)},
      {"phish", "trusted_proxies",
       [](Config& c, const std::string& v) -> Result<void> {
         c.trusted_proxies = address_list(v);
         return {};
       }},
      {"outbound", "allow",
       [](Config& c, const std::string& v) -> Result<void> {
         auto policy = OutboundPolicy::parse(v);
         if (!policy) return std::unexpected(policy.error());
         c.outbound = std::move(*policy);
         return {};
       },
       true},
      {"admin", "trusted_proxies",
       [](Config& c, const std::string& v) -> Result<void> {
         c.admin_trusted_proxies = address_list(v);
         return {};
       }},
      {"metrics", "token",
       [](Config& c, const std::string& v) -> Result<void> {
         if (!v.empty() && v.size() < 16) {
           return fail(ErrorCode::kValidation, "metrics.token must have at least 16 characters");
         }
         c.metrics_token = v;
         return {};
       }},
      {"metrics", "listen", text(&Config::metrics_listen)},
      {"training", "content_dir", text(&Config::training_content_dir)},
      {"training", "portal_path", text(&Config::portal_path)},
      {"library", "content_dir", text(&Config::library_content_dir)},
      {"library", "dictionaries_dir", text(&Config::library_dictionaries_dir)},
      {"phish", "ip_hits_per_second",
       integer([](Config& c) -> int& { return c.ip_hits_per_second; }, "phish.ip_hits_per_second",
               0, 1000000)},
      {"reporting", "ca_file", text(&Config::reporting_ca_file)},
      {"reporting", "addin_dir", text(&Config::addin_dir)},
      {"reporting", "retention_days",
       integer([](Config& c) -> int& { return c.report_retention_days; },
               "reporting.retention_days", 1, 3650)},
      {"reporting", "max_message_mb",
       integer([](Config& c) -> int& { return c.report_max_message_mb; },
               "reporting.max_message_mb", 1, 64)},
      {"phish", "scanner_window_seconds",
       integer([](Config& c) -> int& { return c.scanner_window_seconds; },
               "phish.scanner_window_seconds", 0, 3600)},
  };
}

std::string env_name(const Key& key) {
  std::string name = "PHISHDRILL_";
  if (*key.section) name += std::string(key.section) + "_";
  name += key.name;
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

std::optional<std::string> node_text(const toml::node& node, bool list) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  if (const auto* items = node.as_array(); items != nullptr && list) {
    std::string joined;
    for (const auto& item : *items) {
      auto s = item.value_exact<std::string>();
      if (!s || s->find(',') != std::string::npos) return std::nullopt;
      if (!joined.empty()) joined += ',';
      joined += *s;
    }
    return joined;
  }
  return std::nullopt;
}

Result<void> apply_file(Config& config, const std::string& path, const std::vector<Key>& table) {
  toml::table file;
  try {
    file = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return fail(ErrorCode::kValidation,
                fmt::format("{}: {} (line {})", path, e.description(), e.source().begin.line));
  }
  auto known = [&](std::string_view section, std::string_view name) -> const Key* {
    for (const auto& key : table) {
      if (section == key.section && name == key.name) return &key;
    }
    return nullptr;
  };
  for (const auto& [name, node] : file) {
    if (const auto* sub = node.as_table()) {
      for (const auto& [inner, value] : *sub) {
        const Key* key = known(name.str(), inner.str());
        if (!key)
          return fail(ErrorCode::kValidation,
                      fmt::format("{}: unknown key {}.{}", path, name.str(), inner.str()));
        auto text = node_text(value, key->list);
        if (!text)
          return fail(ErrorCode::kValidation,
                      fmt::format("{}: {}.{} has the wrong type", path, name.str(), inner.str()));
        if (auto ok = key->set(config, *text); !ok) return ok;
      }
      continue;
    }
    const Key* key = known("", name.str());
    auto text = node_text(node, key != nullptr && key->list);
    if (!key)
      return fail(ErrorCode::kValidation, fmt::format("{}: unknown key {}", path, name.str()));
    if (!text)
      return fail(ErrorCode::kValidation,
                  fmt::format("{}: {} has the wrong type", path, name.str()));
    if (auto ok = key->set(config, *text); !ok) return ok;
  }
  return {};
}

}  // namespace

std::optional<std::string> process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<NodeRoles> parse_node_roles(std::string_view list) {
  NodeRoles roles{false, false, false};
  bool any = false;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = list.find(',', start);
    const auto end = comma == std::string_view::npos ? list.size() : comma;
    auto name = list.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name == "all") {
      roles = {};
    } else if (name == "admin") {
      roles.admin = true;
    } else if (name == "phish") {
      roles.phish = true;
    } else if (name == "worker") {
      roles.worker = true;
    } else {
      return fail(ErrorCode::kValidation,
                  "node.roles must list admin, phish, worker or all (comma-separated)");
    }
    any = true;
    start = end + 1;
  }
  if (!any) return fail(ErrorCode::kValidation, "node.roles must name at least one role");
  return roles;
}

std::string describe(const NodeRoles& roles) {
  std::string out;
  for (const auto& [on, name] : {std::pair{roles.admin, "admin"}, std::pair{roles.phish, "phish"},
                                 std::pair{roles.worker, "worker"}}) {
    if (!on) continue;
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

Result<Config> load_config(const std::optional<std::string>& path, const EnvLookup& env) {
  Config config;
  const auto table = keys();
  if (path) {
    if (auto ok = apply_file(config, *path, table); !ok) return std::unexpected(ok.error());
  }
  for (const auto& key : table) {
    const std::string name = env_name(key);
    if (auto value = env(name)) {
      if (auto ok = key.set(config, *value); !ok) {
        return fail(ErrorCode::kValidation, name + ": " + ok.error().message);
      }
    }
  }
  if (config.phish_base_url.empty()) {
    const auto colon = config.phish_listen.rfind(':');
    config.phish_base_url =
        "http://localhost" +
        (colon == std::string::npos ? std::string() : config.phish_listen.substr(colon));
  }
  while (config.phish_base_url.ends_with('/')) config.phish_base_url.pop_back();
  const bool rid_ok =
      !config.rid_parameter.empty() && config.rid_parameter.size() <= 32 &&
      config.rid_parameter.find_first_not_of(
          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == std::string::npos;
  if (!rid_ok) {
    return fail(ErrorCode::kValidation, "phish.rid_parameter must be 1-32 letters, digits, _ or -");
  }
  for (const auto& [url_path, key] : {std::pair{&config.track_path, "phish.track_path"},
                                      std::pair{&config.report_path, "phish.report_path"},
                                      std::pair{&config.decoy_path, "phish.decoy_path"},
                                      std::pair{&config.beacon_path, "phish.beacon_path"},
                                      std::pair{&config.portal_path, "training.portal_path"}}) {
    if (!url_path->starts_with('/') || url_path->size() < 2 || url_path->size() > 64 ||
        url_path->find_first_of("?#% ") != std::string::npos) {
      return fail(ErrorCode::kValidation, std::string(key) + " must be a path such as /track");
    }
  }
  if (std::set<std::string>{config.track_path, config.report_path, config.decoy_path,
                            config.beacon_path, config.portal_path}
          .size() != 5) {
    return fail(ErrorCode::kValidation,
                "phish track, report, decoy and beacon paths and training.portal_path must differ");
  }
  if (!is_http_url(config.phish_base_url)) {
    return fail(ErrorCode::kValidation,
                "phish.base_url must be an absolute http:// or https:// URL");
  }
  return config;
}

}  // namespace phishdrill::app
