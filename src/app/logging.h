// Logging: the process-wide logger (stderr and <data_dir>/phishdrill.log,
// rotated by size: phishdrill.1.log is the newest older file), one record per
// line: "<UTC time> <level> <message>". Every message passes
// through escape_controls() (core/log_text.h) in the formatter itself, so no
// record can hold a line break or a terminal escape whatever a call site
// logs; call sites still wrap outside values in log_value() so that a space
// or `key=value` inside a value cannot forge a field.
// Set up once at start, before the I/O threads run; logging is thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace spdlog {
class formatter;
namespace sinks {
class sink;
}
}  // namespace spdlog

namespace phishdrill::app {

// The record formatter every sink uses.
std::unique_ptr<spdlog::formatter> make_log_formatter();

struct LogSettings {
  std::string file;
  std::string level = "info";
  std::size_t max_file_bytes = 64u << 20;  // then the file is rotated
  std::size_t max_files = 5;               // rotated files kept; older ones are deleted
};

// The file sink: `file` rotated when a record would take it past
// max_file_bytes, keeping max_files rotated files.
std::shared_ptr<spdlog::sinks::sink> make_log_file_sink(const LogSettings& settings);

// Installs the default logger writing to stderr and the rotated file.
void setup_logging(const LogSettings& settings);

}  // namespace phishdrill::app
