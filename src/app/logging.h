// Logging: the process-wide logger (stderr and <data_dir>/phishdrill.log),
// one record per line: "<UTC time> <level> <message>". Every message passes
// through escape_controls() (core/log_text.h) in the formatter itself, so no
// record can hold a line break or a terminal escape whatever a call site
// logs; call sites still wrap outside values in log_value() so that a space
// or `key=value` inside a value cannot forge a field.
// Set up once at start, before the I/O threads run; logging is thread-safe.
#pragma once

#include <memory>
#include <string>

namespace spdlog {
class formatter;
}

namespace phishdrill::app {

// The record formatter every sink uses.
std::unique_ptr<spdlog::formatter> make_log_formatter();

// Installs the default logger writing to stderr and `log_file` at `level`.
void setup_logging(const std::string& log_file, const std::string& level);

}  // namespace phishdrill::app
