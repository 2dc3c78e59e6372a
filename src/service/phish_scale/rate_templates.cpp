#include "service/phish_scale/rate_templates.h"

#include <algorithm>
#include <array>

#include "core/ascii.h"
#include "core/code_points.h"
#include "core/email_address.h"
#include "core/folded_text.h"
#include "library/library_vocabulary.h"
#include "mail/html_reading.h"

namespace phishdrill::service {
namespace {

constexpr std::size_t kMaxLinks = 200;
constexpr int kMaxOwnDomains = 20;

// Stop words that tell the two library languages apart.
constexpr auto kSpanishWords =
    std::to_array<std::string_view>({"el", "la", "los", "las", "de", "que", "y", "en", "su", "para",
                                     "por", "con", "usted", "es", "una", "del", "se", "al"});
constexpr auto kEnglishWords =
    std::to_array<std::string_view>({"the", "and", "to", "of", "you", "your", "is", "for", "in",
                                     "on", "with", "this", "we", "a", "it", "are", "be", "please"});

int count_words(std::string_view text, std::span<const std::string_view> words) {
  int count = 0;
  std::string word;
  const auto flush = [&] {
    if (std::ranges::find(words, word) != words.end()) ++count;
    word.clear();
  };
  for (const char c : to_utf8(folded_text(text))) {
    if (c >= 'a' && c <= 'z') {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return count;
}

std::string header_value(const EmailTemplate& tmpl, std::string_view name) {
  for (const auto& h : tmpl.headers) {
    if (ascii_iequals(h.name, name)) return h.value;
  }
  return {};
}

CueMessage cue_message(const EmailTemplate& tmpl, const ScaleContext& context) {
  CueMessage m;
  if (auto from = parse_mailbox(tmpl.from, "from")) {
    m.from_name = from->name;
    m.from_address = from->address;
  }
  if (auto reply = parse_mailbox(header_value(tmpl, "Reply-To"), "reply_to")) {
    m.reply_to = reply->address;
  }
  m.subject = tmpl.subject;
  if (!tmpl.html.empty()) {
    const HtmlReading reading = read_html(tmpl.html, kMaxLinks);
    m.text = reading.text;
    for (const auto& link : reading.links) {
      if (!link.link.image) m.links.push_back({link.link.href, link.link.text});
    }
  } else {
    m.text = tmpl.text;
  }
  for (const auto& a : tmpl.attachments) m.attachments.push_back({a.name, a.content_type});
  m.own_domains = context.own_domains;
  m.org_name = context.branding.org_name;
  return m;
}

int median_step(std::vector<int> values) {
  std::ranges::sort(values);
  const int median = values[(values.size() - 1) / 2];
  return median - median % 2;
}

}  // namespace

Result<ScaleContext> scale_context(Store& store, std::int64_t workspace_id,
                                   std::shared_ptr<const SimulationLibrary> library,
                                   const SpellCheckers* spellers) {
  ScaleContext context;
  context.branding = PD_TRY(workspace_branding(store, workspace_id));
  context.library = std::move(library);
  context.spellers = spellers;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    context.answers = repos.phish_scale.premise_answers(workspace_id);
    context.own_domains = repos.reporters.organisation_domains(workspace_id, kMaxOwnDomains);
    return {};
  }));
  return context;
}

std::optional<PremiseRatings> category_suggestion(const SimulationLibrary& library,
                                                  std::string_view category) {
  std::array<std::vector<int>, kPremiseElementCount> values;
  for (const Simulation& s : library.all()) {
    if (s.category != category) continue;
    for (std::size_t i = 0; i < kPremiseElementCount; ++i)
      values[i].push_back(s.premise.ratings[i]);
  }
  if (values[0].empty()) return std::nullopt;
  PremiseRatings out;
  for (std::size_t i = 0; i < kPremiseElementCount; ++i) out.ratings[i] = median_step(values[i]);
  return out;
}

PremiseChoice premise_for(const TemplateScale& scale, const ScaleContext& context) {
  if (!scale.category.empty()) {
    if (const auto it = context.answers.find(scale.category); it != context.answers.end()) {
      return {it->second, PremiseSource::kWorkspace};
    }
  }
  if (context.library != nullptr) {
    if (const Simulation* s = context.library->find(scale.library_slug)) {
      return {s->premise, PremiseSource::kSuggested};
    }
    if (!scale.category.empty()) {
      if (auto suggested = category_suggestion(*context.library, scale.category)) {
        return {*suggested, PremiseSource::kSuggested};
      }
    }
  }
  if (const auto it = context.answers.find(""); it != context.answers.end()) {
    return {it->second, PremiseSource::kWorkspace};
  }
  return {default_premise(), PremiseSource::kDefault};
}

std::string language_of(const EmailTemplate& tmpl, const ScaleContext& context) {
  if (context.library != nullptr) {
    if (const Simulation* s = context.library->find(tmpl.phish_scale.library_slug)) {
      return s->language;
    }
  }
  const std::string text = tmpl.subject + "\n" + tmpl.text + "\n" + tmpl.html;
  return count_words(text, kSpanishWords) > count_words(text, kEnglishWords) ? "es" : "en";
}

std::vector<FoundCue> detect_template_cues(const EmailTemplate& tmpl, const ScaleContext& context) {
  const SpellChecker* speller = nullptr;
  if (context.spellers != nullptr) {
    const auto it = context.spellers->find(language_of(tmpl, context));
    if (it != context.spellers->end()) speller = it->second;
  }
  return detect_cues(cue_message(tmpl, context), speller);
}

PhishRating rate_template(const EmailTemplate& tmpl, const ScaleContext& context) {
  return rate_on_phish_scale(detect_template_cues(tmpl, context), tmpl.phish_scale,
                             premise_for(tmpl.phish_scale, context));
}

Result<PhishRating> rate_draft(EmailTemplate tmpl, const ScaleContext& context) {
  PD_TRY(validate_template_scale(tmpl.phish_scale, simulation_categories()));
  return rate_template(tmpl, context);
}

PhishRating rate_simulation(const Simulation& simulation, const ScaleContext& context) {
  return rate_template(branded_template(simulation, context.branding, simulation.title), context);
}

Result<std::map<std::int64_t, TemplateOutcome>> template_outcomes(Store& store,
                                                                  std::int64_t workspace_id) {
  std::map<std::int64_t, TemplateOutcome> out;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    out = repos.phish_scale.template_outcomes(workspace_id);
    return {};
  }));
  return out;
}

Result<std::map<std::string, TemplateOutcome>> simulation_outcomes(Store& store,
                                                                   std::int64_t workspace_id) {
  const auto outcomes = PD_TRY(template_outcomes(store, workspace_id));
  std::map<std::string, TemplateOutcome> by_slug;
  PD_TRY(store.read([&](Repositories& repos) -> Result<void> {
    PageRequest page{.after_id = 0, .limit = 500};
    while (true) {
      const auto templates = repos.templates.list_templates(workspace_id, page);
      for (const auto& t : templates.items) {
        const auto it = outcomes.find(t.id);
        if (t.phish_scale.library_slug.empty() || it == outcomes.end()) continue;
        TemplateOutcome& sum = by_slug[t.phish_scale.library_slug];
        sum.sent += it->second.sent;
        sum.clicked += it->second.clicked;
        sum.submitted += it->second.submitted;
      }
      if (!templates.next_after) return {};
      page.after_id = *templates.next_after;
    }
  }));
  return by_slug;
}

}  // namespace phishdrill::service
