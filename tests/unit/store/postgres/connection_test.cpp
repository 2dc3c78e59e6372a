// pg::Connection against a real PostgreSQL: typed rows, prepared statements
// kept per connection, SQLSTATEs mapped to Error codes, and no password in
// any message.
#include "store/postgres/connection.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>

#include "store/postgres/redact_url.h"
#include "support/postgres_test_store.h"

namespace phishdrill::pg {
namespace {

std::unique_ptr<Connection> connect(const std::string& url) {
  auto opened = Connection::open(url);
  EXPECT_TRUE(opened.has_value()) << opened.error().message;
  return opened ? std::move(*opened) : nullptr;
}

// `url` with its password replaced by `password` (the test URL has one).
std::string with_password(const std::string& url, const std::string& password) {
  const auto colon = url.find(':', url.find("://") + 3);
  const auto at = url.find('@');
  return url.substr(0, colon + 1) + password + url.substr(at);
}

TEST(PgConnection, ReadsTypedColumnsAndNulls) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  const auto rows = db->run("SELECT $1::bigint, $2::text, $3::boolean, NULL::bigint, $4::bigint",
                            std::int64_t{-9007199254740993}, std::string("naïve 'quoted'"), true,
                            std::optional<std::int64_t>());
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(rows.int64(0, 0), -9007199254740993);
  EXPECT_EQ(rows.text(0, 1), "naïve 'quoted'");
  EXPECT_TRUE(rows.boolean(0, 2));
  EXPECT_TRUE(rows.is_null(0, 3));
  EXPECT_EQ(rows.optional_int64(0, 3), std::nullopt);
  EXPECT_EQ(rows.optional_int64(0, 4), std::nullopt);
  EXPECT_THROW(rows.int64(0, 3), Failure);
  EXPECT_THROW(rows.int64(0, 1), Failure);
}

TEST(PgConnection, ParametersAreNeverSql) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  db->exec("CREATE TEMP TABLE notes (body TEXT NOT NULL)");
  const std::string hostile = "x'); DROP TABLE notes; --";
  db->run("INSERT INTO notes (body) VALUES ($1)", hostile);
  const auto rows = db->run("SELECT body FROM notes");
  ASSERT_EQ(rows.size(), 1);
  EXPECT_EQ(rows.text(0, 0), hostile);
}

TEST(PgConnection, PreparesEachStatementOncePerConnection) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(db->run("SELECT $1::int + 1", i).int64(0, 0), i + 1);
  db->run("SELECT $1::int * 2", 4);
  const auto prepared = db->run("SELECT statement FROM pg_prepared_statements ORDER BY name");
  ASSERT_EQ(prepared.size(), 3);  // the two above and this one
  EXPECT_EQ(prepared.text(0, 0), "SELECT $1::int + 1");
  EXPECT_EQ(prepared.text(1, 0), "SELECT $1::int * 2");
}

TEST(PgConnection, CountsTheRowsAStatementChanged) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  db->exec("CREATE TEMP TABLE n (v BIGINT); INSERT INTO n SELECT generate_series(1, 5)");
  EXPECT_EQ(db->run("DELETE FROM n WHERE v > $1", 2).affected(), 3);
  EXPECT_EQ(db->run("DELETE FROM n WHERE v > $1", 2).affected(), 0);
}

TEST(PgConnection, AUniqueViolationIsAConflict) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  db->exec("CREATE TEMP TABLE u (email TEXT UNIQUE)");
  db->run("INSERT INTO u VALUES ($1)", "a@x.example");
  try {
    db->run("INSERT INTO u VALUES ($1)", "a@x.example");
    FAIL() << "the duplicate was inserted";
  } catch (const Failure& failure) {
    EXPECT_TRUE(failure.is_unique_violation());
    EXPECT_EQ(to_error(failure).code, ErrorCode::kConflict);
  }
}

TEST(PgConnection, OtherErrorsAreInternalAndNameTheirSqlstate) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  ASSERT_NE(db, nullptr);
  try {
    db->run("SELECT 1 / $1::int", 0);
    FAIL() << "division by zero succeeded";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.sqlstate(), "22012");
    const Error error = to_error(failure);
    EXPECT_EQ(error.code, ErrorCode::kInternal);
    EXPECT_NE(error.message.find("22012"), std::string::npos) << error.message;
  }
}

TEST(PgConnection, AWrongPasswordIsUnavailableAndNeverEchoed) {
  PD_TEST_PG_URL_OR_SKIP(url);
  const std::string password = "wrong-Pa55word-for-test";
  const auto opened = Connection::open(with_password(url, password));
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message.find(password), std::string::npos) << opened.error().message;
  EXPECT_NE(opened.error().message.find(":***@"), std::string::npos) << opened.error().message;
}

TEST(PgConnection, AnUnreachableServerIsUnavailable) {
  const std::string password = "unreachable-Pa55word";
  const auto opened =
      Connection::open("postgres://app:" + password + "@127.0.0.1:1/pd?connect_timeout=2");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(opened.error().message.find(password), std::string::npos) << opened.error().message;
}

// A TCP listener on loopback that never answers: the kernel completes the
// handshake into its backlog, and the server's reply never comes.
class SilentListener {
 public:
  SilentListener() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof(address);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd_, 8) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      ADD_FAILURE() << "cannot listen on loopback";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(PgConnection, AServerThatNeverAnswersTimesOutWithoutATimeoutInTheUrl) {
  // Without the default connect_timeout this connect would wait forever.
  SilentListener silent;
  const auto opened =
      Connection::open("postgres://app:pw@127.0.0.1:" + std::to_string(silent.port()) + "/pd");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find("timeout"), std::string::npos) << opened.error().message;
}

// `url` with libpq parameters added.
std::string with_parameters(const std::string& url, const std::string& parameters) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + parameters;
}

TEST(PgConnection, TlsVerifiesTheServerAgainstTheGivenAuthority) {
  PD_TEST_PG_URL_OR_SKIP(url);
  const char* ca = std::getenv("PHISHDRILL_TEST_PG_CA");
  if (ca == nullptr) GTEST_SKIP() << "PHISHDRILL_TEST_PG_CA (set by scripts/test.sh) is unset";
  auto db = connect(with_parameters(url, std::string("sslmode=verify-full&sslrootcert=") + ca));
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").boolean(0, 0));
  // The system's authorities never signed the test cluster's certificate.
  const auto refused = Connection::open(
      with_parameters(url, "sslmode=verify-full&sslrootcert=/etc/ssl/certs/ca-certificates.crt"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("certificate"), std::string::npos)
      << refused.error().message;
  const auto password = url.substr(url.find(':', url.find("://") + 3) + 1,
                                   url.find('@') - url.find(':', url.find("://") + 3) - 1);
  EXPECT_EQ(refused.error().message.find(password), std::string::npos);
  auto plain = connect(with_parameters(url, "sslmode=disable"));
  ASSERT_NE(plain, nullptr);
  EXPECT_FALSE(
      plain->run("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").boolean(0, 0));
}

TEST(PgConnection, AMalformedUrlNeverEchoesItsPassword) {
  const std::string password = "malformed-Pa55word";
  const auto opened =
      Connection::open("postgres://app:" + password + "@127.0.0.1:1/pd?no_such_option=1");
  ASSERT_FALSE(opened.has_value());
  EXPECT_EQ(opened.error().message.find(password), std::string::npos) << opened.error().message;
}

TEST(PgConnection, AKilledSessionIsNoLongerHealthy) {
  PD_TEST_PG_URL_OR_SKIP(url);
  auto db = connect(url);
  auto other = connect(url);
  ASSERT_NE(db, nullptr);
  ASSERT_NE(other, nullptr);
  EXPECT_TRUE(db->healthy());
  other->run("SELECT pg_terminate_backend($1)", db->backend_pid());
  try {
    db->run("SELECT 1");
    FAIL() << "a terminated session answered";
  } catch (const Failure& failure) {
    EXPECT_EQ(to_error(failure).code, ErrorCode::kUnavailable) << failure.what();
  }
  EXPECT_FALSE(db->healthy());
}

}  // namespace
}  // namespace phishdrill::pg
