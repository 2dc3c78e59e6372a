#include "training/tar_reader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tar_builder.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;
using test::TarHeader;
using test::TarWriter;

// Archives written by the system's GNU tar in each of its formats.
class RealTarTest : public testing::Test {
 protected:
  void SetUp() override {
    if (std::system("tar --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no tar command";
    root_ =
        fs::temp_directory_path() / ("pd-tar-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "src" / "my-module" / "images");
    write("my-module/module.toml", "slug = \"my-module\"\n");
    write("my-module/images/" + long_name_, std::string(3000, 'x'));
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / "src" / name, std::ios::binary) << text;
  }
  std::string tar(const std::string& format, const std::string& what = "my-module") {
    const auto out = root_ / "out.tar";
    const std::string command = "tar --format=" + format + " -cf '" + out.string() + "' -C '" +
                                (root_ / "src").string() + "' " + what;
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(out, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  void expect_module(const std::vector<TarEntry>& entries, const std::string& prefix) {
    std::map<std::string, const TarEntry*> by_path;
    for (const auto& e : entries) by_path[e.path] = &e;
    ASSERT_TRUE(by_path.contains(prefix + "module.toml"));
    EXPECT_EQ(by_path[prefix + "module.toml"]->data, "slug = \"my-module\"\n");
    EXPECT_EQ(by_path[prefix + "module.toml"]->type, TarEntry::Type::kFile);
    ASSERT_TRUE(by_path.contains(prefix + "images/" + long_name_));
    EXPECT_EQ(by_path[prefix + "images/" + long_name_]->data, std::string(3000, 'x'));
    ASSERT_TRUE(by_path.contains(prefix + "images"));
    EXPECT_EQ(by_path[prefix + "images"]->type, TarEntry::Type::kDirectory);
  }

  // 150 characters: too long for the 100-byte name field in any layout.
  const std::string long_name_ = std::string(146, 'n') + ".png";
  fs::path root_;
};

TEST_F(RealTarTest, ReadsGnuLongNames) {
  auto entries = read_tar(tar("gnu"));
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  expect_module(*entries, "my-module/");
}

TEST_F(RealTarTest, ReadsPaxPathRecords) {
  auto entries = read_tar(tar("pax"));
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  expect_module(*entries, "my-module/");
}

TEST_F(RealTarTest, ReadsUstarAndStripsTheLeadingDotSlash) {
  fs::remove(root_ / "src" / "my-module" / "images" / long_name_);  // ustar cannot hold it
  write("my-module/module.toml", "slug = \"my-module\"\n");
  auto entries = read_tar(tar("ustar", "-C my-module ."));
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  std::set<std::string> paths;
  for (const auto& e : *entries) paths.insert(e.path);
  EXPECT_EQ(paths, (std::set<std::string>{"images", "module.toml"}));
}

TEST(TarReader, ReadsFilesAndFoldersInOrder) {
  const auto archive = TarWriter()
                           .dir("m/")
                           .file("m/a.txt", "hello")
                           .file("m/b.txt", std::string(513, 'b'))
                           .finish();
  auto entries = read_tar(archive);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].path, "m");
  EXPECT_EQ((*entries)[0].type, TarEntry::Type::kDirectory);
  EXPECT_EQ((*entries)[1].path, "m/a.txt");
  EXPECT_EQ((*entries)[1].data, "hello");
  EXPECT_EQ((*entries)[2].data, std::string(513, 'b'));
}

TEST(TarReader, EmptyArchiveHasNoEntries) {
  auto entries = read_tar(std::string(1024, '\0'));
  ASSERT_TRUE(entries.has_value());
  EXPECT_TRUE(entries->empty());
}

TEST(TarReader, HonoursPrefixPaxAndGnuNames) {
  const auto archive = TarWriter()
                           .add(TarHeader("a.txt").with_data("1").with_prefix("m/deep"))
                           .pax({{"mtime", "1700000000.5"}}, 'g')
                           .pax({{"path", "m/from-pax.txt"}, {"uname", "someone"}})
                           .file("ignored-name", "2")
                           .gnu_long_name("m/from-gnu.txt")
                           .add(TarHeader("ignored").with_data("3").gnu())
                           .add(TarHeader("m/type-nul.txt").of_type('\0').with_data("4"))
                           .finish();
  auto entries = read_tar(archive);
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].path, "m/deep/a.txt");
  EXPECT_EQ((*entries)[1].path, "m/from-pax.txt");
  EXPECT_EQ((*entries)[1].data, "2");
  EXPECT_EQ((*entries)[2].path, "m/from-gnu.txt");
  EXPECT_EQ((*entries)[3].path, "m/type-nul.txt");
}

TEST(TarReader, PaxSizeOverridesTheHeader) {
  TarWriter writer;
  writer.pax({{"size", "600"}});
  writer.add(TarHeader("big.txt").with_data(std::string(600, 'z')).with_size(0));
  auto entries = read_tar(writer.finish());
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].data, std::string(600, 'z'));
}

TEST(TarReader, DropsTheRootEntryAndOneLeadingDotSlash) {
  auto entries = read_tar(TarWriter().dir("./").file("./module.toml", "x").finish());
  ASSERT_TRUE(entries.has_value()) << entries.error().message;
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].path, "module.toml");
  EXPECT_FALSE(read_tar(TarWriter().file("././module.toml", "x").finish()).has_value());
}

void expect_refused(const std::string& archive, const std::string& words) {
  auto entries = read_tar(archive);
  ASSERT_FALSE(entries.has_value());
  EXPECT_EQ(entries.error().code, ErrorCode::kValidation);
  EXPECT_NE(entries.error().message.find(words), std::string::npos) << entries.error().message;
}

TEST(TarReader, RefusesPathTraversal) {
  expect_refused(TarWriter().file("../x", "x").finish(), "\"..\"");
  expect_refused(TarWriter().file("m/../../x", "x").finish(), "\"..\"");
  expect_refused(TarWriter().file("m/./x", "x").finish(), "\"..\"");
  expect_refused(TarWriter().file("m//x", "x").finish(), "empty path component");
  expect_refused(TarWriter().file("m\\..\\x", "x").finish(), "backslashes");
  expect_refused(TarWriter().pax({{"path", "../x"}}).file("x", "x").finish(), "\"..\"");
  expect_refused(TarWriter().gnu_long_name("m/../../x").file("x", "x").finish(), "\"..\"");
  expect_refused(TarWriter().add(TarHeader("..").with_prefix("m")).finish(), "\"..\"");
}

TEST(TarReader, RefusesAbsolutePaths) {
  expect_refused(TarWriter().file("/etc/x", "x").finish(), "absolute");
  expect_refused(TarWriter().add(TarHeader("x").with_prefix("/etc")).finish(), "absolute");
  expect_refused(TarWriter().pax({{"path", "/etc/x"}}).file("x", "x").finish(), "absolute");
}

TEST(TarReader, RefusesLinksDevicesAndOtherTypes) {
  expect_refused(TarWriter().add(TarHeader("m/l").of_type('2').link_to("/etc/passwd")).finish(),
                 "links are not allowed");
  expect_refused(TarWriter().add(TarHeader("m/l").of_type('1').link_to("m/a")).finish(),
                 "links are not allowed");
  expect_refused(TarWriter().add(TarHeader("m/d").of_type('3')).finish(), "device");
  expect_refused(TarWriter().add(TarHeader("m/d").of_type('4')).finish(), "device");
  expect_refused(TarWriter().add(TarHeader("m/f").of_type('6')).finish(), "FIFO");
  expect_refused(TarWriter().add(TarHeader("m/s").of_type('S').gnu()).finish(),
                 "only regular files and directories");
}

TEST(TarReader, RefusesABadChecksum) {
  expect_refused(TarWriter().file("ok", "x").add(TarHeader("m/a").corrupt_checksum()).finish(),
                 "checksum");
}

TEST(TarReader, RefusesTruncatedArchives) {
  const auto whole = TarWriter().file("m/a", std::string(2000, 'a')).finish();
  expect_refused(whole.substr(0, 512 + 1000), "truncated");           // in the data
  expect_refused(whole.substr(0, 300), "truncated");                  // in the header
  expect_refused(whole.substr(0, whole.size() - 1024), "truncated");  // no end marker
  expect_refused(whole.substr(0, whole.size() - 512), "truncated");   // one zero block
  expect_refused(std::string(), "truncated");
  expect_refused(TarWriter().pax({{"path", "m/a"}}).bytes().substr(0, 700), "truncated");
}

TEST(TarReader, RefusesTooManyEntries) {
  TarWriter writer;
  for (int i = 0; i < 200; ++i) writer.file("m/f" + std::to_string(i), "x");
  auto at_limit = read_tar(writer.finish());
  ASSERT_TRUE(at_limit.has_value()) << at_limit.error().message;
  EXPECT_EQ(at_limit->size(), 200u);
  writer.dir("m/one-more");
  expect_refused(writer.finish(), "more than 200 entries");
}

TEST(TarReader, RefusesArchivesTooBigUnpacked) {
  // The size is refused from the header, before any data would be read.
  expect_refused(TarWriter().add(TarHeader("m/huge").with_size(21u << 20)).finish(),
                 "more than 20 MiB");
  expect_refused(TarWriter().add(TarHeader("m/huge").with_size(077777777777)).finish(),
                 "more than 20 MiB");
  const auto two = TarWriter().file("m/a", std::string(3000, 'a')).file("m/b", "bb").finish();
  EXPECT_TRUE(read_tar(two, {.max_entries = 10, .max_unpacked_bytes = 3002}).has_value());
  auto over = read_tar(two, {.max_entries = 10, .max_unpacked_bytes = 3001});
  ASSERT_FALSE(over.has_value());
  EXPECT_NE(over.error().message.find("m/b"), std::string::npos) << over.error().message;
}

TEST(TarReader, RefusesDuplicatesAndFilesUsedAsFolders) {
  expect_refused(TarWriter().file("m/a", "1").file("m/a", "2").finish(), "more than once");
  expect_refused(TarWriter().file("m/a", "1").dir("m/a/").finish(), "more than once");
  expect_refused(TarWriter().file("m/a/b", "1").file("m/a", "2").finish(), "more than once");
  expect_refused(TarWriter().file("m/a", "1").file("m/a/b", "2").finish(), "used as a folder");
}

TEST(TarReader, RefusesMalformedHeaders) {
  auto not_ustar = TarWriter().file("m/a", "1").finish();
  not_ustar.replace(257, 6, std::string(6, '\0'));
  expect_refused(not_ustar, "not a ustar header");
  expect_refused(TarWriter().add(TarHeader("x").of_type('x').with_data("99 path=x\n")).finish(),
                 "malformed pax");
  expect_refused(TarWriter().add(TarHeader("x").of_type('x').with_data("garbage")).finish(),
                 "malformed pax");
  expect_refused(TarWriter().pax({{"path", "m/a"}}).finish(), "without an entry");
  auto lone_zero = TarWriter().file("m/a", "1").bytes() + std::string(512, '\0') +
                   TarWriter().file("m/b", "2").finish();
  expect_refused(lone_zero, "lone zero block");
}

}  // namespace
}  // namespace phishdrill
