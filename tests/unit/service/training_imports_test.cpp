// Training imports across nodes (service/training_imports.h): two catalogues
// on their own folders (two nodes' disks) sharing one store. An import on
// one node is installed on the other by its sync, a node whose disk is empty
// installs everything at start, imports from before they were stored are
// published, and the version rule holds throughout.
#include "service/training_imports.h"

#include <gtest/gtest.h>

#include <fstream>

#include "service/training_admin.h"
#include "support/fakes.h"
#include "support/store_fixture.h"
#include "support/test_campaign.h"
#include "support/test_module.h"
#include "training/folder_tar.h"

namespace phishdrill {
namespace {

constexpr std::int64_t kNow = 1796083200;

class TrainingImportsTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    node_a_ = testing_support::make_test_catalogue(dir_ / "node-a");
    node_b_ = testing_support::make_test_catalogue(dir_ / "node-b");
    write([&](Repositories& repos) {
      ws_ = testing_support::make_test_workspace(repos, {"ann@corp.example"}, kNow)
                .audience.workspace_id;
    });
    admin_ = {ws_, 1, Role::kAdmin, {"user", 1, "admin@corp.example"}, "192.0.2.1"};
  }

  // A module folder "<slug>" at `version`, packed as a tar archive.
  std::string module_archive(const std::string& slug, int version) {
    const auto folder = dir_ / ("source-" + std::to_string(++made_)) / slug;
    std::filesystem::create_directories(folder);
    std::ofstream(folder / "module.toml")
        << "slug = \"" << slug << "\"\ntitle = \"" << slug << " v" << version
        << "\"\nsummary = \"S.\"\nminutes = 4\nversion = " << version
        << "\npass_mark = 80\nlessons = [\"01-one.md\"]\n";
    std::ofstream(folder / "01-one.md") << "# One\n\nLook at the sender.\n";
    std::ofstream(folder / "quiz.toml")
        << "[[questions]]\nid = \"q\"\ntext = \"Who?\"\nchoices = [\"a\", \"b\"]\n"
           "answers = [1]\nexplanation = \"B.\"\n";
    auto archive = tar_folder(folder, 1 << 20);
    EXPECT_TRUE(archive.has_value()) << archive.error().message;
    return archive.value_or("");
  }

  int version_on(TrainingCatalogue& node, const std::string& slug) {
    const auto m = node.find(ws_, slug);
    return m ? m->version : 0;
  }

  std::shared_ptr<TrainingCatalogue> node_a_, node_b_;
  std::int64_t ws_ = 0;
  service::Caller admin_;
  int made_ = 0;
};

TEST_F(TrainingImportsTest, AnImportOnOneNodeIsInstalledOnTheOther) {
  const auto imported = service::import_training_module(*store_, *node_a_, admin_,
                                                        module_archive("our-module", 1), kNow);
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(version_on(*node_b_, "our-module"), 0);
  const auto installed = service::sync_training_imports(*store_, *node_b_);
  ASSERT_TRUE(installed.has_value()) << installed.error().message;
  EXPECT_EQ(*installed, 1);
  EXPECT_EQ(version_on(*node_b_, "our-module"), 1);
  // Nothing new: nothing to do, on either node.
  EXPECT_EQ(service::sync_training_imports(*store_, *node_b_).value_or(-1), 0);
  EXPECT_EQ(service::sync_training_imports(*store_, *node_a_).value_or(-1), 0);

  // A newer version from node B replaces the row and reaches node A.
  ASSERT_TRUE(service::import_training_module(*store_, *node_b_, admin_,
                                              module_archive("our-module", 2), kNow)
                  .has_value());
  EXPECT_EQ(service::sync_training_imports(*store_, *node_a_).value_or(-1), 1);
  EXPECT_EQ(version_on(*node_a_, "our-module"), 2);
  read([&](Repositories& repos) {
    const auto rows = repos.training_imports.training_imports();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].version, 2);
    EXPECT_EQ(rows[0].workspace_id, ws_);
  });
  // Only the workspace that imported it sees it, on every node.
  EXPECT_EQ(node_b_->find(ws_ + 1000, "our-module"), nullptr);
}

TEST_F(TrainingImportsTest, ANodeStartingOnAnEmptyDiskInstallsEveryImport) {
  ASSERT_TRUE(service::import_training_module(*store_, *node_a_, admin_,
                                              module_archive("first-module", 1), kNow)
                  .has_value());
  ASSERT_TRUE(service::import_training_module(*store_, *node_a_, admin_,
                                              module_archive("second-module", 3), kNow)
                  .has_value());
  const auto fresh = testing_support::make_test_catalogue(dir_ / "node-c");
  const testing_support::FakeClock clock(kNow);
  service::TrainingImportSync sync(*store_, *fresh, clock);
  sync.start();
  EXPECT_EQ(version_on(*fresh, "first-module"), 1);
  EXPECT_EQ(version_on(*fresh, "second-module"), 3);
}

TEST_F(TrainingImportsTest, ImportsMadeBeforeTheyWereStoredArePublished) {
  // An import straight into node A's catalogue, as before this store existed.
  ASSERT_TRUE(node_a_->import_tar(ws_, module_archive("older-module", 2)).has_value());
  const auto published = service::publish_local_training_imports(*store_, *node_a_, kNow);
  ASSERT_TRUE(published.has_value()) << published.error().message;
  EXPECT_EQ(*published, 1);
  EXPECT_EQ(service::publish_local_training_imports(*store_, *node_a_, kNow).value_or(-1), 0);
  EXPECT_EQ(service::sync_training_imports(*store_, *node_b_).value_or(-1), 1);
  EXPECT_EQ(version_on(*node_b_, "older-module"), 2);
}

TEST_F(TrainingImportsTest, AStoredImportThisNodeRefusesIsSkipped) {
  write([&](Repositories& repos) {
    repos.training_imports.put_training_import({0, ws_, "broken", 1, kNow}, "not a tar");
  });
  ASSERT_TRUE(service::import_training_module(*store_, *node_a_, admin_,
                                              module_archive("fine-module", 1), kNow)
                  .has_value());
  EXPECT_EQ(service::sync_training_imports(*store_, *node_b_).value_or(-1), 1);
  EXPECT_EQ(version_on(*node_b_, "fine-module"), 1);
  EXPECT_EQ(version_on(*node_b_, "broken"), 0);
}

TEST_F(TrainingImportsTest, TheSyncRunsWhenTheTopicMoves) {
  const testing_support::FakeClock clock(kNow);
  service::TrainingImportSync sync(*store_, *node_b_, clock);
  sync.start();
  ASSERT_TRUE(service::import_training_module(*store_, *node_a_, admin_,
                                              module_archive("late-module", 1), kNow)
                  .has_value());
  sync.run_if_changed();  // the import's notice moved the generation
  EXPECT_EQ(version_on(*node_b_, "late-module"), 1);
}

}  // namespace
}  // namespace phishdrill
