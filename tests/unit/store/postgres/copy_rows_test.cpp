// COPY's text format: every value goes through unchanged, whatever bytes of
// COPY's own framing (tab, newline, backslash) it holds.
#include "store/postgres/copy_rows.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill::pg {
namespace {

TEST(CopyRows, EscapesTheBytesOfCopysFraming) {
  std::string line;
  append_copy_field(line, "a\tb\nc\rd\\e");
  EXPECT_EQ(line, "a\\tb\\nc\\rd\\\\e");
}

TEST(CopyRows, LeavesOtherTextAlone) {
  std::string line = "x";
  append_copy_field(line, "Zoë O'Brien \"quoted\" \\N? no: ");
  EXPECT_EQ(line, "xZoë O'Brien \"quoted\" \\\\N? no: ");
}

}  // namespace
}  // namespace phishdrill::pg
