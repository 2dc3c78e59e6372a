#include "phish/portal_pages.h"

#include <fmt/format.h>

#include "core/html_escape.h"
#include "core/time_format.h"

namespace phishdrill::phish {
namespace {

std::string esc(std::string_view text) { return html_escape(text); }

// The frame of every page: a skip link, a header naming the portal, the main
// content, and a footer saying who runs it.
std::string page(const std::string& portal_path, const std::string& title, const std::string& body,
                 const std::string& home = {}) {
  std::string html =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"robots\" content=\"noindex\"><meta name=\"referrer\" content=\"no-referrer\">"
      "<title>";
  html += esc(title) + " · Security training</title><link rel=\"stylesheet\" href=\"";
  html += esc(portal_path) +
          "/portal.css\"></head><body><a class=\"skip\" href=\"#main\">Skip to content</a>"
          "<header class=\"bar\"><div class=\"wrap\">";
  if (home.empty()) {
    html += "<span class=\"brand\">Security training</span>";
  } else {
    html += "<a class=\"brand\" href=\"" + esc(home) + "\">Security training</a>";
  }
  html += "</div></header><main id=\"main\" class=\"wrap\" tabindex=\"-1\">";
  html += body;
  html +=
      "</main><footer class=\"wrap foot\"><p>This page is personal to you. Run by your "
      "organisation's security team with Phishdrill.</p></footer></body></html>";
  return html;
}

std::string status_badge(const Assignment& a, std::int64_t now) {
  const std::string_view status = assignment_display_status(a, now);
  std::string label = "To do";
  if (status == "in_progress") label = "Started";
  if (status == "completed") label = "Completed";
  if (status == "overdue") label = "Overdue";
  return fmt::format("<span class=\"badge {}\">{}</span>", status, label);
}

std::string choice_list(const QuizQuestion& q, const std::set<int>& indexes) {
  if (indexes.empty()) return "<em>no answer</em>";
  std::string out;
  for (const int i : indexes) {
    if (i < 0 || i >= static_cast<int>(q.choices.size())) continue;
    if (!out.empty()) out += "; ";
    out += esc(q.choices[static_cast<std::size_t>(i)]);
  }
  return out;
}

}  // namespace

std::string portal_home_html(const PortalLinks& links, const std::string& first_name,
                             const std::vector<PortalItem>& items, std::int64_t now) {
  std::string body = "<h1>";
  body += first_name.empty() ? "Your training" : "Hello " + esc(first_name);
  body += "</h1>";
  std::string open;
  std::string done;
  for (const auto& item : items) {
    const auto& a = item.assignment;
    std::string card = "<li class=\"card\"><h2>";
    if (item.module) {
      card += "<a href=\"" + esc(links.assignment(a.id)) + "\">" + esc(item.module->title) + "</a>";
    } else {
      card += esc(a.module_slug);
    }
    card += "</h2>" + status_badge(a, now);
    if (item.module) {
      card += "<p>" + esc(item.module->summary) + "</p>";
      card += fmt::format("<p class=\"meta\">About {} minutes · ", item.module->minutes);
    } else {
      card += "<p class=\"meta\">This module is no longer available. ";
    }
    if (a.status == AssignmentStatus::kCompleted) {
      card += "completed " + esc(format_long_date(a.completed_at));
      if (a.score) card += fmt::format(" with {}%", *a.score);
      card += "</p><p><a href=\"" + esc(links.assignment(a.id)) +
              "/certificate\">View your certificate<span class=\"sr\"> for " +
              esc(item.module ? item.module->title : a.module_slug) + "</span></a></p>";
      done += card + "</li>";
    } else {
      card += "due " + esc(format_long_date(a.due_at)) + "</p>";
      open += card + "</li>";
    }
  }
  if (open.empty()) {
    body += "<p class=\"lead\">You have no training to do right now. Thank you!</p>";
  } else {
    body +=
        "<p class=\"lead\">Here is the training waiting for you. Each module takes a few "
        "minutes and ends with a short quiz.</p><h2 class=\"section\">To do</h2>"
        "<ul class=\"cards\">" +
        open + "</ul>";
  }
  if (!done.empty()) {
    body += "<h2 class=\"section\">Completed</h2><ul class=\"cards\">" + done + "</ul>";
  }
  return page(links.portal_path, "Your training", body, links.root());
}

std::string module_overview_html(const PortalLinks& links, const PortalItem& item,
                                 std::int64_t now) {
  const auto& m = *item.module;
  const auto& a = item.assignment;
  std::string body = "<p class=\"crumb\"><a href=\"" + esc(links.root()) +
                     "\">Your training</a></p><h1>" + esc(m.title) + "</h1>" +
                     status_badge(a, now) + "<p class=\"lead\">" + esc(m.summary) + "</p>";
  body += fmt::format(
      "<p class=\"meta\">About {} minutes · {} lesson{} and a {}-question quiz · pass mark "
      "{}%</p>",
      m.minutes, m.lessons.size(), m.lessons.size() == 1 ? "" : "s", m.quiz.size(), m.pass_mark);
  body += "<h2>Lessons</h2><ol class=\"lessons\">";
  for (std::size_t i = 0; i < m.lessons.size(); ++i) {
    body += fmt::format("<li><a href=\"{}/lesson/{}\">{}</a></li>", esc(links.assignment(a.id)),
                        i + 1, esc(m.lessons[i].title));
  }
  body += "</ol>";
  if (a.status == AssignmentStatus::kCompleted) {
    body += "<p>You completed this module on " + esc(format_long_date(a.completed_at)) +
            ". <a href=\"" + esc(links.assignment(a.id)) +
            "/certificate\">View your certificate</a></p>";
  } else {
    body += "<p><a class=\"button\" href=\"" + esc(links.assignment(a.id)) +
            "/lesson/1\">Start the first lesson</a></p>";
  }
  return page(links.portal_path, m.title, body, links.root());
}

std::string lesson_html(const PortalLinks& links, const PortalItem& item, std::size_t index) {
  const auto& m = *item.module;
  const auto& lesson = m.lessons[index];
  const std::string base = links.assignment(item.assignment.id);
  std::string body = "<p class=\"crumb\"><a href=\"" + esc(links.root()) +
                     "\">Your training</a> › <a href=\"" + esc(base) + "\">" + esc(m.title) +
                     "</a></p>";
  body += fmt::format("<p class=\"meta\">Lesson {} of {}</p><article class=\"lesson\" lang=\"{}\">",
                      index + 1, m.lessons.size(), esc(m.locale));
  body += lesson.html;  // rendered from Markdown by the loader; raw HTML suppressed
  body += "</article><nav class=\"pager\" aria-label=\"Lessons\">";
  if (index > 0) {
    body += fmt::format("<a href=\"{}/lesson/{}\">Previous lesson</a>", esc(base), index);
  }
  if (index + 1 < m.lessons.size()) {
    body += fmt::format("<a class=\"button\" href=\"{}/lesson/{}\">Next lesson</a>", esc(base),
                        index + 2);
  } else if (item.assignment.status != AssignmentStatus::kCompleted) {
    body += "<a class=\"button\" href=\"" + esc(base) + "/quiz\">Take the quiz</a>";
  }
  body += "</nav>";
  return page(links.portal_path, lesson.title + " · " + m.title, body, links.root());
}

std::string quiz_html(const PortalLinks& links, const PortalItem& item, const std::string& nonce) {
  const auto& m = *item.module;
  const std::string base = links.assignment(item.assignment.id);
  std::string body = "<p class=\"crumb\"><a href=\"" + esc(links.root()) +
                     "\">Your training</a> › <a href=\"" + esc(base) + "\">" + esc(m.title) +
                     "</a></p><h1>Quiz: " + esc(m.title) + "</h1>";
  body += fmt::format(
      "<p class=\"lead\">{} questions. Answer them all, then send your answers: you will see "
      "the right answers and why. You pass with {}% or more.</p>",
      m.quiz.size(), m.pass_mark);
  // The module's own language for its text (the portal around it is English).
  body += "<form method=\"post\" action=\"" + esc(base) + "/quiz\" class=\"quiz\" lang=\"" +
          esc(m.locale) + "\"><input type=\"hidden\" name=\"nonce\" value=\"" + esc(nonce) + "\">";
  for (std::size_t qi = 0; qi < m.quiz.size(); ++qi) {
    const auto& q = m.quiz[qi];
    const bool several = q.answers.size() > 1;
    body += fmt::format(
        "<fieldset class=\"question\"><legend><span class=\"qn\">Question {}"
        "</span> {}",
        qi + 1, esc(q.text));
    if (several) body += " <span class=\"hint\">(choose all that apply)</span>";
    body += "</legend>";
    for (std::size_t ci = 0; ci < q.choices.size(); ++ci) {
      const std::string id = fmt::format("q{}c{}", qi, ci);
      body += fmt::format(
          "<div class=\"choice\"><input type=\"{}\" id=\"{}\" name=\"q.{}\" value=\"{}\"{}>"
          "<label for=\"{}\">{}</label></div>",
          several ? "checkbox" : "radio", id, esc(q.id), ci, several ? "" : " required", id,
          esc(q.choices[ci]));
    }
    body += "</fieldset>";
  }
  body += "<button type=\"submit\" class=\"button\">Send my answers</button></form>";
  return page(links.portal_path, "Quiz: " + m.title, body, links.root());
}

std::string quiz_result_html(const PortalLinks& links, const PortalItem& item,
                             const QuizResult& result,
                             const std::map<std::string, std::set<int>>& answers) {
  const auto& m = *item.module;
  const std::string base = links.assignment(item.assignment.id);
  std::string body = "<p class=\"crumb\"><a href=\"" + esc(links.root()) +
                     "\">Your training</a> › <a href=\"" + esc(base) + "\">" + esc(m.title) +
                     "</a></p>";
  if (result.passed) {
    body += fmt::format(
        "<h1>Well done: you passed</h1><p class=\"lead result pass\" role=\"status\">You "
        "answered {} of {} questions right ({}%). Your completion is recorded.</p>",
        result.correct, result.total, result.score_percent);
    body += "<p><a class=\"button\" href=\"" + esc(base) +
            "/certificate\">View your certificate</a> <a href=\"" + esc(links.root()) +
            "\">Back to your training</a></p>";
  } else {
    body += fmt::format(
        "<h1>Not quite yet</h1><p class=\"lead result fail\" role=\"status\">You answered {} of "
        "{} questions right ({}%); the pass mark is {}%. Read the explanations below, then try "
        "again: there is no limit.</p>",
        result.correct, result.total, result.score_percent, m.pass_mark);
    body += "<p><a class=\"button\" href=\"" + esc(base) +
            "/quiz\">Try the quiz again</a> <a href=\"" + esc(base) +
            "/lesson/1\">Review the lessons</a></p>";
  }
  body += "<h2>Your answers</h2><ol class=\"review\">";
  for (std::size_t i = 0; i < result.questions.size() && i < m.quiz.size(); ++i) {
    const auto& q = m.quiz[i];
    const auto& r = result.questions[i];
    const auto given = answers.find(q.id);
    body += "<li class=\"" + std::string(r.correct ? "right" : "wrong") + "\"><p class=\"q\">" +
            esc(q.text) + "</p><p><strong>" + (r.correct ? "Right." : "Not right.") +
            "</strong> Your answer: " +
            choice_list(q, given != answers.end() ? given->second : std::set<int>{}) + "</p>";
    if (!r.correct) {
      body += "<p>The right answer: " + choice_list(q, r.right_answers) + "</p>";
    }
    body += "<p class=\"why\">" + esc(r.explanation) + "</p></li>";
  }
  body += "</ol>";
  return page(links.portal_path, result.passed ? "Passed" : "Try again", body, links.root());
}

std::string certificate_html(const PortalLinks& links, const PortalItem& item,
                             const std::string& full_name) {
  const auto& a = item.assignment;
  const std::string title = item.module ? item.module->title : a.module_slug;
  std::string body = "<p class=\"crumb noprint\"><a href=\"" + esc(links.root()) +
                     "\">Your training</a></p><section class=\"certificate\" "
                     "aria-labelledby=\"cert-title\"><p class=\"cert-kicker\">Certificate of "
                     "completion</p><h1 id=\"cert-title\">" +
                     esc(full_name) +
                     "</h1><p>has completed the security awareness module</p>"
                     "<p class=\"cert-module\">" +
                     esc(title) + "</p>";
  body += fmt::format(
      "<dl class=\"cert-facts\"><dt>Completed</dt><dd>{}</dd><dt>Score</dt><dd>{}%</dd>"
      "<dt>Module version</dt><dd>{}</dd><dt>Record</dt><dd>#{}</dd></dl></section>",
      esc(format_long_date(a.completed_at)), a.score.value_or(0), a.module_version, a.id);
  body +=
      "<p class=\"noprint\">To keep a copy, use your browser's Print command (Ctrl+P, or "
      "Share › Print on a phone) and choose \"Save as PDF\".</p>";
  return page(links.portal_path, "Certificate: " + title, body, links.root());
}

std::string message_html(const std::string& portal_path, const std::string& title,
                         const std::string& message, const std::string& back,
                         const std::string& back_label) {
  std::string body = "<h1>" + esc(title) + "</h1><p class=\"lead\">" + esc(message) + "</p>";
  if (!back.empty()) body += "<p><a href=\"" + esc(back) + "\">" + esc(back_label) + "</a></p>";
  return page(portal_path, title, body);
}

std::string_view portal_css() {
  return R"css(:root{--ink:#1d2433;--muted:#4a5468;--line:#d5dbe5;--bg:#f4f6fa;--accent:#1d4ed8;--ok:#116b3a;--bad:#a4231b}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.6;color:var(--ink);background:var(--bg);overflow-wrap:anywhere}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem;z-index:2}
.skip:focus{left:1rem}
.bar{background:#fff;border-bottom:1px solid var(--line)}
.bar .wrap{padding:.8rem 1rem}
.brand{font-weight:700;color:var(--ink);text-decoration:none}
main{padding:1.25rem 1rem 2.5rem;outline:none}
h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0}
h2{font-size:1.2rem;margin:1.75rem 0 .6rem}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.lead{font-size:1.1rem}
.meta,.crumb{color:var(--muted);font-size:.95rem}
.cards{list-style:none;padding:0;margin:0;display:grid;gap:1rem}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem}
.card h2{margin:0 0 .4rem;font-size:1.15rem}
.badge{display:inline-block;font-size:.85rem;font-weight:600;padding:.1rem .55rem;border-radius:999px;background:#e6eaf2;color:var(--ink)}
.badge.overdue{background:#fde2e1;color:var(--bad)}
.badge.completed{background:#dcf2e5;color:var(--ok)}
.badge.in_progress{background:#e0e9ff;color:#1e3a8a}
.button{display:inline-block;background:var(--accent);color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;margin:.25rem .5rem .25rem 0}
.lesson{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.5rem 1.25rem 1rem}
.lesson img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
.lesson table{border-collapse:collapse;width:100%;display:block;overflow-x:auto}
.lesson th,.lesson td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left}
.pager{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.75rem;margin-top:1.25rem}
.question{background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 1rem;padding:1rem 1.25rem;min-width:0}
.question legend{float:left;width:100%;font-weight:600;padding:0;margin:0 0 .5rem}
.question legend+*{clear:both}
.qn{display:block;font-size:.9rem;color:var(--muted);font-weight:600}
.hint{font-weight:400;color:var(--muted)}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.35rem 0}
.choice input{width:1.25rem;height:1.25rem;margin-top:.2rem;flex:none}
.result.pass{color:var(--ok);font-weight:600}
.result.fail{color:var(--bad);font-weight:600}
.review li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.5rem 1rem;margin-bottom:.75rem}
.review li.right{border-left:5px solid var(--ok)}
.review li.wrong{border-left:5px solid var(--bad)}
.review .q{font-weight:600}
.why{color:var(--muted)}
.certificate{background:#fff;border:3px double #8a94a8;border-radius:10px;padding:2rem 1.5rem;text-align:center}
.cert-kicker{text-transform:uppercase;letter-spacing:.12em;color:var(--muted);font-weight:600}
.cert-module{font-size:1.3rem;font-weight:700}
.cert-facts{display:inline-grid;grid-template-columns:auto auto;max-width:100%;gap:.25rem 1rem;text-align:left;margin:1rem auto 0}
.cert-facts dt{color:var(--muted)}
.cert-facts dd{margin:0;font-weight:600}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.foot{color:var(--muted);font-size:.85rem;padding-bottom:2rem}
@media print{.bar,.foot,.noprint,.skip{display:none}body{background:#fff}.certificate{border-color:#000}}
)css";
}

}  // namespace phishdrill::phish
