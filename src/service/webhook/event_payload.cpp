#include "service/webhook/event_payload.h"

#include <boost/json.hpp>

#include "core/time_format.h"

namespace phishdrill {

std::string event_payload(const EventRecord& e, std::string_view email) {
  boost::system::error_code ec;
  boost::json::value details = boost::json::parse(e.details_json, ec);
  if (ec) details = boost::json::object{};
  return boost::json::serialize(boost::json::object{
      {"event", e.kind},
      {"at", format_rfc3339(e.at)},
      {"campaign_id", e.campaign_id},
      {"recipient", {{"id", e.recipient_id}, {"email", email}}},
      {"automated", e.automated},
      {"reason", e.reason},
      {"suspect", e.suspect.empty() ? boost::json::value(nullptr) : boost::json::value(e.suspect)},
      {"details", details}});
}

}  // namespace phishdrill
