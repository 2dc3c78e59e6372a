#include "core/latin_base_letter.h"

#include <gtest/gtest.h>

namespace phishdrill {
namespace {

TEST(LatinBaseLetter, DropsAccentsAndCase) {
  EXPECT_EQ(latin_base_letter(U'A'), U'a');
  EXPECT_EQ(latin_base_letter(U'z'), U'z');
  EXPECT_EQ(latin_base_letter(0x00C9), U'e');  // É
  EXPECT_EQ(latin_base_letter(0x00E9), U'e');  // é
  EXPECT_EQ(latin_base_letter(0x00F1), U'n');  // ñ
  EXPECT_EQ(latin_base_letter(0x00D8), U'o');  // Ø
  EXPECT_EQ(latin_base_letter(0x00FF), U'y');  // ÿ
  EXPECT_EQ(latin_base_letter(0x0141), U'l');  // Ł
  EXPECT_EQ(latin_base_letter(0x0161), U's');  // š
  EXPECT_EQ(latin_base_letter(0x0131), U'i');  // dotless ı
  EXPECT_EQ(latin_base_letter(0x017E), U'z');  // ž
  EXPECT_EQ(latin_base_letter(0x017F), U's');  // long s
}

TEST(LatinBaseLetter, LeavesOthersAlone) {
  EXPECT_EQ(latin_base_letter(U'1'), U'1');
  EXPECT_EQ(latin_base_letter(0x00D7), 0x00D7u);  // ×
  EXPECT_EQ(latin_base_letter(0x00DF), 0x00DFu);  // ß
  EXPECT_EQ(latin_base_letter(0x00E6), 0x00E6u);  // æ
  EXPECT_EQ(latin_base_letter(0x0153), 0x0153u);  // œ
  EXPECT_EQ(latin_base_letter(0x0430), 0x0430u);  // Cyrillic а: not Latin
  EXPECT_EQ(latin_base_letter(0x0180), 0x0180u);
}

}  // namespace
}  // namespace phishdrill
