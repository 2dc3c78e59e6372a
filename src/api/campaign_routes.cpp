// Campaigns: drafts, launch (recipients planned and snapshotted in one
// transaction), complete, cancel, and results (summary, recipients, events).
#include <fmt/format.h>

#include <map>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/csv.h"
#include "core/email_address.h"
#include "core/recipient_plan.h"
#include "core/text_rules.h"
#include "core/time_format.h"
#include "core/utf8.h"
#include "crypto/sodium.h"
#include "mail/mime_composer.h"
#include "service/reclassify_event.h"

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

// The smallest round bucket that cuts `span` seconds into at most 200.
std::int64_t bucket_for_span(std::int64_t span) {
  for (const std::int64_t b : {60, 300, 900, 1800, 3600, 10800, 21600, 43200, 86400, 604800}) {
    if (span / b < 200) return b;
  }
  return 2592000;
}

// `results`: human results so far (all zero before launch).
json::object campaign_json(const Campaign& c, const RecipientCounts& counts, std::int64_t now,
                           const ResultCounts& results = {}) {
  json::array templates;
  for (const auto& t : c.templates) {
    templates.push_back(json::object{{"template_id", t.template_id}, {"weight", t.weight}});
  }
  json::array groups;
  for (const auto id : c.group_ids) groups.push_back(id);
  return {{"id", c.id},
          {"name", c.name},
          {"status", campaign_phase(c, now, counts.queued + counts.sending > 0)},
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
          {"counts", counts_json(counts)},
          {"results", results_json(results)},
          {"created_at", format_rfc3339(c.created_at)},
          {"updated_at", format_rfc3339(c.updated_at)},
          {"launched_at", time_or_null(c.launched_at)},
          {"completed_at", time_or_null(c.completed_at)}};
}

// An optional RFC 3339 time; absent, null or "" mean "not set" (0).
Result<std::int64_t> read_time(const json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  if (value == nullptr || value->is_null()) return 0;
  auto text = FieldReader(body).string(key);
  if (!text) return std::unexpected(text.error());
  if (text->empty()) return 0;
  auto t = parse_rfc3339(*text);
  if (!t) {
    return fail(ErrorCode::kValidation,
                std::string(key) + " must be an RFC 3339 time such as 2026-12-01T09:00:00Z",
                std::string(key));
  }
  return *t;
}

Result<int> read_minute(const FieldReader& reader, std::string_view key, int fallback) {
  auto text = reader.string(key, false, minute_text(fallback));
  if (!text) return std::unexpected(text.error());
  const std::string field = reader.field(key);
  if (*text == "24:00") return 1440;
  int h = 0, m = 0;
  if (text->size() != 5 || (*text)[2] != ':' ||
      std::sscanf(text->c_str(), "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59 || h < 0 || m < 0) {
    return fail(ErrorCode::kValidation, field + " must be a time of day such as 09:00", field);
  }
  return h * 60 + m;
}

Result<SendWindow> read_window(const json::object& body) {
  SendWindow window;
  const auto* value = body.if_contains("window");
  if (value == nullptr || value->is_null()) return window;  // any time
  FieldReader reader(body);
  auto object = reader.object("window");
  if (!object) return std::unexpected(object.error());
  if (*object == nullptr) return window;
  FieldReader w(**object, "window.");
  if (auto ok = w.only({"days", "start", "end", "utc_offset_minutes"}); !ok) {
    return std::unexpected(ok.error());
  }
  auto days = w.array("days", true);
  if (!days) return std::unexpected(days.error());
  for (const auto& day : **days) {
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
  auto start = read_minute(w, "start", 0);
  if (!start) return std::unexpected(start.error());
  auto end = read_minute(w, "end", 1440);
  if (!end) return std::unexpected(end.error());
  auto offset = w.integer("utc_offset_minutes", false, 0);
  if (!offset) return std::unexpected(offset.error());
  window.start_minute = *start;
  window.end_minute = *end;
  window.utc_offset_minutes = static_cast<int>(std::clamp<std::int64_t>(*offset, -10000, 10000));
  return window;
}

// "follow_up": {"module": slug, "trigger": "clicked"|"submitted", "due_days": n} or null.
Result<std::optional<FollowUp>> read_follow_up(const json::object& body) {
  const auto* value = body.if_contains("follow_up");
  if (value == nullptr || value->is_null()) return std::nullopt;
  auto object = FieldReader(body).object("follow_up");
  if (!object) return std::unexpected(object.error());
  FieldReader f(**object, "follow_up.");
  if (auto ok = f.only({"module", "trigger", "due_days"}); !ok) return std::unexpected(ok.error());
  FollowUp out;
  auto module = f.string("module", true);
  if (!module) return std::unexpected(module.error());
  out.module_slug = *module;
  auto trigger = f.string("trigger", false, "clicked");
  if (!trigger) return std::unexpected(trigger.error());
  out.trigger = *trigger;
  auto days = f.integer("due_days", false, 7);
  if (!days) return std::unexpected(days.error());
  out.due_days = static_cast<int>(std::clamp<std::int64_t>(*days, -1, 100000));
  return out;
}

Result<Campaign> read_campaign(const json::object& body) {
  FieldReader reader(body);
  if (auto ok = reader.only({"name", "templates", "group_ids", "page_id", "profile_id", "base_url",
                             "launch_at", "send_by", "jitter_seconds", "window", "follow_up"});
      !ok) {
    return std::unexpected(ok.error());
  }
  Campaign c;
  auto follow_up = read_follow_up(body);
  if (!follow_up) return std::unexpected(follow_up.error());
  c.follow_up = std::move(*follow_up);
  auto name = reader.string("name", true);
  if (!name) return std::unexpected(name.error());
  c.name = std::move(*name);
  auto templates = reader.array("templates", true);
  if (!templates) return std::unexpected(templates.error());
  for (std::size_t i = 0; i < (*templates)->size(); ++i) {
    const auto& item = (**templates)[i];
    const std::string prefix = fmt::format("templates[{}]", i);
    if (!item.is_object())
      return fail(ErrorCode::kInvalidType, prefix + " must be an object", prefix);
    FieldReader t(item.as_object(), prefix + ".");
    if (auto ok = t.only({"template_id", "weight"}); !ok) return std::unexpected(ok.error());
    auto id = t.integer("template_id", true);
    if (!id) return std::unexpected(id.error());
    auto weight = t.integer("weight", false, 1);
    if (!weight) return std::unexpected(weight.error());
    c.templates.push_back({*id, static_cast<int>(std::clamp<std::int64_t>(*weight, -1, 100000))});
  }
  auto groups = reader.array("group_ids", true);
  if (!groups) return std::unexpected(groups.error());
  for (std::size_t i = 0; i < (*groups)->size(); ++i) {
    const auto& item = (**groups)[i];
    if (!item.is_int64()) {
      const std::string field = fmt::format("group_ids[{}]", i);
      return fail(ErrorCode::kInvalidType, field + " must be an integer", field);
    }
    c.group_ids.push_back(item.as_int64());
  }
  if (reader.has("page_id") && !body.at("page_id").is_null()) {
    auto page = reader.integer("page_id");
    if (!page) return std::unexpected(page.error());
    c.page_id = *page;
  }
  auto profile = reader.integer("profile_id", true);
  if (!profile) return std::unexpected(profile.error());
  c.profile_id = *profile;
  auto base = reader.string("base_url");
  if (!base) return std::unexpected(base.error());
  c.base_url = std::move(*base);
  for (auto [key, out] : {std::pair{"launch_at", &c.launch_at}, std::pair{"send_by", &c.send_by}}) {
    auto t = read_time(body, key);
    if (!t) return std::unexpected(t.error());
    *out = *t;
  }
  auto jitter = reader.integer("jitter_seconds", false, 0);
  if (!jitter) return std::unexpected(jitter.error());
  c.jitter_seconds = static_cast<int>(std::clamp<std::int64_t>(*jitter, -1, 1000000));
  auto window = read_window(body);
  if (!window) return std::unexpected(window.error());
  c.window = *window;
  if (auto ok = validate_campaign(c); !ok) return std::unexpected(ok.error());
  return c;
}

// Every id the campaign names must exist in the caller's workspace.
Result<void> check_references(Repositories& repos, std::int64_t ws, const Campaign& c) {
  for (std::size_t i = 0; i < c.templates.size(); ++i) {
    if (!repos.templates.find_template(ws, c.templates[i].template_id)) {
      return fail(ErrorCode::kValidation, "no such template",
                  fmt::format("templates[{}].template_id", i));
    }
  }
  for (std::size_t i = 0; i < c.group_ids.size(); ++i) {
    if (!repos.groups.find_group(ws, c.group_ids[i])) {
      return fail(ErrorCode::kValidation, "no such group", fmt::format("group_ids[{}]", i));
    }
  }
  if (c.page_id && !repos.templates.find_page(ws, c.page_id)) {
    return fail(ErrorCode::kValidation, "no such landing page", "page_id");
  }
  if (!repos.templates.find_profile(ws, c.profile_id)) {
    return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
  }
  return {};
}

std::uint64_t random_seed() {
  const std::string token = crypto::random_token(8);
  std::uint64_t seed = 0;
  for (const char ch : token) seed = seed * 131 + static_cast<unsigned char>(ch);
  return seed & 0x7FFFFFFFFFFFFFFFull;  // stored as a signed 64-bit integer
}

class CampaignHandlers {
 public:
  explicit CampaignHandlers(ApiContext& context) : ctx_(context) {}

  // The follow-up module must be in the workspace's catalogue (validate_campaign
  // checks the rest).
  Result<void> check_follow_up(const Campaign& c, const Principal& who) const {
    if (c.follow_up && !c.follow_up->module_slug.empty() &&
        !ctx_.training->find(who.user.workspace_id, c.follow_up->module_slug)) {
      return fail(ErrorCode::kValidation, "no such training module", "follow_up.module");
    }
    return {};
  }

  Result<net::Response> create(net::Request& request, const Principal& who) {
    auto body = parse_body(request);
    if (!body) return std::unexpected(body.error());
    auto c = read_campaign(*body);
    if (!c) return std::unexpected(c.error());
    if (auto ok = check_follow_up(*c, who); !ok) return std::unexpected(ok.error());
    c->created_at = c->updated_at = ctx_.clock.now();
    c->seed = random_seed();
    std::optional<Campaign> created;
    auto written = ctx_.store.write([&](Repositories& repos) -> Result<void> {
      if (auto ok = check_references(repos, who.user.workspace_id, *c); !ok) return ok;
      auto saved = repos.campaigns.create_campaign(who.user.workspace_id, *c);
      if (!saved) return std::unexpected(saved.error());
      audit(repos, who, request, c->created_at, "campaign.create", "campaign", saved->id,
            {{"name", c->name}});
      created = std::move(*saved);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return json_response(201, campaign_json(*created, {}, ctx_.clock.now()));
  }

  Result<net::Response> list(net::Request& request, const Principal& who) {
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    json::object body;
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      auto campaigns = repos.campaigns.list_campaigns(who.user.workspace_id, *page);
      const auto now = ctx_.clock.now();
      body = list_body(campaigns.items, campaigns.next_after, [&](const Campaign& c) {
        return campaign_json(c, repos.results.count_recipients(c.id), now,
                             repos.results.result_counts(c.id));
      });
      return {};
    });
    if (!read) return std::unexpected(read.error());
    return json_response(200, body);
  }

  Result<net::Response> get(net::Request& request, const Principal& who) {
    return with_campaign(
        request, who, false, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          return campaign_json(c, repos.results.count_recipients(c.id), ctx_.clock.now(),
                               repos.results.result_counts(c.id));
        });
  }

  // GET /campaigns/{id}/timeline: people reaching each stage per time bucket
  // (at most ~200 buckets of a round size, chosen from the campaign's span).
  Result<net::Response> timeline(net::Request& request, const Principal& who) {
    return with_campaign(
        request, who, false, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          const auto [first, last] = repos.results.activity_span(c.id);
          const std::int64_t bucket = bucket_for_span(last - first);
          json::array buckets;
          for (const auto& b : repos.results.timeline(c.id, bucket)) {
            buckets.push_back(json::object{{"start", format_rfc3339(b.start)},
                                           {"sent", b.sent},
                                           {"opened", b.opened},
                                           {"clicked", b.clicked},
                                           {"submitted", b.submitted},
                                           {"reported", b.reported}});
          }
          return json::object{{"bucket_seconds", bucket}, {"buckets", std::move(buckets)}};
        });
  }

  // GET /campaigns/{id}/audience: how many people a launch would reach now
  // (distinct targets of its groups), or has reached once launched.
  Result<net::Response> audience(net::Request& request, const Principal& who) {
    return with_campaign(
        request, who, false, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          const std::int64_t people =
              c.status == CampaignStatus::kDraft
                  ? repos.campaigns.count_targets_of_groups(who.user.workspace_id, c.group_ids)
                  : repos.results.count_recipients(c.id).total;
          return json::object{{"recipients", people}};
        });
  }

  Result<net::Response> update(net::Request& request, const Principal& who) {
    auto body = parse_body(request);
    if (!body) return std::unexpected(body.error());
    auto input = read_campaign(*body);
    if (!input) return std::unexpected(input.error());
    if (auto ok = check_follow_up(*input, who); !ok) return std::unexpected(ok.error());
    return with_campaign(
        request, who, true, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          if (c.status != CampaignStatus::kDraft) {
            return fail(ErrorCode::kConflict,
                        "only a draft can be edited; this campaign was launched", "status");
          }
          if (auto ok = check_references(repos, who.user.workspace_id, *input); !ok) {
            return std::unexpected(ok.error());
          }
          input->id = c.id;
          input->seed = c.seed;
          input->created_at = c.created_at;
          input->updated_at = ctx_.clock.now();
          if (auto ok = repos.campaigns.update_campaign(who.user.workspace_id, *input); !ok) {
            return std::unexpected(ok.error());
          }
          audit(repos, who, request, input->updated_at, "campaign.update", "campaign", c.id,
                {{"name", input->name}});
          return campaign_json(*input, {}, input->updated_at);
        });
  }

  Result<net::Response> remove(net::Request& request, const Principal& who) {
    auto result = with_campaign(
        request, who, true, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          if (c.status == CampaignStatus::kActive) {
            return fail(ErrorCode::kConflict, "complete or cancel the campaign before deleting it",
                        "status");
          }
          repos.campaigns.delete_campaign(who.user.workspace_id, c.id);
          audit(repos, who, request, ctx_.clock.now(), "campaign.delete", "campaign", c.id,
                {{"name", c.name}});
          return nullptr;
        });
    if (!result) return result;
    return net::Response::no_content();
  }

  Result<net::Response> launch(net::Request& request, const Principal& who) {
    auto body = parse_body(request, true);
    if (!body) return std::unexpected(body.error());
    FieldReader reader(*body);
    if (auto ok = reader.only({"launch_at"}); !ok) return std::unexpected(ok.error());
    auto launch_at = read_time(*body, "launch_at");
    if (!launch_at) return std::unexpected(launch_at.error());
    auto response = with_campaign(
        request, who, true, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          if (c.status != CampaignStatus::kDraft) {
            return fail(ErrorCode::kConflict, "this campaign was already launched", "status");
          }
          const auto ws = who.user.workspace_id;
          if (auto ok = check_references(repos, ws, c); !ok) return std::unexpected(ok.error());
          const auto now = ctx_.clock.now();
          if (*launch_at) c.launch_at = *launch_at;
          if (c.launch_at < now) c.launch_at = now;
          if (c.send_by && c.send_by <= c.launch_at) {
            return fail(ErrorCode::kValidation, "send_by has passed; choose a later time",
                        "send_by");
          }
          const auto targets = repos.campaigns.targets_of_groups(ws, c.group_ids);
          if (targets.empty()) {
            return fail(ErrorCode::kValidation, "the chosen groups have no targets", "group_ids");
          }
          auto profile = repos.templates.find_profile(ws, c.profile_id);
          std::vector<VariantChoice> variants;
          std::map<std::int64_t, std::string> sender_of;  // variant → From address
          for (const auto& choice : c.templates) {
            auto content = repos.templates.find_template(ws, choice.template_id);
            CampaignVariant variant{0, choice.template_id, choice.weight, *content};
            const auto id = repos.campaigns.insert_variant(c.id, variant);
            variants.push_back({id, choice.weight});
            auto from =
                parse_mailbox(content->from.empty() ? profile->from : content->from, "from");
            sender_of[id] = from ? from->address : std::string();
          }
          SendPlanInput plan;
          plan.launch_at = c.launch_at;
          plan.send_by = c.send_by;
          plan.rate_per_minute = profile->rate_per_minute;
          plan.jitter_seconds = c.jitter_seconds;
          plan.window = c.window;
          plan.seed = c.seed;
          auto recipients = plan_recipients(
              targets, variants, plan, [] { return crypto::random_token(16); },
              [&](std::int64_t variant_id) { return new_message_id(sender_of[variant_id]); });
          if (!recipients) return std::unexpected(recipients.error());
          repos.campaigns.insert_recipients(ws, c.id, *recipients);
          c.status = CampaignStatus::kActive;
          c.launched_at = now;
          c.updated_at = now;
          repos.campaigns.set_campaign_state(c);
          audit(repos, who, request, now, "campaign.launch", "campaign", c.id,
                {{"recipients", static_cast<std::int64_t>(recipients->size())},
                 {"launch_at", format_rfc3339(c.launch_at)}});
          return campaign_json(c, repos.results.count_recipients(c.id), now,
                               repos.results.result_counts(c.id));
        });
    if (response) ctx_.on_launch();
    return response;
  }

  // complete (tracking stops) or cancel (nothing more is sent; results kept).
  Result<net::Response> finish(net::Request& request, const Principal& who, CampaignStatus target) {
    return with_campaign(
        request, who, true, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          if (c.status != CampaignStatus::kActive) {
            return fail(
                ErrorCode::kConflict,
                "only a launched campaign can be " +
                    std::string(target == CampaignStatus::kCompleted ? "completed" : "cancelled"),
                "status");
          }
          const auto now = ctx_.clock.now();
          const auto stopped = repos.campaigns.cancel_unsent(c.id);
          c.status = target;
          c.completed_at = now;
          c.updated_at = now;
          repos.campaigns.set_campaign_state(c);
          audit(repos, who, request, now,
                target == CampaignStatus::kCompleted ? "campaign.complete" : "campaign.cancel",
                "campaign", c.id, {{"unsent_cancelled", stopped}});
          return campaign_json(c, repos.results.count_recipients(c.id), now,
                               repos.results.result_counts(c.id));
        });
  }

  Result<net::Response> summary(net::Request& request, const Principal& who) {
    return with_campaign(
        request, who, false, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          const auto counts = repos.results.count_recipients(c.id);
          const auto results = repos.results.result_counts(c.id);
          json::object body = counts_json(counts);
          body["opened"] = results.opened;
          body["clicked"] = results.clicked;
          body["submitted"] = results.submitted;
          body["reported"] = results.reported;
          body["automated_events"] = results.automated_events;
          body["id"] = c.id;
          body["status"] = campaign_phase(c, ctx_.clock.now(), counts.queued + counts.sending > 0);
          return body;
        });
  }

  Result<net::Response> recipients(net::Request& request, const Principal& who) {
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    auto filter = recipient_filter(request);
    if (!filter) return std::unexpected(filter.error());
    return with_campaign(request, who, false,
                         [&](Repositories& repos, Campaign& c) -> Result<json::value> {
                           auto items = repos.results.list_recipients(c.id, *filter, *page);
                           return list_body(items.items, items.next_after, recipient_json);
                         });
  }

  // Every recipient matching the filters, with their results, as CSV.
  Result<net::Response> recipients_csv(net::Request& request, const Principal& who) {
    auto filter = recipient_filter(request);
    if (!filter) return std::unexpected(filter.error());
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    std::string csv;
    append_csv_record(
        csv, {"email", "first_name", "last_name", "position", "department", "state", "sent_at",
              "result", "opened_at", "clicked_at", "submitted_at", "reported_at", "last_error"});
    const auto text_time = [](std::int64_t t) { return t != 0 ? format_rfc3339(t) : ""; };
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      if (!repos.campaigns.find_campaign(who.user.workspace_id, *id)) return not_found();
      PageRequest page{0, 1000};
      for (;;) {
        auto items = repos.results.list_recipients(*id, *filter, page);
        for (const auto& r : items.items) {
          append_csv_record(
              csv, {r.fields.email, r.fields.first_name, r.fields.last_name, r.fields.position,
                    r.fields.department, std::string(send_state_name(r.state)),
                    text_time(r.sent_at), std::string(result_status_name(r.status_rank)),
                    text_time(r.first_opened_at), text_time(r.first_clicked_at),
                    text_time(r.first_submitted_at), text_time(r.reported_at), r.last_error});
        }
        if (!items.next_after) break;
        page.after_id = *items.next_after;
      }
      return {};
    });
    if (!read) return std::unexpected(read.error());
    return csv_attachment(std::move(csv), fmt::format("campaign-{}-recipients.csv", *id));
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
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    auto recipient = query_id(request, "recipient_id");
    if (!recipient) return std::unexpected(recipient.error());
    const std::int64_t recipient_id = recipient->value_or(0);
    return with_campaign(request, who, false,
                         [&](Repositories& repos, Campaign& c) -> Result<json::value> {
                           auto items = repos.events.list_events(c.id, recipient_id, *page);
                           return list_body(items.items, items.next_after, event_json);
                         });
  }

  // POST /campaigns/{id}/events/{event_id}/classification {"automated": bool}
  // An operator's verdict overrides the classifier; counters follow.
  Result<net::Response> classify(net::Request& request, const Principal& who) {
    auto event_id = path_id(request, "event_id");
    if (!event_id) return std::unexpected(event_id.error());
    auto body = parse_body(request);
    if (!body) return std::unexpected(body.error());
    FieldReader reader(*body);
    if (auto ok = reader.only({"automated"}); !ok) return std::unexpected(ok.error());
    if (!reader.has("automated")) {
      return fail(ErrorCode::kValidation, "automated is required", "automated");
    }
    auto automated = reader.boolean("automated", false);
    if (!automated) return std::unexpected(automated.error());
    return with_campaign(
        request, who, true, [&](Repositories& repos, Campaign& c) -> Result<json::value> {
          const std::string reason =
              *automated ? "marked automated by " + who.actor.label : std::string();
          if (!service::reclassify_event(repos, c.id, *event_id, *automated, reason,
                                         ctx_.clock.now())) {
            return not_found();
          }
          audit(repos, who, request, ctx_.clock.now(), "event.reclassify", "event", *event_id,
                {{"campaign_id", c.id}, {"automated", *automated}});
          const auto results = repos.results.result_counts(c.id);
          return json::object{{"id", *event_id},
                              {"automated", *automated},
                              {"reason", reason},
                              {"opened", results.opened},
                              {"clicked", results.clicked},
                              {"submitted", results.submitted},
                              {"reported", results.reported}};
        });
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

  // Loads the campaign named in the path (404 when not the caller's) and runs
  // `fn` in a read or write transaction; `fn`'s value becomes a 200 body.
  template <typename Fn>
  Result<net::Response> with_campaign(net::Request& request, const Principal& who, bool write,
                                      Fn&& fn) {
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    json::value body;
    auto work = [&](Repositories& repos) -> Result<void> {
      auto c = repos.campaigns.find_campaign(who.user.workspace_id, *id);
      if (!c) return not_found();
      auto value = fn(repos, *c);
      if (!value) return std::unexpected(value.error());
      body = std::move(*value);
      return {};
    };
    auto result = write ? ctx_.store.write(work) : ctx_.store.read(work);
    if (!result) return std::unexpected(result.error());
    return json_response(200, body);
  }

  ApiContext& ctx_;
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
