// Training: the module catalogue (list, preview with answers — operators may
// see them, learners never do before grading — and import of a module folder
// packed as tar), the workspace's training mail settings, assignments
// (create for targets and groups, list with filters, cancel) and the
// completion report per group, as JSON or CSV (one row per assignment: the
// evidence an auditor reads).
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/csv.h"
#include "core/time_format.h"
#include "service/assign_module.h"
#include "service/training_admin.h"

namespace phishdrill::api {
namespace {

constexpr std::size_t kImportBodyLimit = 24 * 1024 * 1024;

json::value time_or_null(std::int64_t t) {
  return t != 0 ? json::value(format_rfc3339(t)) : json::value(nullptr);
}

json::object summary_json(const TrainingModule& m) {
  json::array tags;
  for (const auto& t : m.tags) tags.push_back(json::string(t));
  return {{"slug", m.slug},
          {"title", m.title},
          {"summary", m.summary},
          {"minutes", m.minutes},
          {"locale", m.locale},
          {"version", m.version},
          {"tags", std::move(tags)},
          {"pass_mark", m.pass_mark},
          {"lessons", m.lessons.size()},
          {"questions", m.quiz.size()}};
}

json::object module_json(const TrainingModule& m) {
  json::object out = summary_json(m);
  json::array lessons;
  for (const auto& l : m.lessons) {
    lessons.push_back(json::object{{"file", l.file}, {"title", l.title}, {"html", l.html}});
  }
  json::array quiz;
  for (const auto& q : m.quiz) {
    json::array choices;
    for (const auto& c : q.choices) choices.push_back(json::string(c));
    json::array answers;
    for (const int a : q.answers) answers.push_back(a);
    quiz.push_back(json::object{{"id", q.id},
                                {"text", q.text},
                                {"choices", std::move(choices)},
                                {"answers", std::move(answers)},
                                {"explanation", q.explanation}});
  }
  out["lessons"] = std::move(lessons);
  out["quiz"] = std::move(quiz);
  return out;
}

json::object target_json(const AssignedTarget& t) {
  return {{"id", t.id},
          {"email", t.email},
          {"first_name", t.first_name},
          {"last_name", t.last_name},
          {"department", t.department}};
}

json::object assignment_json(const Assignment& a, const ModuleList& catalogue, std::int64_t now) {
  const auto found = std::find_if(catalogue.begin(), catalogue.end(),
                                  [&](const TrainingModule& m) { return m.slug == a.module_slug; });
  const TrainingModule* module = found == catalogue.end() ? nullptr : &*found;
  return {{"id", a.id},
          {"target", target_json(a.target)},
          {"module",
           json::object{{"slug", a.module_slug},
                        {"title", module ? json::value(module->title) : json::value(nullptr)},
                        {"version", module ? json::value(module->version) : json::value(nullptr)}}},
          {"reason", a.reason},
          {"campaign_id", a.campaign_id != 0 ? json::value(a.campaign_id) : json::value(nullptr)},
          {"assigned_at", format_rfc3339(a.assigned_at)},
          {"due_at", format_rfc3339(a.due_at)},
          {"status", assignment_display_status(a, now)},
          {"started_at", time_or_null(a.started_at)},
          {"completed_at", time_or_null(a.completed_at)},
          {"score", a.score ? json::value(*a.score) : json::value(nullptr)},
          {"passed", a.passed ? json::value(*a.passed) : json::value(nullptr)},
          {"module_version",
           a.module_version != 0 ? json::value(a.module_version) : json::value(nullptr)},
          {"attempts", a.attempts},
          {"reminders_sent", a.reminders_sent},
          {"cancel_reason",
           a.cancel_reason.empty() ? json::value(nullptr) : json::value(a.cancel_reason)}};
}

json::object settings_json(const TrainingSettings& s) {
  return {{"profile_id", s.profile_id != 0 ? json::value(s.profile_id) : json::value(nullptr)},
          {"portal_base_url", s.portal_base_url},
          {"remind_days_before", s.remind_days_before},
          {"overdue_every_days", s.overdue_every_days},
          {"max_overdue_reminders", s.max_overdue_reminders},
          {"cc_manager_when_overdue", s.cc_manager_when_overdue},
          {"link_valid_days", s.link_valid_days},
          {"follow_up_delay_seconds", s.follow_up_delay_seconds}};
}

Result<std::vector<std::int64_t>> read_ids(const FieldReader& reader, std::string_view key) {
  std::vector<std::int64_t> ids;
  if (!reader.has(key)) return ids;
  const auto* array = PD_TRY(reader.array(key));
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& item = (*array)[i];
    if (!item.is_int64() || item.as_int64() <= 0) {
      const std::string field = fmt::format("{}[{}]", key, i);
      return fail(ErrorCode::kInvalidType, field + " must be a positive integer", field);
    }
    ids.push_back(item.as_int64());
  }
  return ids;
}

Result<AssignmentFilter> read_filter(const net::Request& request, std::int64_t now) {
  AssignmentFilter f;
  f.now = now;
  if (auto slug = request.query_param("module")) f.module_slug = std::string(*slug);
  for (auto [name, slot] :
       {std::pair{"group_id", &f.group_id}, std::pair{"target_id", &f.target_id},
        std::pair{"campaign_id", &f.campaign_id}}) {
    *slot = PD_TRY(query_id(request, name)).value_or(0);
  }
  if (auto status = request.query_param("status")) {
    if (*status == "overdue") {
      f.overdue_only = true;
    } else {
      f.status = parse_assignment_status(*status);
      if (!f.status) {
        return fail(ErrorCode::kValidation,
                    "status must be assigned, in_progress, completed, overdue or cancelled",
                    "status");
      }
    }
  }
  return f;
}

// PUT /training/settings: absent numbers take their defaults, and every
// number is clamped to -1..100000 before the rules check it.
Result<TrainingSettings> read_settings(const json::object& body) {
  FieldReader r(body);
  PD_TRY(r.only({"profile_id", "portal_base_url", "remind_days_before", "overdue_every_days",
                 "max_overdue_reminders", "cc_manager_when_overdue", "link_valid_days",
                 "follow_up_delay_seconds"}));
  TrainingSettings d;
  TrainingSettings s;
  if (body.contains("profile_id") && !body.at("profile_id").is_null()) {
    s.profile_id = PD_TRY(r.integer("profile_id"));
  }
  s.portal_base_url = PD_TRY(r.string("portal_base_url", false, ""));
  for (auto [name, slot, fallback] :
       {std::tuple{"remind_days_before", &s.remind_days_before, d.remind_days_before},
        std::tuple{"overdue_every_days", &s.overdue_every_days, d.overdue_every_days},
        std::tuple{"max_overdue_reminders", &s.max_overdue_reminders, d.max_overdue_reminders},
        std::tuple{"link_valid_days", &s.link_valid_days, d.link_valid_days},
        std::tuple{"follow_up_delay_seconds", &s.follow_up_delay_seconds,
                   d.follow_up_delay_seconds}}) {
    const auto v = PD_TRY(r.integer(name, false, fallback));
    *slot = static_cast<int>(std::clamp<std::int64_t>(v, -1, 100000));
  }
  s.cc_manager_when_overdue = PD_TRY(r.boolean("cc_manager_when_overdue", false));
  return s;
}

// A required RFC 3339 time.
Result<std::int64_t> read_due_at(const FieldReader& r) {
  const auto text = PD_TRY(r.string("due_at", true));
  const auto due = parse_rfc3339(text);
  if (!due) {
    return fail(ErrorCode::kValidation,
                "due_at must be an RFC 3339 time such as 2026-12-01T17:00:00Z", "due_at");
  }
  return *due;
}

// POST /training/assignments: the fields' types; their meaning is the service's.
Result<service::ModuleAssignment> read_assignment(const json::object& body) {
  FieldReader r(body);
  PD_TRY(r.only({"module", "target_ids", "group_ids", "due_at"}));
  service::ModuleAssignment wanted;
  wanted.module_slug = PD_TRY(r.string("module", true));
  wanted.target_ids = PD_TRY(read_ids(r, "target_ids"));
  wanted.group_ids = PD_TRY(read_ids(r, "group_ids"));
  wanted.due_at = read_due_at(r);
  return wanted;
}

class TrainingHandlers {
 public:
  explicit TrainingHandlers(ApiContext& context) : ctx_(context) {}

  Result<net::Response> modules(net::Request&, const Principal& who) {
    json::array items;
    for (const auto& m : *ctx_.training->modules(who.user.workspace_id)) {
      items.push_back(summary_json(m));
    }
    return json_response(200, json::object{{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  Result<net::Response> module(net::Request& request, const Principal& who) {
    const auto m = ctx_.training->find(who.user.workspace_id, request.path_param("slug"));
    if (!m) return not_found();
    return json_response(200, module_json(*m));
  }

  Result<net::Response> import_module(net::Request& request, const Principal& who) {
    if (request.body.empty()) {
      return fail(ErrorCode::kValidation,
                  "send the module folder as a tar archive (Content-Type: application/x-tar)");
    }
    const auto imported = PD_TRY(service::import_training_module(
        ctx_.store, *ctx_.training, caller(who, request), request.body, ctx_.clock.now()));
    return json_response(201, summary_json(imported));
  }

  Result<net::Response> get_settings(net::Request& request, const Principal& who) {
    const auto s = PD_TRY(service::training_settings(ctx_.store, caller(who, request)));
    return json_response(200, settings_json(s));
  }

  Result<net::Response> put_settings(net::Request& request, const Principal& who) {
    const auto body = PD_TRY(parse_body(request));
    const auto s = PD_TRY(read_settings(body));
    const auto saved = PD_TRY(
        service::update_training_settings(ctx_.store, caller(who, request), s, ctx_.clock.now()));
    return json_response(200, settings_json(saved));
  }

  Result<net::Response> assign(net::Request& request, const Principal& who) {
    const auto body = PD_TRY(parse_body(request));
    const auto wanted = PD_TRY(read_assignment(body));
    const auto assigned =
        PD_TRY(service::assign_module(ctx_.store, *ctx_.training, caller(who, request), wanted,
                                      ctx_.phish_base_url, ctx_.clock.now()));
    if (assigned.outcome.created > 0) ctx_.on_launch();  // wakes the dispatcher for the notices
    return json_response(201, json::object{{"created", assigned.outcome.created},
                                           {"already_assigned", assigned.outcome.already_assigned},
                                           {"emailed", assigned.emailed}});
  }

  Result<net::Response> list(net::Request& request, const Principal& who) {
    const auto page = PD_TRY(page_request(request));
    const auto now = ctx_.clock.now();
    const auto filter = PD_TRY(read_filter(request, now));
    const auto items =
        PD_TRY(service::list_assignments(ctx_.store, caller(who, request), filter, page));
    const auto modules = ctx_.training->modules(who.user.workspace_id);
    return json_response(200, list_body(items.items, items.next_after, [&](const Assignment& a) {
                           return assignment_json(a, *modules, now);
                         }));
  }

  Result<net::Response> get(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    const auto detail = PD_TRY(service::assignment_detail(ctx_.store, caller(who, request), id));
    json::object out = assignment_json(
        detail.assignment, *ctx_.training->modules(who.user.workspace_id), ctx_.clock.now());
    json::array list;
    for (const auto& t : detail.attempts) {
      list.push_back(json::object{{"submitted_at", format_rfc3339(t.submitted_at)},
                                  {"score", t.score},
                                  {"passed", t.passed},
                                  {"module_version", t.module_version}});
    }
    out["quiz_attempts"] = std::move(list);
    json::array emails;
    for (const auto& m : detail.mails) {
      emails.push_back(json::object{{"kind", m.kind},
                                    {"state", m.state},
                                    {"send_at", format_rfc3339(m.send_at)},
                                    {"sent_at", time_or_null(m.sent_at)},
                                    {"attempts", m.attempts},
                                    {"last_error", m.last_error}});
    }
    out["emails"] = std::move(emails);
    return json_response(200, out);
  }

  Result<net::Response> cancel(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    const auto now = ctx_.clock.now();
    const auto after = PD_TRY(
        service::cancel_assignment(ctx_.store, caller(who, request), id, who.user.email, now));
    return json_response(
        200, assignment_json(after, *ctx_.training->modules(who.user.workspace_id), now));
  }

  // POST /training/assignments/{id}/remind: a reminder with a fresh link, now.
  Result<net::Response> remind(net::Request& request, const Principal& who) {
    const auto id = PD_TRY(path_id(request));
    PD_TRY(service::remind_assignment(ctx_.store, caller(who, request), id, ctx_.clock.now()));
    ctx_.on_launch();  // wakes the dispatcher
    return json_response(202, json::object{{"queued", true}});
  }

  Result<net::Response> report(net::Request& request, const Principal& who) {
    const std::int64_t group = PD_TRY(query_id(request, "group_id")).value_or(0);
    const auto report =
        PD_TRY(service::training_report(ctx_.store, caller(who, request), group, ctx_.clock.now()));
    json::array items;
    for (const auto& r : report.rows) {
      items.push_back(json::object{{"target", target_json(r.target)},
                                   {"assigned", r.assigned},
                                   {"completed", r.completed},
                                   {"overdue", r.overdue},
                                   {"last_completed_at", time_or_null(r.last_completed_at)}});
    }
    const auto& t = report.totals;
    return json_response(
        200, json::object{{"items", std::move(items)},
                          {"totals", json::object{{"people", t.people},
                                                  {"people_assigned", t.people_assigned},
                                                  {"people_completed_all", t.people_completed_all},
                                                  {"assigned", t.assigned},
                                                  {"completed", t.completed},
                                                  {"overdue", t.overdue},
                                                  {"completion_rate", t.completion_rate}}}});
  }

  Result<net::Response> report_csv(net::Request& request, const Principal& who) {
    const std::int64_t group = PD_TRY(query_id(request, "group_id")).value_or(0);
    const auto now = ctx_.clock.now();
    std::string csv;
    append_csv_record(
        csv, {"email", "first_name", "last_name", "department", "module", "module_title",
              "module_version", "reason", "campaign_id", "assigned_at", "due_at", "status",
              "started_at", "completed_at", "score", "passed", "attempts", "reminders_sent"});
    const auto modules = ctx_.training->modules(who.user.workspace_id);
    PD_TRY(service::for_each_reported_assignment(
        ctx_.store, caller(who, request), group, now,
        [&](const Assignment& a) { append_row(csv, a, *modules, now); }));
    return csv_attachment(std::move(csv), group != 0 ? fmt::format("training-group-{}.csv", group)
                                                     : std::string("training.csv"));
  }

 private:
  void append_row(std::string& csv, const Assignment& a, const ModuleList& modules,
                  std::int64_t now) const {
    const auto found = std::find_if(modules.begin(), modules.end(), [&](const TrainingModule& m) {
      return m.slug == a.module_slug;
    });
    const TrainingModule* module = found == modules.end() ? nullptr : &*found;
    const auto text_time = [](std::int64_t t) { return t != 0 ? format_rfc3339(t) : ""; };
    append_csv_record(
        csv, {a.target.email, a.target.first_name, a.target.last_name, a.target.department,
              a.module_slug, module ? module->title : "",
              a.module_version != 0 ? std::to_string(a.module_version) : "", a.reason,
              a.campaign_id != 0 ? std::to_string(a.campaign_id) : "", text_time(a.assigned_at),
              text_time(a.due_at), std::string(assignment_display_status(a, now)),
              text_time(a.started_at), text_time(a.completed_at),
              a.score ? std::to_string(*a.score) : "", a.passed ? (*a.passed ? "yes" : "no") : "",
              std::to_string(a.attempts), std::to_string(a.reminders_sent)});
  }

  ApiContext& ctx_;
};

template <typename Method>
ApiHandler bind(std::shared_ptr<TrainingHandlers> handlers, Method method) {
  return [handlers, method](net::Request& request, const Principal& who) {
    return ((*handlers).*method)(request, who);
  };
}

}  // namespace

void add_training_routes(net::Router& router, ApiContext& context) {
  auto& ctx = context;
  auto h = std::make_shared<TrainingHandlers>(context);
  using T = TrainingHandlers;
  router.add("GET", "/api/v1/training/modules", guard(ctx, Role::kViewer, bind(h, &T::modules)));
  router.add("GET", "/api/v1/training/modules/{slug}",
             guard(ctx, Role::kViewer, bind(h, &T::module)));
  router.add("POST", "/api/v1/training/modules/import",
             guard(ctx, Role::kAdmin, bind(h, &T::import_module)), kImportBodyLimit);
  router.add("GET", "/api/v1/training/settings",
             guard(ctx, Role::kViewer, bind(h, &T::get_settings)));
  router.add("PUT", "/api/v1/training/settings",
             guard(ctx, Role::kAdmin, bind(h, &T::put_settings)));
  router.add("POST", "/api/v1/training/assignments",
             guard(ctx, Role::kOperator, bind(h, &T::assign)));
  router.add("GET", "/api/v1/training/assignments", guard(ctx, Role::kViewer, bind(h, &T::list)));
  router.add("GET", "/api/v1/training/assignments/{id}",
             guard(ctx, Role::kViewer, bind(h, &T::get)));
  router.add("POST", "/api/v1/training/assignments/{id}/cancel",
             guard(ctx, Role::kOperator, bind(h, &T::cancel)));
  router.add("POST", "/api/v1/training/assignments/{id}/remind",
             guard(ctx, Role::kOperator, bind(h, &T::remind)));
  router.add("GET", "/api/v1/training/report", guard(ctx, Role::kViewer, bind(h, &T::report)));
  router.add("GET", "/api/v1/training/report.csv",
             guard(ctx, Role::kViewer, bind(h, &T::report_csv)));
}

}  // namespace phishdrill::api
