#include "service/mail_transports.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/log_text.h"

namespace phishdrill::service {

bool MailTransports::wait_for_rate(const SendingProfile& profile, Lease& lease) {
  using std::chrono::milliseconds;
  for (;;) {
    const auto wait = rate_.try_acquire(profile);
    if (wait && *wait == std::chrono::microseconds::zero()) return true;
    if (!wait) {
      spdlog::warn("event=send_rate_unavailable profile={} message={}", profile.id,
                   log_value(wait.error().message));
    }
    lease.keep_alive();
    const auto nap = wait ? std::min(std::chrono::ceil<milliseconds>(*wait), milliseconds(500))
                          : milliseconds(1000);
    std::this_thread::sleep_for(nap);
    if (lease.stopping()) return false;
  }
}

SendOutcome MailTransports::send(const SendingProfile& profile, const std::string& password,
                                 std::string_view from, std::string_view to,
                                 std::string_view message_id, std::string_view mime) {
  return for_profile(profile, password).send(from, to, message_id, mime);
}

MailTransport& MailTransports::for_profile(const SendingProfile& profile,
                                           const std::string& password) {
  auto& slot = slots_[profile.id];
  if (!slot.transport || slot.updated_at != profile.updated_at) {
    slot.transport = factory_(profile, password);
    slot.updated_at = profile.updated_at;
  }
  return *slot.transport;
}

}  // namespace phishdrill::service
