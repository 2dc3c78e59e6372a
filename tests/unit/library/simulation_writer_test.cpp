// Writing a simulation back as its folder's files (library/
// simulation_writer.h): parse_simulation(simulation_files(s)) is `s` for
// every shipped simulation and for awkward values (quotes, backslashes,
// newlines, non-ASCII), the bodies and pages are the shipped bytes, and
// attachment file names are slugs. Also the folder's files themselves
// (library/simulation_files.h): what read_simulation_folder and
// parse_simulation refuse.
#include "library/simulation_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "library/simulation_files.h"
#include "library/simulation_loader.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = PHISHDRILL_SIMULATIONS_DIR;

const std::vector<Simulation>& library() {
  static const std::vector<Simulation> loaded = [] {
    auto all = load_simulations(kRoot);
    EXPECT_TRUE(all.has_value()) << all.error().message;
    return all.value_or(std::vector<Simulation>{});
  }();
  return loaded;
}

Simulation shipped(std::string_view slug) {
  for (const auto& s : library()) {
    if (s.slug == slug) return s;
  }
  ADD_FAILURE() << "no shipped simulation " << slug;
  return {};
}

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every field of Simulation (library/simulation.h).
void expect_same_simulation(const Simulation& got, const Simulation& want) {
  EXPECT_EQ(got.slug, want.slug);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.summary, want.summary);
  EXPECT_EQ(got.category, want.category);
  EXPECT_EQ(got.channel, want.channel);
  EXPECT_EQ(got.language, want.language);
  EXPECT_EQ(got.version, want.version);
  EXPECT_EQ(got.tags, want.tags);
  EXPECT_EQ(got.audience, want.audience);
  EXPECT_EQ(got.from_name, want.from_name);
  EXPECT_EQ(got.from_address, want.from_address);
  EXPECT_EQ(got.subject, want.subject);
  EXPECT_EQ(got.html, want.html);
  EXPECT_EQ(got.text, want.text);
  EXPECT_EQ(got.landing.title, want.landing.title);
  EXPECT_EQ(got.landing.capture, want.landing.capture);
  EXPECT_EQ(got.landing.html, want.landing.html);
  ASSERT_EQ(got.attachments.size(), want.attachments.size());
  for (std::size_t i = 0; i < got.attachments.size(); ++i) {
    SCOPED_TRACE("attachment " + std::to_string(i));
    EXPECT_EQ(got.attachments[i].name, want.attachments[i].name);
    EXPECT_EQ(got.attachments[i].content_type, want.attachments[i].content_type);
    EXPECT_EQ(got.attachments[i].content, want.attachments[i].content);
  }
  ASSERT_EQ(got.red_flags.size(), want.red_flags.size());
  for (std::size_t i = 0; i < got.red_flags.size(); ++i) {
    SCOPED_TRACE("red flag " + std::to_string(i));
    EXPECT_EQ(got.red_flags[i].part, want.red_flags[i].part);
    EXPECT_EQ(got.red_flags[i].text, want.red_flags[i].text);
    EXPECT_EQ(got.red_flags[i].explanation, want.red_flags[i].explanation);
  }
  ASSERT_EQ(got.cues.size(), want.cues.size());
  for (std::size_t i = 0; i < got.cues.size(); ++i) {
    SCOPED_TRACE("cue " + std::to_string(i));
    EXPECT_EQ(got.cues[i].type, want.cues[i].type);
    EXPECT_EQ(got.cues[i].where, want.cues[i].where);
  }
  EXPECT_EQ(got.premise.ratings, want.premise.ratings);
}

// parse_simulation(simulation_files(s)), expected to succeed and equal `s`.
void expect_round_trip(const Simulation& s) {
  const SimulationFiles files = simulation_files(s);
  const auto parsed = parse_simulation(files);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message << "\n"
                                  << *files.find("simulation.toml");
  expect_same_simulation(*parsed, s);
}

TEST(SimulationWriter, EveryShippedSimulationParsesBackEqual) {
  ASSERT_GE(library().size(), 60u);
  for (const auto& s : library()) {
    SCOPED_TRACE(s.slug);
    expect_round_trip(s);
  }
}

TEST(SimulationWriter, BodiesPagesAndAttachmentsAreTheShippedBytes) {
  for (const auto& s : library()) {
    SCOPED_TRACE(s.slug);
    const fs::path folder = kRoot / s.slug;
    const SimulationFiles files = simulation_files(s);
    EXPECT_EQ(files.slug, s.slug);
    for (const std::string name : {"email.html", "email.txt", "landing.html"}) {
      SCOPED_TRACE(name);
      const bool shipped_has_it = fs::exists(folder / name);
      ASSERT_EQ(files.find(name) != nullptr, shipped_has_it);
      if (shipped_has_it) {
        EXPECT_TRUE(*files.find(name) == read_bytes(folder / name));
      }
    }
    // Attachment files are renamed after their shown name; their bytes are kept.
    std::vector<std::string> shipped_attachments, written_attachments;
    if (fs::exists(folder / "attachments")) {
      for (const auto& entry : fs::directory_iterator(folder / "attachments")) {
        shipped_attachments.push_back(read_bytes(entry.path()));
      }
    }
    for (const auto& [path, content] : files.files) {
      if (path.starts_with("attachments/")) written_attachments.push_back(content);
    }
    std::sort(shipped_attachments.begin(), shipped_attachments.end());
    std::sort(written_attachments.begin(), written_attachments.end());
    EXPECT_TRUE(written_attachments == shipped_attachments);
    EXPECT_EQ(written_attachments.size(), s.attachments.size());
  }
}

TEST(SimulationWriter, WritingWhatWasParsedGivesTheSameFiles) {
  for (const auto& s : library()) {
    SCOPED_TRACE(s.slug);
    const SimulationFiles files = simulation_files(s);
    const auto parsed = parse_simulation(files);
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
    const SimulationFiles again = simulation_files(*parsed);
    EXPECT_TRUE(again == files) << "the manifest is written the same way twice";
  }
}

TEST(SimulationWriter, ManifestFollowsTheReadmesOrder) {
  const SimulationFiles files = simulation_files(shipped("html-remittance-advice"));
  const std::string manifest = *files.find("simulation.toml");
  EXPECT_TRUE(manifest.starts_with("slug = ")) << manifest;
  // Keys and values in order; values without their quotes (toml++ picks them).
  std::size_t at = 0;
  for (const std::string_view part : {"html-remittance-advice",
                                      "\ntitle = ",
                                      "\nsummary = ",
                                      "\ncategory = ",
                                      "\nchannel = ",
                                      "\nlanguage = ",
                                      "\nversion = 1\n",
                                      "\ntags = ",
                                      "\naudience = ",
                                      "\n[email]\n",
                                      "\nfrom_name = ",
                                      "\nfrom_address = ",
                                      "\nsubject = ",
                                      "\n[[attachments]]\n",
                                      "\nfile = ",
                                      "remittance-advice-4471.html",
                                      "\nname = ",
                                      "Remittance_Advice_4471.html",
                                      "\ncontent_type = ",
                                      "text/html",
                                      "\n[[red_flags]]\n",
                                      "\npart = ",
                                      "\ntext = ",
                                      "\nexplanation = ",
                                      "\n[[cues]]\n",
                                      "\ntype = ",
                                      "\nwhere = ",
                                      "\n[premise]\n",
                                      "\nworkplace_process = ",
                                      "significant",
                                      "\nworkplace_relevance = ",
                                      "\nexternal_events = ",
                                      "\nconsequences = ",
                                      "\ntraining_exposure = ",
                                      "moderate"}) {
    const auto found = manifest.find(part, at);
    ASSERT_NE(found, std::string::npos) << part << " after offset " << at << "\n" << manifest;
    at = found;
  }
  EXPECT_EQ(manifest.find("[landing]"), std::string::npos) << "no landing page, no [landing]";
}

TEST(SimulationWriter, LandingSectionOnlyWithALandingPage) {
  const Simulation s = shipped("shared-spreadsheet");
  ASSERT_FALSE(s.landing.html.empty());
  const SimulationFiles files = simulation_files(s);
  EXPECT_NE(files.find("simulation.toml")->find("[landing]"), std::string::npos);
  ASSERT_NE(files.find("landing.html"), nullptr);
  EXPECT_EQ(*files.find("landing.html"), s.landing.html);
}

TEST(SimulationWriter, QuotesBackslashesNewlinesAndNonAsciiSurvive) {
  Simulation s = shipped("shared-spreadsheet");
  s.title = R"(Say "hi" \ back: café ñandú 🎣 '''x''' """y""")";
  s.summary = R"(C:\Users\dana\ and "quotes", 'single', ''' and """ and \n written out; ñ é 🎣)";
  s.tags = {"café", "ñandú", "quote\"tag", "back\\slash", "🎣"};
  s.from_name = R"(Équipe "Paie" \ 💸)";
  s.subject = R"(Re: "Factura" nº 12 \ ñ 🎣 'q')";
  s.landing.title = R"(Iniciar sesión "segura" \ ✓)";
  s.red_flags = {
      {"subject", R"("Factura")", "The quotes \"matter\" here"},
      {"body", "", "Line one\nLine two with \"quotes\" and a \\ backslash\n\tand a tab, ñ, 🎣"},
      {"from", R"(\ 💸)", R"(Ends with a backslash \)"},
      {"body", "", R"(Ends with a double quote ")"},
      {"body", "", "Ends with single quotes ''"},
      {"body", "", "Two lines\nending with two single quotes ''"},
      {"body", "", "Triple double quotes \"\"\" on\ntwo lines"},
      {"body", "", "One line with ''' triple single quotes"},
  };
  s.cues = {{"sense_of_urgency", "the \"sign-off\"\nand the footer's \\ line, señor"},
            {"generic_greeting", "«Hola» — the greeting 👋"}};
  expect_round_trip(s);
}

// The shipped simulation with `extra` appended to its manifest, as parse_simulation loads it:
// what the writer must give back.
Simulation loaded_with(std::string_view slug, std::string_view extra) {
  auto files = read_simulation_folder(kRoot / std::string(slug));
  EXPECT_TRUE(files.has_value()) << files.error().message;
  if (!files) return {};
  files->files["simulation.toml"] += extra;
  const auto parsed = parse_simulation(*files);
  EXPECT_TRUE(parsed.has_value()) << parsed.error().message;
  return parsed.value_or(Simulation{});
}

TEST(SimulationWriter, TripleSingleQuotesInAMultiLineValueSurvive) {
  const Simulation s = loaded_with("shared-spreadsheet", R"(
[[red_flags]]
part = "body"
text = ""
explanation = "Two lines\nwith ''' in the middle"
)");
  ASSERT_EQ(s.red_flags.back().explanation, "Two lines\nwith ''' in the middle");
  expect_round_trip(s);
}

TEST(SimulationWriter, ControlCharactersSurvive) {
  const Simulation s = loaded_with("shared-spreadsheet", R"(
[[red_flags]]
part = "body"
text = ""
explanation = "A bell \u0007, an escape \u001b and a delete \u007f"

[[red_flags]]
part = "body"
text = ""
explanation = "Two lines\nand a bell \u0007"
)");
  ASSERT_EQ(s.red_flags.back().explanation, "Two lines\nand a bell \x07");
  expect_round_trip(s);
}

// A red flag's text is matched as written (not trimmed): white space at
// either end belongs to it.
TEST(SimulationWriter, RedFlagTextEndingWithANewlineSurvives) {
  const Simulation s = loaded_with("shared-spreadsheet", R"(
[[red_flags]]
part = "body"
text = "Shared Files\n"
explanation = "Ends with a newline."
)");
  ASSERT_EQ(s.red_flags.back().text, "Shared Files\n");
  expect_round_trip(s);
}

TEST(SimulationWriter, RedFlagTextStartingWithANewlineSurvives) {
  const Simulation s = loaded_with("shared-spreadsheet", R"(
[[red_flags]]
part = "body"
text = "\n\nMarcus Ellery"
explanation = "Starts with a newline."
)");
  ASSERT_EQ(s.red_flags.back().text, "\n\nMarcus Ellery");
  expect_round_trip(s);
}

TEST(SimulationWriter, AttachmentsWithTheSameFileNameStayApart) {
  Simulation s = shipped("html-remittance-advice");
  ASSERT_EQ(s.attachments.size(), 1u);
  SimulationAttachment second = s.attachments[0];
  s.attachments[0].name = "Invoice.html";
  second.name = "INVOICE.html";
  second.content += "<!-- the second one -->\n";
  SimulationAttachment third = second;
  third.name = "🎣.html";
  third.content += "<!-- the third one -->\n";
  s.attachments.push_back(second);
  s.attachments.push_back(third);
  const SimulationFiles files = simulation_files(s);
  EXPECT_NE(files.find("attachments/invoice.html"), nullptr);
  EXPECT_NE(files.find("attachments/2-invoice.html"), nullptr);
  EXPECT_NE(files.find("attachments/attachment-3.html"), nullptr);
  expect_round_trip(s);
}

TEST(SimulationWriter, AttachmentFileNameIsASlugKeepingTheExtension) {
  EXPECT_EQ(attachment_file_name("Invoice 2291.html", 0), "invoice-2291.html");
  EXPECT_EQ(attachment_file_name("Remittance_Advice_4471.html", 0), "remittance-advice-4471.html");
  EXPECT_EQ(attachment_file_name("Factura Nº 12.HTML", 0), "factura-n-12.html");
  EXPECT_EQ(attachment_file_name("report.tar.gz", 0), "report-tar.gz");
  EXPECT_EQ(attachment_file_name("Statement.htm", 0), "statement.htm");
}

TEST(SimulationWriter, AttachmentFileNameWithoutAnExtensionIsHtml) {
  EXPECT_EQ(attachment_file_name("Readme", 0), "readme.html");
  EXPECT_EQ(attachment_file_name("notes.", 0), "notes.html");
  EXPECT_EQ(attachment_file_name("notes.!!", 0), "notes.html");
}

TEST(SimulationWriter, AttachmentFileNameIsNumberedWhenNothingIsLeft) {
  EXPECT_EQ(attachment_file_name("🎣.html", 0), "attachment-1.html");
  EXPECT_EQ(attachment_file_name(".html", 2), "attachment-3.html");
  EXPECT_EQ(attachment_file_name("", 4), "attachment-5.html");
  EXPECT_EQ(attachment_file_name("ñ é", 0), "attachment-1.html");
}

TEST(SimulationWriter, AttachmentFileNameIsShortened) {
  EXPECT_EQ(attachment_file_name(std::string(100, 'a') + ".html", 0),
            std::string(48, 'a') + ".html");
  EXPECT_EQ(attachment_file_name("x." + std::string(30, 'e'), 0), "x." + std::string(16, 'e'));
}

TEST(SimulationWriter, AttachmentFileNamesAreFilesOfTheFormat) {
  for (const std::string& shown : std::vector<std::string>{
           "Invoice 2291.html", "Readme", "🎣.html", "a.b.c", "...", "x/y.html", "C:\\evil\\p.html",
           "../../etc/passwd", std::string(300, 'z') + "." + std::string(300, 'y')}) {
    SCOPED_TRACE(shown);
    const std::string name = attachment_file_name(shown, 0);
    EXPECT_TRUE(check_simulation_file_name("x", "attachments/" + name).has_value()) << name;
  }
}

// A copy of a shipped folder in a temporary directory.
class SimulationFolderTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "pd_simulation_folder_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    folder_ = dir_ / "html-remittance-advice";
    fs::copy(kRoot / "html-remittance-advice", folder_, fs::copy_options::recursive);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void write(const std::string& name, const std::string& text) {
    fs::create_directories((folder_ / name).parent_path());
    std::ofstream(folder_ / name, std::ios::binary) << text;
  }
  void expect_refused(std::string_view named) {
    const auto read = read_simulation_folder(folder_);
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().code, ErrorCode::kValidation);
    EXPECT_NE(read.error().message.find(named), std::string::npos) << read.error().message;
  }
  fs::path dir_;
  fs::path folder_;
};

TEST_F(SimulationFolderTest, ReadsEveryFileOfTheFolder) {
  const auto read = read_simulation_folder(folder_);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->slug, "html-remittance-advice");
  EXPECT_EQ(read->files.size(), 4u);
  for (const std::string name :
       {"simulation.toml", "email.html", "email.txt", "attachments/remittance-advice.html"}) {
    SCOPED_TRACE(name);
    ASSERT_NE(read->find(name), nullptr);
    EXPECT_EQ(*read->find(name), read_bytes(kRoot / "html-remittance-advice" / name));
  }
  const auto parsed = parse_simulation(*read);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  expect_same_simulation(*parsed, shipped("html-remittance-advice"));
}

TEST_F(SimulationFolderTest, RefusesAMisspelledFile) {
  write("email.htm", "<p>typo</p>");
  expect_refused("email.htm");
}

TEST_F(SimulationFolderTest, RefusesAnUnknownFile) {
  write("notes.txt", "mine");
  expect_refused("notes.txt");
}

TEST_F(SimulationFolderTest, RefusesASubFolderOtherThanAttachments) {
  write("images/logo.html", "<p>logo</p>");
  expect_refused("images");
}

TEST_F(SimulationFolderTest, RefusesAnEmptySubFolder) {
  fs::create_directory(folder_ / "drafts");
  expect_refused("drafts");
}

TEST_F(SimulationFolderTest, RefusesAFolderInsideAttachments) {
  write("attachments/nested/x.html", "<p>x</p>");
  expect_refused("nested");
}

TEST_F(SimulationFolderTest, RefusesAnAttachmentFileWithoutASlugName) {
  write("attachments/Bad Name.html", "<p>x</p>");
  expect_refused("attachments/Bad Name.html");
}

TEST_F(SimulationFolderTest, RefusesAFileOverTheLimit) {
  write("email.html", std::string(kMaxSimulationFileBytes + 1, 'x'));
  expect_refused("email.html");
  write("email.html", std::string(kMaxSimulationFileBytes, 'x'));
  EXPECT_TRUE(read_simulation_folder(folder_).has_value()) << "the limit itself is allowed";
}

TEST(SimulationFiles, ParseRefusesAnAttachmentNotNamedInTheManifest) {
  auto files = read_simulation_folder(kRoot / "html-remittance-advice");
  ASSERT_TRUE(files.has_value()) << files.error().message;
  ASSERT_TRUE(parse_simulation(*files).has_value());
  files->files.emplace("attachments/extra.html",
                       *files->find("attachments/remittance-advice.html"));
  const auto parsed = parse_simulation(*files);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
  EXPECT_NE(parsed.error().message.find("attachments/extra.html"), std::string::npos)
      << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("not named by [[attachments]]"), std::string::npos)
      << parsed.error().message;
}

TEST(SimulationFiles, ParseRefusesAFileTheFormatDoesNotHave) {
  auto files = read_simulation_folder(kRoot / "shared-spreadsheet");
  ASSERT_TRUE(files.has_value()) << files.error().message;
  files->files.emplace("notes/x.txt", "mine");
  const auto parsed = parse_simulation(*files);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().code, ErrorCode::kValidation);
  EXPECT_NE(parsed.error().message.find("notes/x.txt"), std::string::npos)
      << parsed.error().message;
}

}  // namespace
}  // namespace phishdrill
