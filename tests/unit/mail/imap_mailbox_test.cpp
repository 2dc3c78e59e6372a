// ImapMailbox against a real IMAP server: Debian's Dovecot, started by
// scripts/dovecot_test_server.sh start DIR, with PHISHDRILL_TEST_IMAP_DIR=DIR
// in the environment (the tests that need it skip without it). Messages are
// put in, and their state read back, by a mail client of its own
// (scripts/imap_test_client.py, Python's imaplib), not by the code under
// test. Each test works in folders of its own, so tests may run in parallel
// against one server. The tests of settings and unreachable servers need no
// server.
#include "mail/imap_mailbox.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using Uids = std::vector<std::uint32_t>;

constexpr const char* kNoTestImap =
    "PHISHDRILL_TEST_IMAP_DIR is not set: no IMAP server to test against (start one with "
    "scripts/dovecot_test_server.sh start DIR and set PHISHDRILL_TEST_IMAP_DIR=DIR)";
constexpr std::size_t kMaxMessage = 1024 * 1024;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string shell_quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// A port on which nothing listens (bound, then released).
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

ImapSettings loopback_settings(int port) {
  ImapSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.username = "reports@example.org";
  settings.password = "not-the-password";
  settings.timeout = std::chrono::seconds(10);
  settings.outbound = OutboundPolicy::parse("127.0.0.1/32").value();  // the server runs here
  return settings;
}

// The server of PHISHDRILL_TEST_IMAP_DIR and its own mail client.
class TestServer {
 public:
  static std::optional<TestServer> from_environment() {
    const char* dir = std::getenv("PHISHDRILL_TEST_IMAP_DIR");
    if (dir == nullptr || *dir == '\0') return std::nullopt;
    return TestServer(dir);
  }

  const fs::path& dir() const { return dir_; }
  int port() const { return std::stoi(read_text(dir_ / "port")); }
  int starttls_port() const { return std::stoi(read_text(dir_ / "starttls_port")); }
  std::string user() const { return read_text(dir_ / "user"); }
  std::string password() const { return read_text(dir_ / "password"); }
  std::string token() const { return read_text(dir_ / "token"); }
  std::string ca_file() const { return (dir_ / "ca.crt").string(); }

  ImapSettings settings(const std::string& folder) const {
    ImapSettings settings = loopback_settings(port());
    settings.username = user();
    settings.password = password();
    settings.folder = folder;
    settings.ca_file = ca_file();
    return settings;
  }

  // A folder name no other test (or run) uses.
  static std::string fresh_folder(std::string_view purpose) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return fmt_folder(info != nullptr ? info->name() : "test", purpose, ::getpid(), ++counter);
  }

  // Runs the mail client; its output, or nullopt (with the output printed)
  // when it failed.
  std::optional<std::string> client(const std::vector<std::string>& args) const {
    std::string command = "/usr/bin/python3 " + shell_quoted(client_script().string()) + " " +
                          shell_quoted(dir_.string());
    for (const std::string& arg : args) command += " " + shell_quoted(arg);
    command += " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return std::nullopt;
    std::string output;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status != 0) {
      ADD_FAILURE() << "imap_test_client.py failed: " << output;
      return std::nullopt;
    }
    return output;
  }

  // Delivers `message` to `folder` (created when missing); its UID.
  std::uint32_t append(const std::string& folder, const std::string& message) const {
    const fs::path file = dir_.parent_path() / ("pd-imap-msg-" + std::to_string(::getpid()) + "-" +
                                                std::to_string(++file_counter_));
    {
      std::ofstream out(file, std::ios::binary);
      out << message;
    }
    const auto output = client({"append", folder, file.string()});
    fs::remove(file);
    return output ? static_cast<std::uint32_t>(std::stoul(*output)) : 0;
  }

  // The server's UIDVALIDITY and message count of `folder`.
  std::pair<std::uint32_t, std::uint32_t> status(const std::string& folder) const {
    const auto output = client({"status", folder});
    std::uint32_t validity = 0, messages = 0;
    if (output) std::istringstream(*output) >> validity >> messages;
    return {validity, messages};
  }

  // UID → flags of every message in `folder`.
  std::vector<std::pair<std::uint32_t, std::vector<std::string>>> flags(
      const std::string& folder) const {
    std::vector<std::pair<std::uint32_t, std::vector<std::string>>> out;
    const auto output = client({"flags", folder});
    if (!output) return out;
    std::istringstream lines(*output);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream words(line);
      std::uint32_t uid = 0;
      words >> uid;
      std::vector<std::string> names;
      for (std::string name; words >> name;) names.push_back(name);
      out.emplace_back(uid, names);
    }
    return out;
  }

  std::vector<std::string> flags_of(const std::string& folder, std::uint32_t uid) const {
    for (const auto& [message_uid, names] : flags(folder)) {
      if (message_uid == uid) return names;
    }
    ADD_FAILURE() << "no message " << uid << " in " << folder;
    return {};
  }

  Uids uids(const std::string& folder) const {
    Uids out;
    for (const auto& entry : flags(folder)) out.push_back(entry.first);
    return out;
  }

 private:
  explicit TestServer(fs::path dir) : dir_(std::move(dir)) {}

  static fs::path client_script() {
    return fs::path(__FILE__).parent_path() / ".." / ".." / ".." / "scripts" /
           "imap_test_client.py";
  }

  static std::string fmt_folder(std::string_view test, std::string_view purpose, int pid, int n) {
    return "t-" + std::string(test) + "-" + std::string(purpose) + "-" + std::to_string(pid) + "-" +
           std::to_string(n);
  }

  fs::path dir_;
  mutable int file_counter_ = 0;
};

std::string message_text(std::string_view subject, std::string_view body = "Hello.") {
  return "From: Someone <someone@example.com>\r\nTo: reports@example.org\r\nSubject: " +
         std::string(subject) + "\r\nMessage-ID: <" + std::string(subject) +
         "@example.com>\r\n\r\n" + std::string(body) + "\r\n";
}

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

class ImapMailboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = TestServer::from_environment();
    if (!server_) GTEST_SKIP() << kNoTestImap;
  }

  // A fresh folder holding `count` messages; their UIDs.
  Uids fill(const std::string& folder, int count) {
    Uids uids;
    for (int i = 1; i <= count; ++i) {
      uids.push_back(server_->append(folder, message_text("message-" + std::to_string(i))));
    }
    return uids;
  }

  // The folder opened with the server's settings; nullopt (and a failure)
  // when that fails.
  std::optional<ImapMailbox> open(const std::string& folder) {
    auto mailbox = ImapMailbox::open(server_->settings(folder));
    if (!mailbox) {
      ADD_FAILURE() << mailbox.error().message;
      return std::nullopt;
    }
    return std::move(*mailbox);
  }

  std::optional<TestServer> server_;
};

// ---- Without a server --------------------------------------------------

TEST(ImapMailboxSettingsTest, AreCheckedBeforeConnecting) {
  struct Case {
    std::string field;
    void (*change)(ImapSettings&);
  };
  const Case cases[] = {
      {"host", [](ImapSettings& s) { s.host = ""; }},
      {"host", [](ImapSettings& s) { s.host = "mail.example.org/INBOX"; }},
      {"host", [](ImapSettings& s) { s.host = "user@mail.example.org"; }},
      {"host", [](ImapSettings& s) { s.host = "mail\r\n.example.org"; }},
      {"host", [](ImapSettings& s) { s.host = std::string(254, 'a'); }},
      {"port", [](ImapSettings& s) { s.port = 0; }},
      {"port", [](ImapSettings& s) { s.port = 65536; }},
      {"username", [](ImapSettings& s) { s.username = ""; }},
      {"username", [](ImapSettings& s) { s.username = "a\r\nA1 LOGOUT"; }},
      {"username", [](ImapSettings& s) { s.username = "\xff\xfe"; }},
      {"password", [](ImapSettings& s) { s.password = ""; }},
      {"password", [](ImapSettings& s) { s.password = "secret\r\nA9 DELETE INBOX"; }},
      {"password", [](ImapSettings& s) { s.password = std::string(1025, 'p'); }},
      {"bearer_token", [](ImapSettings& s) { s.bearer_token = "two words"; }},
      {"bearer_token", [](ImapSettings& s) { s.bearer_token = std::string(16385, 't'); }},
      {"folder", [](ImapSettings& s) { s.folder = ""; }},
      {"folder", [](ImapSettings& s) { s.folder = "Inbox\r\nA1 LOGOUT"; }},
      {"folder", [](ImapSettings& s) { s.folder = "\xc3"; }},
      {"ca_file", [](ImapSettings& s) { s.ca_file = "ca\n.pem"; }},
      {"timeout", [](ImapSettings& s) { s.timeout = std::chrono::seconds(0); }},
      {"timeout", [](ImapSettings& s) { s.timeout = std::chrono::seconds(601); }},
  };
  for (const Case& c : cases) {
    ImapSettings settings = loopback_settings(unused_port());
    c.change(settings);
    const auto result = ImapMailbox::open(settings);
    ASSERT_FALSE(result.has_value()) << c.field;
    EXPECT_EQ(result.error().code, ErrorCode::kValidation) << c.field;
    EXPECT_EQ(result.error().field, c.field) << result.error().message;
    EXPECT_EQ(result.error().message.find("A9 DELETE"), std::string::npos);
  }
}

TEST(ImapMailboxSettingsTest, ATokenNeedsNoPassword) {
  ImapSettings settings = loopback_settings(unused_port());
  settings.password = "";
  settings.bearer_token = "ya29.a0AfH6SMB-token_value~1";
  const auto result = ImapMailbox::open(settings);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "host");  // it got as far as connecting
}

TEST(ImapMailboxSettingsTest, LoopbackIsRefusedUnlessAllowed) {
  ImapSettings settings = loopback_settings(unused_port());
  settings.outbound = OutboundPolicy();
  const auto result = ImapMailbox::open(settings);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message, outbound_refusal_message("127.0.0.1"));
  EXPECT_EQ(result.error().field, "host");
}

TEST(ImapMailboxSettingsTest, NobodyListeningIsOneGenericAnswer) {
  const int port = unused_port();
  const auto result = test_imap_connection(loopback_settings(port));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(
      result.error().message,
      "IMAP connect failed: could not reach an IMAP server at 127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(result.error().field, "host");
}

// A loopback service that greets like another protocol and then waits.
class BannerServer {
 public:
  explicit BannerServer(std::string banner) : banner_(std::move(banner)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 4);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        (void)!::write(fd, banner_.data(), banner_.size());
        accepted_.push_back(fd);
      }
    });
  }
  ~BannerServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
    for (const int fd : accepted_) ::close(fd);
  }
  int port() const { return port_; }

 private:
  std::string banner_;
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> accepted_;
  std::thread thread_;
};

TEST(ImapMailboxSettingsTest, AnotherProtocolIsTheSameGenericAnswer) {
  BannerServer ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
  for (const ImapTls tls : {ImapTls::kStartTls, ImapTls::kImplicit}) {
    ImapSettings settings = loopback_settings(ssh.port());
    settings.tls = tls;
    settings.timeout = std::chrono::seconds(2);
    const auto result = test_imap_connection(settings);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message,
              "IMAP connect failed: could not reach an IMAP server at 127.0.0.1:" +
                  std::to_string(ssh.port()));
  }
}

TEST(ImapMailboxSettingsTest, AServerThatTurnsUsAwaySaysSo) {
  BannerServer busy("* BYE Too many connections from your address\r\n");
  ImapSettings settings = loopback_settings(busy.port());
  settings.tls = ImapTls::kStartTls;
  const auto result = test_imap_connection(settings);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "host");
  EXPECT_TRUE(result.error().message.starts_with("IMAP connect failed: the server at 127.0.0.1:"))
      << result.error().message;
  EXPECT_NE(result.error().message.find("(server: * BYE Too many connections"), std::string::npos)
      << result.error().message;
}

// An IMAP server without STARTTLS that records every line it receives and
// refuses each login.
class PlainServer {
 public:
  explicit PlainServer(std::string capabilities) : capabilities_(std::move(capabilities)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 4);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] {
      for (;;) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        serve(fd);
        ::close(fd);
        {
          const std::lock_guard lock(mutex_);
          ++closed_;
        }
        closed_signal_.notify_all();
      }
    });
  }
  ~PlainServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  int port() const { return port_; }
  // Everything received on the first connection, once the client closed it
  // (waits at most 10 s for that).
  std::string received() const {
    std::unique_lock lock(mutex_);
    const bool closed =
        closed_signal_.wait_for(lock, std::chrono::seconds(10), [this] { return closed_ > 0; });
    EXPECT_TRUE(closed) << "the client did not close its connection";
    return received_;
  }

 private:
  void serve(int fd) {
    send(fd, "* OK [CAPABILITY IMAP4rev1 " + capabilities_ + "] ready\r\n");
    std::string line;
    char c = 0;
    while (::read(fd, &c, 1) == 1) {
      {
        const std::lock_guard lock(mutex_);
        received_.push_back(c);
      }
      if (c != '\n') {
        line.push_back(c);
        continue;
      }
      const std::string tag = line.substr(0, line.find(' '));
      if (line.find(" CAPABILITY") != std::string::npos) {
        send(fd, "* CAPABILITY IMAP4rev1 " + capabilities_ + "\r\n" + tag + " OK done\r\n");
      } else {
        send(fd, tag + " NO [AUTHENTICATIONFAILED] no\r\n");
      }
      line.clear();
    }
  }
  static void send(int fd, const std::string& text) {
    (void)!::write(fd, text.data(), text.size());
  }

  std::string capabilities_;
  int listener_ = -1;
  int port_ = 0;
  mutable std::mutex mutex_;  // guards received_ and closed_
  mutable std::condition_variable closed_signal_;
  std::string received_;
  int closed_ = 0;
  std::thread thread_;
};

TEST(ImapMailboxSettingsTest, StartTlsIsRequiredBeforeAnyCredentials) {
  for (const std::string_view capabilities : {"AUTH=PLAIN", "AUTH=LOGIN", "", "AUTH=XOAUTH2"}) {
    PlainServer server{std::string(capabilities)};
    ImapSettings settings = loopback_settings(server.port());
    settings.tls = ImapTls::kStartTls;
    settings.password = "Pa55-w0rd!";
    if (capabilities == "AUTH=XOAUTH2") settings.bearer_token = "ya29.secret-token";
    const auto refused = test_imap_connection(settings);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().field, "tls") << refused.error().message;
    EXPECT_TRUE(refused.error().message.starts_with("IMAP TLS failed: the server at 127.0.0.1:"))
        << refused.error().message;
    const std::string received = server.received();
    EXPECT_EQ(received.find("AUTHENTICATE"), std::string::npos) << received;
    EXPECT_EQ(received.find("LOGIN "), std::string::npos) << received;
    EXPECT_EQ(received.find("Pa55"), std::string::npos) << received;
  }
}

// ---- Against Dovecot -----------------------------------------------------

TEST_F(ImapMailboxTest, OpenReportsTheFoldersUidValidityAndCount) {
  const std::string folder = TestServer::fresh_folder("box");
  fill(folder, 2);
  const auto [validity, messages] = server_->status(folder);
  ASSERT_NE(validity, 0u);

  const auto status = test_imap_connection(server_->settings(folder));
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_EQ(status->uid_validity, validity);
  EXPECT_EQ(status->messages, 2u);
  EXPECT_EQ(messages, 2u);

  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(mailbox->uid_validity(), validity);
}

TEST_F(ImapMailboxTest, UidsAfterListsNewerMessagesLowestFirst) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 3);
  ASSERT_TRUE(uids[0] < uids[1] && uids[1] < uids[2]);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());

  EXPECT_EQ(mailbox->uids_after(0, 100).value(), uids);
  EXPECT_EQ(mailbox->uids_after(uids[0], 100).value(), (Uids{uids[1], uids[2]}));
  EXPECT_EQ(mailbox->uids_after(0, 2).value(), (Uids{uids[0], uids[1]}));
  // "n:*" would answer the highest UID even when it is not above n.
  EXPECT_EQ(mailbox->uids_after(uids[2], 100).value(), Uids{});
  EXPECT_EQ(mailbox->uids_after(uids[2] + 10, 100).value(), Uids{});
  EXPECT_EQ(mailbox->uids_after(0, 0).value(), Uids{});

  // A message that arrives later is seen on the same connection.
  const std::uint32_t later = server_->append(folder, message_text("later"));
  EXPECT_EQ(mailbox->uids_after(uids[2], 100).value(), Uids{later});
}

// libcurl drops the middle of a server line over about half its buffer (8 KB
// by default): one SEARCH over a few thousand UIDs came back with a tenth of
// them, and a poll skipped the rest for good. Every UID of a large folder is
// listed, in order.
TEST_F(ImapMailboxTest, ALargeFolderListsEveryUid) {
  const std::string folder = TestServer::fresh_folder("large");
  constexpr int kMessages = 2500;
  ASSERT_TRUE(server_->client({"fill", folder, std::to_string(kMessages)}));
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  const Uids all = mailbox->uids_after(0, 100000).value();
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kMessages));
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
  EXPECT_EQ(all.back() - all.front() + 1, static_cast<std::uint32_t>(kMessages));
  const Uids next = mailbox->uids_after(all[1999], 3).value();
  EXPECT_EQ(next, (Uids{all[2000], all[2001], all[2002]}));
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 100000).value().size(),
            static_cast<std::size_t>(kMessages));
}

TEST_F(ImapMailboxTest, FetchReturnsTheExactBytesAndLeavesTheMessageUnread) {
  const std::string folder = TestServer::fresh_folder("box");
  // Lines that look like IMAP responses, 8-bit text, a long line, no final
  // line break: the bytes must come back untouched.
  std::string message = message_text("exact",
                                     "* OK [UIDVALIDITY 1] not a response\r\n"
                                     "A005 OK not the end either\r\n"
                                     ")\r\n"
                                     "Grüße, 東京\r\n" +
                                         std::string(5000, 'x'));
  message += "\r\nlast line without a break";
  const std::uint32_t uid = server_->append(folder, message);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());

  const auto fetched = mailbox->fetch(uid, kMaxMessage);
  ASSERT_TRUE(fetched.has_value()) << fetched.error().message;
  EXPECT_EQ(*fetched, message);
  EXPECT_FALSE(contains(server_->flags_of(folder, uid), "\\Seen"));

  // One that was read stays read.
  ASSERT_TRUE(mailbox->add_flags(uid, "\\Seen").has_value());
  ASSERT_TRUE(mailbox->fetch(uid, kMaxMessage).has_value());
  EXPECT_TRUE(contains(server_->flags_of(folder, uid), "\\Seen"));
}

TEST_F(ImapMailboxTest, FetchOfAMissingMessageIsNotFound) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 1);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  const auto result = mailbox->fetch(uids[0] + 1, kMaxMessage);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(mailbox->fetch(0, kMaxMessage).error().code, ErrorCode::kValidation);
}

TEST_F(ImapMailboxTest, FetchRefusesAMessageOverTheLimit) {
  const std::string folder = TestServer::fresh_folder("box");
  const std::string message = message_text("big", std::string(20000, 'b'));
  const std::uint32_t uid = server_->append(folder, message);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());

  const auto refused = mailbox->fetch(uid, message.size() - 1);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kPayloadTooLarge);
  EXPECT_NE(refused.error().message.find(std::to_string(message.size()) + " bytes"),
            std::string::npos)
      << refused.error().message;
  // Refusing read nothing, and the connection is still good for the next.
  EXPECT_FALSE(contains(server_->flags_of(folder, uid), "\\Seen"));
  const auto exact = mailbox->fetch(uid, message.size());
  ASSERT_TRUE(exact.has_value()) << exact.error().message;
  EXPECT_EQ(*exact, message);
}

TEST_F(ImapMailboxTest, FlaggedMessagesLeaveTheUnprocessedSearch) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 3);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 100).value(), uids);

  ASSERT_TRUE(mailbox->add_flags(uids[1], "$PhishdrillDone \\Flagged").has_value());
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 100).value(),
            (Uids{uids[0], uids[2]}));
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 1).value(), Uids{uids[0]});
  const auto flags = server_->flags_of(folder, uids[1]);
  EXPECT_TRUE(contains(flags, "$PhishdrillDone"));
  EXPECT_TRUE(contains(flags, "\\Flagged"));
  EXPECT_FALSE(contains(server_->flags_of(folder, uids[0]), "$PhishdrillDone"));

  // Bad input never reaches the server.
  EXPECT_EQ(mailbox->add_flags(uids[0], "$Done\r\nA1 LOGOUT").error().field, "flags");
  EXPECT_EQ(mailbox->uids_without_keyword("two words", 10).error().field, "keyword");
}

TEST_F(ImapMailboxTest, MoveCreatesTheFolderAndMovesOnlyThatMessage) {
  const std::string folder = TestServer::fresh_folder("box");
  const std::string done = TestServer::fresh_folder("done");
  const Uids uids = fill(folder, 3);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());

  ASSERT_TRUE(mailbox->move(uids[0], done).has_value());
  EXPECT_EQ(server_->uids(folder), (Uids{uids[1], uids[2]}));
  EXPECT_EQ(server_->status(done).second, 1u);
  EXPECT_EQ(mailbox->uids_after(0, 100).value(), (Uids{uids[1], uids[2]}));

  // The folder exists now: the next move goes straight in.
  ASSERT_TRUE(mailbox->move(uids[1], done).has_value());
  EXPECT_EQ(server_->status(done).second, 2u);
  EXPECT_EQ(server_->uids(folder), Uids{uids[2]});

  const auto same = mailbox->move(uids[2], folder);
  ASSERT_FALSE(same.has_value());
  EXPECT_EQ(same.error().field, "folder");
}

// The server answers on 127.0.0.2 as one without MOVE, and on 127.0.0.3 as
// one without MOVE and UIDPLUS (scripts/dovecot_test_server.sh).
TEST_F(ImapMailboxTest, WithoutMoveItCopiesAndExpungesThatMessageAlone) {
  const std::string folder = TestServer::fresh_folder("box");
  const std::string done = TestServer::fresh_folder("done");
  const Uids uids = fill(folder, 3);
  ImapSettings settings = server_->settings(folder);
  settings.host = "127.0.0.2";
  settings.outbound = OutboundPolicy::parse("127.0.0.0/29").value();
  auto mailbox = ImapMailbox::open(settings);
  ASSERT_TRUE(mailbox.has_value());
  // Someone else marked a message for deletion: ours must not expunge it.
  ASSERT_TRUE(mailbox->add_flags(uids[2], "\\Deleted").has_value());

  ASSERT_TRUE(mailbox->move(uids[0], done).has_value());
  EXPECT_EQ(server_->status(done).second, 1u);
  EXPECT_EQ(server_->uids(folder), (Uids{uids[1], uids[2]}));
  ASSERT_TRUE(mailbox->remove(uids[1]).has_value());
  EXPECT_EQ(server_->uids(folder), Uids{uids[2]});
}

TEST_F(ImapMailboxTest, WithoutUidplusMovedMessagesStayMarkedDeleted) {
  const std::string folder = TestServer::fresh_folder("box");
  const std::string done = TestServer::fresh_folder("done");
  const Uids uids = fill(folder, 3);
  ImapSettings settings = server_->settings(folder);
  settings.host = "127.0.0.3";
  settings.outbound = OutboundPolicy::parse("127.0.0.0/29").value();
  auto mailbox = ImapMailbox::open(settings);
  ASSERT_TRUE(mailbox.has_value());

  ASSERT_TRUE(mailbox->move(uids[0], done).has_value());
  ASSERT_TRUE(mailbox->remove(uids[1]).has_value());
  EXPECT_EQ(server_->status(done).second, 1u);
  // No expunge (a plain EXPUNGE would take others' deletions too): they stay,
  // marked, and are no longer listed.
  EXPECT_EQ(server_->uids(folder), uids);
  EXPECT_TRUE(contains(server_->flags_of(folder, uids[0]), "\\Deleted"));
  EXPECT_TRUE(contains(server_->flags_of(folder, uids[1]), "\\Deleted"));
  EXPECT_EQ(mailbox->uids_after(0, 10).value(), Uids{uids[2]});
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 10).value(), Uids{uids[2]});
}

TEST_F(ImapMailboxTest, NonAsciiFolderNamesGoOutInModifiedUtf7) {
  const std::string suffix = TestServer::fresh_folder("x");
  const std::string inbox = "Gemeldete Entwürfe " + suffix;
  const std::string wire_inbox = "Gemeldete Entw&APw-rfe " + suffix;
  const std::string done = "Erledigt ✓ " + suffix;
  const std::string wire_done = "Erledigt &JxM- " + suffix;
  const std::uint32_t uid = server_->append(wire_inbox, message_text("umlaut"));

  auto mailbox = open(inbox);
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(mailbox->uids_after(0, 10).value(), Uids{uid});
  ASSERT_TRUE(mailbox->move(uid, done).has_value());
  EXPECT_EQ(server_->status(wire_done).second, 1u);
  EXPECT_EQ(server_->status(wire_inbox).second, 0u);
}

TEST_F(ImapMailboxTest, RemoveExpungesThatMessageAlone) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 3);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  ASSERT_TRUE(mailbox->remove(uids[1]).has_value());
  EXPECT_EQ(server_->uids(folder), (Uids{uids[0], uids[2]}));
  EXPECT_EQ(mailbox->uids_after(0, 100).value(), (Uids{uids[0], uids[2]}));
}

TEST_F(ImapMailboxTest, SeveralMessagesAreFlaggedMovedOrRemovedInOneCommand) {
  const std::string folder = TestServer::fresh_folder("box");
  const std::string done = TestServer::fresh_folder("done");
  const Uids uids = fill(folder, 7);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  const Uids flagged{uids[4], uids[0], uids[1], uids[2]};  // any order
  ASSERT_TRUE(mailbox->add_flags(flagged, "$PhishdrillDone \\Seen").has_value());
  EXPECT_EQ(mailbox->uids_without_keyword("$PhishdrillDone", 100).value(),
            (Uids{uids[3], uids[5], uids[6]}));
  ASSERT_TRUE(mailbox->move(Uids{uids[0], uids[4]}, done).has_value());
  EXPECT_EQ(server_->status(done).second, 2u);
  ASSERT_TRUE(mailbox->remove(Uids{uids[5], uids[6]}).has_value());
  EXPECT_EQ(server_->uids(folder), (Uids{uids[1], uids[2], uids[3]}));
  EXPECT_EQ(mailbox->add_flags(Uids{}, "\\Seen").error().field, "uid");
}

TEST_F(ImapMailboxTest, AWrongPasswordIsALoginErrorWithoutThePassword) {
  const std::string folder = TestServer::fresh_folder("box");
  fill(folder, 1);
  ImapSettings settings = server_->settings(folder);
  settings.password = "wrong-" + server_->password();
  const auto result = test_imap_connection(settings);
  ASSERT_FALSE(result.has_value());
  const Error& error = result.error();
  EXPECT_EQ(error.field, "password");
  EXPECT_TRUE(
      error.message.starts_with("IMAP login failed: the server refused the password of "
                                "reports@example.org"))
      << error.message;
  EXPECT_NE(error.message.find("AUTHENTICATIONFAILED"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find(settings.password), std::string::npos);
  EXPECT_EQ(error.message.find(server_->password()), std::string::npos);
}

TEST_F(ImapMailboxTest, AMissingFolderIsASelectError) {
  const std::string folder = TestServer::fresh_folder("missing");
  const auto result = test_imap_connection(server_->settings(folder));
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "folder");
  EXPECT_TRUE(
      result.error().message.starts_with("IMAP select failed: the server refused the "
                                         "folder \"" +
                                         folder + "\""))
      << result.error().message;
}

TEST_F(ImapMailboxTest, ACertificateFromAnotherCaIsATlsError) {
  const std::string folder = TestServer::fresh_folder("box");
  fill(folder, 1);
  ImapSettings settings = server_->settings(folder);
  // The system's CAs (Debian's ca-certificates) do not include the server's.
  for (const std::string& ca : {std::string("/etc/ssl/certs/ca-certificates.crt"), std::string()}) {
    settings.ca_file = ca;
    const auto result = test_imap_connection(settings);
    ASSERT_FALSE(result.has_value()) << ca;
    EXPECT_EQ(result.error().field, "ca_file");
    EXPECT_TRUE(result.error().message.starts_with(
        "IMAP TLS failed: the certificate of 127.0.0.1:" + std::to_string(server_->port()) +
        " could not be verified"))
        << result.error().message;
  }
  // Not verifying is possible (for tests), and then the same server answers.
  settings.verify_tls = false;
  EXPECT_TRUE(test_imap_connection(settings).has_value());
}

TEST_F(ImapMailboxTest, AnUnreadableCaFileIsNamed) {
  ImapSettings settings = server_->settings("INBOX");
  settings.ca_file = (server_->dir() / "no-such-ca.pem").string();
  const auto result = test_imap_connection(settings);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().field, "ca_file");
  EXPECT_TRUE(result.error().message.starts_with("IMAP TLS failed: the CA file could not be read"))
      << result.error().message;
}

TEST_F(ImapMailboxTest, StartTlsWorksAndTheWrongModeIsUnreachable) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 2);
  ImapSettings settings = server_->settings(folder);
  settings.tls = ImapTls::kStartTls;
  settings.port = server_->starttls_port();
  auto mailbox = ImapMailbox::open(settings);
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(mailbox->uids_after(0, 10).value(), uids);

  // Implicit TLS to the STARTTLS port: the server's plain greeting is no TLS.
  settings.tls = ImapTls::kImplicit;
  settings.timeout = std::chrono::seconds(5);
  const auto implicit = test_imap_connection(settings);
  ASSERT_FALSE(implicit.has_value());
  EXPECT_EQ(implicit.error().field, "host") << implicit.error().message;
}

TEST_F(ImapMailboxTest, XOAuth2LogsInWithABearerToken) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 2);
  ImapSettings settings = server_->settings(folder);
  settings.password = "";
  settings.bearer_token = server_->token();
  auto mailbox = ImapMailbox::open(settings);
  ASSERT_TRUE(mailbox.has_value());
  EXPECT_EQ(mailbox->uids_after(0, 10).value(), uids);

  settings.bearer_token = "x" + server_->token();
  const auto refused = test_imap_connection(settings);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "bearer_token");
  EXPECT_TRUE(
      refused.error().message.starts_with("IMAP login failed: the server refused the "
                                          "token of reports@example.org"))
      << refused.error().message;
  EXPECT_EQ(refused.error().message.find(server_->token()), std::string::npos);
}

TEST_F(ImapMailboxTest, ARecreatedFolderStopsEveryChange) {
  const std::string folder = TestServer::fresh_folder("box");
  const Uids uids = fill(folder, 2);
  auto mailbox = open(folder);
  ASSERT_TRUE(mailbox.has_value());
  const std::uint32_t before = mailbox->uid_validity();

  ASSERT_TRUE(server_->client({"delete", folder}).has_value());
  const Uids fresh = fill(folder, 2);  // the same UIDs, other messages
  ASSERT_EQ(fresh, uids);
  ASSERT_NE(server_->status(folder).first, before);

  // On the connection that still has the old folder selected the server
  // answers as it likes (Dovecot: an internal error, after which curl ends
  // the session); nothing can land on the new messages there. The reconnect
  // that follows sees the new UIDVALIDITY, and from then on every call is
  // refused before it reaches the server.
  (void)mailbox->uids_after(0, 10);
  auto flagged = mailbox->add_flags(uids[0], "$PhishdrillDone");
  if (!flagged.has_value() && flagged.error().code != ErrorCode::kConflict) {
    flagged = mailbox->add_flags(uids[0], "$PhishdrillDone");
  }
  ASSERT_FALSE(flagged.has_value());
  EXPECT_EQ(flagged.error().code, ErrorCode::kConflict) << flagged.error().message;
  EXPECT_NE(flagged.error().message.find("UIDVALIDITY changed"), std::string::npos);
  EXPECT_FALSE(contains(server_->flags_of(folder, fresh[0]), "$PhishdrillDone"));
  EXPECT_EQ(mailbox->remove(uids[1]).error().code, ErrorCode::kConflict);
  EXPECT_EQ(server_->uids(folder), fresh);
  EXPECT_EQ(mailbox->fetch(uids[0], kMaxMessage).error().code, ErrorCode::kConflict);
}

}  // namespace
}  // namespace phishdrill
