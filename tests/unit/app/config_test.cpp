#include "app/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace phishdrill::app {
namespace {

namespace fs = std::filesystem;

class FakeEnv {
 public:
  FakeEnv& set(std::string name, std::string value) {
    values_[std::move(name)] = std::move(value);
    return *this;
  }
  EnvLookup lookup() const {
    return [this](const std::string& name) -> std::optional<std::string> {
      ++lookups_;
      const auto it = values_.find(name);
      if (it == values_.end()) return std::nullopt;
      return it->second;
    };
  }
  int lookups() const { return lookups_; }

 private:
  std::map<std::string, std::string> values_;
  mutable int lookups_ = 0;
};

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pd_config_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write_file(const std::string& text) {
    const auto path = (dir_ / ("config" + std::to_string(++files_) + ".toml")).string();
    std::ofstream(path) << text;
    return path;
  }

  fs::path dir_;
  int files_ = 0;
  FakeEnv env_;
};

TEST_F(ConfigTest, DefaultsWithoutFileOrEnvironment) {
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->admin_listen, "127.0.0.1:3333");
  EXPECT_EQ(config->phish_listen, "0.0.0.0:8080");
  EXPECT_EQ(config->phish_base_url, "http://localhost:8080");
  EXPECT_EQ(config->threads, 0);
  EXPECT_EQ(config->initial_admin_email, "admin@phishdrill.local");
  EXPECT_EQ(config->initial_admin_password, "");
  EXPECT_EQ(config->initial_api_key, "");
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->log_max_file_mb, 64);
  EXPECT_EQ(config->log_max_files, 5);
  EXPECT_EQ(config->security.login_max_failures, 5);
  EXPECT_EQ(config->security.ip_max_failures, 20);
  EXPECT_EQ(config->security.lockout_seconds, 900);
  EXPECT_EQ(config->security.session_idle_minutes, 720);
  EXPECT_FALSE(config->security.secure_cookie);
  EXPECT_GT(env_.lookups(), 10);  // every key is looked up
}

TEST_F(ConfigTest, ReadsEveryKeyFromFile) {
  const auto path = write_file(R"(
data_dir = "/var/lib/phishdrill"

[admin]
listen = "0.0.0.0:4444"
secure_cookie = true
threads = 4

[phish]
listen = "0.0.0.0:9090"
base_url = "https://phish.example.com/"

[initial]
admin_email = "root@example.com"
admin_password = "a long initial password"
api_key = "pd_initialkey"

[security]
login_max_failures = 3
ip_max_failures = 50
lockout_seconds = 60
session_idle_minutes = 15

[log]
level = "debug"
)");
  auto config = load_config(path, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, "/var/lib/phishdrill");
  EXPECT_EQ(config->admin_listen, "0.0.0.0:4444");
  EXPECT_TRUE(config->security.secure_cookie);
  EXPECT_EQ(config->threads, 4);
  EXPECT_EQ(config->phish_listen, "0.0.0.0:9090");
  EXPECT_EQ(config->phish_base_url, "https://phish.example.com");  // trailing slash removed
  EXPECT_EQ(config->initial_admin_email, "root@example.com");
  EXPECT_EQ(config->initial_admin_password, "a long initial password");
  EXPECT_EQ(config->initial_api_key, "pd_initialkey");
  EXPECT_EQ(config->security.login_max_failures, 3);
  EXPECT_EQ(config->security.ip_max_failures, 50);
  EXPECT_EQ(config->security.lockout_seconds, 60);
  EXPECT_EQ(config->security.session_idle_minutes, 15);
  EXPECT_EQ(config->log_level, "debug");
}

TEST_F(ConfigTest, EnvironmentBeatsFile) {
  const auto path = write_file(R"(
data_dir = "/from/file"
[admin]
threads = 4
secure_cookie = false
[phish]
base_url = "https://file.example.com"
[security]
lockout_seconds = 60
)");
  env_.set("PHISHDRILL_DATA_DIR", "/from/env")
      .set("PHISHDRILL_ADMIN_THREADS", "8")
      .set("PHISHDRILL_ADMIN_SECURE_COOKIE", "1")
      .set("PHISHDRILL_PHISH_BASE_URL", "https://env.example.com//")
      .set("PHISHDRILL_SECURITY_LOCKOUT_SECONDS", "120")
      .set("PHISHDRILL_LOG_LEVEL", "warn");
  auto config = load_config(path, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->data_dir, "/from/env");
  EXPECT_EQ(config->threads, 8);
  EXPECT_TRUE(config->security.secure_cookie);
  EXPECT_EQ(config->phish_base_url, "https://env.example.com");
  EXPECT_EQ(config->security.lockout_seconds, 120);
  EXPECT_EQ(config->log_level, "warn");
}

TEST_F(ConfigTest, EnvironmentAloneOverridesDefaults) {
  env_.set("PHISHDRILL_INITIAL_ADMIN_EMAIL", "boss@example.com")
      .set("PHISHDRILL_SECURITY_SESSION_IDLE_MINUTES", "30");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->initial_admin_email, "boss@example.com");
  EXPECT_EQ(config->security.session_idle_minutes, 30);
}

TEST_F(ConfigTest, UnknownTopLevelKeyIsAnError) {
  auto config = load_config(write_file("colour = \"blue\"\n"), env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kValidation);
  EXPECT_NE(config.error().message.find("colour"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, UnknownSectionKeyIsAnError) {
  auto config = load_config(write_file("[admin]\nlisten = \"x:1\"\nport = 1\n"), env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().message.find("admin.port"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, UnknownSectionIsAnError) {
  auto config = load_config(write_file("[smtp]\nhost = \"x\"\n"), env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().message.find("smtp.host"), std::string::npos) << config.error().message;
}

TEST_F(ConfigTest, SectionKeyAtTopLevelIsUnknown) {
  // "listen" only exists inside [admin] and [phish].
  auto config = load_config(write_file("listen = \"0.0.0.0:1\"\n"), env_.lookup());
  EXPECT_FALSE(config.has_value());
}

TEST_F(ConfigTest, BadIntegerInFileIsAnError) {
  for (const char* text :
       {"[admin]\nthreads = \"four\"\n", "[admin]\nthreads = 65\n", "[admin]\nthreads = -1\n",
        "[security]\nlogin_max_failures = 0\n", "[security]\nlockout_seconds = 99999999999\n"}) {
    auto config = load_config(write_file(text), env_.lookup());
    ASSERT_FALSE(config.has_value()) << text;
    EXPECT_EQ(config.error().code, ErrorCode::kValidation);
  }
}

TEST_F(ConfigTest, WrongTypeInFileIsAnError) {
  for (const char* text : {"[admin]\nthreads = 2.5\n", "data_dir = [\"a\"]\n",
                           "[admin]\nsecure_cookie = \"maybe\"\n", "[log]\nlevel = 3.0\n"}) {
    auto config = load_config(write_file(text), env_.lookup());
    EXPECT_FALSE(config.has_value()) << text;
  }
}

TEST_F(ConfigTest, BadIntegerInEnvironmentNamesTheVariable) {
  for (const char* value : {"", "abc", "4x", " 4", "4 ", "1e3", "65"}) {
    FakeEnv env;
    env.set("PHISHDRILL_ADMIN_THREADS", value);
    auto config = load_config(std::nullopt, env.lookup());
    ASSERT_FALSE(config.has_value()) << "\"" << value << "\"";
    EXPECT_EQ(config.error().code, ErrorCode::kValidation);
    EXPECT_NE(config.error().message.find("PHISHDRILL_ADMIN_THREADS"), std::string::npos);
  }
}

TEST_F(ConfigTest, BadBooleanInEnvironmentIsAnError) {
  env_.set("PHISHDRILL_ADMIN_SECURE_COOKIE", "yes");
  EXPECT_FALSE(load_config(std::nullopt, env_.lookup()).has_value());
}

TEST_F(ConfigTest, IntegerBoundsAreInclusive) {
  env_.set("PHISHDRILL_ADMIN_THREADS", "64").set("PHISHDRILL_SECURITY_LOGIN_MAX_FAILURES", "1");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->threads, 64);
  EXPECT_EQ(config->security.login_max_failures, 1);
}

TEST_F(ConfigTest, LogRotationSettingsAreBounded) {
  env_.set("PHISHDRILL_LOG_MAX_FILE_MB", "1").set("PHISHDRILL_LOG_MAX_FILES", "100");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->log_max_file_mb, 1);
  EXPECT_EQ(config->log_max_files, 100);
  env_.set("PHISHDRILL_LOG_MAX_FILE_MB", "0");
  auto refused = load_config(std::nullopt, env_.lookup());
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("log.max_file_mb must be an integer from 1 to 4096"),
            std::string::npos)
      << refused.error().message;
}

TEST_F(ConfigTest, NodeNameIsALabelSafeName) {
  env_.set("PHISHDRILL_NODE_NAME", "phish-2.eu_west");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->node_name, "phish-2.eu_west");
  for (const char* bad : {"", "a\"} 1", "two words", "n\u00e9ud"}) {
    env_.set("PHISHDRILL_NODE_NAME", bad);
    auto refused = load_config(std::nullopt, env_.lookup());
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_NE(refused.error().message.find("node.name must be"), std::string::npos);
  }
  env_.set("PHISHDRILL_NODE_NAME", std::string(64, 'n'));
  EXPECT_FALSE(load_config(std::nullopt, env_.lookup()).has_value());
}

TEST_F(ConfigTest, NodeRolesDefaultToAllAndNameWhatTheNodeDoes) {
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(describe(config->roles), "admin,phish,worker");
  env_.set("PHISHDRILL_NODE_ROLES", " phish , worker");
  config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_FALSE(config->roles.admin);
  EXPECT_TRUE(config->roles.phish);
  EXPECT_TRUE(config->roles.worker);
  EXPECT_EQ(describe(parse_node_roles("all").value()), "admin,phish,worker");
  EXPECT_EQ(describe(parse_node_roles("admin").value()), "admin");
  for (const char* bad : {"", "admin,", "mail", "Admin", ","}) {
    const auto refused = parse_node_roles(bad);
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_NE(refused.error().message.find("node.roles must"), std::string::npos);
  }
}

TEST_F(ConfigTest, MalformedTomlIsAnErrorWithLine) {
  const auto path = write_file("data_dir = \"ok\"\n[admin\nlisten = 1\n");
  auto config = load_config(path, env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().message.find(path), std::string::npos) << config.error().message;
  EXPECT_NE(config.error().message.find("line"), std::string::npos);
}

TEST_F(ConfigTest, MissingFileIsAnError) {
  auto config = load_config((dir_ / "nope.toml").string(), env_.lookup());
  EXPECT_FALSE(config.has_value());
}

TEST_F(ConfigTest, BaseUrlDefaultFollowsPhishListenPort) {
  env_.set("PHISHDRILL_PHISH_LISTEN", "0.0.0.0:9443");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->phish_base_url, "http://localhost:9443");
}

TEST_F(ConfigTest, BaseUrlDefaultFromFileListenAndIpv6Listen) {
  auto config = load_config(write_file("[phish]\nlisten = \"[::]:8181\"\n"), env_.lookup());
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->phish_base_url, "http://localhost:8181");
}

TEST_F(ConfigTest, TrailingSlashesAreRemovedButPathKept) {
  env_.set("PHISHDRILL_PHISH_BASE_URL", "https://example.com/phish/");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->phish_base_url, "https://example.com/phish");
}

TEST_F(ConfigTest, InvalidBaseUrlIsAnError) {
  for (const char* url : {"phish.example.com", "ftp://example.com", "https://", "http:///path",
                          "https://exa mple.com", "/"}) {
    FakeEnv env;
    env.set("PHISHDRILL_PHISH_BASE_URL", url);
    auto config = load_config(std::nullopt, env.lookup());
    ASSERT_FALSE(config.has_value()) << url;
    EXPECT_EQ(config.error().code, ErrorCode::kValidation);
    EXPECT_NE(config.error().message.find("base_url"), std::string::npos);
  }
}

TEST_F(ConfigTest, AcceptsEveryDocumentedLogLevel) {
  for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    FakeEnv env;
    env.set("PHISHDRILL_LOG_LEVEL", level);
    auto config = load_config(std::nullopt, env.lookup());
    ASSERT_TRUE(config.has_value()) << level;
    EXPECT_EQ(config->log_level, level);
  }
}

// BUG: log.level is stored without validation. docs/configuration.md allows
// only trace|debug|info|warn|error|critical|off and says malformed values stop
// the server, but load_config accepts any text, and server.cpp passes it to
// spdlog::level::from_str, which maps an unknown name to `off`: a typo such as
// "degub" silently disables all logging.
TEST_F(ConfigTest, UnknownLogLevelIsAnError) {
  env_.set("PHISHDRILL_LOG_LEVEL", "degub");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_EQ(config.error().code, ErrorCode::kValidation);
}

TEST_F(ConfigTest, OutboundAllowListFromArrayStringOrEnvironment) {
  const auto loopback = *parse_ip("127.0.0.1");
  const auto internal = *parse_ip("10.1.2.3");
  auto defaults = load_config(std::nullopt, env_.lookup());
  ASSERT_TRUE(defaults.has_value());
  EXPECT_FALSE(defaults->outbound.permits(OutboundPurpose::kSmtpRelay, "localhost", loopback));

  auto from_array = load_config(
      write_file("[outbound]\nallow = [\"127.0.0.1/32\", \"hooks.internal\"]\n"), env_.lookup());
  ASSERT_TRUE(from_array.has_value()) << from_array.error().message;
  EXPECT_TRUE(from_array->outbound.permits(OutboundPurpose::kSmtpRelay, "localhost", loopback));
  EXPECT_TRUE(from_array->outbound.permits(OutboundPurpose::kWebhook, "hooks.internal", internal));
  EXPECT_FALSE(from_array->outbound.permits(OutboundPurpose::kWebhook, "other", internal));

  env_.set("PHISHDRILL_OUTBOUND_ALLOW", "10.0.0.0/8, ::1/128");
  auto from_env = load_config(write_file("[outbound]\nallow = \"127.0.0.1\"\n"), env_.lookup());
  ASSERT_TRUE(from_env.has_value()) << from_env.error().message;
  EXPECT_TRUE(from_env->outbound.permits(OutboundPurpose::kWebhook, "x", internal));
  EXPECT_FALSE(from_env->outbound.permits(OutboundPurpose::kSmtpRelay, "x", loopback));
}

TEST_F(ConfigTest, BadOutboundAllowEntryIsAnError) {
  env_.set("PHISHDRILL_OUTBOUND_ALLOW", "127.0.0.1/8");
  auto config = load_config(std::nullopt, env_.lookup());
  ASSERT_FALSE(config.has_value());
  EXPECT_NE(config.error().message.find("PHISHDRILL_OUTBOUND_ALLOW"), std::string::npos);
  EXPECT_FALSE(
      load_config(write_file("[outbound]\nallow = [1, 2]\n"), FakeEnv().lookup()).has_value());
}

TEST_F(ConfigTest, UnrelatedEnvironmentVariablesAreIgnored) {
  env_.set("PHISHDRILL_NOT_A_KEY", "x").set("HOME", "/root");
  EXPECT_TRUE(load_config(std::nullopt, env_.lookup()).has_value());
}

}  // namespace
}  // namespace phishdrill::app
