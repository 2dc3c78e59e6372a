// The simulation library's loader (library/simulation_loader.h): a minimal
// simulation loads, and each rule of content/simulations/README.md that a
// program can check refuses a folder that breaks it, naming the file.
#include "library/simulation_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

const char* kManifest = R"(slug = "sample-lure"
title = "A sample lure"
summary = "A file was shared; the person is asked to sign in."
category = "credential-harvesting"
channel = "email"
language = "en"
version = 1
tags = ["document-share"]
audience = "everyone"

[email]
from_name = "{{.OrgName}} Files"
from_address = "share@docs-{{.OrgDomain}}"
subject = "{{.FirstName}}, a file was shared with you"

[landing]
title = "Sign in"
capture = "fields"

[[red_flags]]
part = "from"
text = "docs-"
explanation = "The sender's domain only looks like ours."

[[cues]]
type = "domain_spoofing"
where = "the sender's address"

[premise]
workplace_process = "significant"
workplace_relevance = "significant"
external_events = "low"
consequences = "moderate"
training_exposure = "moderate"
)";

const char* kHtml =
    "<html><body><p>Hello {{.FirstName}},</p><p><a href=\"{{.URL}}\">Open the file</a></p>"
    "{{.Tracker}}</body></html>\n";
const char* kText = "Hello {{.FirstName}},\n\nOpen the file: {{.URL}}\n";
const char* kLanding =
    "<!doctype html><html lang=\"en\"><body><form method=\"post\"><input name=\"email\">"
    "<input name=\"password\" type=\"password\"><button>Sign in</button></form></body></html>";

class SimulationLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() /
        ("phishdrill-library-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    folder_ = root_ / "sample-lure";
    fs::create_directories(folder_);
    write("simulation.toml", kManifest);
    write("email.html", kHtml);
    write("email.txt", kText);
    write("landing.html", kLanding);
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const std::string& name, const std::string& text) {
    fs::create_directories((folder_ / name).parent_path());
    std::ofstream(folder_ / name, std::ios::binary) << text;
  }
  void replace_in(const std::string& name, const std::string& from, const std::string& to) {
    std::ifstream in(folder_ / name, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
    write(name, text);
  }
  // The load's error message (the test fails if it loads).
  std::string refusal() {
    auto loaded = load_simulation(folder_);
    EXPECT_FALSE(loaded.has_value());
    return loaded ? std::string() : loaded.error().message;
  }

  fs::path root_;
  fs::path folder_;
};

TEST_F(SimulationLoaderTest, AMinimalSimulationLoadsWithEveryPart) {
  auto loaded = load_simulation(folder_);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(loaded->slug, "sample-lure");
  EXPECT_EQ(loaded->category, "credential-harvesting");
  EXPECT_EQ(loaded->from_address, "share@docs-{{.OrgDomain}}");
  EXPECT_EQ(loaded->landing.capture, "fields");
  EXPECT_NE(loaded->landing.html.find("<form"), std::string::npos);
  ASSERT_EQ(loaded->red_flags.size(), 1u);
  ASSERT_EQ(loaded->cues.size(), 1u);
  EXPECT_EQ(loaded->premise[PremiseElement::kConsequences], 4);
  EXPECT_EQ(loaded->premise[PremiseElement::kWorkplaceProcess], 6);
  auto all = load_simulations(root_);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 1u);
}

TEST_F(SimulationLoaderTest, TheLibraryVariablesAreFilledAndTheTemplateOnesKept) {
  EXPECT_EQ(with_library_values("{{.OrgName}} <a@{{ .OrgDomain }}> {{.FirstName}} {{.QRCode}}",
                                {"Riverside", "riverside.org", "<img alt=\"QR\">"}),
            "Riverside <a@riverside.org> {{.FirstName}} <img alt=\"QR\">");
}

struct Breakage {
  const char* name;
  const char* file;
  const char* from;
  const char* to;
  const char* expected;  // in the error message
};

class SimulationLoaderRefusal : public SimulationLoaderTest,
                                public ::testing::WithParamInterface<Breakage> {};

TEST_P(SimulationLoaderRefusal, NamesTheFileAndTheProblem) {
  const Breakage& b = GetParam();
  replace_in(b.file, b.from, b.to);
  const std::string message = refusal();
  EXPECT_NE(message.find(b.expected), std::string::npos) << message;
  EXPECT_NE(message.find("sample-lure"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, SimulationLoaderRefusal,
    ::testing::Values(
        Breakage{"SlugIsTheFolder", "simulation.toml", "slug = \"sample-lure\"", "slug = \"other\"",
                 "slug must equal the folder name"},
        Breakage{"KnownCategory", "simulation.toml", "\"credential-harvesting\"", "\"phishing\"",
                 "category must be one of"},
        Breakage{"KnownChannel", "simulation.toml", "channel = \"email\"", "channel = \"sms\"",
                 "channel must be one of"},
        Breakage{"KnownLanguage", "simulation.toml", "language = \"en\"", "language = \"fr\"",
                 "language must be one of"},
        Breakage{"Version", "simulation.toml", "version = 1", "version = 0", "version must be"},
        Breakage{"SenderAddress", "simulation.toml", "share@docs-{{.OrgDomain}}", "nobody",
                 "from_address must be an address"},
        Breakage{"TemplateLanguage", "simulation.toml", "{{.FirstName}}, a file",
                 "{{.Password}}, a file", "unknown template expression"},
        Breakage{"HtmlLinksTheTrackedUrl", "email.html", "{{.URL}}", "#",
                 "both bodies must link to {{.URL}}"},
        Breakage{"TextLinksTheTrackedUrl", "email.txt", "{{.URL}}", "the portal",
                 "both bodies must link to {{.URL}}"},
        Breakage{"EndsWithTheTracker", "email.html", "{{.Tracker}}</body>",
                 "{{.Tracker}}<p>Bye</p></body>", "must end with {{.Tracker}}"},
        Breakage{"NoScript", "email.html", "<p>Hello", "<script>x()</script><p>Hello",
                 "must not contain \"<script\""},
        Breakage{"NoRemoteImage", "email.html", "<p>Hello",
                 "<img src=\"https://cdn.example/logo.png\"><p>Hello",
                 "must not contain \"https://\""},
        Breakage{"NoEventHandler", "email.html", "<p>Hello", "<p onclick=\"x()\">Hello",
                 "event handler"},
        Breakage{"NoQrCodeOutsideQrSimulations", "email.html", "<p>Hello", "{{.QRCode}}<p>Hello",
                 "{{.QRCode}} belongs in"},
        Breakage{"LandingPostsBack", "landing.html", "<form method=\"post\">",
                 "<form method=\"post\" action=\"/elsewhere\">", "a form must post back"},
        Breakage{"LandingHasNoScript", "landing.html", "<body>",
                 "<body><a href=\"javascript:alert(1)\">x</a>", "javascript:"},
        Breakage{"RedFlagIsInItsPart", "simulation.toml", "text = \"docs-\"",
                 "text = \"not there\"", "red flag text \"not there\" is not in the from"},
        Breakage{"CueTypeIsTheScales", "simulation.toml", "type = \"domain_spoofing\"",
                 "type = \"bad_vibes\"", "is not a Phish Scale cue type"},
        Breakage{"PremiseAnswers", "simulation.toml", "consequences = \"moderate\"",
                 "consequences = \"high\"",
                 "consequences must be none, low, moderate, significant or extreme"},
        Breakage{"AttachmentChannelNeedsAnAttachment", "simulation.toml", "channel = \"email\"",
                 "channel = \"attachment\"", "attachments belong to"}),
    [](const ::testing::TestParamInfo<Breakage>& rule) { return std::string(rule.param.name); });

TEST_F(SimulationLoaderTest, ALandingPageWithoutItsManifestSectionIsRefused) {
  replace_in("simulation.toml", "[landing]\ntitle = \"Sign in\"\ncapture = \"fields\"\n", "");
  EXPECT_NE(refusal().find("[landing] is required"), std::string::npos);
}

TEST_F(SimulationLoaderTest, AnAttachmentIsAnInertHtmlDocumentInItsFolder) {
  replace_in("simulation.toml", "channel = \"email\"", "channel = \"attachment\"");
  std::ofstream(folder_ / "simulation.toml", std::ios::app)
      << "\n[[attachments]]\nfile = \"advice.html\"\nname = \"Advice.html\"\n"
         "content_type = \"text/html\"\n";
  write("attachments/advice.html", "<html><body><a href=\"{{.URL}}\">View</a></body></html>");
  auto loaded = load_simulation(folder_);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_EQ(loaded->attachments.size(), 1u);
  EXPECT_EQ(loaded->attachments[0].name, "Advice.html");

  write("attachments/advice.html", "<html><body><script>x()</script></body></html>");
  EXPECT_NE(refusal().find("advice.html: must not contain \"<script\""), std::string::npos);
}

}  // namespace
}  // namespace phishdrill
