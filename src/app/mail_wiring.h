// Wiring of the mail side: which transport a sending profile gets (SMTP
// relay or the outbox under the data directory), and the "send test email"
// action built on it.
#pragma once

#include <string>

#include "app/config.h"
#include "core/clock.h"
#include "jobs/dispatcher.h"
#include "service/test_message.h"

namespace phishdrill::app {

service::TransportFactory make_transport_factory(const Config& config);

service::TestSender make_test_sender(service::TransportFactory transports, const Clock& clock);

}  // namespace phishdrill::app
