// The installation's key check (service/installation_key.h): recorded by the
// first start, accepted for the same key on any node, refused for another.
#include "service/installation_key.h"

#include <gtest/gtest.h>

#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

using InstallationKeyTest = testing_support::StoreConformance;

TEST_P(InstallationKeyTest, TheFirstKeyIsTheInstallationsAndNoOtherIsAccepted) {
  ASSERT_TRUE(check_installation_key(*store_, key_).has_value());
  ASSERT_TRUE(check_installation_key(*store_, key_).has_value());  // every restart
  auto other_node = backend().open(dir_, key_);
  ASSERT_TRUE(other_node.has_value()) << other_node.error().message;
  EXPECT_TRUE(check_installation_key(**other_node, key_).has_value());
  SecretKey another{};
  another.fill(43);
  const auto refused = check_installation_key(**other_node, another);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
  EXPECT_NE(refused.error().message.find("secret.key"), std::string::npos);
  EXPECT_TRUE(check_installation_key(*store_, key_).has_value());  // the record is unchanged
}

INSTANTIATE_TEST_SUITE_P(Backends, InstallationKeyTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
