// People's other addresses (service/reporting/target_aliases.h) on every
// store backend: replacing them normalises, merges and drops the person's
// own address, refuses invalid or too many addresses and someone else's
// address (changing nothing), audits the change, and treats another
// workspace's person as unknown.
#include "service/reporting/target_aliases.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "service/reporting/reporting_fixture.h"

namespace phishdrill::service {
namespace {

using Addresses = std::vector<std::string>;

class TargetAliasesTest : public testing_support::ReportingFixture {
 protected:
  Addresses aliases_of(std::int64_t target_id) {
    auto found = target_aliases(*store_, ws_, target_id);
    EXPECT_TRUE(found.has_value()) << found.error().message;
    return found.value_or(Addresses{"<error>"});
  }
};

TEST_P(TargetAliasesTest, ReplacingNormalisesMergesAndDropsTheOwnAddress) {
  const auto ada = target_ids_[0];
  const auto replaced =
      replace_target_aliases(*store_, caller(), kNow, ada,
                             {" Ada.Private@Home.Example ", "ada.private@home.example",
                              "ADA@acme.example", "lovelace@old.example"});
  ASSERT_TRUE(replaced.has_value()) << replaced.error().message;
  const Addresses expected{"ada.private@home.example", "lovelace@old.example"};
  EXPECT_EQ(*replaced, expected);
  EXPECT_EQ(aliases_of(ada), expected);
  EXPECT_TRUE(aliases_of(target_ids_[1]).empty());
  const auto log = audit_log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].action, "target.aliases");
  EXPECT_EQ(log[0].resource_id, ada);
  EXPECT_NE(log[0].details_json.find("lovelace@old.example"), std::string::npos);

  // Replacing means replacing: an empty list removes them all.
  ASSERT_TRUE(replace_target_aliases(*store_, caller(), kNow, ada, {}));
  EXPECT_TRUE(aliases_of(ada).empty());
}

TEST_P(TargetAliasesTest, InvalidOrTooManyAddressesAreRefused) {
  const auto ada = target_ids_[0];
  ASSERT_TRUE(replace_target_aliases(*store_, caller(), kNow, ada, {"keep@home.example"}));
  Addresses too_many;
  for (int i = 0; i < 21; ++i) too_many.push_back("a" + std::to_string(i) + "@home.example");
  for (const auto& bad : {Addresses{"not-an-address"}, Addresses{"a@home.example", "x@"},
                          Addresses{"bad\xff@home.example"}, too_many}) {
    const auto refused = replace_target_aliases(*store_, caller(), kNow, ada, bad);
    ASSERT_FALSE(refused.has_value()) << bad.front();
    EXPECT_EQ(refused.error().code, ErrorCode::kValidation);
    EXPECT_EQ(refused.error().field, "aliases");
  }
  too_many.pop_back();  // 20 is allowed
  EXPECT_TRUE(replace_target_aliases(*store_, caller(), kNow, ada, too_many).has_value());
  EXPECT_EQ(aliases_of(ada).size(), 20u);
}

TEST_P(TargetAliasesTest, SomeoneElsesAddressIsAConflictAndChangesNothing) {
  const auto ada = target_ids_[0];
  const auto bob = target_ids_[1];
  ASSERT_TRUE(replace_target_aliases(*store_, caller(), kNow, ada, {"ada.private@home.example"}));
  ASSERT_TRUE(replace_target_aliases(*store_, caller(), kNow, bob, {"bob.private@home.example"}));
  // Bob's own address, and Bob's alias.
  for (const auto& taken : {std::string(kBob), std::string("bob.private@home.example")}) {
    const auto refused =
        replace_target_aliases(*store_, caller(), kNow, ada, {"ada.new@home.example", taken});
    ASSERT_FALSE(refused.has_value()) << taken;
    EXPECT_EQ(refused.error().code, ErrorCode::kConflict) << taken;
    EXPECT_EQ(refused.error().field, "aliases");
  }
  EXPECT_EQ(aliases_of(ada), Addresses{"ada.private@home.example"});
  EXPECT_EQ(aliases_of(bob), Addresses{"bob.private@home.example"});
  EXPECT_EQ(audit_actions().size(), 2u);
}

TEST_P(TargetAliasesTest, AnotherWorkspacesPersonIsUnknown) {
  std::int64_t theirs = 0;
  write([&](Repositories& repos) {
    theirs =
        repos.groups.upsert_targets(other_ws_, {person("eve@globex.example", "Eve", "G")}, kNow)
            .target_ids.front();
  });
  for (const std::int64_t id : {theirs, theirs + 1000}) {
    EXPECT_EQ(target_aliases(*store_, ws_, id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(
        replace_target_aliases(*store_, caller(), kNow, id, {"eve@home.example"}).error().code,
        ErrorCode::kNotFound);
  }
  read([&](Repositories& repos) {
    EXPECT_TRUE(repos.reporters.aliases(other_ws_, theirs).empty());
  });
  EXPECT_TRUE(audit_actions().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, TargetAliasesTest,
                         ::testing::ValuesIn(testing_support::store_backends()),
                         testing_support::backend_name);

}  // namespace
}  // namespace phishdrill::service
