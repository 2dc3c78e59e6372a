// Packs (library/simulation_pack.h): write_pack and read_pack agree, read_pack
// takes plain tar and tar.gz (what GNU tar makes, with or without a wrapping
// folder), and refuses, naming the entry, what is not a pack of simulation
// folders: files at the root or outside the format, folders not named by a
// slug, empty packs, too many simulations, big files, hostile entries and
// archives that unpack too big.
#include "library/simulation_pack.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "library/simulation_loader.h"
#include "library/simulation_writer.h"
#include "training/gzip.h"
#include "training/tar_builder.h"  // the test helper that writes any tar, hostile ones too
#include "training/tar_reader.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using test::TarHeader;
using test::TarWriter;

const fs::path kRoot = PHISHDRILL_SIMULATIONS_DIR;
constexpr std::int64_t kMtime = 1700000000;

// Shipped folders: one with an attachment, one with a landing page, one in Spanish.
const std::vector<std::string> kSlugs = {"html-remittance-advice", "mfa-push-approve-es",
                                         "shared-spreadsheet"};

std::vector<SimulationFiles> shipped_folders() {
  std::vector<SimulationFiles> out;
  for (const auto& slug : kSlugs) {
    auto folder = read_simulation_folder(kRoot / slug);
    EXPECT_TRUE(folder.has_value()) << folder.error().message;
    if (folder) out.push_back(std::move(*folder));
  }
  return out;
}

void expect_same_folders(const std::vector<SimulationFiles>& got,
                         const std::vector<SimulationFiles>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    SCOPED_TRACE(want[i].slug);
    EXPECT_EQ(got[i].slug, want[i].slug);
    EXPECT_TRUE(got[i] == want[i])
        << got[i].files.size() << " files, " << want[i].files.size() << " expected";
  }
}

void expect_refused(const Result<std::vector<SimulationFiles>>& read, std::string_view named) {
  ASSERT_FALSE(read.has_value()) << "read " << read->size() << " folders";
  EXPECT_EQ(read.error().code, ErrorCode::kValidation);
  EXPECT_NE(read.error().message.find(named), std::string::npos) << read.error().message;
}

// A minimal folder's worth of entries: what read_pack checks is names and sizes.
TarWriter& add_folder(TarWriter& tar, const std::string& prefix) {
  return tar.file(prefix + "simulation.toml", "slug = \"x\"\n")
      .file(prefix + "email.html", "<p>{{.URL}}</p>")
      .file(prefix + "email.txt", "{{.URL}}");
}

TEST(SimulationPack, WritePackThenReadPackGivesTheSameFolders) {
  const auto folders = shipped_folders();
  const std::string pack = write_pack(folders, kMtime);
  EXPECT_TRUE(is_gzip(pack));
  const auto read = read_pack(pack);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_folders(*read, folders);
}

TEST(SimulationPack, WritePackIsTheSameBytesForTheSameFolders) {
  const auto folders = shipped_folders();
  EXPECT_TRUE(write_pack(folders, kMtime) == write_pack(folders, kMtime));
}

TEST(SimulationPack, WritesSlugSlashFileEntries) {
  const auto folders = shipped_folders();
  const auto tar = gunzip(write_pack(folders, kMtime), 20u << 20);
  ASSERT_TRUE(tar.has_value()) << tar.error().message;
  const auto entries = read_tar(*tar);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  std::size_t files = 0;
  for (const auto& f : folders) files += f.files.size();
  ASSERT_EQ(entries->size(), files);
  for (const auto& entry : *entries) {
    SCOPED_TRACE(entry.path);
    EXPECT_EQ(entry.type, TarEntry::Type::kFile);
    const auto slash = entry.path.find('/');
    ASSERT_NE(slash, std::string::npos);
    EXPECT_NE(std::find(kSlugs.begin(), kSlugs.end(), entry.path.substr(0, slash)), kSlugs.end());
  }
}

TEST(SimulationPack, ReadPackOutputParsesAsTheShippedSimulations) {
  const auto read = read_pack(write_pack(shipped_folders(), kMtime));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), kSlugs.size());
  for (const auto& folder : *read) {
    SCOPED_TRACE(folder.slug);
    const auto parsed = parse_simulation(folder);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const auto loaded = load_simulation(kRoot / folder.slug);
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    EXPECT_EQ(parsed->slug, loaded->slug);
    EXPECT_EQ(parsed->attachments.size(), loaded->attachments.size());
    // The written files hold every field: equal files, equal simulations.
    EXPECT_TRUE(simulation_files(*parsed) == simulation_files(*loaded));
  }
}

TEST(SimulationPack, ReadsAPlainTar) {
  TarWriter tar;
  add_folder(tar, "a-one/");
  add_folder(tar, "b-two/").file("b-two/attachments/x.html", "<p>x</p>");
  const auto read = read_pack(tar.finish());
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].slug, "a-one");
  EXPECT_EQ((*read)[0].files.size(), 3u);
  EXPECT_EQ((*read)[1].slug, "b-two");
  ASSERT_NE((*read)[1].find("attachments/x.html"), nullptr);
  EXPECT_EQ(*(*read)[1].find("attachments/x.html"), "<p>x</p>");
  EXPECT_EQ(*(*read)[1].find("email.txt"), "{{.URL}}");
}

TEST(SimulationPack, ReadsATarGz) {
  TarWriter tar;
  add_folder(tar, "a-one/");
  const std::string plain = tar.finish();
  const auto from_plain = read_pack(plain);
  const auto from_gzip = read_pack(gzip(plain));
  ASSERT_TRUE(from_plain.has_value()) << from_plain.error().message;
  ASSERT_TRUE(from_gzip.has_value()) << from_gzip.error().message;
  expect_same_folders(*from_gzip, *from_plain);
}

TEST(SimulationPack, StripsASingleWrappingFolder) {
  TarWriter tar;
  tar.dir("my-pack/").dir("my-pack/a-one/");
  add_folder(tar, "my-pack/a-one/");
  add_folder(tar, "my-pack/b-two/");
  const auto read = read_pack(tar.finish());
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].slug, "a-one");
  EXPECT_EQ((*read)[1].slug, "b-two");
  EXPECT_NE((*read)[1].find("simulation.toml"), nullptr);
}

TEST(SimulationPack, StripsAWrappingFolderAroundOneSimulation) {
  TarWriter tar;
  add_folder(tar, "my-pack/a-one/");
  const auto read = read_pack(tar.finish());
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].slug, "a-one");
  EXPECT_EQ((*read)[0].files.size(), 3u);
}

TEST(SimulationPack, KeepsASingleSimulationFolderAtTheRoot) {
  TarWriter tar;
  tar.file("a-one/email.html", "<p>{{.URL}}</p>").file("a-one/simulation.toml", "slug = \"x\"\n");
  const auto read = read_pack(tar.finish());
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].slug, "a-one");
  EXPECT_NE((*read)[0].find("simulation.toml"), nullptr);
}

TEST(SimulationPack, FolderEntriesAreFine) {
  TarWriter tar;
  tar.dir("./").dir("a-one/").dir("a-one/attachments/");
  add_folder(tar, "./a-one/");
  tar.file("a-one/attachments/x.html", "<p>x</p>");
  const auto read = read_pack(tar.finish());
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].slug, "a-one");
  EXPECT_EQ((*read)[0].files.size(), 4u) << "folders are not files";
}

// Packs made by GNU tar from copies of shipped folders.
class SystemTarPackTest : public testing::Test {
 protected:
  void SetUp() override {
    if (std::system("tar --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no tar command";
    std::string pattern = (fs::temp_directory_path() / "pd_pack_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "my-pack");
    for (const auto& slug : kSlugs) {
      fs::copy(kRoot / slug, dir_ / "my-pack" / slug, fs::copy_options::recursive);
    }
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string tar(const std::string& options) {
    const fs::path out = dir_ / "pack";
    const std::string command = "tar -f '" + out.string() + "' " + options;
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(out, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  fs::path dir_;
};

TEST_F(SystemTarPackTest, ReadsTarCzfOfTheFoldersContents) {
  const std::string pack = tar("-cz -C '" + (dir_ / "my-pack").string() + "' .");
  ASSERT_TRUE(is_gzip(pack));
  const auto read = read_pack(pack);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_folders(*read, shipped_folders());
}

TEST_F(SystemTarPackTest, ReadsTarCzfOfTheWrappingFolder) {
  const auto read = read_pack(tar("-cz -C '" + dir_.string() + "' my-pack"));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_folders(*read, shipped_folders());
}

TEST_F(SystemTarPackTest, ReadsAPlainPaxTar) {
  const auto read = read_pack(tar("--format=pax -c -C '" + (dir_ / "my-pack").string() + "' ."));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_folders(*read, shipped_folders());
}

TEST(SimulationPackRefuses, FilesAtTheRoot) {
  TarWriter tar;
  tar.file("README.md", "my pack");
  add_folder(tar, "a-one/");
  expect_refused(read_pack(tar.finish()), "README.md");
  TarWriter after;
  add_folder(after, "a-one/").file("README.md", "my pack");
  expect_refused(read_pack(after.finish()), "README.md");
}

TEST(SimulationPackRefuses, FilesAtTheRootOfTheWrappingFolder) {
  TarWriter tar;
  add_folder(tar, "my-pack/a-one/").file("my-pack/README.md", "my pack");
  expect_refused(read_pack(tar.finish()), "README.md");
}

TEST(SimulationPackRefuses, AMisspelledFileInAFolder) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("a-one/email.htm", "<p>typo</p>");
  expect_refused(read_pack(tar.finish()), "a-one/email.htm");
}

TEST(SimulationPackRefuses, AFileInAnUnknownSubFolder) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("a-one/notes/x.txt", "mine");
  expect_refused(read_pack(tar.finish()), "a-one/notes/x.txt");
}

TEST(SimulationPackRefuses, AnUnknownSubFolderEntry) {
  TarWriter tar;
  add_folder(tar, "a-one/").dir("a-one/notes/");
  expect_refused(read_pack(tar.finish()), "a-one/notes");
}

TEST(SimulationPackRefuses, AnAttachmentWithoutASlugName) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("a-one/attachments/Bad Name.html", "<p>x</p>");
  expect_refused(read_pack(tar.finish()), "a-one/attachments/Bad Name.html");
}

TEST(SimulationPackRefuses, AFolderNotNamedBySlug) {
  TarWriter tar;
  add_folder(tar, "Fine One/");
  add_folder(tar, "b-two/");
  expect_refused(read_pack(tar.finish()), "Fine One");
  TarWriter alone;
  add_folder(alone, "Fine One/");
  expect_refused(read_pack(alone.finish()), "Fine One");
  TarWriter folder_only;
  folder_only.dir("Fine One/");
  add_folder(folder_only, "b-two/");
  expect_refused(read_pack(folder_only.finish()), "Fine One");
}

TEST(SimulationPackRefuses, AnEmptyArchive) {
  expect_refused(read_pack(""), "empty");
  const auto end_marker_only = read_pack(TarWriter().finish());
  ASSERT_FALSE(end_marker_only.has_value());
  EXPECT_EQ(end_marker_only.error().code, ErrorCode::kValidation);
  const auto empty_gzip = read_pack(gzip(""));
  ASSERT_FALSE(empty_gzip.has_value());
  EXPECT_EQ(empty_gzip.error().code, ErrorCode::kValidation);
}

TEST(SimulationPackRefuses, AnArchiveWithoutSimulationFolders) {
  expect_refused(read_pack(TarWriter().dir("my-pack/").finish()), "no simulation folders");
  expect_refused(read_pack(gzip(TarWriter().finish())), "no simulation folders");
}

TEST(SimulationPackRefuses, MoreThanFiveHundredSimulations) {
  TarWriter tar;
  for (std::size_t i = 0; i < kMaxPackSimulations; ++i) {
    tar.file("sim-" + std::to_string(i) + "/simulation.toml", "slug = \"x\"\n");
  }
  const auto at_limit = read_pack(tar.finish());
  ASSERT_TRUE(at_limit.has_value()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), kMaxPackSimulations);
  tar.file("one-more/simulation.toml", "slug = \"x\"\n");
  expect_refused(read_pack(tar.finish()), "more than 500 simulations");
}

TEST(SimulationPackRefuses, MoreThanTwoThousandEntries) {
  TarWriter tar;
  for (int i = 0; i < 667; ++i) add_folder(tar, "sim-" + std::to_string(i) + "/");
  tar.file("sim-0/landing.html", "<p>2,002nd</p>");
  const auto read = read_pack(tar.finish());
  ASSERT_FALSE(read.has_value());
  EXPECT_EQ(read.error().code, ErrorCode::kValidation);
}

TEST(SimulationPackRefuses, AFileOverTwoHundredFiftySixKiB) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("a-one/landing.html", std::string(kMaxSimulationFileBytes, 'x'));
  const auto at_limit = read_pack(tar.finish());
  ASSERT_TRUE(at_limit.has_value()) << at_limit.error().message;
  TarWriter over;
  add_folder(over, "a-one/")
      .file("a-one/landing.html", std::string(kMaxSimulationFileBytes + 1, 'x'));
  expect_refused(read_pack(over.finish()), "a-one/landing.html");
  expect_refused(read_pack(gzip(over.finish())), "a-one/landing.html");
}

TEST(SimulationPackRefuses, ASymbolicLink) {
  TarWriter tar;
  add_folder(tar, "a-one/")
      .add(TarHeader("a-one/landing.html").of_type('2').link_to("/etc/passwd"));
  expect_refused(read_pack(tar.finish()), "a-one/landing.html");
}

TEST(SimulationPackRefuses, AHardLink) {
  TarWriter tar;
  add_folder(tar, "a-one/")
      .add(TarHeader("a-one/landing.html").of_type('1').link_to("a-one/email.html"));
  expect_refused(read_pack(tar.finish()), "a-one/landing.html");
}

TEST(SimulationPackRefuses, ADevice) {
  TarWriter tar;
  add_folder(tar, "a-one/").add(TarHeader("a-one/landing.html").of_type('3'));
  expect_refused(read_pack(tar.finish()), "a-one/landing.html");
}

TEST(SimulationPackRefuses, APathClimbingOut) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("../x", "out");
  expect_refused(read_pack(tar.finish()), "../x");
  TarWriter inner;
  add_folder(inner, "a-one/").file("a-one/../../email.html", "out");
  expect_refused(read_pack(inner.finish()), "a-one/../../email.html");
}

TEST(SimulationPackRefuses, AnAbsolutePath) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("/etc/cron.d/x", "out");
  expect_refused(read_pack(tar.finish()), "/etc/cron.d/x");
  expect_refused(read_pack(gzip(tar.finish())), "/etc/cron.d/x");
}

TEST(SimulationPackRefuses, ATarGzUnpackingOverTwentyMiB) {
  TarWriter tar;
  add_folder(tar, "a-one/").file("a-one/landing.html", std::string(21u << 20, '\0'));
  const std::string pack = gzip(tar.finish());
  EXPECT_LT(pack.size(), 1u << 20) << "a small archive";
  expect_refused(read_pack(pack), "20 MiB");
}

TEST(SimulationPackRefuses, ATarGzOfManySmallFilesOverTwentyMiB) {
  // Every file under the per-file limit; together over the archive's.
  TarWriter tar;
  for (int i = 0; i < 90; ++i) {
    tar.file("sim-" + std::to_string(i) + "/landing.html",
             std::string(kMaxSimulationFileBytes - 512, static_cast<char>('a' + i % 26)));
  }
  expect_refused(read_pack(gzip(tar.finish())), "20 MiB");
}

}  // namespace
}  // namespace phishdrill
