#include "phish/portal_routes.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "core/log_text.h"
#include "core/window_limiter.h"
#include "phish/portal_pages.h"
#include "service/learner_portal.h"
#include "service/portal_start.h"

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

// The quiz form as sent: the nonce and, per question, the chosen indexes.
service::QuizSubmission read_answers(std::string_view body) {
  service::QuizSubmission sent;
  for (const auto& [name, value] : net::parse_form(body)) {
    if (name == "nonce") {
      sent.nonce = value;
    } else if (name.starts_with("q.")) {
      int index = -1;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), index);
      if (ec != std::errc() || end != value.data() + value.size() || index < 0) {
        sent.problem = "an answer that is not one of the choices";
      }
      sent.answers[name.substr(2)].insert(index);
    } else {
      sent.problem = "a field the quiz does not have";
    }
  }
  return sent;
}

PortalItem item_of(const service::PortalEntry& entry) { return {entry.assignment, entry.module}; }

class Portal {
 public:
  Portal(Store& store, const Clock& clock, const TokenSource& tokens,
         std::shared_ptr<const TrainingCatalogue> catalogue, PortalSettings settings)
      : store_(store),
        clock_(clock),
        tokens_(tokens),
        learner_(store, std::move(catalogue), tokens),
        settings_(std::move(settings)) {}

  net::Response stylesheet(net::Request&) {
    auto r = net::Response::text(200, std::string(portal_css()), "text/css; charset=utf-8");
    r.set_header("Cache-Control", "public, max-age=3600");
    return r;
  }

  // Rate-limited per client address: rids are guessable only by brute
  // force, and each guess costs a lookup.
  net::Response start(net::Request& request) {
    if (!start_limits_.allow(request.remote_ip, clock_.now())) {
      auto r = message(429, "Please wait a moment",
                       "Too many requests from your network. Try the link again in a minute.");
      r.set_header("Retry-After", "60");
      return r;
    }
    const auto rid = request.query_param(settings_.rid_parameter).value_or("");
    const auto token = service::issue_start_link(store_, tokens_, rid, clock_.now());
    if (!token && token.error().code == ErrorCode::kNotFound) {
      return message(404, "This link is not valid",
                     "This training link has expired or is not valid. Use the link in your "
                     "training email, or ask your security team for a new one.");
    }
    if (!token) return failure(token.error().message);
    if (!*token) {
      return message(200, "No training waiting",
                     "There is no training for you to do right now. Thank you for taking a "
                     "moment to learn about phishing.");
    }
    auto r = secure(net::Response::text(303, "", "text/plain; charset=utf-8"));
    r.set_header("Location", settings_.path + "/" + **token);
    return r;
  }

  net::Response home(net::Request& request) {
    const Place at = place(request);
    const auto home = learner_.home(at.links.token, clock_.now());
    if (!home) return refused(at, home.error());
    std::vector<PortalItem> items;
    for (const auto& entry : home->entries) items.push_back(item_of(entry));
    const std::string first_name = items.empty() ? "" : items.front().assignment.target.first_name;
    return html(200, portal_home_html(at.links, first_name, items, clock_.now()));
  }

  net::Response overview(net::Request& request) {
    const Place at = place(request);
    const auto visit = learner_.assignment(at.links.token, at.assignment_id, clock_.now());
    if (!visit) return refused(at, visit.error());
    return html(200, module_overview_html(at.links, item_of(visit->entry), clock_.now()));
  }

  net::Response lesson(net::Request& request) {
    const Place at = place(request);
    const auto n = static_cast<std::size_t>(to_id(request.path_param("n")));
    const auto visit = learner_.lesson(at.links.token, at.assignment_id, n, clock_.now());
    if (!visit) return refused(at, visit.error());
    return html(200, lesson_html(at.links, item_of(visit->entry), n - 1));
  }

  net::Response image(net::Request& request) {
    const Place at = place(request);
    const auto visit = learner_.assignment(at.links.token, at.assignment_id, clock_.now());
    if (!visit) return refused(at, visit.error());
    const std::string path = "images/" + std::string(request.path_param("file"));
    for (const auto& asset : visit->entry.module->assets) {
      if (asset.path != path) continue;
      auto r = net::Response::text(200, asset.bytes, asset.content_type);
      r.set_header("Cache-Control", "private, max-age=3600");
      r.set_header("X-Content-Type-Options", "nosniff");
      return r;
    }
    return message(404, "Not found", "This image is not part of the module.");
  }

  net::Response quiz(net::Request& request) {
    const Place at = place(request);
    const auto form = learner_.open_quiz(at.links.token, at.assignment_id, clock_.now());
    if (!form) return refused(at, form.error());
    return html(200, quiz_html(at.links, item_of(form->visit.entry), form->nonce));
  }

  net::Response submit(net::Request& request) {
    const Place at = place(request);
    const auto sent = read_answers(request.body);
    const auto graded = learner_.submit_quiz(at.links.token, at.assignment_id, sent, clock_.now());
    if (!graded) return refused(at, graded.error());
    spdlog::info("event=quiz_graded assignment={} score={} passed={}", at.assignment_id,
                 graded->result.score_percent, graded->result.passed);
    return html(200, quiz_result_html(at.links, item_of(graded->visit.entry), graded->result,
                                      sent.answers));
  }

  net::Response certificate(net::Request& request) {
    const Place at = place(request);
    const auto visit = learner_.certificate(at.links.token, at.assignment_id, clock_.now());
    if (!visit) return refused(at, visit.error());
    const auto& a = visit->entry.assignment;
    std::string name = a.target.first_name;
    if (!a.target.last_name.empty()) name += (name.empty() ? "" : " ") + a.target.last_name;
    if (name.empty()) name = a.target.email;
    return html(200, certificate_html(at.links, item_of(visit->entry), name));
  }

 private:
  // Where a request is in the portal: the person's links and the assignment
  // in the path (0 when none or not a number).
  struct Place {
    PortalLinks links;
    std::int64_t assignment_id = 0;
  };

  Place place(const net::Request& request) const {
    return {{settings_.path, std::string(request.path_param("token"))},
            to_id(request.path_param("aid"))};
  }

  net::Response message(int status, const std::string& title, const std::string& text,
                        const std::string& back = {}, const std::string& back_label = {}) {
    return html(status, message_html(settings_.path, title, text, back, back_label));
  }

  net::Response failure(const std::string& error) {
    spdlog::error("event=portal_failed message={}", log_value(error));
    return message(500, "Something went wrong",
                   "We could not load this page. Please try again in a minute.");
  }

  // The page that explains why the portal refused.
  net::Response refused(const Place& at, const service::PortalDenial& denial) {
    using enum service::PortalRefusal;
    const std::string root = at.links.root();
    switch (denial.reason) {
      case kUnknownLink:
        return message(404, "This link is not valid",
                       "We don't recognise this training link. Check that you copied the whole "
                       "address from your email, or ask your security team for a new link.");
      case kExpiredLink:
        return message(410, "This link has expired",
                       "Personal training links stop working after a while to keep them safe. "
                       "Use the link in your most recent training email, or ask your security "
                       "team for a new one.");
      case kNotTheirs:
        return message(403, "This training is not on your list",
                       "This page belongs to someone else's training. Please use the link from "
                       "your own email.",
                       root, "Go to your training");
      case kWithdrawn:
        return message(410, "Nothing to do here",
                       "This training was withdrawn by your security team, so there is nothing "
                       "left to do.",
                       root, "Go to your training");
      case kModuleRemoved:
        return message(410, "This module is no longer available",
                       "Your security team has removed this module. Nothing more is needed "
                       "from you for it.",
                       root, "Go to your training");
      default:
        return refused_in_module(at, denial);
    }
  }

  // Refusals on a module's own pages.
  net::Response refused_in_module(const Place& at, const service::PortalDenial& denial) {
    using enum service::PortalRefusal;
    const std::string module = at.links.assignment(at.assignment_id);
    switch (denial.reason) {
      case kNoSuchLesson:
        return message(404, "No such lesson", "This module has no lesson with that number.", module,
                       "Back to the module");
      case kAlreadyCompleted:
        return message(409, "You have already completed this module",
                       "Your result (" + std::to_string(denial.score) +
                           "%) was recorded. There is nothing more to do for this module.",
                       module + "/certificate", "View your certificate");
      case kBadAnswers:
        spdlog::warn("event=quiz_refused assignment={} reason=malformed_answers", at.assignment_id);
        return message(422, "We could not read your answers",
                       "The answers sent do not match this quiz (" + denial.detail +
                           "). Nothing was recorded. Please open the quiz again and answer every "
                           "question.",
                       module + "/quiz", "Open the quiz again");
      case kFormUsed:
        return message(409, "These answers were already sent",
                       "This quiz form has already been submitted, or a newer copy of the quiz "
                       "was opened since. Your earlier result stands. To try again, open the "
                       "quiz afresh.",
                       module, "Back to the module");
      case kNotCompleted:
        return message(409, "Not completed yet", "The certificate is ready once you pass the quiz.",
                       module, "Go to the module");
      default:
        return failure(denial.detail);
    }
  }

  Store& store_;
  const Clock& clock_;
  const TokenSource& tokens_;
  service::LearnerPortal learner_;
  PortalSettings settings_;
  WindowLimiter start_limits_{settings_.start_per_minute, 60};  // /start calls per address
};

}  // namespace

void add_portal_routes(net::Router& router, Store& store, const Clock& clock,
                       const TokenSource& tokens,
                       std::shared_ptr<const TrainingCatalogue> catalogue,
                       PortalSettings settings) {
  const std::string p = settings.path;
  auto portal =
      std::make_shared<Portal>(store, clock, tokens, std::move(catalogue), std::move(settings));
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
