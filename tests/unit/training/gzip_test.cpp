// gzip in memory (training/gzip.h): what gzip writes gunzip gives back, the
// system's gzip command agrees both ways, and gunzip refuses (kValidation)
// what it must: more than max_bytes, truncated, corrupt or trailing data.
#include "training/gzip.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string out(size, '\0');
  for (char& c : out) c = static_cast<char>(generator() & 0xff);
  return out;
}

// Compressible, varied text: what content archives mostly hold.
std::string sample_text(std::size_t size) {
  std::string out;
  for (int line = 0; out.size() < size; ++line) {
    out += "<p>Line " + std::to_string(line) + ": please confirm your details.</p>\n";
  }
  out.resize(size);
  return out;
}

void expect_refused(const Result<std::string>& result, std::string_view words) {
  ASSERT_FALSE(result.has_value()) << "unpacked " << result->size() << " bytes";
  EXPECT_EQ(result.error().code, ErrorCode::kValidation);
  EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
}

TEST(Gzip, IsGzipByTheMagicBytes) {
  EXPECT_TRUE(is_gzip(gzip("hello")));
  EXPECT_TRUE(is_gzip(std::string("\x1f\x8b", 2)));
  EXPECT_FALSE(is_gzip(""));
  EXPECT_FALSE(is_gzip(std::string("\x1f", 1)));
  EXPECT_FALSE(is_gzip(std::string("\x8b\x1f", 2)));
  EXPECT_FALSE(is_gzip("my-pack/simulation.toml"));
}

TEST(Gzip, RoundTripsEmptyInput) {
  const std::string packed = gzip("");
  EXPECT_TRUE(is_gzip(packed));
  const auto unpacked = gunzip(packed, 1024);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_EQ(*unpacked, "");
}

TEST(Gzip, RoundTripsSmallInput) {
  using namespace std::string_literals;
  const std::string text =
      "slug = \"caf\xC3\xA9\"\n\0binary\xff"
      "after"s;
  ASSERT_EQ(text.size(), 28u);
  const auto unpacked = gunzip(gzip(text), 1024);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_EQ(*unpacked, text);
}

TEST(Gzip, RoundTripsAMebibyteOfRandomBytes) {
  const std::string data = random_bytes(1 << 20, 42);
  const auto unpacked = gunzip(gzip(data), 2 << 20);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_EQ(unpacked->size(), data.size());
  EXPECT_TRUE(*unpacked == data);
}

TEST(Gzip, CompressesRepetitiveText) {
  const std::string text = sample_text(1 << 20);
  const std::string packed = gzip(text);
  EXPECT_LT(packed.size(), text.size() / 10);
  const auto unpacked = gunzip(packed, 1 << 20);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_TRUE(*unpacked == text);
}

TEST(Gzip, AcceptsOutputOfExactlyMaxBytes) {
  for (const std::size_t size : {std::size_t{1000}, std::size_t{64 * 1024}, std::size_t{1 << 20},
                                 std::size_t{(1 << 20) + 17}}) {
    SCOPED_TRACE(size);
    const std::string data = random_bytes(size, 7);
    const auto unpacked = gunzip(gzip(data), size);
    ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
    EXPECT_TRUE(*unpacked == data);
    expect_refused(gunzip(gzip(data), size - 1), "more than");
  }
}

TEST(Gzip, RefusesABombPastMaxBytes) {
  const std::string packed = gzip(std::string(30u << 20, '\0'));
  EXPECT_LT(packed.size(), 100u * 1024) << "a small archive";
  expect_refused(gunzip(packed, 20u << 20), "20 MiB");
}

TEST(Gzip, RefusesATruncatedStream) {
  const std::string packed = gzip(sample_text(100 * 1024));
  for (const std::size_t cut : {std::size_t{4}, std::size_t{8}, packed.size() / 2}) {
    SCOPED_TRACE(cut);
    expect_refused(gunzip(packed.substr(0, packed.size() - cut), 1 << 20), "truncated");
  }
  expect_refused(gunzip(packed.substr(0, 5), 1 << 20), "truncated");
  expect_refused(gunzip("", 1 << 20), "truncated");
}

TEST(Gzip, RefusesCorruptData) {
  const std::string text = sample_text(100 * 1024);
  std::string packed = gzip(text);
  // The CRC-32 in the trailer no longer matches.
  std::string bad_crc = packed;
  bad_crc[bad_crc.size() - 8] = static_cast<char>(bad_crc[bad_crc.size() - 8] ^ 0x55);
  expect_refused(gunzip(bad_crc, 1 << 20), "gzip: ");
  // The deflate data itself is damaged.
  std::string bad_body = packed;
  for (std::size_t i = 20; i < 60; ++i) bad_body[i] = static_cast<char>(0xff);
  expect_refused(gunzip(bad_body, 1 << 20), "gzip: ");
  // The magic bytes but no gzip header behind them.
  expect_refused(gunzip(std::string("\x1f\x8b\x00\x00garbage-garbage-garbage", 27), 1 << 20),
                 "gzip: ");
  // Not gzip at all.
  expect_refused(gunzip("plain text, not compressed", 1 << 20), "gzip: ");
}

TEST(Gzip, RefusesDataAfterTheStream) {
  const std::string packed = gzip("payload");
  expect_refused(gunzip(packed + "trailing garbage", 1024), "after the end");
  expect_refused(gunzip(packed + std::string(100, '\0') + "x", 1024), "after the end");
}

TEST(Gzip, AcceptsZeroPaddingAfterTheStream) {
  const auto unpacked = gunzip(gzip("payload") + std::string(512, '\0'), 1024);
  ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
  EXPECT_EQ(*unpacked, "payload");
}

// The system's gzip command: what it writes gunzip reads, and the reverse.
class SystemGzipTest : public testing::Test {
 protected:
  void SetUp() override {
    if (std::system("gzip --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no gzip command";
    std::string pattern = (fs::temp_directory_path() / "pd_gzip_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static void write(const fs::path& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }
  fs::path dir_;
};

TEST_F(SystemGzipTest, GunzipReadsTheGzipCommandsOutput) {
  const std::string data = sample_text(300 * 1024) + random_bytes(50 * 1024, 3);
  write(dir_ / "plain", data);
  for (const std::string level : {"-1", "-6", "-9"}) {
    SCOPED_TRACE(level);
    const std::string command = "gzip " + level + " -c '" + (dir_ / "plain").string() + "' > '" +
                                (dir_ / "plain.gz").string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
    const std::string packed = read(dir_ / "plain.gz");
    EXPECT_TRUE(is_gzip(packed));
    const auto unpacked = gunzip(packed, 1 << 20);
    ASSERT_TRUE(unpacked.has_value()) << unpacked.error().message;
    EXPECT_TRUE(*unpacked == data);
  }
}

TEST_F(SystemGzipTest, TheGzipCommandReadsGzipsOutput) {
  const std::string data = sample_text(200 * 1024) + random_bytes(20 * 1024, 5);
  write(dir_ / "packed.gz", gzip(data));
  const std::string command = "gzip -t '" + (dir_ / "packed.gz").string() + "' && gzip -dc '" +
                              (dir_ / "packed.gz").string() + "' > '" +
                              (dir_ / "unpacked").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  EXPECT_TRUE(read(dir_ / "unpacked") == data);
}

}  // namespace
}  // namespace phishdrill
