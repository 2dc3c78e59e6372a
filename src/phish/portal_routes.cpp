#include "phish/portal_routes.h"

#include <spdlog/spdlog.h>

#include <charconv>
#include <map>
#include <set>

#include "core/log_text.h"
#include "core/window_limiter.h"
#include "crypto/sodium.h"
#include "phish/portal_pages.h"
#include "training/quiz_grader.h"

namespace phishdrill::phish {
namespace {

constexpr std::size_t kQuizBodyLimit = 64 * 1024;

std::int64_t to_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return 0;
  return value;
}

net::Response secure(net::Response response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("Referrer-Policy", "no-referrer");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("X-Frame-Options", "DENY");
  response.set_header("Content-Security-Policy",
                      "default-src 'none'; style-src 'self'; img-src 'self'; "
                      "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  return response;
}

net::Response html(int status, std::string body) {
  return secure(net::Response::text(status, std::move(body), "text/html; charset=utf-8"));
}

// The open assignment a /start link is issued for: the campaign's own
// follow-up, else the person's first open one (open ones come first).
std::optional<Assignment> start_assignment(const std::vector<Assignment>& assignments,
                                           std::int64_t campaign_id) {
  std::optional<Assignment> first_open;
  for (const auto& a : assignments) {
    if (!a.open()) continue;
    if (a.campaign_id == campaign_id) return a;
    if (!first_open) first_open = a;
  }
  return first_open;
}

// A person's visit: their link and, when the path names one, their assignment
// with its module.
struct Visit {
  PortalLink link;
  PortalLinks links;
  PortalItem item;
};

class Portal {
 public:
  Portal(Store& store, const Clock& clock, std::shared_ptr<const TrainingCatalogue> catalogue,
         PortalSettings settings)
      : store_(store),
        clock_(clock),
        catalogue_(std::move(catalogue)),
        settings_(std::move(settings)) {}

  net::Response stylesheet(net::Request&) {
    auto r = net::Response::text(200, std::string(portal_css()), "text/css; charset=utf-8");
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
  }

  // Issues a personal link only for a campaign with a follow-up and a
  // person with an open assignment (the campaign's own, else their earliest
  // due); a repeat call replaces that assignment's link instead of adding one.
  // Rate-limited per client address: rids are guessable only by brute force,
  // and each guess costs a lookup.
  net::Response start(net::Request& request) {
    if (over_start_limit(request.remote_ip)) {
      auto r = message(429, "Please wait a moment",
                       "Too many requests from your network. Try the link again in a minute.");
      r.set_header("Retry-After", "60");
      return r;
    }
    const auto rid = request.query_param(settings_.rid_parameter);
    std::optional<RidInfo> info;
    if (rid && !rid->empty() && rid->size() <= 128) {
      auto read = store_.read([&](Repositories& repos) -> Result<void> {
        info = repos.events.find_rid(*rid);
        return {};
      });
      if (!read) return failure(read.error());
    }
    if (!info || info->campaign_status != CampaignStatus::kActive || !info->has_follow_up) {
      return message(404, "This link is not valid",
                     "This training link has expired or is not valid. Use the link in your "
                     "training email, or ask your security team for a new one.");
    }
    const auto now = clock_.now();
    const std::string token = crypto::random_token(32);
    bool issued = false;
    auto written = store_.write([&](Repositories& repos) -> Result<void> {
      const auto assignment =
          start_assignment(repos.portal.assignments_of_target(info->workspace_id, info->target_id),
                           info->campaign_id);
      if (!assignment) return {};
      const auto days = repos.training.settings(info->workspace_id).link_valid_days;
      repos.portal.replace_start_link(info->workspace_id, info->target_id, assignment->id,
                                      crypto::hash_token(token), now,
                                      now + static_cast<std::int64_t>(days) * 86400);
      issued = true;
      return {};
    });
    if (!written) return failure(written.error());
    if (!issued) {
      return message(200, "No training waiting",
                     "There is no training for you to do right now. Thank you for taking a "
                     "moment to learn about phishing.");
    }
    auto r = secure(net::Response::text(303, "", "text/plain; charset=utf-8"));
    r.set_header("Location", settings_.path + "/" + token);
    return r;
  }

  net::Response home(net::Request& request) {
    Visit v;
    if (auto refused = open_link(request, v)) return *refused;
    std::vector<PortalItem> items;
    (void)store_.read([&](Repositories& repos) -> Result<void> {
      for (auto& a : repos.portal.assignments_of_target(v.link.workspace_id, v.link.target_id)) {
        items.push_back({std::move(a), nullptr});
      }
      return {};
    });
    // Modules are held by this snapshot while the page is built.
    const auto modules = catalogue_->modules(v.link.workspace_id);
    for (auto& item : items) item.module = find_in(*modules, item.assignment.module_slug);
    const std::string first_name = items.empty() ? "" : items.front().assignment.target.first_name;
    return html(200, portal_home_html(v.links, first_name, items, clock_.now()));
  }

  net::Response overview(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    return html(200, module_overview_html(v.links, v.item, clock_.now()));
  }

  net::Response lesson(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    const auto n = to_id(request.path_param("n"));
    if (n == 0 || static_cast<std::size_t>(n) > v.item.module->lessons.size()) {
      return message(404, "No such lesson", "This module has no lesson with that number.",
                     v.links.assignment(v.item.assignment.id), "Back to the module");
    }
    (void)store_.write([&](Repositories& repos) -> Result<void> {
      repos.portal.mark_started(v.item.assignment.id, clock_.now());
      return {};
    });
    return html(200, lesson_html(v.links, v.item, static_cast<std::size_t>(n - 1)));
  }

  net::Response image(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    const std::string path = "images/" + std::string(request.path_param("file"));
    for (const auto& asset : v.item.module->assets) {
      if (asset.path != path) continue;
      auto r = net::Response::text(200, asset.bytes, asset.content_type);
      r.set_header("Cache-Control", "private, max-age=3600");
      r.set_header("X-Content-Type-Options", "nosniff");
      return r;
    }
    return message(404, "Not found", "This image is not part of the module.");
  }

  net::Response quiz(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    if (auto done = already_completed(v)) return *done;
    const std::string nonce = crypto::random_token(24);
    auto written = store_.write([&](Repositories& repos) -> Result<void> {
      repos.portal.mark_started(v.item.assignment.id, clock_.now());
      repos.portal.set_quiz_nonce(v.item.assignment.id, crypto::hash_token(nonce));
      return {};
    });
    if (!written) return failure(written.error());
    return html(200, quiz_html(v.links, v.item, nonce));
  }

  net::Response submit(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    if (auto done = already_completed(v)) return *done;
    std::string nonce;
    std::map<std::string, std::set<int>> answers;
    std::string problem;
    for (const auto& [name, value] : net::parse_form(request.body)) {
      if (name == "nonce") {
        nonce = value;
      } else if (name.starts_with("q.")) {
        int index = -1;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
        if (ec != std::errc() || end != value.data() + value.size() || index < 0) {
          problem = "an answer that is not one of the choices";
        }
        answers[name.substr(2)].insert(index);
      } else {
        problem = "a field the quiz does not have";
      }
    }
    const auto base = v.links.assignment(v.item.assignment.id);
    if (!problem.empty()) return refuse_answers(v, problem);
    auto graded = grade_quiz(*v.item.module, answers);
    if (!graded) return refuse_answers(v, graded.error().message);
    const auto now = clock_.now();
    bool fresh = false;
    auto written = store_.write([&](Repositories& repos) -> Result<void> {
      fresh = repos.portal.consume_quiz_nonce(v.item.assignment.id, crypto::hash_token(nonce));
      if (!fresh) return {};
      repos.portal.record_attempt({0, v.item.assignment.id, now, graded->score_percent,
                                   graded->passed, v.item.module->version});
      return {};
    });
    if (!written) return failure(written.error());
    if (!fresh) {
      return message(409, "These answers were already sent",
                     "This quiz form has already been submitted, or a newer copy of the quiz "
                     "was opened since. Your earlier result stands. To try again, open the "
                     "quiz afresh.",
                     base, "Back to the module");
    }
    spdlog::info("event=quiz_graded assignment={} score={} passed={}", v.item.assignment.id,
                 graded->score_percent, graded->passed);
    if (graded->passed) {
      v.item.assignment.status = AssignmentStatus::kCompleted;
      v.item.assignment.completed_at = now;
    }
    return html(200, quiz_result_html(v.links, v.item, *graded, answers));
  }

  net::Response certificate(net::Request& request) {
    Visit v;
    std::shared_ptr<const ModuleList> modules;
    if (auto refused = open_assignment(request, v, modules)) return *refused;
    const auto& a = v.item.assignment;
    if (a.status != AssignmentStatus::kCompleted) {
      return message(409, "Not completed yet", "The certificate is ready once you pass the quiz.",
                     v.links.assignment(a.id), "Go to the module");
    }
    std::string name = a.target.first_name;
    if (!a.target.last_name.empty()) name += (name.empty() ? "" : " ") + a.target.last_name;
    if (name.empty()) name = a.target.email;
    return html(200, certificate_html(v.links, v.item, name));
  }

 private:
  static const TrainingModule* find_in(const ModuleList& modules, std::string_view slug) {
    for (const auto& m : modules) {
      if (m.slug == slug) return &m;
    }
    return nullptr;
  }

  net::Response message(int status, const std::string& title, const std::string& text,
                        const std::string& back = {}, const std::string& back_label = {}) {
    return html(status, message_html(settings_.path, title, text, back, back_label));
  }

  net::Response failure(const Error& error) {
    spdlog::error("event=portal_failed message={}", log_value(error.message));
    return message(500, "Something went wrong",
                   "We could not load this page. Please try again in a minute.");
  }

  // Checks the token in the path; fills v.link and v.links.
  std::optional<net::Response> open_link(net::Request& request, Visit& v) {
    const std::string token(request.path_param("token"));
    std::optional<PortalLink> link;
    if (token.size() >= 16 && token.size() <= 128) {
      (void)store_.read([&](Repositories& repos) -> Result<void> {
        link = repos.portal.find_portal_link(crypto::hash_token(token));
        return {};
      });
    }
    if (!link) {
      return message(404, "This link is not valid",
                     "We don't recognise this training link. Check that you copied the whole "
                     "address from your email, or ask your security team for a new link.");
    }
    if (link->expires_at <= clock_.now()) {
      return message(410, "This link has expired",
                     "Personal training links stop working after a while to keep them safe. "
                     "Use the link in your most recent training email, or ask your security "
                     "team for a new one.");
    }
    v.link = *link;
    v.links = {settings_.path, token};
    return std::nullopt;
  }

  // Checks the token and that the assignment in the path is the person's and
  // its module still exists. `modules` keeps the module alive.
  std::optional<net::Response> open_assignment(net::Request& request, Visit& v,
                                               std::shared_ptr<const ModuleList>& modules) {
    if (auto refused = open_link(request, v)) return refused;
    const auto id = to_id(request.path_param("aid"));
    std::optional<Assignment> a;
    if (id != 0) {
      (void)store_.read([&](Repositories& repos) -> Result<void> {
        a = repos.training.find_assignment(v.link.workspace_id, id);
        return {};
      });
    }
    if (!a || a->target.id != v.link.target_id) {
      return message(403, "This training is not on your list",
                     "This page belongs to someone else's training. Please use the link from "
                     "your own email.",
                     v.links.root(), "Go to your training");
    }
    if (a->status == AssignmentStatus::kCancelled) {
      return message(410, "Nothing to do here",
                     "This training was withdrawn by your security team, so there is nothing "
                     "left to do.",
                     v.links.root(), "Go to your training");
    }
    modules = catalogue_->modules(v.link.workspace_id);
    const TrainingModule* module = find_in(*modules, a->module_slug);
    v.item = {std::move(*a), module};
    if (v.item.module == nullptr) {
      return message(410, "This module is no longer available",
                     "Your security team has removed this module. Nothing more is needed "
                     "from you for it.",
                     v.links.root(), "Go to your training");
    }
    return std::nullopt;
  }

  std::optional<net::Response> already_completed(const Visit& v) {
    const auto& a = v.item.assignment;
    if (a.status != AssignmentStatus::kCompleted) return std::nullopt;
    return message(409, "You have already completed this module",
                   "Your result (" + std::to_string(a.score.value_or(0)) +
                       "%) was recorded. There is nothing more to do for this module.",
                   v.links.assignment(a.id) + "/certificate", "View your certificate");
  }

  bool over_start_limit(const std::string& address) {
    return !start_limits_.allow(address, clock_.now());
  }

  net::Response refuse_answers(const Visit& v, const std::string& problem) {
    spdlog::warn("event=quiz_refused assignment={} reason=malformed_answers", v.item.assignment.id);
    return message(422, "We could not read your answers",
                   "The answers sent do not match this quiz (" + problem +
                       "). Nothing was recorded. Please open the quiz again and answer every "
                       "question.",
                   v.links.assignment(v.item.assignment.id) + "/quiz", "Open the quiz again");
  }

  Store& store_;
  const Clock& clock_;
  std::shared_ptr<const TrainingCatalogue> catalogue_;
  PortalSettings settings_;
  WindowLimiter start_limits_{settings_.start_per_minute, 60};  // /start calls per address
};

}  // namespace

void add_portal_routes(net::Router& router, Store& store, const Clock& clock,
                       std::shared_ptr<const TrainingCatalogue> catalogue,
                       PortalSettings settings) {
  const std::string p = settings.path;
  auto portal = std::make_shared<Portal>(store, clock, std::move(catalogue), std::move(settings));
  auto bind = [portal](net::Response (Portal::*method)(net::Request&)) {
    return [portal, method](net::Request& request) { return ((*portal).*method)(request); };
  };
  router.add("GET", p + "/portal.css", bind(&Portal::stylesheet));
  router.add("GET", p + "/start", bind(&Portal::start));
  router.add("GET", p + "/{token}", bind(&Portal::home));
  router.add("GET", p + "/{token}/{aid}", bind(&Portal::overview));
  router.add("GET", p + "/{token}/{aid}/lesson/{n}", bind(&Portal::lesson));
  router.add("GET", p + "/{token}/{aid}/lesson/images/{file}", bind(&Portal::image));
  router.add("GET", p + "/{token}/{aid}/quiz", bind(&Portal::quiz));
  router.add("POST", p + "/{token}/{aid}/quiz", bind(&Portal::submit), kQuizBodyLimit);
  router.add("GET", p + "/{token}/{aid}/certificate", bind(&Portal::certificate));
}

}  // namespace phishdrill::phish
