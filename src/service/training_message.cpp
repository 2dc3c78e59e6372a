#include "service/training_message.h"

#include <fmt/format.h>

#include "core/email_address.h"
#include "core/html_escape.h"
#include "core/time_format.h"
#include "service/plain_mail.h"

namespace phishdrill::service {
namespace {

std::string subject_for(const TrainingMailInput& in) {
  const std::string due = format_long_date(in.assignment.due_at);
  if (in.kind == "reminder") return fmt::format("Reminder: \"{}\" is due {}", in.module_title, due);
  if (in.kind == "overdue") return fmt::format("Overdue: \"{}\" was due {}", in.module_title, due);
  return fmt::format("Training for you: \"{}\" (about {} minutes)", in.module_title,
                     in.module_minutes);
}

// The paragraphs of the message, in plain text.
std::vector<std::string> paragraphs_for(const TrainingMailInput& in) {
  const auto& a = in.assignment;
  const std::string name = a.target.first_name.empty() ? "Hello" : "Hello " + a.target.first_name;
  std::vector<std::string> out{name + ","};
  const std::string due = format_long_date(a.due_at);
  if (in.kind == "assigned") {
    if (a.reason == "campaign") {
      out.push_back(
          "You recently followed a link in a practice phishing email sent by your security "
          "team. Nothing was harmed and nobody is in trouble: these exercises exist so that "
          "everyone can practise spotting the real thing.");
    } else {
      out.push_back("Your security team has asked you to complete a short training module.");
    }
    out.push_back(fmt::format("\"{}\" takes about {} minutes. Please finish it by {}.",
                              in.module_title, in.module_minutes, due));
  } else if (in.kind == "reminder") {
    out.push_back(fmt::format(
        "A friendly reminder: \"{}\" (about {} minutes) is due {}. You can finish it in one "
        "sitting from the link below.",
        in.module_title, in.module_minutes, due));
  } else {
    out.push_back(fmt::format(
        "\"{}\" was due {} and is not finished yet. It takes about {} minutes; please complete "
        "it as soon as you can.{}",
        in.module_title, due, in.module_minutes,
        in.manager_informed ? " Your manager has been told that it is overdue." : ""));
  }
  out.push_back(fmt::format(
      "This link is personal to you and works until {}. Please don't forward it. No password "
      "is needed.",
      format_long_date(in.link_expires_at)));
  out.push_back("Thank you,\nYour security team");
  return out;
}

// The person's name as written in messages: "First Last", or the address.
std::string person_name(const AssignedTarget& t) {
  std::string name = t.first_name;
  if (!t.last_name.empty()) name += (name.empty() ? "" : " ") + t.last_name;
  return name;
}

}  // namespace

Result<OutgoingMessage> build_manager_notice(const TrainingMailInput& in,
                                             const SendingProfile& profile) {
  auto m = message_from_profile(profile);
  if (!m) return m;
  const auto& t = in.assignment.target;
  const std::string who = person_name(t).empty() ? t.email : person_name(t);
  m->to_address = t.manager_email;
  m->subject = fmt::format("Overdue training: {} has not finished \"{}\"", who, in.module_title);
  const std::vector<std::string> paragraphs{
      "Hello,",
      fmt::format("You are listed as {}'s manager. Their security training \"{}\" (about {} "
                  "minutes) was due {} and is not finished yet.",
                  who, in.module_title, in.module_minutes, format_long_date(in.assignment.due_at)),
      "They have been sent a reminder with their personal link. A word of encouragement from "
      "you usually helps; there is nothing for you to click or complete.",
      "Thank you,\nYour security team"};
  for (const auto& p : paragraphs) m->text += p + "\n\n";
  m->html = plain_mail_html(m->subject, paragraphs, paragraphs.size(), "", "");
  return m;
}

Result<OutgoingMessage> build_training_mail(const TrainingMailInput& in,
                                            const SendingProfile& profile) {
  auto made = message_from_profile(profile);
  if (!made) return made;
  OutgoingMessage& m = *made;
  m.to_name = person_name(in.assignment.target);
  m.to_address = in.assignment.target.email;
  m.subject = subject_for(in);

  const auto paragraphs = paragraphs_for(in);
  const std::string action = in.kind == "assigned" ? "Start the training" : "Open your training";
  // The link follows the paragraph that says what to do (before the note on
  // the link itself and the sign-off).
  const std::size_t link_after = paragraphs.size() - 3;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    m.text += paragraphs[i] + "\n\n";
    if (i == link_after) {
      m.text += fmt::format("{}: {}\n\n", action, in.portal_url);
    }
  }
  m.html = plain_mail_html(m.subject, paragraphs, link_after, in.portal_url, action);
  return made;
}

}  // namespace phishdrill::service
