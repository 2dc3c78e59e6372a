#include "app/logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/log_text.h"

namespace phishdrill::app {
namespace {

// %* : the message with control characters escaped.
class EscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        escape_controls(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> make_log_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  formatter->add_flag<EscapedMessage>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %*");
  return formatter;
}

std::shared_ptr<spdlog::sinks::sink> make_log_file_sink(const LogSettings& settings) {
  return std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
      settings.file, settings.max_file_bytes, settings.max_files);
}

void setup_logging(const LogSettings& settings) {
  auto console = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(
      "phishdrill", spdlog::sinks_init_list{console, make_log_file_sink(settings)});
  logger->set_formatter(make_log_formatter());
  logger->set_level(spdlog::level::from_str(settings.level));
  // Access-log lines at tens of thousands a second must not each cost a
  // flush; warnings flush at once, the rest within a second.
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
}

}  // namespace phishdrill::app
