#include "core/log_text.h"

#include <gtest/gtest.h>

#include <string>

namespace phishdrill {
namespace {

using namespace std::string_literals;

TEST(EscapeControls, LineBreaksAndEscapesCannotForgeARecord) {
  EXPECT_EQ(escape_controls("/a\r\n2026-01-01 info event=forged"),
            "/a\\x0d\\x0a2026-01-01 info event=forged");
  EXPECT_EQ(escape_controls("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(escape_controls("a\0b\tc\x7f"s), "a\\x00b\\x09c\\x7f");
}

TEST(EscapeControls, KeepsTextAndUtf8) {
  EXPECT_EQ(escape_controls("event=http path=/learn"), "event=http path=/learn");
  EXPECT_EQ(escape_controls("Jos\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80"),
            "Jos\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80");
}

TEST(EscapeControls, EscapesC1ControlsAndMalformedBytes) {
  EXPECT_EQ(escape_controls("a\xC2\x9B"
                            "31m"),
            "a\\xc2\\x9b31m");  // U+009B, CSI
  EXPECT_EQ(escape_controls("a\x9b"
                            "31m"),
            "a\\x9b31m");                                // a raw C1 byte
  EXPECT_EQ(escape_controls("\xE2\x80"), "\\xe2\\x80");  // truncated sequence
}

TEST(LogValue, PlainValuesStayBare) {
  EXPECT_EQ(log_value("/api/v1/groups"), "/api/v1/groups");
  EXPECT_EQ(log_value("10.0.0.5"), "10.0.0.5");
}

TEST(LogValue, ValuesThatCouldForgeAFieldAreQuoted) {
  EXPECT_EQ(log_value(""), "\"\"");
  EXPECT_EQ(log_value("/a status=200"), "\"/a status=200\"");
  EXPECT_EQ(log_value("a=b"), "\"a=b\"");
  EXPECT_EQ(log_value("say \"hi\" \\ bye"), "\"say \\\"hi\\\" \\\\ bye\"");
  EXPECT_EQ(log_value("/x\ny"), "\"/x\\x0ay\"");
  EXPECT_EQ(log_value("Jos\xC3\xA9"), "\"Jos\xC3\xA9\"");
}

}  // namespace
}  // namespace phishdrill
