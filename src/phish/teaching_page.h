// The teaching page: what a person sees right after falling for a simulated
// phish — a short, kind explanation, the message they received, and the red
// flags that could have given it away, highlighted in place. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/email_template.h"

namespace phishdrill::phish {

struct TeachingContent {
  std::string first_name;
  std::string subject;  // as the person received it
  std::string from;
  std::string text;  // the message's text as received (plain text)
  std::vector<RedFlag> red_flags;
  bool submitted = false;    // they also typed into the form
  std::string training_url;  // the follow-up training, when the campaign assigns one
};

std::string teaching_page_html(const TeachingContent& content);

}  // namespace phishdrill::phish
