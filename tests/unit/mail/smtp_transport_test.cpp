// SmtpTransport against a real SMTP server: Debian's aiosmtpd, driven by the
// suite's one SMTP sink, tests/integration/smtp_sink.py (override with
// PHISHDRILL_SMTP_SINK), storing each message as msg-<n>.from/.rcpt/.eml.
#include "mail/smtp_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mail/mime_composer.h"

extern char** environ;

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Status = SendOutcome::Status;

constexpr auto kStartupLimit = std::chrono::seconds(20);

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

fs::path sink_script() {
  if (const char* path = std::getenv("PHISHDRILL_SMTP_SINK"); path != nullptr && *path != '\0') {
    return path;
  }
  return fs::path(__FILE__).parent_path() / ".." / ".." / "integration" / "smtp_sink.py";
}

// Connects to 127.0.0.1:port and reads the greeting line; false if either fails.
bool greeting_received(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval timeout{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    std::string received;
    char buffer[256];
    ssize_t n = 0;
    while (received.find("\r\n") == std::string::npos &&
           (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) {
      received.append(buffer, static_cast<std::size_t>(n));
    }
    ok = received.starts_with("220");
  }
  ::close(fd);
  return ok;
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

class SmtpSink {
 public:
  explicit SmtpSink(std::vector<std::string> options) {
    std::string pattern = (fs::temp_directory_path() / "smtp-sink-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) return;
    dir_ = pattern;
    std::vector<std::string> args = {
        "/usr/bin/python3", sink_script().string(), "--dir", dir_.string(), "--layout", "files"};
    args.insert(args.end(), options.begin(), options.end());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }

  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      const auto deadline = Clock::now() + std::chrono::seconds(5);
      while (::waitpid(pid_, nullptr, WNOHANG) == 0) {
        if (Clock::now() > deadline) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, nullptr, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  // Polls (bounded) until the server has published its port and answers a
  // connection with its greeting. The probe counts as one connection.
  ::testing::AssertionResult wait_ready() {
    if (pid_ <= 0) return ::testing::AssertionFailure() << "could not start " << sink_script();
    const auto deadline = Clock::now() + kStartupLimit;
    while (Clock::now() < deadline) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return ::testing::AssertionFailure()
               << "smtp_sink.py exited (is python3-aiosmtpd installed?)";
      }
      if (port_ == 0 && fs::exists(dir_ / "port")) port_ = std::stoi(read_file(dir_ / "port"));
      if (port_ != 0 && greeting_received(port_)) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ::testing::AssertionFailure() << "smtp_sink.py did not come up in time";
  }

  int port() const { return port_; }

  int connections() const { return count_files("conn-"); }
  int closed_connections() const { return count_files("closed-"); }

  // Polls (bounded) until `n` connections have been closed.
  bool wait_closed(int n) const {
    const auto deadline = Clock::now() + kStartupLimit;
    while (closed_connections() < n) {
      if (Clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  // Message n (1-based) as recorded: envelope from, recipients, data.
  struct Message {
    std::string from;
    std::string rcpts;
    std::string data;
  };
  std::optional<Message> message(int n) const {
    const fs::path base = dir_ / ("msg-" + std::to_string(n));
    if (!fs::exists(base.string() + ".eml")) return std::nullopt;
    return Message{read_file(base.string() + ".from"), read_file(base.string() + ".rcpt"),
                   read_file(base.string() + ".eml")};
  }

 private:
  int count_files(std::string_view prefix) const {
    int count = 0;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir_)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with(prefix) && !name.ends_with(".tmp")) ++count;
    }
    return count;
  }

  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

SmtpSettings settings_for(int port) {
  SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = port;
  settings.helo_name = "mail.example.com";
  settings.connect_timeout = std::chrono::seconds(5);
  settings.total_timeout = std::chrono::seconds(20);
  settings.outbound = OutboundPolicy::parse("127.0.0.1/32").value();  // the sink runs here
  return settings;
}

std::string unreachable_answer(int port) {
  return "could not reach an SMTP server at 127.0.0.1:" + std::to_string(port);
}

// A loopback service that greets with `banner` and then says nothing, like an
// SSH server; counts its connections.
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
        ++connections_;
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
  int connections() const { return connections_; }

 private:
  std::string banner_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::vector<int> accepted_;
  std::thread thread_;
};

std::string sample_mime(std::string_view subject) {
  OutgoingMessage message;
  message.from_name = "Zoë Müller";
  message.from_address = "zoe@example.com";
  message.to_address = "jane@example.org";
  message.subject = std::string(subject);
  message.text = "Hello\n.a line that starts with a dot\n..and two\n.\nend";
  message.html = "<p>Hello</p>";
  message.message_id = new_message_id(message.from_address);
  message.date = 1795914123;
  Result<std::string> mime = compose_mime(message);
  return mime ? *mime : std::string();
}

TEST(SmtpTransportTest, DeliversTheMessageByteExact) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  SmtpTransport transport(settings_for(sink.port()));
  const std::string mime = sample_mime("Quarterly report");
  ASSERT_FALSE(mime.empty());

  const SendOutcome outcome = transport.send("bounce@example.com", "jane@example.org", "id", mime);
  EXPECT_EQ(outcome.status, Status::kSent) << outcome.reply;
  EXPECT_EQ(outcome.smtp_code, 250);
  EXPECT_NE(outcome.reply.find("queued as 1"), std::string::npos) << outcome.reply;

  const std::optional<SmtpSink::Message> received = sink.message(1);
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->from, "bounce@example.com");
  EXPECT_EQ(received->rcpts, "jane@example.org");
  // The composer ends the message with CRLF, so curl adds only ".\r\n" and
  // the received data (dot-unstuffed) equals what was sent.
  ASSERT_TRUE(mime.ends_with("\r\n"));
  EXPECT_EQ(received->data, mime);
}

TEST(SmtpTransportTest, InternationalisedDomainsGoInALabels) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  SmtpTransport transport(settings_for(sink.port()));
  const SendOutcome outcome =
      transport.send("it@b\u00FCro.example", "bo@b\u00FCcher.example", "id", sample_mime("IDN"));
  EXPECT_EQ(outcome.status, Status::kSent) << outcome.reply;
  const std::optional<SmtpSink::Message> received = sink.message(1);
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->from, "it@xn--bro-hoa.example");
  EXPECT_EQ(received->rcpts, "bo@xn--bcher-kva.example");
}

TEST(SmtpTransportTest, NonAsciiLocalPartNeedsSmtputf8) {
  {
    SmtpSink sink({});
    ASSERT_TRUE(sink.wait_ready());
    SmtpTransport transport(settings_for(sink.port()));
    const SendOutcome outcome =
        transport.send("bounce@example.com", "jos\u00E9@example.org", "id", sample_mime("x"));
    EXPECT_EQ(outcome.status, Status::kPermanent);
    EXPECT_NE(outcome.reply.find("SMTPUTF8"), std::string::npos) << outcome.reply;
    EXPECT_FALSE(sink.message(1).has_value());
  }
  SmtpSink sink({"--smtputf8"});
  ASSERT_TRUE(sink.wait_ready());
  SmtpTransport transport(settings_for(sink.port()));
  const SendOutcome outcome =
      transport.send("bounce@example.com", "jos\u00E9@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kSent) << outcome.reply;
  const std::optional<SmtpSink::Message> received = sink.message(1);
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->rcpts, "jos\u00E9@example.org");
}

TEST(SmtpTransportTest, MessageWithoutFinalCrlfGetsOne) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  SmtpTransport transport(settings_for(sink.port()));
  const std::string mime = "Subject: x\r\n\r\nno final line break";
  EXPECT_EQ(transport.send("a@example.com", "b@example.org", "id", mime).status, Status::kSent);
  const std::optional<SmtpSink::Message> received = sink.message(1);
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->data, mime + "\r\n");
}

TEST(SmtpTransportTest, SendsReuseOneConnection) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  const int before = sink.connections();  // the readiness probe
  {
    SmtpTransport transport(settings_for(sink.port()));
    for (int i = 1; i <= 3; ++i) {
      const std::string mime = sample_mime("Message " + std::to_string(i));
      const SendOutcome outcome = transport.send(
          "bounce@example.com", "user" + std::to_string(i) + "@example.org", "id", mime);
      ASSERT_EQ(outcome.status, Status::kSent) << outcome.reply;
      const std::optional<SmtpSink::Message> received = sink.message(i);
      ASSERT_TRUE(received.has_value());
      EXPECT_EQ(received->data, mime);
      EXPECT_EQ(received->rcpts, "user" + std::to_string(i) + "@example.org");
    }
    EXPECT_EQ(sink.connections() - before, 1);
  }
  // A second transport opens its own connection.
  SmtpTransport other(settings_for(sink.port()));
  EXPECT_EQ(other.send("a@example.com", "b@example.org", "id", sample_mime("x")).status,
            Status::kSent);
  EXPECT_EQ(sink.connections() - before, 2);
}

TEST(SmtpTransportTest, TemporaryFailureThenSuccess) {
  SmtpSink sink({"--fail-data", "1"});
  ASSERT_TRUE(sink.wait_ready());
  const int before = sink.connections();
  SmtpTransport transport(settings_for(sink.port()));
  const std::string mime = sample_mime("Retry me");

  const SendOutcome first = transport.send("a@example.com", "b@example.org", "id", mime);
  EXPECT_EQ(first.status, Status::kTemporary);
  EXPECT_EQ(first.smtp_code, 451);
  EXPECT_NE(first.reply.find("try again later"), std::string::npos) << first.reply;
  EXPECT_FALSE(sink.message(1).has_value());

  const SendOutcome second = transport.send("a@example.com", "b@example.org", "id", mime);
  EXPECT_EQ(second.status, Status::kSent) << second.reply;
  EXPECT_EQ(second.smtp_code, 250);
  ASSERT_TRUE(sink.message(1).has_value());
  EXPECT_EQ(sink.message(1)->data, mime);
  // A refused DATA leaves the session usable: curl keeps the connection.
  EXPECT_EQ(sink.connections() - before, 1);
}

TEST(SmtpTransportTest, RejectedRecipientIsPermanent) {
  SmtpSink sink({"--reject-rcpt"});
  ASSERT_TRUE(sink.wait_ready());
  const int before = sink.connections();
  SmtpTransport transport(settings_for(sink.port()));
  const SendOutcome outcome =
      transport.send("a@example.com", "nobody@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kPermanent);
  EXPECT_EQ(outcome.smtp_code, 550);
  EXPECT_NE(outcome.reply.find("550 5.1.1 no such user"), std::string::npos) << outcome.reply;

  // The session stays usable for the next recipient.
  const SendOutcome again =
      transport.send("a@example.com", "other@example.org", "id", sample_mime("x"));
  EXPECT_EQ(again.status, Status::kPermanent);
  EXPECT_EQ(again.smtp_code, 550);
  EXPECT_NE(again.reply.find("550 5.1.1 no such user"), std::string::npos) << again.reply;
  // After a refused RCPT curl sends QUIT and drops the connection, so each
  // rejected recipient costs a new connection.
  EXPECT_EQ(sink.connections() - before, 2);
}

TEST(SmtpTransportTest, NothingListeningIsTemporary) {
  SmtpSettings settings = settings_for(unused_port());
  SmtpTransport transport(settings);
  const SendOutcome outcome = transport.send("a@example.com", "b@example.org", "id", "x\r\n");
  EXPECT_EQ(outcome.status, Status::kTemporary);
  EXPECT_EQ(outcome.smtp_code, 0);
  EXPECT_EQ(outcome.reply, unreachable_answer(settings.port));
}

// "test" must not tell a closed port from another service: both get the same
// answer, without the service's banner.
TEST(SmtpTransportTest, NonSmtpServiceGetsTheSameAnswerAsAClosedPort) {
  BannerServer ssh("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n");
  SmtpSettings settings = settings_for(ssh.port());
  settings.total_timeout = std::chrono::seconds(2);
  SmtpTransport transport(settings);
  const SendOutcome outcome = transport.send("a@example.com", "b@example.org", "id", "x\r\n");
  EXPECT_EQ(ssh.connections(), 1);
  EXPECT_EQ(outcome.status, Status::kTemporary);
  EXPECT_EQ(outcome.smtp_code, 0);
  EXPECT_EQ(outcome.reply, unreachable_answer(ssh.port()));
  EXPECT_EQ(outcome.reply.find("SSH"), std::string::npos);
}

TEST(SmtpTransportTest, LoopbackIsRefusedAtConnectWithoutTheAllowList) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  const int before = sink.connections();
  for (const char* host : {"127.0.0.1", "localhost", "2130706433"}) {
    SmtpSettings settings = settings_for(sink.port());
    settings.host = host;
    settings.outbound = OutboundPolicy();
    const SendOutcome outcome =
        SmtpTransport(settings).send("a@example.com", "b@example.org", "id", sample_mime("x"));
    EXPECT_EQ(outcome.status, Status::kPermanent) << host;
    EXPECT_NE(outcome.reply.find("refused to connect to"), std::string::npos) << outcome.reply;
  }
  EXPECT_EQ(sink.connections(), before);
  EXPECT_FALSE(sink.message(1).has_value());
}

TEST(SmtpTransportTest, ServerGoneAfterASendIsTemporaryAndRecovers) {
  int port = 0;
  std::optional<SmtpTransport> transport;
  {
    SmtpSink sink({});
    ASSERT_TRUE(sink.wait_ready());
    port = sink.port();
    transport.emplace(settings_for(port));
    ASSERT_EQ(transport->send("a@example.com", "b@example.org", "id", sample_mime("x")).status,
              Status::kSent);
  }  // the server dies with the connection still cached
  const SendOutcome outcome = transport->send("a@example.com", "b@example.org", "id", "x\r\n");
  EXPECT_EQ(outcome.status, Status::kTemporary) << outcome.reply;
  EXPECT_EQ(outcome.smtp_code, 0);
}

TEST(SmtpTransportTest, ConnectionClosedByTheServerWhileIdleIsReopened) {
  SmtpSink sink({"--idle-timeout", "0.3"});
  ASSERT_TRUE(sink.wait_ready());
  ASSERT_TRUE(sink.wait_closed(1));  // the readiness probe
  const int before = sink.connections();
  SmtpTransport transport(settings_for(sink.port()));
  ASSERT_EQ(transport.send("a@example.com", "b@example.org", "id", sample_mime("1")).status,
            Status::kSent);
  ASSERT_TRUE(sink.wait_closed(2));  // the relay hung up on the idle connection
  const std::string mime = sample_mime("2");
  const SendOutcome outcome = transport.send("a@example.com", "b@example.org", "id", mime);
  EXPECT_EQ(outcome.status, Status::kSent) << outcome.reply;
  ASSERT_TRUE(sink.message(2).has_value());
  EXPECT_EQ(sink.message(2)->data, mime);
  EXPECT_EQ(sink.connections() - before, 2);
}

TEST(SmtpTransportTest, StartTlsRequiredButNotOfferedIsPermanent) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  SmtpSettings settings = settings_for(sink.port());
  settings.tls = TlsMode::kStartTls;
  SmtpTransport transport(settings);
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kPermanent) << outcome.reply;
  EXPECT_FALSE(sink.message(1).has_value());
}

// No SMTP reply came through the TLS layer: the generic answer, like any
// other port that does not speak SMTP.
TEST(SmtpTransportTest, ImplicitTlsAgainstAPlainServerGetsTheGenericAnswer) {
  SmtpSink sink({});
  ASSERT_TRUE(sink.wait_ready());
  SmtpSettings settings = settings_for(sink.port());
  settings.tls = TlsMode::kTls;
  settings.total_timeout = std::chrono::seconds(10);
  SmtpTransport transport(settings);
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kTemporary) << outcome.reply;
  EXPECT_EQ(outcome.reply, unreachable_answer(sink.port()));
  EXPECT_FALSE(sink.message(1).has_value());
}

constexpr const char* kPassword = "S3cr3t-Passw0rd!";

// aiosmtpd offers AUTH on a plain connection only when told to
// (auth_require_tls=False); libcurl then authenticates without TLS: it does
// not refuse cleartext AUTH, so TlsMode::kNone with a password sends the
// password unencrypted. Profiles with a password should use STARTTLS or TLS.
TEST(SmtpTransportTest, AuthWithTheRightPasswordIsAccepted) {
  SmtpSink sink({"--auth", std::string("mailer:") + kPassword});
  ASSERT_TRUE(sink.wait_ready());
  SmtpSettings settings = settings_for(sink.port());
  settings.username = "mailer";
  settings.password = kPassword;
  SmtpTransport transport(settings);
  const std::string mime = sample_mime("Authenticated");
  for (int i = 1; i <= 2; ++i) {
    const SendOutcome outcome = transport.send("a@example.com", "b@example.org", "id", mime);
    EXPECT_EQ(outcome.status, Status::kSent) << outcome.reply;
    ASSERT_TRUE(sink.message(i).has_value());
    EXPECT_EQ(sink.message(i)->data, mime);
  }
}

TEST(SmtpTransportTest, AuthRequiredWithoutCredentialsIsPermanent) {
  SmtpSink sink({"--auth", std::string("mailer:") + kPassword});
  ASSERT_TRUE(sink.wait_ready());
  SmtpTransport transport(settings_for(sink.port()));
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kPermanent);
  EXPECT_EQ(outcome.smtp_code, 530);
  EXPECT_FALSE(sink.message(1).has_value());
}

TEST(SmtpTransportTest, WrongPasswordIsPermanentAndNeverInTheReply) {
  SmtpSink sink({"--auth", "mailer:the-right-one"});
  ASSERT_TRUE(sink.wait_ready());
  SmtpSettings settings = settings_for(sink.port());
  settings.username = "mailer";
  settings.password = kPassword;
  SmtpTransport transport(settings);
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kPermanent);
  EXPECT_EQ(outcome.smtp_code, 535);
  EXPECT_NE(outcome.reply.find("535"), std::string::npos) << outcome.reply;
  EXPECT_EQ(outcome.reply.find(kPassword), std::string::npos) << outcome.reply;
  EXPECT_FALSE(sink.message(1).has_value());
}

TEST(SmtpTransportTest, PasswordEchoedByTheServerIsRedacted) {
  SmtpSink sink({"--auth", "mailer:the-right-one", "--echo-auth-failure"});
  ASSERT_TRUE(sink.wait_ready());
  SmtpSettings settings = settings_for(sink.port());
  settings.username = "mailer";
  settings.password = kPassword;
  SmtpTransport transport(settings);
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.org", "id", sample_mime("x"));
  EXPECT_EQ(outcome.status, Status::kPermanent);
  EXPECT_EQ(outcome.smtp_code, 535);
  EXPECT_NE(outcome.reply.find("bad password"), std::string::npos) << outcome.reply;
  EXPECT_EQ(outcome.reply.find(kPassword), std::string::npos) << outcome.reply;
}

TEST(SmtpTransportTest, BadSettingsAreRejectedWithoutNetwork) {
  SmtpSettings no_host = settings_for(25);
  no_host.host.clear();
  EXPECT_EQ(SmtpTransport(no_host).send("a@x", "b@y", "id", "x").status, Status::kPermanent);

  SmtpSettings bad_port = settings_for(0);
  EXPECT_EQ(SmtpTransport(bad_port).send("a@x", "b@y", "id", "x").status, Status::kPermanent);

  SmtpTransport transport(settings_for(unused_port()));
  EXPECT_EQ(transport.send("a@x\r\nRCPT TO:<c@z>", "b@y", "id", "x").status, Status::kPermanent);
  EXPECT_EQ(transport.send("a@x", "<b@y>", "id", "x").status, Status::kPermanent);
  EXPECT_EQ(transport.send("a@x", "", "id", "x").status, Status::kPermanent);
}

}  // namespace
}  // namespace phishdrill
