// The shipped simulation library (content/simulations): every simulation
// loads and renders for a sample person in the message template language,
// every link it shows is the person's tracked link, every landing page posts
// back, and no text names a real brand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/message_template.h"
#include "library/simulation_loader.h"

namespace phishdrill {
namespace {

const LibraryValues kRiverside{"Riverside Health", "riverside-health.org",
                               "<img src=\"cid:qr-code.png\" alt=\"QR code\">"};

TemplateContext sample_person() {
  TemplateContext c;
  c.first_name = "Dana";
  c.last_name = "Reyes";
  c.email = "dana.reyes@riverside-health.org";
  c.position = "Pharmacist in charge";
  c.from = "Sender <sender@riverside-health.org>";
  c.rid = "AbC123xYz";
  c.base_url = "https://phish.example";
  c.url = "https://phish.example/?rid=AbC123xYz";
  c.tracking_url = "https://phish.example/track?rid=AbC123xYz";
  return c;
}

std::string render(const std::string& source, RenderMode mode) {
  auto compiled = CompiledTemplate::compile(with_library_values(source, kRiverside), "source");
  EXPECT_TRUE(compiled.has_value());
  return compiled ? compiled->render(sample_person(), mode) : std::string();
}

const std::vector<Simulation>& library() {
  static const std::vector<Simulation> loaded = [] {
    auto all = load_simulations(PHISHDRILL_SIMULATIONS_DIR);
    EXPECT_TRUE(all.has_value()) << all.error().message;
    return all.value_or(std::vector<Simulation>{});
  }();
  return loaded;
}

TEST(ShippedLibrary, HasSixtySimulationsFifteenLandingPagesAndTenInSpanish) {
  const auto& all = library();
  EXPECT_GE(all.size(), 60u);
  const auto landing = std::count_if(all.begin(), all.end(),
                                     [](const Simulation& s) { return !s.landing.html.empty(); });
  EXPECT_GE(landing, 15);
  const auto spanish =
      std::count_if(all.begin(), all.end(), [](const Simulation& s) { return s.language == "es"; });
  EXPECT_GE(spanish, 10);
  std::set<std::string> categories;
  for (const auto& s : all) categories.insert(s.category);
  EXPECT_GE(categories.size(), 14u) << "most categories are covered";
}

TEST(ShippedLibrary, EveryLinkShownIsThePersonsTrackedLink) {
  static const std::regex href(R"(href\s*=\s*"([^"]*)\")", std::regex::icase);
  const std::string url = sample_person().url;
  for (const auto& s : library()) {
    SCOPED_TRACE(s.slug);
    const std::string html = render(s.html, RenderMode::kHtml);
    int links = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), href);
         it != std::sregex_iterator(); ++it, ++links) {
      EXPECT_EQ((*it)[1].str(), url);
    }
    EXPECT_GE(links, 1);
    EXPECT_NE(render(s.text, RenderMode::kText).find(url), std::string::npos);
    EXPECT_NE(html.find(sample_person().tracking_url), std::string::npos) << "the open pixel";
    for (const auto& a : s.attachments) {
      const std::string file = render(a.content, RenderMode::kHtml);
      EXPECT_NE(file.find(url), std::string::npos) << a.name;
    }
    const std::string subject = render(s.subject, RenderMode::kHeader);
    EXPECT_EQ(subject.find("{{"), std::string::npos);
    EXPECT_EQ(subject.find('\n'), std::string::npos);
  }
}

TEST(ShippedLibrary, LandingPagesPostBackAndAskForNothingTheyKeep) {
  for (const auto& s : library()) {
    if (s.landing.html.empty()) continue;
    SCOPED_TRACE(s.slug);
    const std::string page = render(s.landing.html, RenderMode::kHtml);
    EXPECT_NE(page.find("<form"), std::string::npos);
    EXPECT_EQ(page.find("action="), std::string::npos);
    // Only which fields were filled is ever recorded, never what was typed.
    EXPECT_TRUE(s.landing.capture == "fields" || s.landing.capture == "none");
  }
}

// Well-known brands a lure would imitate: none may appear in a shipped text.
// Acronyms are matched in capitals only ("UPS", not "follow-ups"); other
// names in any case, as whole words.
const std::vector<std::string>& brands() {
  static const std::vector<std::string> names = {"Microsoft",
                                                 "Office 365",
                                                 "Outlook",
                                                 "OneDrive",
                                                 "SharePoint",
                                                 "Microsoft Teams",
                                                 "Google",
                                                 "Gmail",
                                                 "DocuSign",
                                                 "Adobe",
                                                 "Dropbox",
                                                 "Zoom",
                                                 "Slack",
                                                 "Okta",
                                                 "Duo Security",
                                                 "Apple",
                                                 "iCloud",
                                                 "Amazon",
                                                 "PayPal",
                                                 "Netflix",
                                                 "LinkedIn",
                                                 "Facebook",
                                                 "Instagram",
                                                 "WhatsApp",
                                                 "Twitter",
                                                 "FedEx",
                                                 "UPS",
                                                 "DHL",
                                                 "USPS",
                                                 "Royal Mail",
                                                 "IRS",
                                                 "HMRC",
                                                 "Workday",
                                                 "ADP",
                                                 "Gusto",
                                                 "Mastercard",
                                                 "American Express",
                                                 "Wells Fargo",
                                                 "Chase Bank",
                                                 "Bank of America",
                                                 "Epic Systems",
                                                 "MyChart",
                                                 "Cerner",
                                                 "Surescripts",
                                                 "CVS",
                                                 "Walgreens",
                                                 "UnitedHealthcare",
                                                 "Aetna",
                                                 "Cigna",
                                                 "Humana",
                                                 "Kaiser",
                                                 "LabCorp",
                                                 "Quest Diagnostics",
                                                 "Teladoc",
                                                 "Doximity",
                                                 "Norton",
                                                 "McAfee",
                                                 "Geek Squad",
                                                 "Webex",
                                                 "Salesforce",
                                                 "ServiceNow",
                                                 "Zendesk",
                                                 "Intuit",
                                                 "QuickBooks",
                                                 "TurboTax",
                                                 "Venmo",
                                                 "Zelle",
                                                 "Coinbase",
                                                 "Spotify",
                                                 "Yahoo",
                                                 "TikTok"};
  return names;
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool is_acronym(const std::string& name) {
  return std::all_of(name.begin(), name.end(),
                     [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
}

bool names_brand(const std::string& text, const std::string& brand) {
  const bool exact = is_acronym(brand);
  const std::string haystack = exact ? text : lowered(text);
  const std::string needle = exact ? brand : lowered(brand);
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    const bool starts = at == 0 || !std::isalnum(static_cast<unsigned char>(haystack[at - 1]));
    const auto end = at + needle.size();
    const bool ends =
        end == haystack.size() || !std::isalnum(static_cast<unsigned char>(haystack[end]));
    if (starts && ends) return true;
  }
  return false;
}

TEST(ShippedLibrary, NoTextNamesARealBrand) {
  EXPECT_TRUE(names_brand("Sign in to microsoft 365", "Microsoft"));
  EXPECT_TRUE(names_brand("Your UPS parcel", "UPS"));
  EXPECT_FALSE(names_brand("Book your follow-ups", "UPS"));
  EXPECT_FALSE(names_brand("Clinical teams", "Microsoft Teams"));
  for (const auto& s : library()) {
    std::vector<std::string> texts = {s.title,   s.summary, s.from_name, s.from_address,
                                      s.subject, s.html,    s.text,      s.landing.html};
    for (const auto& a : s.attachments) texts.push_back(a.content);
    for (const auto& f : s.red_flags) texts.push_back(f.explanation);
    for (const auto& text : texts) {
      for (const auto& brand : brands()) {
        EXPECT_FALSE(names_brand(text, brand)) << s.slug << " names " << brand;
      }
    }
  }
}

}  // namespace
}  // namespace phishdrill
