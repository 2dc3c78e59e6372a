// Writing tar archives (training/tar_writer.h): read_tar reads back the same
// paths and bytes, long paths go into ustar's prefix or, when no split fits,
// a pax header; the same input gives the same bytes; GNU tar extracts it.
#include "training/tar_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "training/tar_reader.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kMtime = 1700000000;

TarEntry file(std::string path, std::string data) {
  return {std::move(path), TarEntry::Type::kFile, std::move(data)};
}

std::string binary_data(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 31 + 7) & 0xff);
  return out;
}

// Paths for each of the writer's layouts.
const std::string kSplitDir = "simulations/" + std::string(80, 'd');              // 92 chars
const std::string kSplitPath = kSplitDir + "/" + std::string(60, 'f') + ".html";  // 158 chars
const std::string kLongName = std::string(146, 'n') + ".png";                     // 150 chars
const std::string kPaxPath = "images/" + kLongName;                               // no split fits
const std::string kLongPrefix = std::string(155, 'p') + "/" + std::string(100, 'q');  // 256 chars
const std::string kTooLongForUstar = std::string(156, 'p') + "/" + std::string(100, 'q');

std::vector<TarEntry> sample_files() {
  return {file("module.toml", "slug = \"my-module\"\n"),
          file("lessons/01-intro.md", "# Intro\n\nCaf\xC3\xA9 \xF0\x9F\x8E\xA3\n"),
          file("empty.txt", ""),
          file("images/block.bin", binary_data(512)),
          file("images/odd.bin", binary_data(513)),
          file(std::string(100, 'x'), "a name filling the whole field"),
          file(kSplitPath, "split into prefix and name"),
          file(kPaxPath, binary_data(3000)),
          file(kLongPrefix, "prefix of 155, name of 100"),
          file(kTooLongForUstar, "one past what ustar holds"),
          file("r\xC3\xA9sum\xC3\xA9/\xC3\xB1"
               "and\xC3\xBA.txt",
               "non-ASCII names")};
}

void expect_same_entries(const std::vector<TarEntry>& read, const std::vector<TarEntry>& written) {
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t i = 0; i < read.size(); ++i) {
    SCOPED_TRACE(written[i].path);
    EXPECT_EQ(read[i].path, written[i].path);
    EXPECT_EQ(read[i].type, TarEntry::Type::kFile);
    EXPECT_TRUE(read[i].data == written[i].data) << read[i].data.size() << " bytes";
  }
}

TEST(TarWriter, ReadTarReadsBackTheSamePathsAndData) {
  const auto files = sample_files();
  const auto read = read_tar(write_tar(files, kMtime));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_entries(*read, files);
}

TEST(TarWriter, AnEmptyListIsJustTheEndMarker) {
  const std::string archive = write_tar({}, kMtime);
  EXPECT_EQ(archive, std::string(1024, '\0'));
  const auto read = read_tar(archive);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_TRUE(read->empty());
}

TEST(TarWriter, WritesWholeBlocksEndingInTwoZeroBlocks) {
  const std::string archive =
      write_tar({file("a.txt", "abc"), file("b.bin", binary_data(700))}, kMtime);
  // Header, 1 data block, header, 2 data blocks, end marker.
  EXPECT_EQ(archive.size(), 512u * (1 + 1 + 1 + 2 + 2));
  EXPECT_EQ(archive.substr(archive.size() - 1024), std::string(1024, '\0'));
}

TEST(TarWriter, HeaderIsUstarRegularFileModeOwnerAndMtime) {
  const std::string archive = write_tar({file("a.txt", "abc")}, kMtime);
  EXPECT_EQ(archive.substr(0, 6), std::string("a.txt\0", 6));
  EXPECT_EQ(archive.substr(100, 7), "0000644");
  EXPECT_EQ(archive.substr(108, 7), "0000000");
  EXPECT_EQ(archive.substr(116, 7), "0000000");
  EXPECT_EQ(archive.substr(124, 11), "00000000003");
  EXPECT_EQ(archive.substr(136, 11), "14524770400");  // 1700000000 in octal
  EXPECT_EQ(archive[156], '0');
  EXPECT_EQ(archive.substr(257, 8), std::string("ustar\0"
                                                "00",
                                                8));
}

TEST(TarWriter, SplitsALongPathIntoPrefixAndName) {
  ASSERT_GT(kSplitPath.size(), 100u);
  const std::string archive = write_tar({file(kSplitPath, "x")}, kMtime);
  EXPECT_EQ(archive[156], '0') << "no pax header";
  EXPECT_EQ(archive.substr(345, kSplitDir.size() + 1), kSplitDir + '\0');
  const std::string name = kSplitPath.substr(kSplitDir.size() + 1);
  EXPECT_EQ(archive.substr(0, name.size() + 1), name + '\0');
  const auto read = read_tar(archive);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].path, kSplitPath);
}

TEST(TarWriter, UsesAPaxHeaderWhenNoSplitFits) {
  for (const std::string& path : {kLongName, kPaxPath, kTooLongForUstar}) {
    SCOPED_TRACE(path);
    const std::string archive = write_tar({file(path, "pax")}, kMtime);
    EXPECT_EQ(archive[156], 'x') << "a pax extended header first";
    EXPECT_NE(archive.find(" path=" + path + "\n"), std::string::npos);
    const auto read = read_tar(archive);
    ASSERT_TRUE(read.has_value()) << read.error().message;
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ((*read)[0].path, path);
    EXPECT_EQ((*read)[0].data, "pax");
  }
}

TEST(TarWriter, PaxRecordLengthCountsItsOwnDigits) {
  // "<length> path=<path>\n" is 999 bytes for a path of 989, 1001 for 990:
  // the length gains a digit between them.
  for (std::size_t size = 985; size < 995; ++size) {
    const std::string path = std::string(size - 4, 'z') + ".txt";
    SCOPED_TRACE(size);
    const auto read = read_tar(write_tar({file(path, "y")}, kMtime));
    ASSERT_TRUE(read.has_value()) << read.error().message;
    ASSERT_EQ(read->size(), 1u);
    EXPECT_EQ((*read)[0].path, path);
  }
}

TEST(TarWriter, SameInputGivesTheSameBytes) {
  const auto files = sample_files();
  EXPECT_TRUE(write_tar(files, kMtime) == write_tar(files, kMtime));
  EXPECT_FALSE(write_tar(files, kMtime) == write_tar(files, kMtime + 1)) << "mtime is stamped";
}

TEST(TarWriter, KeepsTheOrderGiven) {
  const std::vector<TarEntry> files = {file("z.txt", "1"), file("a.txt", "2"), file("m.txt", "3")};
  const auto read = read_tar(write_tar(files, kMtime));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  expect_same_entries(*read, files);
}

// GNU tar, as a person importing or exporting a pack would use it.
class SystemTarTest : public testing::Test {
 protected:
  void SetUp() override {
    if (std::system("tar --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no tar command";
    std::string pattern = (fs::temp_directory_path() / "pd_tar_writer_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  // The command's standard output; fails the test when it exits non-zero.
  static std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) {
      ADD_FAILURE() << "popen failed: " << command;
      return out;
    }
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
      out.append(buffer, n);
    EXPECT_EQ(pclose(pipe), 0) << command;
    return out;
  }
  fs::path dir_;
};

TEST_F(SystemTarTest, GnuTarExtractsIdenticalFiles) {
  const auto files = sample_files();
  std::ofstream(dir_ / "archive.tar", std::ios::binary) << write_tar(files, kMtime);
  fs::create_directory(dir_ / "out");
  run("tar -xf '" + (dir_ / "archive.tar").string() + "' -C '" + (dir_ / "out").string() +
      "' 2>&1");
  std::map<std::string, std::string> extracted;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "out")) {
    if (entry.is_regular_file()) {
      extracted[fs::relative(entry.path(), dir_ / "out").generic_string()] = read(entry.path());
    }
  }
  std::map<std::string, std::string> written;
  for (const auto& f : files) written[f.path] = f.data;
  EXPECT_EQ(extracted.size(), written.size());
  for (const auto& [path, data] : written) {
    SCOPED_TRACE(path);
    ASSERT_TRUE(extracted.contains(path));
    EXPECT_TRUE(extracted[path] == data);
  }
}

TEST_F(SystemTarTest, GnuTarListsRegularFilesOwnedByRootWithMode644) {
  std::ofstream(dir_ / "archive.tar", std::ios::binary)
      << write_tar({file("a.txt", "abc"), file(kPaxPath, "pax")}, kMtime);
  const std::string listing =
      run("tar --numeric-owner --utc -tvf '" + (dir_ / "archive.tar").string() + "'");
  std::istringstream lines(listing);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    SCOPED_TRACE(line);
    ++count;
    EXPECT_TRUE(line.starts_with("-rw-r--r-- 0/0 ")) << "a regular file, 0644, owner 0:0";
    EXPECT_NE(line.find("2023-11-14 22:13"), std::string::npos) << "stamped with the mtime";
  }
  EXPECT_EQ(count, 2);
  EXPECT_NE(listing.find(" a.txt\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find(" " + kPaxPath + "\n"), std::string::npos) << listing;
}

}  // namespace
}  // namespace phishdrill
