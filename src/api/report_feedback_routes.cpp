// What reporters hear back: GET/PUT /api/v1/reporting/feedback over
// service/reporting/report_feedback (operators read, admins change). A PUT
// changes the fields it names; each text it names is replaced whole. The
// shipped texts and the placeholders come with every answer, so a screen
// can offer "restore the shipped text".
#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "service/reporting/report_feedback.h"

namespace phishdrill::api {
namespace {

json::object texts_json(const ReportFeedbackSettings& s) {
  json::object texts;
  for (const auto kind : feedback_kinds()) {
    texts[feedback_kind_name(kind)] =
        json::object{{"subject", s.text(kind).subject}, {"body", s.text(kind).body}};
  }
  return texts;
}

json::object feedback_json(const ReportFeedbackSettings& s) {
  return {{"enabled", s.enabled},
          {"profile_id", s.profile_id != 0 ? json::value(s.profile_id) : json::value(nullptr)},
          {"forward_to", s.forward_to},
          {"texts", texts_json(s)},
          {"shipped_texts", texts_json(default_report_feedback())},
          {"placeholders",
           json::array{"{{.FirstName}}", "{{.LastName}}", "{{.Subject}}", "{{.ReportedAt}}"}}};
}

Result<void> read_text(const json::object& texts, FeedbackKind kind, FeedbackText& into) {
  const char* name = feedback_kind_name(kind);
  const json::value* given = texts.if_contains(name);
  if (given == nullptr) return {};
  const std::string prefix = std::string("texts.") + name + ".";
  if (!given->is_object()) {
    return fail(ErrorCode::kValidation, "must be an object with subject and body",
                "texts." + std::string(name));
  }
  FieldReader reader(given->as_object(), prefix);
  PD_TRY(reader.only({"subject", "body"}));
  into.subject = PD_TRY(reader.string("subject", true));
  into.body = PD_TRY(reader.string("body", true));
  return {};
}

// The stored settings with the body's fields over them.
Result<ReportFeedbackSettings> read_feedback(const json::object& body,
                                             ReportFeedbackSettings current) {
  FieldReader reader(body);
  PD_TRY(reader.only({"enabled", "profile_id", "forward_to", "texts"}));
  current.enabled = PD_TRY(reader.boolean("enabled", current.enabled));
  if (body.contains("profile_id")) {
    current.profile_id = body.at("profile_id").is_null() ? 0 : PD_TRY(reader.integer("profile_id"));
  }
  current.forward_to = PD_TRY(reader.string("forward_to", false, current.forward_to));
  if (reader.has("texts")) {
    const json::object* texts = PD_TRY(reader.object("texts"));
    FieldReader text_reader(*texts, "texts.");
    PD_TRY(text_reader.only({"simulation", "received", "clean", "spam", "threat"}));
    for (const auto kind : feedback_kinds()) PD_TRY(read_text(*texts, kind, current.text(kind)));
  }
  return current;
}

Result<net::Response> get_feedback(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const auto settings =
      PD_TRY(service::report_feedback_settings(context.store, caller(who, request)));
  return json_response(200, feedback_json(settings));
}

Result<net::Response> put_feedback(ApiContext& context, net::Request& request,
                                   const Principal& who) {
  const auto who_asks = caller(who, request);
  const json::object body = PD_TRY(parse_body(request));
  auto current = PD_TRY(service::report_feedback_settings(context.store, who_asks));
  auto wanted = PD_TRY(read_feedback(body, std::move(current)));
  const auto saved = PD_TRY(service::update_report_feedback_settings(
      context.store, who_asks, std::move(wanted), context.clock.now()));
  return json_response(200, feedback_json(saved));
}

}  // namespace

void add_report_feedback_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto handler = [&ctx](auto fn) {
    return [&ctx, fn](net::Request& r, const Principal& p) { return fn(ctx, r, p); };
  };
  router.add("GET", "/api/v1/reporting/feedback",
             guard(ctx, Role::kOperator, handler(get_feedback)));
  router.add("PUT", "/api/v1/reporting/feedback", guard(ctx, Role::kAdmin, handler(put_feedback)));
}

}  // namespace phishdrill::api
