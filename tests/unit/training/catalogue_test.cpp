#include "training/catalogue.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "tar_builder.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using test::TarWriter;

constexpr std::int64_t kWorkspace = 7;
constexpr std::int64_t kOtherWorkspace = 8;

// The files of a minimal valid module, by name.
std::map<std::string, std::string> module_files(const std::string& slug, int version,
                                                const std::string& title = "Title") {
  return {
      {"module.toml",
       "slug = \"" + slug + "\"\ntitle = \"" + title +
           "\"\nsummary = \"S.\"\nminutes = 4\nversion = " + std::to_string(version) +
           "\npass_mark = 80\nlessons = [\"01-one.md\"]\n"},
      {"01-one.md", "# One\n\nText.\n"},
      {"quiz.toml",
       "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"no\"]\nanswers = [0]\n"
       "explanation = \"Because.\"\n"},
  };
}

// The module packed under a top-level folder (prefix "slug/") or at the root ("").
std::string module_tar(const std::map<std::string, std::string>& files, const std::string& prefix) {
  TarWriter writer;
  if (!prefix.empty()) writer.dir(prefix);
  for (const auto& [name, text] : files) writer.file(prefix + name, text);
  return writer.finish();
}

class CatalogueTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("pd-catalogue-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    shipped_ = root_ / "shipped";
    imported_ = root_ / "imported";
    own_ = imported_ / std::to_string(kWorkspace);
    fs::create_directories(shipped_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write_module(const fs::path& parent, const std::string& slug, int version,
                    const std::string& title = "Title") {
    fs::create_directories(parent / slug);
    for (const auto& [name, text] : module_files(slug, version, title)) {
      std::ofstream(parent / slug / name, std::ios::binary) << text;
    }
  }
  // What the workspace's imported folder holds, '.' entries included.
  std::vector<std::string> imported_entries() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(own_, ec)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_;
  fs::path shipped_;
  fs::path imported_;
  fs::path own_;  // kWorkspace's imports
};

TEST_F(CatalogueTest, LoadsShippedWithoutAnImportedFolder) {
  write_module(shipped_, "b-module", 1);
  write_module(shipped_, "a-module", 1);
  TrainingCatalogue catalogue(shipped_, imported_);
  EXPECT_TRUE(catalogue.modules(kWorkspace)->empty());  // nothing read before load()
  ASSERT_TRUE(catalogue.load().has_value());
  const auto modules = catalogue.modules(kWorkspace);
  ASSERT_EQ(modules->size(), 2u);
  EXPECT_EQ((*modules)[0].slug, "a-module");
  EXPECT_EQ((*modules)[1].slug, "b-module");
  EXPECT_EQ(catalogue.find(kWorkspace, "nope"), nullptr);
  EXPECT_FALSE(fs::exists(imported_));
}

TEST_F(CatalogueTest, MissingShippedFolderMeansNoShippedModules) {
  write_module(own_, "only-imported", 1);
  TrainingCatalogue catalogue(root_ / "no-such-folder", imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  ASSERT_EQ(catalogue.modules(kWorkspace)->size(), 1u);
  EXPECT_EQ(catalogue.modules(kWorkspace)->front().slug, "only-imported");
}

TEST_F(CatalogueTest, ImportedWinsOnlyWithAHigherVersion) {
  write_module(shipped_, "newer", 1, "Shipped newer");
  write_module(shipped_, "same", 2, "Shipped same");
  write_module(shipped_, "older", 3, "Shipped older");
  write_module(own_, "newer", 2, "Imported newer");
  write_module(own_, "same", 2, "Imported same");
  write_module(own_, "older", 1, "Imported older");
  write_module(own_, "extra", 1, "Imported extra");
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  std::vector<std::string> titles;
  for (const auto& m : *catalogue.modules(kWorkspace)) titles.push_back(m.slug + ": " + m.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"extra: Imported extra", "newer: Imported newer",
                                              "older: Shipped older", "same: Shipped same"}));
  EXPECT_EQ(catalogue.find(kWorkspace, "newer")->version, 2);
}

TEST_F(CatalogueTest, SkipsDotAndUnderscoreFolders) {
  write_module(shipped_, "real", 1);
  fs::create_directories(shipped_ / "_sources");
  std::ofstream(shipped_ / "_sources" / "mock.html") << "<p>source</p>";
  fs::create_directories(own_ / ".incoming-abc123" / "half-written");
  TrainingCatalogue catalogue(shipped_, imported_);
  auto loaded = catalogue.load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(catalogue.modules(kWorkspace)->size(), 1u);
}

TEST_F(CatalogueTest, AFailedLoadKeepsTheCatalogue) {
  write_module(shipped_, "good", 1);
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  std::ofstream(shipped_ / "good" / "quiz.toml") << "[[questions]\nbroken";
  auto reloaded = catalogue.load();
  ASSERT_FALSE(reloaded.has_value());
  EXPECT_NE(reloaded.error().message.find("quiz.toml"), std::string::npos);
  ASSERT_NE(catalogue.find(kWorkspace, "good"), nullptr);
}

TEST_F(CatalogueTest, ABrokenImportedModuleDoesNotHideTheShippedOnes) {
  write_module(shipped_, "shipped-one", 1);
  write_module(own_, "broken", 1);
  write_module(own_, "course", 4);
  std::ofstream(own_ / "broken" / "quiz.toml") << "[[questions]\nbroken";
  TrainingCatalogue catalogue(shipped_, imported_);
  auto loaded = catalogue.load();
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().message.find("broken/quiz.toml"), std::string::npos);
  ASSERT_EQ(catalogue.modules(kWorkspace)->size(), 1u);
  EXPECT_EQ(catalogue.modules(kWorkspace)->front().slug, "shipped-one");

  // The copy on disk still counts for the version rule...
  auto older = catalogue.import_tar(kWorkspace, module_tar(module_files("course", 2), "course/"));
  ASSERT_FALSE(older.has_value());
  EXPECT_EQ(older.error().code, ErrorCode::kConflict);
  EXPECT_NE(older.error().message.find("version 4"), std::string::npos);
  // ...and other imports go on.
  ASSERT_TRUE(catalogue.import_tar(kWorkspace, module_tar(module_files("new-one", 1), "new-one/")));
  EXPECT_NE(catalogue.find(kWorkspace, "new-one"), nullptr);
  EXPECT_NE(catalogue.find(kWorkspace, "shipped-one"), nullptr);
}

TEST_F(CatalogueTest, ImportsAModuleInATopLevelFolder) {
  write_module(shipped_, "shipped-one", 1);
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  auto imported =
      catalogue.import_tar(kWorkspace, module_tar(module_files("new-one", 1), "new-one/"));
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_EQ(imported->slug, "new-one");
  EXPECT_EQ(imported_entries(), (std::vector<std::string>{"new-one"}));  // temp folder gone
  EXPECT_TRUE(fs::exists(own_ / "new-one" / "quiz.toml"));
  ASSERT_NE(catalogue.find(kWorkspace, "new-one"), nullptr);
  EXPECT_EQ(catalogue.modules(kWorkspace)->size(), 2u);
  EXPECT_EQ(catalogue.modules(kWorkspace)->front().slug, "new-one");  // still sorted

  // A fresh catalogue finds it on disk.
  TrainingCatalogue again(shipped_, imported_);
  ASSERT_TRUE(again.load().has_value());
  EXPECT_NE(again.find(kWorkspace, "new-one"), nullptr);
}

TEST_F(CatalogueTest, ImportsAModuleWithItsFilesAtTheRoot) {
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  auto imported = catalogue.import_tar(kWorkspace, module_tar(module_files("flat", 1), "./"));
  ASSERT_TRUE(imported.has_value()) << imported.error().message;
  EXPECT_TRUE(fs::exists(own_ / "flat" / "module.toml"));
}

TEST_F(CatalogueTest, ImportBeforeLoadLoadsFirst) {
  write_module(shipped_, "taken", 3);
  TrainingCatalogue catalogue(shipped_, imported_);
  auto imported = catalogue.import_tar(kWorkspace, module_tar(module_files("taken", 3), "taken/"));
  ASSERT_FALSE(imported.has_value());
  EXPECT_EQ(imported.error().code, ErrorCode::kConflict);
  EXPECT_EQ(catalogue.modules(kWorkspace)->size(), 1u);
}

TEST_F(CatalogueTest, SameOrLowerVersionIsAConflict) {
  write_module(shipped_, "taken", 2);
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  for (int version : {1, 2}) {
    auto imported =
        catalogue.import_tar(kWorkspace, module_tar(module_files("taken", version), "taken/"));
    ASSERT_FALSE(imported.has_value());
    EXPECT_EQ(imported.error().code, ErrorCode::kConflict);
    EXPECT_EQ(imported.error().message,
              "module taken version 2 is already installed; raise `version` in module.toml to "
              "replace it");
  }
  EXPECT_TRUE(imported_entries().empty());
  EXPECT_EQ(catalogue.find(kWorkspace, "taken")->version, 2);
}

TEST_F(CatalogueTest, AHigherVersionReplacesShippedAndImportedCopies) {
  write_module(shipped_, "course", 1, "Shipped");
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());

  auto files = module_files("course", 2, "Imported v2");
  files["notes.txt"] = "only in v2";
  ASSERT_TRUE(catalogue.import_tar(kWorkspace, module_tar(files, "course/")).has_value());
  EXPECT_EQ(catalogue.find(kWorkspace, "course")->title, "Imported v2");
  EXPECT_TRUE(fs::exists(own_ / "course" / "notes.txt"));

  auto v3 = catalogue.import_tar(kWorkspace,
                                 module_tar(module_files("course", 3, "Imported v3"), "course/"));
  ASSERT_TRUE(v3.has_value()) << v3.error().message;
  EXPECT_EQ(catalogue.find(kWorkspace, "course")->title, "Imported v3");
  EXPECT_EQ(catalogue.modules(kWorkspace)->size(), 1u);
  EXPECT_FALSE(fs::exists(own_ / "course" / "notes.txt"));  // the old copy is gone
  EXPECT_EQ(imported_entries(), (std::vector<std::string>{"course"}));

  auto again = catalogue.import_tar(kWorkspace, module_tar(module_files("course", 3), "course/"));
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_F(CatalogueTest, AnInvalidModuleWritesNothing) {
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  auto files = module_files("broken", 1);
  files["quiz.toml"] =
      "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"no\"]\nanswers = [7]\n"
      "explanation = \"x\"\n";
  auto imported = catalogue.import_tar(kWorkspace, module_tar(files, "broken/"));
  ASSERT_FALSE(imported.has_value());
  EXPECT_EQ(imported.error().code, ErrorCode::kValidation);
  // Named as the importer knows it, not by the temporary folder.
  EXPECT_EQ(imported.error().message.rfind("broken/quiz.toml: ", 0), 0u)
      << imported.error().message;
  EXPECT_TRUE(imported_entries().empty());
  EXPECT_TRUE(catalogue.modules(kWorkspace)->empty());
}

TEST_F(CatalogueTest, UnsafeOrMisshapenArchivesAreRefused) {
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  const auto files = module_files("mod", 1);
  const auto refused = [&](const std::string& archive, const std::string& words) {
    auto imported = catalogue.import_tar(kWorkspace, archive);
    ASSERT_FALSE(imported.has_value());
    EXPECT_EQ(imported.error().code, ErrorCode::kValidation);
    EXPECT_NE(imported.error().message.find(words), std::string::npos) << imported.error().message;
  };

  TarWriter link;
  for (const auto& [name, text] : files) link.file("mod/" + name, text);
  link.add(test::TarHeader("mod/passwd.md").of_type('2').link_to("/etc/passwd"));
  refused(link.finish(), "links are not allowed");

  TarWriter traversal;
  for (const auto& [name, text] : files) traversal.file("mod/" + name, text);
  traversal.file("mod/../../escape.md", "x");
  refused(traversal.finish(), "\"..\"");

  refused(module_tar(files, "other-name/"), "must be named after the slug");
  refused(TarWriter().file("a/x", "1").file("b/module.toml", files.at("module.toml")).finish(),
          "module.toml must be at the root");
  refused(module_tar(module_files("Bad_Slug", 1), ""), "slug");
  refused(TarWriter().file("module.toml", "slug = [").finish(), "module.toml");
  refused("not a tar archive", "not a tar archive");
  EXPECT_TRUE(imported_entries().empty());
  EXPECT_FALSE(fs::exists(root_ / "escape.md"));
}

TEST_F(CatalogueTest, ASnapshotHeldByAReaderSurvivesAnImport) {
  write_module(shipped_, "course", 1, "Old");
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  const auto before = catalogue.modules(kWorkspace);
  const auto lesson_reader = catalogue.find(kWorkspace, "course");

  ASSERT_TRUE(
      catalogue.import_tar(kWorkspace, module_tar(module_files("course", 2, "New"), "course/"))
          .has_value());
  ASSERT_TRUE(
      catalogue.import_tar(kWorkspace, module_tar(module_files("added", 1, "Added"), "added/"))
          .has_value());

  EXPECT_EQ(before->size(), 1u);
  EXPECT_EQ(before->front().title, "Old");
  EXPECT_EQ(lesson_reader->title, "Old");
  EXPECT_EQ(lesson_reader->version, 1);
  EXPECT_EQ(catalogue.modules(kWorkspace)->size(), 2u);
  EXPECT_EQ(catalogue.find(kWorkspace, "course")->title, "New");
}

TEST_F(CatalogueTest, ReadersRunDuringImports) {
  write_module(shipped_, "course", 1);
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  std::atomic<bool> done = false;
  std::atomic<int> bad_reads = 0;
  std::thread reader([&] {
    int last_version = 0;
    while (!done) {
      const auto m = catalogue.find(kWorkspace, "course");
      if (m == nullptr || m->version < last_version) ++bad_reads;
      if (m != nullptr) last_version = m->version;
    }
  });
  for (int version = 2; version <= 10; ++version) {
    auto imported =
        catalogue.import_tar(kWorkspace, module_tar(module_files("course", version), "course/"));
    EXPECT_TRUE(imported.has_value()) << imported.error().message;
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad_reads, 0);
  EXPECT_EQ(catalogue.find(kWorkspace, "course")->version, 10);
  EXPECT_EQ(imported_entries(), (std::vector<std::string>{"course"}));
}

TEST_F(CatalogueTest, ImportsBelongToTheirWorkspace) {
  write_module(shipped_, "course", 1, "Shipped");
  TrainingCatalogue catalogue(shipped_, imported_);
  ASSERT_TRUE(catalogue.load().has_value());
  ASSERT_TRUE(catalogue.import_tar(kWorkspace, module_tar(module_files("course", 2, "Ours"), ""))
                  .has_value());
  ASSERT_TRUE(catalogue.import_tar(kWorkspace, module_tar(module_files("extra", 1, "Ours"), ""))
                  .has_value());

  const auto check = [](const TrainingCatalogue& c) {
    EXPECT_EQ(c.find(kWorkspace, "course")->title, "Ours");
    EXPECT_NE(c.find(kWorkspace, "extra"), nullptr);
    // Another workspace still has the shipped module and never sees the import.
    EXPECT_EQ(c.find(kOtherWorkspace, "course")->title, "Shipped");
    EXPECT_EQ(c.find(kOtherWorkspace, "extra"), nullptr);
    EXPECT_EQ(c.modules(kOtherWorkspace)->size(), 1u);
    EXPECT_EQ(c.modules(kWorkspace)->size(), 2u);
  };
  check(catalogue);
  EXPECT_TRUE(fs::exists(imported_ / "7" / "extra" / "module.toml"));

  // The other workspace may import its own module with the same slug.
  ASSERT_TRUE(
      catalogue.import_tar(kOtherWorkspace, module_tar(module_files("extra", 1, "Theirs"), ""))
          .has_value());
  EXPECT_EQ(catalogue.find(kOtherWorkspace, "extra")->title, "Theirs");
  EXPECT_EQ(catalogue.find(kWorkspace, "extra")->title, "Ours");

  TrainingCatalogue reloaded(shipped_, imported_);
  ASSERT_TRUE(reloaded.load().has_value());
  EXPECT_EQ(reloaded.find(kWorkspace, "course")->title, "Ours");
  EXPECT_EQ(reloaded.find(kOtherWorkspace, "course")->title, "Shipped");
  EXPECT_EQ(reloaded.find(kOtherWorkspace, "extra")->title, "Theirs");
}

TEST_F(CatalogueTest, ImportsFromBeforeWorkspacesGoToTheAdoptingWorkspace) {
  write_module(imported_, "legacy", 1, "Legacy");
  write_module(own_, "kept", 2, "Already owned");
  write_module(imported_, "kept", 1, "Legacy duplicate");
  TrainingCatalogue catalogue(shipped_, imported_);
  auto adopted = catalogue.adopt_unowned_imports(kWorkspace);
  ASSERT_TRUE(adopted.has_value()) << adopted.error().message;
  EXPECT_EQ(*adopted, (std::vector<std::string>{"legacy"}));
  EXPECT_TRUE(fs::exists(own_ / "legacy" / "module.toml"));
  EXPECT_FALSE(fs::exists(imported_ / "legacy"));
  ASSERT_TRUE(catalogue.load().has_value());
  EXPECT_EQ(catalogue.find(kWorkspace, "legacy")->title, "Legacy");
  EXPECT_EQ(catalogue.find(kWorkspace, "kept")->title, "Already owned");
  EXPECT_EQ(catalogue.find(kOtherWorkspace, "legacy"), nullptr);
}

}  // namespace
}  // namespace phishdrill
