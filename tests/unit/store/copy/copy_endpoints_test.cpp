// The --from and --to of `phishdrill store copy`: what each accepts, and a
// clear error (never echoing a password) for what it does not.
#include "store/copy/copy_endpoints.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::store_copy {
namespace {

TEST(CopyEndpoints, FromTakesASqliteUrlOrAPlainPath) {
  EXPECT_EQ(sqlite_path_from("sqlite:/var/lib/phishdrill/phishdrill.db"),
            "/var/lib/phishdrill/phishdrill.db");
  EXPECT_EQ(sqlite_path_from("sqlite:///var/lib/phishdrill/phishdrill.db"),
            "/var/lib/phishdrill/phishdrill.db");
  EXPECT_EQ(sqlite_path_from("sqlite:data/phishdrill.db"), "data/phishdrill.db");
  EXPECT_EQ(sqlite_path_from("data/phishdrill.db"), "data/phishdrill.db");
}

TEST(CopyEndpoints, FromRefusesWhatIsNotASqliteFile) {
  for (const char* bad : {"", "sqlite:", "postgres://u:pw@db/x", "mysql://h/db"}) {
    const auto path = sqlite_path_from(bad);
    ASSERT_FALSE(path.has_value()) << bad;
    EXPECT_EQ(path.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(path.error().field, "from");
    EXPECT_NE(path.error().message.find("--from"), std::string::npos) << path.error().message;
  }
}

TEST(CopyEndpoints, ToTakesAPostgresUrlUnchanged) {
  const std::string url = "postgres://pd:s3cret@db.internal:5432/phishdrill?sslmode=verify-full";
  EXPECT_EQ(postgres_url_from(url), url);
  EXPECT_EQ(postgres_url_from("postgresql://db/phishdrill"), "postgresql://db/phishdrill");
}

TEST(CopyEndpoints, ToRefusesWhatIsNotAPostgresUrlWithoutEchoingIt) {
  for (const char* bad : {"", "postgres://", "sqlite:/x.db", "mysql://root:hunter2@h/db"}) {
    const auto url = postgres_url_from(bad);
    ASSERT_FALSE(url.has_value()) << bad;
    EXPECT_EQ(url.error().code, ErrorCode::kBadRequest);
    EXPECT_EQ(url.error().field, "to");
    EXPECT_NE(url.error().message.find("--to"), std::string::npos) << url.error().message;
    EXPECT_EQ(url.error().message.find("hunter2"), std::string::npos) << url.error().message;
  }
}

}  // namespace
}  // namespace phishdrill::store_copy
