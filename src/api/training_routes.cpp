// Training: the module catalogue (list, preview with answers — operators may
// see them, learners never do before grading — and import of a module folder
// packed as tar), the workspace's training mail settings, assignments
// (create for targets and groups, list with filters, cancel) and the
// completion report per group, as JSON or CSV (one row per assignment: the
// evidence an auditor reads).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "api/admin_api.h"
#include "api/guard.h"
#include "api/handler_support.h"
#include "api/json_io.h"
#include "core/csv.h"
#include "core/time_format.h"
#include "service/assign_training.h"

namespace phishdrill::api {
namespace {

constexpr std::size_t kMaxAssignTargets = 100000;
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
  auto array = reader.array(key);
  if (!array) return std::unexpected(array.error());
  for (std::size_t i = 0; i < (*array)->size(); ++i) {
    const auto& item = (**array)[i];
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
    auto id = query_id(request, name);
    if (!id) return std::unexpected(id.error());
    *slot = id->value_or(0);
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
    auto imported = ctx_.training->import_tar(who.user.workspace_id, request.body);
    if (!imported) return std::unexpected(imported.error());
    const auto now = ctx_.clock.now();
    (void)ctx_.store.write([&](Repositories& repos) -> Result<void> {
      audit(repos, who, request, now, "training_module.import", "training_module", 0,
            {{"slug", imported->slug}, {"version", imported->version}});
      return {};
    });
    return json_response(201, summary_json(*imported));
  }

  Result<net::Response> get_settings(net::Request&, const Principal& who) {
    TrainingSettings s;
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      s = repos.training.settings(who.user.workspace_id);
      return {};
    });
    if (!read) return std::unexpected(read.error());
    return json_response(200, settings_json(s));
  }

  Result<net::Response> put_settings(net::Request& request, const Principal& who) {
    auto body = parse_body(request);
    if (!body) return std::unexpected(body.error());
    FieldReader r(*body);
    if (auto ok = r.only({"profile_id", "portal_base_url", "remind_days_before",
                          "overdue_every_days", "max_overdue_reminders", "cc_manager_when_overdue",
                          "link_valid_days", "follow_up_delay_seconds"});
        !ok) {
      return std::unexpected(ok.error());
    }
    TrainingSettings d;
    TrainingSettings s;
    if (body->contains("profile_id") && !body->at("profile_id").is_null()) {
      auto id = r.integer("profile_id");
      if (!id) return std::unexpected(id.error());
      s.profile_id = *id;
    }
    auto url = r.string("portal_base_url", false, "");
    if (!url) return std::unexpected(url.error());
    s.portal_base_url = *url;
    for (auto [name, slot, fallback] :
         {std::tuple{"remind_days_before", &s.remind_days_before, d.remind_days_before},
          std::tuple{"overdue_every_days", &s.overdue_every_days, d.overdue_every_days},
          std::tuple{"max_overdue_reminders", &s.max_overdue_reminders, d.max_overdue_reminders},
          std::tuple{"link_valid_days", &s.link_valid_days, d.link_valid_days},
          std::tuple{"follow_up_delay_seconds", &s.follow_up_delay_seconds,
                     d.follow_up_delay_seconds}}) {
      auto v = r.integer(name, false, fallback);
      if (!v) return std::unexpected(v.error());
      *slot = static_cast<int>(std::clamp<std::int64_t>(*v, -1, 100000));
    }
    auto cc = r.boolean("cc_manager_when_overdue", false);
    if (!cc) return std::unexpected(cc.error());
    s.cc_manager_when_overdue = *cc;
    if (auto ok = validate_training_settings(s); !ok) return std::unexpected(ok.error());
    const auto now = ctx_.clock.now();
    auto written = ctx_.store.write([&](Repositories& repos) -> Result<void> {
      if (s.profile_id != 0 && !repos.templates.find_profile(who.user.workspace_id, s.profile_id)) {
        return fail(ErrorCode::kValidation, "no such sending profile", "profile_id");
      }
      repos.training.save_settings(who.user.workspace_id, s);
      audit(repos, who, request, now, "training_settings.update", "training_settings", 0);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return json_response(200, settings_json(s));
  }

  Result<net::Response> assign(net::Request& request, const Principal& who) {
    auto body = parse_body(request);
    if (!body) return std::unexpected(body.error());
    FieldReader r(*body);
    if (auto ok = r.only({"module", "target_ids", "group_ids", "due_at"}); !ok) {
      return std::unexpected(ok.error());
    }
    auto slug = r.string("module", true);
    if (!slug) return std::unexpected(slug.error());
    const auto module = ctx_.training->find(who.user.workspace_id, *slug);
    if (!module) return fail(ErrorCode::kValidation, "no such training module", "module");
    auto targets = read_ids(r, "target_ids");
    if (!targets) return std::unexpected(targets.error());
    auto groups = read_ids(r, "group_ids");
    if (!groups) return std::unexpected(groups.error());
    if (targets->empty() && groups->empty()) {
      return fail(ErrorCode::kValidation, "choose at least one target or group", "target_ids");
    }
    auto due_text = r.string("due_at", true);
    if (!due_text) return std::unexpected(due_text.error());
    const auto due = parse_rfc3339(*due_text);
    const auto now = ctx_.clock.now();
    if (!due) {
      return fail(ErrorCode::kValidation,
                  "due_at must be an RFC 3339 time such as 2026-12-01T17:00:00Z", "due_at");
    }
    if (*due <= now) return fail(ErrorCode::kValidation, "due_at must be in the future", "due_at");
    if (*due > now + 366LL * 86400) {
      return fail(ErrorCode::kValidation, "due_at must be within a year", "due_at");
    }
    AssignOutcome outcome;
    bool emailed = false;
    const std::int64_t ws = who.user.workspace_id;
    auto written = ctx_.store.write([&](Repositories& repos) -> Result<void> {
      for (std::size_t i = 0; i < groups->size(); ++i) {
        if (!repos.groups.find_group(ws, (*groups)[i])) {
          return fail(ErrorCode::kValidation, "no such group", fmt::format("group_ids[{}]", i));
        }
      }
      const auto unknown = repos.training.unknown_targets(ws, *targets);
      if (!unknown.empty()) {
        const auto at = std::find(targets->begin(), targets->end(), unknown.front());
        return fail(ErrorCode::kValidation, "no such target",
                    fmt::format("target_ids[{}]", at - targets->begin()));
      }
      std::set<std::int64_t> everyone(targets->begin(), targets->end());
      if (!groups->empty()) {
        for (const auto& t : repos.campaigns.targets_of_groups(ws, *groups)) everyone.insert(t.id);
      }
      if (everyone.size() > kMaxAssignTargets) {
        return fail(ErrorCode::kValidation, "at most 100000 people per request", "group_ids");
      }
      const TrainingSettings mail = repos.training.settings(ws);
      emailed = mail.profile_id != 0;
      NewAssignments request_data;
      request_data.target_ids.assign(everyone.begin(), everyone.end());
      request_data.module_slug = module->slug;
      request_data.profile_id = mail.profile_id;
      request_data.portal_base_url =
          mail.portal_base_url.empty() ? ctx_.phish_base_url : mail.portal_base_url;
      request_data.due_at = *due;
      request_data.now = now;
      outcome = service::assign_training(repos, ws, request_data, mail);
      audit(repos, who, request, now, "assignment.create", "training_module", 0,
            {{"module", module->slug},
             {"created", outcome.created},
             {"already_assigned", outcome.already_assigned}});
      return {};
    });
    if (!written) return std::unexpected(written.error());
    if (outcome.created > 0) ctx_.on_launch();  // wakes the dispatcher for the notices
    return json_response(201, json::object{{"created", outcome.created},
                                           {"already_assigned", outcome.already_assigned},
                                           {"emailed", emailed}});
  }

  Result<net::Response> list(net::Request& request, const Principal& who) {
    auto page = page_request(request);
    if (!page) return std::unexpected(page.error());
    const auto now = ctx_.clock.now();
    auto filter = read_filter(request, now);
    if (!filter) return std::unexpected(filter.error());
    Page<Assignment> items;
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      items = repos.training.list_assignments(who.user.workspace_id, *filter, *page);
      return {};
    });
    if (!read) return std::unexpected(read.error());
    const auto modules = ctx_.training->modules(who.user.workspace_id);
    return json_response(200, list_body(items.items, items.next_after, [&](const Assignment& a) {
                           return assignment_json(a, *modules, now);
                         }));
  }

  Result<net::Response> get(net::Request& request, const Principal& who) {
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    std::optional<Assignment> a;
    std::vector<QuizAttempt> attempts;
    std::vector<TrainingMailRecord> mails;
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      a = repos.training.find_assignment(who.user.workspace_id, *id);
      if (a) {
        attempts = repos.training.attempts_of(a->id);
        mails = repos.training.mails_of(a->id);
      }
      return {};
    });
    if (!read) return std::unexpected(read.error());
    if (!a) return not_found();
    json::object out =
        assignment_json(*a, *ctx_.training->modules(who.user.workspace_id), ctx_.clock.now());
    json::array list;
    for (const auto& t : attempts) {
      list.push_back(json::object{{"submitted_at", format_rfc3339(t.submitted_at)},
                                  {"score", t.score},
                                  {"passed", t.passed},
                                  {"module_version", t.module_version}});
    }
    out["quiz_attempts"] = std::move(list);
    json::array emails;
    for (const auto& m : mails) {
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
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    const auto now = ctx_.clock.now();
    std::optional<Assignment> after;
    auto written = ctx_.store.write([&](Repositories& repos) -> Result<void> {
      auto a = repos.training.find_assignment(who.user.workspace_id, *id);
      if (!a) return not_found();
      if (!repos.training.cancel_assignment(who.user.workspace_id, *id,
                                            "cancelled by " + who.user.email, now)) {
        return fail(ErrorCode::kConflict,
                    fmt::format("this assignment is {} and cannot be cancelled",
                                assignment_status_name(a->status)));
      }
      audit(repos, who, request, now, "assignment.cancel", "assignment", *id);
      after = repos.training.find_assignment(who.user.workspace_id, *id);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    return json_response(
        200, assignment_json(*after, *ctx_.training->modules(who.user.workspace_id), now));
  }

  // POST /training/assignments/{id}/remind: a reminder with a fresh link, now.
  Result<net::Response> remind(net::Request& request, const Principal& who) {
    auto id = path_id(request);
    if (!id) return std::unexpected(id.error());
    const auto now = ctx_.clock.now();
    auto written = ctx_.store.write([&](Repositories& repos) -> Result<void> {
      auto a = repos.training.find_assignment(who.user.workspace_id, *id);
      if (!a) return not_found();
      if (!a->open()) {
        return fail(ErrorCode::kConflict,
                    fmt::format("this assignment is {}: there is nothing to remind about",
                                assignment_status_name(a->status)));
      }
      if (a->profile_id == 0) {
        return fail(ErrorCode::kConflict,
                    "this assignment sends no email: it was made without a training sending "
                    "profile (see /training/settings)");
      }
      if (!repos.training.remind_now(who.user.workspace_id, *id, now)) {
        return fail(ErrorCode::kConflict, "an email to this person is already on its way");
      }
      audit(repos, who, request, now, "assignment.remind", "assignment", *id);
      return {};
    });
    if (!written) return std::unexpected(written.error());
    ctx_.on_launch();  // wakes the dispatcher
    return json_response(202, json::object{{"queued", true}});
  }

  Result<net::Response> report(net::Request& request, const Principal& who) {
    auto group_param = query_id(request, "group_id");
    if (!group_param) return std::unexpected(group_param.error());
    const std::int64_t group = group_param->value_or(0);
    const auto now = ctx_.clock.now();
    std::vector<TrainingReportRow> rows;
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      if (group != 0 && !repos.groups.find_group(who.user.workspace_id, group)) {
        return fail(ErrorCode::kValidation, "no such group", "group_id");
      }
      rows = repos.training.report(who.user.workspace_id, group, now);
      return {};
    });
    if (!read) return std::unexpected(read.error());
    json::array items;
    std::int64_t assigned = 0, completed = 0, overdue = 0, people_done = 0, people_assigned = 0;
    for (const auto& r : rows) {
      assigned += r.assigned;
      completed += r.completed;
      overdue += r.overdue;
      if (r.assigned > 0) ++people_assigned;
      if (r.assigned > 0 && r.completed == r.assigned) ++people_done;
      items.push_back(json::object{{"target", target_json(r.target)},
                                   {"assigned", r.assigned},
                                   {"completed", r.completed},
                                   {"overdue", r.overdue},
                                   {"last_completed_at", time_or_null(r.last_completed_at)}});
    }
    const double rate = assigned > 0 ? static_cast<double>(completed) / assigned : 0.0;
    return json_response(200,
                         json::object{{"items", std::move(items)},
                                      {"totals", json::object{{"people", rows.size()},
                                                              {"people_assigned", people_assigned},
                                                              {"people_completed_all", people_done},
                                                              {"assigned", assigned},
                                                              {"completed", completed},
                                                              {"overdue", overdue},
                                                              {"completion_rate", rate}}}});
  }

  Result<net::Response> report_csv(net::Request& request, const Principal& who) {
    auto group_param = query_id(request, "group_id");
    if (!group_param) return std::unexpected(group_param.error());
    const std::int64_t group = group_param->value_or(0);
    const auto now = ctx_.clock.now();
    std::string csv;
    append_csv_record(
        csv, {"email", "first_name", "last_name", "department", "module", "module_title",
              "module_version", "reason", "campaign_id", "assigned_at", "due_at", "status",
              "started_at", "completed_at", "score", "passed", "attempts", "reminders_sent"});
    const auto modules = ctx_.training->modules(who.user.workspace_id);
    auto read = ctx_.store.read([&](Repositories& repos) -> Result<void> {
      if (group != 0 && !repos.groups.find_group(who.user.workspace_id, group)) {
        return fail(ErrorCode::kValidation, "no such group", "group_id");
      }
      AssignmentFilter filter;
      filter.group_id = group;
      filter.now = now;
      PageRequest page{0, 500};
      for (;;) {
        auto items = repos.training.list_assignments(who.user.workspace_id, filter, page);
        for (const auto& a : items.items) append_row(csv, a, *modules, now);
        if (!items.next_after) break;
        page.after_id = *items.next_after;
      }
      return {};
    });
    if (!read) return std::unexpected(read.error());
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
