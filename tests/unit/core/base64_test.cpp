#include "core/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

using namespace std::string_literals;

TEST(Base64Decode, StandardAndUrlSafeAlphabets) {
  EXPECT_EQ(base64_decode("aHR0cHM6Ly9leGFtcGxlLmNvbS9sb2dpbg=="), "https://example.com/login");
  EXPECT_EQ(base64_decode("+/8="), "\xFB\xFF"s);
  EXPECT_EQ(base64_decode("-_8="), "\xFB\xFF"s);
}

TEST(Base64Decode, PaddingIsOptional) {
  EXPECT_EQ(base64_decode("YQ"), "a");
  EXPECT_EQ(base64_decode("YQ=="), "a");
  EXPECT_EQ(base64_decode("YWI"), "ab");
  EXPECT_EQ(base64_decode("YWI="), "ab");
  EXPECT_EQ(base64_decode("YWJj"), "abc");
  EXPECT_EQ(base64_decode(""), "");
}

TEST(Base64Decode, RefusesWhatNoEncoderWrites) {
  EXPECT_EQ(base64_decode("Y"), std::nullopt);      // one character left over
  EXPECT_EQ(base64_decode("YWJjZ"), std::nullopt);  // likewise
  EXPECT_EQ(base64_decode("YQ==="), std::nullopt);  // three pads
  EXPECT_EQ(base64_decode("Y=Q="), std::nullopt);   // a pad inside
  EXPECT_EQ(base64_decode("YW Jj"), std::nullopt);  // whitespace
  EXPECT_EQ(base64_decode("YW\xC3\xA9j"), std::nullopt);
  EXPECT_EQ(base64_decode("@@@@"), std::nullopt);
}

TEST(Base64Decode, LongInput) {
  const std::string encoded(100 * 1024, 'A');
  const auto decoded = base64_decode(encoded);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->size(), 75u * 1024);
  EXPECT_EQ(decoded->find_first_not_of('\0'), std::string::npos);
}

}  // namespace
}  // namespace phishdrill

namespace phishdrill {
namespace {

TEST(Base64EncodeTest, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\xff\xfe\x00", 3)), "//4A");
  EXPECT_EQ(base64_decode(base64_encode("any bytes \x01\x02")), "any bytes \x01\x02");
}

}  // namespace
}  // namespace phishdrill
