// A training catalogue for service and handler tests: one shipped module,
// "spot-the-phish" (version 3, two lessons, two questions, pass mark 80 so
// both must be right), written to a folder the caller owns and removes, and
// loaded. kRightAnswers passes its quiz, kHalfRight fails it. And a second
// workspace beside test_campaign.h's "Acme", for the tests that another
// workspace's things stay out of reach.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "store/store.h"
#include "support/test_campaign.h"
#include "training/catalogue.h"

namespace phishdrill::testing_support {

inline constexpr const char* kTestModule = "spot-the-phish";

inline const std::map<std::string, std::set<int>> kRightAnswers = {{"sender", {1}},
                                                                   {"link", {0, 2}}};
inline const std::map<std::string, std::set<int>> kHalfRight = {{"sender", {1}}, {"link", {0}}};

inline std::shared_ptr<TrainingCatalogue> make_test_catalogue(const std::filesystem::path& dir) {
  const auto folder = dir / "shipped" / kTestModule;
  std::filesystem::create_directories(folder);
  const std::map<std::string, std::string> files = {
      {"module.toml",
       "slug = \"spot-the-phish\"\ntitle = \"Spot the phish\"\nsummary = \"S.\"\nminutes = 4\n"
       "version = 3\npass_mark = 80\nlessons = [\"01-one.md\", \"02-two.md\"]\n"},
      {"01-one.md", "# One\n\nLook at the sender.\n"},
      {"02-two.md", "# Two\n\nHover over links.\n"},
      {"quiz.toml",
       "[[questions]]\nid = \"sender\"\ntext = \"Who?\"\nchoices = [\"boss\", \"stranger\"]\n"
       "answers = [1]\nexplanation = \"Strangers.\"\n\n"
       "[[questions]]\nid = \"link\"\ntext = \"Which?\"\nchoices = [\"a\", \"b\", \"c\"]\n"
       "answers = [0, 2]\nexplanation = \"A and C.\"\n"},
  };
  for (const auto& [name, text] : files) std::ofstream(folder / name, std::ios::binary) << text;
  auto catalogue = std::make_shared<TrainingCatalogue>(dir / "shipped", dir / "imported");
  const auto loaded = catalogue->load();
  EXPECT_TRUE(loaded.has_value()) << loaded.error().message;
  return catalogue;
}

// Workspace "Globex" with one person, in its group "Everyone" (no template).
inline TestAudience make_other_workspace(Repositories& repos, const std::string& email,
                                         std::int64_t now) {
  TestAudience audience;
  audience.workspace_id = repos.accounts.create_workspace("Globex", now).id;
  TargetFields person;
  person.email = email;
  audience.people = {person};
  audience.target_ids =
      repos.groups.upsert_targets(audience.workspace_id, audience.people, now).target_ids;
  const auto group = repos.groups.create_group(audience.workspace_id, "Everyone", now);
  EXPECT_TRUE(group.has_value());
  if (group) {
    audience.group_id = group->id;
    repos.groups.add_members(group->id, audience.target_ids);
  }
  return audience;
}

}  // namespace phishdrill::testing_support
