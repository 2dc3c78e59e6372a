#include "core/recipient.h"

namespace phishdrill {

std::string_view send_state_name(SendState state) {
  switch (state) {
    case SendState::kQueued:
      return "queued";
    case SendState::kSending:
      return "sending";
    case SendState::kSent:
      return "sent";
    case SendState::kFailed:
      return "failed";
    case SendState::kCancelled:
      return "cancelled";
  }
  return "queued";
}

std::optional<SendState> parse_send_state(std::string_view name) {
  for (auto state : {SendState::kQueued, SendState::kSending, SendState::kSent, SendState::kFailed,
                     SendState::kCancelled}) {
    if (send_state_name(state) == name) return state;
  }
  return std::nullopt;
}

std::string_view result_status_name(int status_rank) {
  switch (status_rank) {
    case 1:
      return "opened";
    case 2:
      return "clicked";
    case 3:
      return "submitted";
    default:
      return "none";
  }
}

}  // namespace phishdrill
