#include "service/mail_transports.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace phishdrill::service {

bool MailTransports::wait_for_rate(const SendingProfile& profile, Lease& lease) {
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    const auto wait = limiter_.try_acquire(profile.id, profile.rate_per_minute, now);
    if (wait == RateLimiter::Clock::duration::zero()) return true;
    lease.keep_alive();
    const auto nap = std::min(
        std::chrono::duration_cast<std::chrono::milliseconds>(wait) + std::chrono::milliseconds(1),
        std::chrono::milliseconds(500));
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
