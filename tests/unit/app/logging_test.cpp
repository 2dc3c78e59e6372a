#include "app/logging.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>

#include <filesystem>
#include <sstream>
#include <string>

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

// The log folder stays bounded however much is logged: the file is rotated at
// its size limit and only max_files older files are kept.
TEST(LogFileSink, RotatesBySizeAndKeepsABoundedNumberOfFiles) {
  std::string pattern = (std::filesystem::temp_directory_path() / "pd_log_XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const std::filesystem::path dir = pattern;
  const LogSettings settings{
      .file = (dir / "phishdrill.log").string(), .max_file_bytes = 64 * 1024, .max_files = 3};
  {
    spdlog::logger logger("rotating", make_log_file_sink(settings));
    logger.set_formatter(make_log_formatter());
    const std::string line(200, 'x');
    for (int i = 0; i < 5000; ++i) logger.info("event=http n={} {}", i, line);  // ~1 MiB
    logger.flush();
  }
  std::uintmax_t total = 0;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    ++files;
    EXPECT_LE(entry.file_size(), settings.max_file_bytes) << entry.path();
    total += entry.file_size();
  }
  EXPECT_EQ(files, 4);  // phishdrill.log, .1.log, .2.log, .3.log
  EXPECT_TRUE(std::filesystem::exists(dir / "phishdrill.3.log"));
  EXPECT_FALSE(std::filesystem::exists(dir / "phishdrill.4.log"));
  EXPECT_LE(total, settings.max_file_bytes * (settings.max_files + 1));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace phishdrill::app
