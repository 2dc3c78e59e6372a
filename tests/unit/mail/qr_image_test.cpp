// QR code images (mail/qr_image.h): a PNG that a real QR reader (zbarimg,
// from Debian's zbar-tools, installed by scripts/bootstrap.sh) decodes back
// to the exact text, for the longest links a campaign makes too.
#include "mail/qr_image.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

// What zbarimg reads in the PNG (its raw output, one line per code).
std::string decoded(const std::string& png) {
  const fs::path file =
      fs::temp_directory_path() / ("phishdrill-qr-" + std::to_string(::getpid()) + ".png");
  std::ofstream(file, std::ios::binary) << png;
  const std::string command = "zbarimg --quiet --raw '" + file.string() + "' 2>/dev/null";
  std::string out;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    std::array<char, 512> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
    ::pclose(pipe);
  }
  fs::remove(file);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

TEST(QrImage, APngThatDecodesToTheLink) {
  const std::string link = "https://phish.example.com/?rid=Xy7Qp2Lm9Za";
  const auto png = qr_png(link);
  ASSERT_TRUE(png.has_value()) << png.error().message;
  ASSERT_GT(png->size(), 8u);
  EXPECT_EQ(png->substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_EQ(decoded(*png), link);
}

TEST(QrImage, LongLinksAndOtherScalesDecodeToo) {
  const std::string link =
      "https://learn-and-verify.phish.example.org/some/long/path/?rid=" + std::string(120, 'a');
  for (const int scale : {3, 6, 10}) {
    const auto png = qr_png(link, scale);
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(decoded(*png), link) << scale;
  }
}

TEST(QrImage, TextBeyondAQrCodeIsRefused) {
  const auto refused = qr_png(std::string(8000, 'x'));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().field, "qr");
}

}  // namespace
}  // namespace phishdrill
