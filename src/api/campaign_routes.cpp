// Campaigns: drafts, launch, complete, cancel, and results (summary,
// timeline, audience, recipients, events, an operator's verdict on an event).
// Handlers parse, call the campaign use cases (src/service) and answer.
#include <fmt/format.h>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/csv.h"
#include "core/text_rules.h"
#include "core/time_format.h"
#include "core/utf8.h"
#include "service/campaign_views.h"
#include "service/classify_event.h"
#include "service/create_campaign.h"
#include "service/delete_campaign.h"
#include "service/finish_campaign.h"
#include "service/launch_campaign.h"
#include "service/reporting/triage.h"
#include "service/update_campaign.h"

namespace phishdrill::api {
namespace {

constexpr const char* kDayNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

json::value time_or_null(std::int64_t t) {
  return t ? json::value(format_rfc3339(t)) : json::value(nullptr);
}

std::string minute_text(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

json::value window_json(const SendWindow& w) {
  if (w.any_time()) return nullptr;
  json::array days;
  for (std::size_t i = 0; i < w.days.size(); ++i) {
    if (w.days[i]) days.push_back(json::string(kDayNames[i]));
  }
  return json::object{{"days", std::move(days)},
                      {"start", minute_text(w.start_minute)},
                      {"end", minute_text(w.end_minute)},
                      {"utc_offset_minutes", w.utc_offset_minutes}};
}

json::object counts_json(const RecipientCounts& c) {
  return {{"recipients", c.total}, {"queued", c.queued}, {"sending", c.sending},
          {"sent", c.sent},        {"failed", c.failed}, {"cancelled", c.cancelled}};
}

json::object results_json(const ResultCounts& r) {
  return {{"opened", r.opened},
          {"clicked", r.clicked},
          {"submitted", r.submitted},
          {"reported", r.reported}};
}

json::object campaign_json(const service::CampaignView& view) {
  const Campaign& c = view.campaign;
  json::array templates;
  for (const auto& t : c.templates) {
    templates.push_back(json::object{{"template_id", t.template_id}, {"weight", t.weight}});
  }
  json::array groups;
  for (const auto id : c.group_ids) groups.push_back(id);
  return {{"id", c.id},
          {"name", c.name},
          {"status", view.phase},
          {"templates", std::move(templates)},
          {"group_ids", std::move(groups)},
          {"page_id", c.page_id ? json::value(c.page_id) : json::value(nullptr)},
          {"profile_id", c.profile_id},
          {"base_url", c.base_url},
          {"launch_at", time_or_null(c.launch_at)},
          {"send_by", time_or_null(c.send_by)},
          {"jitter_seconds", c.jitter_seconds},
          {"window", window_json(c.window)},
          {"follow_up", c.follow_up ? json::value(json::object{{"module", c.follow_up->module_slug},
                                                               {"trigger", c.follow_up->trigger},
                                                               {"due_days", c.follow_up->due_days}})
                                    : json::value(nullptr)},
          {"counts", counts_json(view.counts)},
          {"results", results_json(view.results)},
          {"created_at", format_rfc3339(c.created_at)},
          {"updated_at", format_rfc3339(c.updated_at)},
          {"launched_at", time_or_null(c.launched_at)},
          {"completed_at", time_or_null(c.completed_at)}};
}

// An optional RFC 3339 time; absent, null or "" mean "not set" (0).
Result<std::int64_t> read_time(const json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  if (value == nullptr || value->is_null()) return 0;
  const auto text = PD_TRY(FieldReader(body).string(key));
  if (text.empty()) return 0;
  auto t = parse_rfc3339(text);
  if (!t) {
    return fail(ErrorCode::kValidation,
                std::string(key) + " must be an RFC 3339 time such as 2026-12-01T09:00:00Z",
                std::string(key));
  }
  return *t;
}

Result<int> read_minute(const FieldReader& reader, std::string_view key, int fallback) {
  const auto text = PD_TRY(reader.string(key, false, minute_text(fallback)));
  const std::string field = reader.field(key);
  if (text == "24:00") return 1440;
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || std::sscanf(text.c_str(), "%2d:%2d", &h, &m) != 2 ||
      h > 23 || m > 59 || h < 0 || m < 0) {
    return fail(ErrorCode::kValidation, field + " must be a time of day such as 09:00", field);
  }
  return h * 60 + m;
}

Result<SendWindow> read_window(const json::object& body) {
  SendWindow window;
  const auto* value = body.if_contains("window");
  if (value == nullptr || value->is_null()) return window;  // any time
  const auto* object = PD_TRY(FieldReader(body).object("window"));
  if (object == nullptr) return window;
  FieldReader w(*object, "window.");
  PD_TRY(w.only({"days", "start", "end", "utc_offset_minutes"}));
  for (const auto& day : *PD_TRY(w.array("days", true))) {
    bool known = false;
    for (std::size_t i = 0; i < 7; ++i) {
      if (day.is_string() && day.as_string() == kDayNames[i]) {
        window.days[i] = true;
        known = true;
      }
    }
    if (!known) {
      return fail(ErrorCode::kValidation, "days are mon, tue, wed, thu, fri, sat or sun",
                  "window.days");
    }
  }
  if (window.any_time()) {
    return fail(ErrorCode::kValidation, "choose at least one day", "window.days");
  }
  window.start_minute = PD_TRY(read_minute(w, "start", 0));
  window.end_minute = PD_TRY(read_minute(w, "end", 1440));
  const auto offset = PD_TRY(w.integer("utc_offset_minutes", false, 0));
  window.utc_offset_minutes = static_cast<int>(std::clamp<std::int64_t>(offset, -10000, 10000));
  return window;
}

// "follow_up": {"module": slug, "trigger": "clicked"|"submitted", "due_days": n} or null.
Result<std::optional<FollowUp>> read_follow_up(const json::object& body) {
  const auto* value = body.if_contains("follow_up");
  if (value == nullptr || value->is_null()) return std::nullopt;
  const auto* object = PD_TRY(FieldReader(body).object("follow_up"));
  FieldReader f(*object, "follow_up.");
  PD_TRY(f.only({"module", "trigger", "due_days"}));
  FollowUp out;
  out.module_slug = PD_TRY(f.string("module", true));
  out.trigger = PD_TRY(f.string("trigger", false, "clicked"));
  const auto days = PD_TRY(f.integer("due_days", false, 7));
  out.due_days = static_cast<int>(std::clamp<std::int64_t>(days, -1, 100000));
  return out;
}

// "templates": [{"template_id": id, "weight": n}, ...]
Result<std::vector<TemplateWeight>> read_template_weights(const FieldReader& reader) {
  std::vector<TemplateWeight> out;
  const auto* items = PD_TRY(reader.array("templates", true));
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    const std::string prefix = fmt::format("templates[{}]", i);
    if (!item.is_object()) {
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    }
    FieldReader t(item.as_object(), prefix + ".");
    PD_TRY(t.only({"template_id", "weight"}));
    const auto id = PD_TRY(t.integer("template_id", true));
    const auto weight = PD_TRY(t.integer("weight", false, 1));
    out.push_back({id, static_cast<int>(std::clamp<std::int64_t>(weight, -1, 100000))});
  }
  return out;
}

Result<std::vector<std::int64_t>> read_group_ids(const FieldReader& reader) {
  std::vector<std::int64_t> out;
  const auto* items = PD_TRY(reader.array("group_ids", true));
  for (std::size_t i = 0; i < items->size(); ++i) {
    const auto& item = (*items)[i];
    if (!item.is_int64()) {
      const std::string field = fmt::format("group_ids[{}]", i);
      return fail(ErrorCode::kInvalidType, field + " must be an integer", field);
    }
    out.push_back(item.as_int64());
  }
  return out;
}

Result<Campaign> read_campaign(const json::object& body) {
  FieldReader reader(body);
  PD_TRY(reader.only({"name", "templates", "group_ids", "page_id", "profile_id", "base_url",
                      "launch_at", "send_by", "jitter_seconds", "window", "follow_up"}));
  Campaign c;
  c.follow_up = PD_TRY(read_follow_up(body));
  c.name = PD_TRY(reader.string("name", true));
  c.templates = PD_TRY(read_template_weights(reader));
  c.group_ids = PD_TRY(read_group_ids(reader));
  if (reader.has("page_id") && !body.at("page_id").is_null()) {
    c.page_id = PD_TRY(reader.integer("page_id"));
  }
  c.profile_id = PD_TRY(reader.integer("profile_id", true));
  c.base_url = PD_TRY(reader.string("base_url"));
  c.launch_at = PD_TRY(read_time(body, "launch_at"));
  c.send_by = PD_TRY(read_time(body, "send_by"));
  const auto jitter = PD_TRY(reader.integer("jitter_seconds", false, 0));
  c.jitter_seconds = static_cast<int>(std::clamp<std::int64_t>(jitter, -1, 1000000));
  c.window = PD_TRY(read_window(body));
  PD_TRY(validate_campaign(c));
  return c;
}

class CampaignHandlers {
 public:
  explicit CampaignHandlers(ApiContext& context)
      : ctx_(context), views_(context.store, context.clock) {}

  Result<net::Response> create(net::Request& request, const Principal& who) {
    const auto body = PD_TRY(parse_body(request));
    auto draft = PD_TRY(read_campaign(body));
    service::CreateCampaign create(ctx_.store, ctx_.clock, ctx_.tokens, *ctx_.training);
    const auto view = PD_TRY(create.run(caller(who, request), std::move(draft)));
    return json_response(201, campaign_json(view));
  }

  Result<net::Response> list(net::Request& request, const Principal& who) {
    const auto page = PD_TRY(page_request(request));
    const auto views = PD_TRY(views_.list(caller(who, request), page));
    return json_response(200, list_body(views.items, views.next_after, campaign_json));
  }

  Result<net::Response> get(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    return json_response(200, campaign_json(PD_TRY(views_.get(caller(who, request), id))));
  }

  // GET /campaigns/{id}/timeline: people reaching each stage per time bucket
  // (at most ~200 buckets of a round size, chosen from the campaign's span).
  Result<net::Response> timeline(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    const auto timeline = PD_TRY(views_.timeline(caller(who, request), id));
    json::array buckets;
    for (const auto& b : timeline.buckets) {
      buckets.push_back(json::object{{"start", format_rfc3339(b.start)},
                                     {"sent", b.sent},
                                     {"opened", b.opened},
                                     {"clicked", b.clicked},
                                     {"submitted", b.submitted},
                                     {"reported", b.reported}});
    }
    return json_response(200, json::object{{"bucket_seconds", timeline.bucket_seconds},
                                           {"buckets", std::move(buckets)}});
  }

  // GET /campaigns/{id}/audience: how many people a launch would reach now
  // (distinct targets of its groups), or has reached once launched.
  Result<net::Response> audience(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    const auto people = PD_TRY(views_.audience(caller(who, request), id));
    return json_response(200, json::object{{"recipients", people}});
  }

  Result<net::Response> update(net::Request& request, const Principal& who) {
    const auto body = PD_TRY(parse_body(request));
    auto input = PD_TRY(read_campaign(body));
    const auto id = PD_TRY(path_id(request));
    service::UpdateCampaign update(ctx_.store, ctx_.clock, *ctx_.training);
    const auto view = PD_TRY(update.run(caller(who, request), id, std::move(input)));
    return json_response(200, campaign_json(view));
  }

  Result<net::Response> remove(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    PD_TRY(service::DeleteCampaign(ctx_.store, ctx_.clock).run(caller(who, request), id));
    return net::Response::no_content();
  }

  Result<net::Response> launch(net::Request& request, const Principal& who) {
    const auto body = PD_TRY(parse_body(request, true));
    PD_TRY(FieldReader(body).only({"launch_at"}));
    const auto launch_at = PD_TRY(read_time(body, "launch_at"));
    const auto id = PD_TRY(path_id(request));
    service::LaunchCampaign launch(ctx_.store, ctx_.clock, ctx_.tokens);
    const auto view = PD_TRY(launch.run(caller(who, request), id, launch_at));
    ctx_.on_launch();
    return json_response(200, campaign_json(view));
  }

  // complete (tracking stops) or cancel (nothing more is sent; results kept).
  Result<net::Response> finish(net::Request& request, const Principal& who, CampaignStatus target) {
    const auto id = PD_TRY(path_id(request));
    service::FinishCampaign finish(ctx_.store, ctx_.clock);
    return json_response(200, campaign_json(PD_TRY(finish.run(caller(who, request), id, target))));
  }

  Result<net::Response> summary(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    const auto view = PD_TRY(views_.get(caller(who, request), id));
    json::object body = counts_json(view.counts);
    body["opened"] = view.results.opened;
    body["clicked"] = view.results.clicked;
    body["submitted"] = view.results.submitted;
    body["reported"] = view.results.reported;
    body["automated_events"] = view.results.automated_events;
    const auto times =
        PD_TRY(service::campaign_report_times(ctx_.store, who.user.workspace_id, id));
    body["median_seconds_to_report"] =
        times.median_seconds ? json::value(*times.median_seconds) : json::value(nullptr);
    body["id"] = view.campaign.id;
    body["status"] = view.phase;
    return json_response(200, body);
  }

  Result<net::Response> recipients(net::Request& request, const Principal& who) {
    const auto page = PD_TRY(page_request(request));
    const auto filter = PD_TRY(recipient_filter(request));
    const auto id = PD_TRY(path_id(request));
    const auto items = PD_TRY(views_.recipients(caller(who, request), id, filter, page));
    return json_response(200, list_body(items.items, items.next_after, recipient_json));
  }

  // Every recipient matching the filters, with their results, as CSV.
  Result<net::Response> recipients_csv(net::Request& request, const Principal& who) {
    const auto filter = PD_TRY(recipient_filter(request));
    const auto id = PD_TRY(path_id(request));
    const auto people = PD_TRY(views_.all_recipients(caller(who, request), id, filter));
    std::string csv;
    append_csv_record(
        csv, {"email", "first_name", "last_name", "position", "department", "state", "sent_at",
              "result", "opened_at", "clicked_at", "submitted_at", "reported_at", "last_error"});
    const auto text_time = [](std::int64_t t) { return t != 0 ? format_rfc3339(t) : ""; };
    for (const auto& r : people) {
      append_csv_record(
          csv, {r.fields.email, r.fields.first_name, r.fields.last_name, r.fields.position,
                r.fields.department, std::string(send_state_name(r.state)), text_time(r.sent_at),
                std::string(result_status_name(r.status_rank)), text_time(r.first_opened_at),
                text_time(r.first_clicked_at), text_time(r.first_submitted_at),
                text_time(r.reported_at), r.last_error});
    }
    return csv_attachment(std::move(csv), fmt::format("campaign-{}-recipients.csv", id));
  }

  // ?state=, ?result= (none, opened, clicked, submitted, reported) and ?q=.
  static Result<RecipientFilter> recipient_filter(const net::Request& request) {
    RecipientFilter filter;
    if (auto text = request.query_param("state")) {
      filter.state = parse_send_state(*text);
      if (!filter.state) {
        return fail(ErrorCode::kValidation,
                    "state must be queued, sending, sent, failed or cancelled", "state");
      }
    }
    if (auto text = request.query_param("result")) {
      if (*text == "reported") {
        filter.reported_only = true;
      } else {
        for (int rank = 0; rank <= 3; ++rank) {
          if (result_status_name(rank) == *text) filter.result_rank = rank;
        }
        if (!filter.result_rank) {
          return fail(ErrorCode::kValidation,
                      "result must be none, opened, clicked, submitted or reported", "result");
        }
      }
    }
    if (auto text = request.query_param("q")) {
      if (text->size() > 200 || !is_valid_utf8(*text)) {
        return fail(ErrorCode::kValidation, "q must be valid UTF-8, at most 200 bytes", "q");
      }
      filter.search = trim(*text);
    }
    return filter;
  }

  Result<net::Response> events(net::Request& request, const Principal& who) {
    const auto page = PD_TRY(page_request(request));
    const auto recipient = PD_TRY(query_id(request, "recipient_id"));
    const auto id = PD_TRY(path_id(request));
    const auto items = PD_TRY(views_.events(caller(who, request), id, recipient.value_or(0), page));
    return json_response(200, list_body(items.items, items.next_after, event_json));
  }

  // POST /campaigns/{id}/events/{event_id}/classification {"automated": bool}
  // An operator's verdict overrides the classifier; counters follow.
  Result<net::Response> classify(net::Request& request, const Principal& who) {
    const auto event_id = PD_TRY(path_id(request, "event_id"));
    const auto body = PD_TRY(parse_body(request));
    FieldReader reader(body);
    PD_TRY(reader.only({"automated"}));
    if (!reader.has("automated")) {
      return fail(ErrorCode::kValidation, "automated is required", "automated");
    }
    const bool automated = PD_TRY(reader.boolean("automated", false));
    const auto id = PD_TRY(path_id(request));
    const auto verdict = PD_TRY(service::classify_event(
        ctx_.store, ctx_.clock, caller(who, request), id, event_id, automated));
    return json_response(200, json::object{{"id", event_id},
                                           {"automated", automated},
                                           {"reason", verdict.reason},
                                           {"opened", verdict.results.opened},
                                           {"clicked", verdict.results.clicked},
                                           {"submitted", verdict.results.submitted},
                                           {"reported", verdict.results.reported}});
  }

 private:
  static json::object recipient_json(const Recipient& r) {
    return {{"id", r.id},
            {"email", r.fields.email},
            {"first_name", r.fields.first_name},
            {"last_name", r.fields.last_name},
            {"position", r.fields.position},
            {"department", r.fields.department},
            {"target_id", r.target_id},
            {"variant_id", r.variant_id},
            {"state", send_state_name(r.state)},
            {"send_at", format_rfc3339(r.send_at)},
            {"attempts", r.attempts},
            {"sent_at", time_or_null(r.sent_at)},
            {"message_id", r.message_id},
            {"last_error", r.last_error},
            {"smtp_code", r.smtp_code},
            {"result", result_status_name(r.status_rank)},
            {"opened_at", time_or_null(r.first_opened_at)},
            {"clicked_at", time_or_null(r.first_clicked_at)},
            {"submitted_at", time_or_null(r.first_submitted_at)},
            {"reported_at", time_or_null(r.reported_at)}};
  }

  static json::object event_json(const EventRecord& e) {
    boost::system::error_code ec;
    json::value details = json::parse(e.details_json, ec);
    if (ec) details = json::object{};
    return {{"id", e.id},
            {"recipient_id", e.recipient_id},
            {"kind", e.kind},
            {"at", format_rfc3339(e.at)},
            {"ip", e.ip},
            {"user_agent", e.user_agent},
            {"automated", e.automated},
            {"reason", e.reason},
            {"suspect", e.suspect.empty() ? json::value(nullptr) : json::value(e.suspect)},
            {"details", details}};
  }

  ApiContext& ctx_;
  service::CampaignViews views_;
};

}  // namespace

void add_campaign_routes(net::Router& router, ApiContext& context) {
  auto handlers = std::make_shared<CampaignHandlers>(context);
  auto bind = [handlers](auto method) {
    return [handlers, method](net::Request& r, const Principal& p) {
      return ((*handlers).*method)(r, p);
    };
  };
  auto& ctx = context;
  router.add("GET", "/api/v1/campaigns", guard(ctx, Role::kViewer, bind(&CampaignHandlers::list)));
  router.add("POST", "/api/v1/campaigns",
             guard(ctx, Role::kOperator, bind(&CampaignHandlers::create)));
  router.add("GET", "/api/v1/campaigns/{id}",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::get)));
  router.add("PUT", "/api/v1/campaigns/{id}",
             guard(ctx, Role::kOperator, bind(&CampaignHandlers::update)));
  router.add("DELETE", "/api/v1/campaigns/{id}",
             guard(ctx, Role::kOperator, bind(&CampaignHandlers::remove)));
  router.add("POST", "/api/v1/campaigns/{id}/launch",
             guard(ctx, Role::kOperator, bind(&CampaignHandlers::launch)));
  router.add("POST", "/api/v1/campaigns/{id}/complete",
             guard(ctx, Role::kOperator, [handlers](net::Request& r, const Principal& p) {
               return handlers->finish(r, p, CampaignStatus::kCompleted);
             }));
  router.add("POST", "/api/v1/campaigns/{id}/cancel",
             guard(ctx, Role::kOperator, [handlers](net::Request& r, const Principal& p) {
               return handlers->finish(r, p, CampaignStatus::kCancelled);
             }));
  router.add("GET", "/api/v1/campaigns/{id}/summary",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::summary)));
  router.add("GET", "/api/v1/campaigns/{id}/timeline",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::timeline)));
  router.add("GET", "/api/v1/campaigns/{id}/audience",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::audience)));
  router.add("GET", "/api/v1/campaigns/{id}/recipients.csv",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::recipients_csv)));
  router.add("GET", "/api/v1/campaigns/{id}/recipients",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::recipients)));
  router.add("POST", "/api/v1/campaigns/{id}/events/{event_id}/classification",
             guard(ctx, Role::kOperator, bind(&CampaignHandlers::classify)));
  router.add("GET", "/api/v1/campaigns/{id}/events",
             guard(ctx, Role::kViewer, bind(&CampaignHandlers::events)));
}

}  // namespace phishdrill::api
