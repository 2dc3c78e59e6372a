#include "app/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace phishdrill::app {
namespace {

// Whatever a call site logs, a record is one line with controls escaped.
TEST(LogFormatter, EveryRecordIsOneLineWithControlsEscaped) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("test", sink);
  logger.set_formatter(make_log_formatter());
  logger.info("event=http path={}", "/x\r\n2026-01-01T00:00:00.000Z info event=forged\x1b[2J");
  logger.flush();
  const std::string text = out.str();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.find('\n'), text.size() - 1) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_NE(text.find(" info event=http path=/x\\x0d\\x0a2026-01-01T00:00:00.000Z info "
                      "event=forged\\x1b[2J\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace phishdrill::app
