// The admin REST API v1: registers every /api/v1 route on a router. Each
// add_*_routes function owns one resource family.
#pragma once

#include <string>

#include "api/context.h"
#include "net/router.h"

namespace phishdrill::api {

void add_account_routes(net::Router& router,
                        ApiContext& context);                     // session, me, users, keys, audit
void add_group_routes(net::Router& router, ApiContext& context);  // groups, targets, CSV import
void add_template_routes(net::Router& router, ApiContext& context);     // templates, preview, .eml
void add_page_routes(net::Router& router, ApiContext& context);         // landing pages
void add_profile_routes(net::Router& router, ApiContext& context);      // sending profiles
void add_campaign_routes(net::Router& router, ApiContext& context);     // campaigns and results
void add_webhook_routes(net::Router& router, ApiContext& context);      // webhooks, deliveries
void add_training_routes(net::Router& router, ApiContext& context);     // training catalogue
void add_reporting_routes(net::Router& router, ApiContext& context);    // mailboxes, triage
void add_library_routes(net::Router& router, ApiContext& context);      // the simulation library
void add_phish_scale_routes(net::Router& router, ApiContext& context);  // premise answers
void add_report_feedback_routes(net::Router& router,
                                ApiContext& context);  // what reporters hear back

inline void add_admin_api(net::Router& router, ApiContext& context) {
  add_account_routes(router, context);
  add_group_routes(router, context);
  add_template_routes(router, context);
  add_page_routes(router, context);
  add_profile_routes(router, context);
  add_campaign_routes(router, context);
  add_webhook_routes(router, context);
  add_training_routes(router, context);
  add_reporting_routes(router, context);
  add_report_feedback_routes(router, context);
  add_library_routes(router, context);
  add_phish_scale_routes(router, context);
}

// Body limit for routes that accept CSV, templates with attachments or .eml.
inline constexpr std::size_t kLargeBodyLimit = 10 * 1024 * 1024;

}  // namespace phishdrill::api
