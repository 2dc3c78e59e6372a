#include "training/module_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

class ModuleLoaderTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("pd-training-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dir_ = root_ / "sample-module";
    fs::create_directories(dir_);
    write("module.toml",
          "slug = \"sample-module\"\ntitle = \"Sample\"\nsummary = \"A test.\"\nminutes = 4\n"
          "locale = \"en\"\nversion = 2\ntags = [\"x\"]\npass_mark = 50\n"
          "lessons = [\"01-one.md\"]\n");
    write("01-one.md",
          "# First lesson\n\nHello <script>alert(1)</script> [x](javascript:alert(1))\n");
    write("quiz.toml",
          "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"no\"]\nanswers = [0]\n"
          "explanation = \"Because.\"\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  fs::path root_;
  fs::path dir_;
};

TEST_F(ModuleLoaderTest, LoadsAndRendersSafely) {
  auto m = load_module(dir_);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->version, 2);
  EXPECT_EQ(m->pass_mark, 50);
  ASSERT_EQ(m->lessons.size(), 1u);
  EXPECT_EQ(m->lessons[0].title, "First lesson");
  EXPECT_EQ(m->lessons[0].html.find("<script>"), std::string::npos) << m->lessons[0].html;
  EXPECT_EQ(m->lessons[0].html.find("javascript:"), std::string::npos) << m->lessons[0].html;
  EXPECT_EQ(m->quiz[0].answers, (std::set<int>{0}));
}

TEST_F(ModuleLoaderTest, RefusesBrokenModulesWithTheFileNamed) {
  write("quiz.toml",
        "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"no\"]\n"
        "answers = [2]\nexplanation = \"x\"\n");
  auto bad_answer = load_module(dir_);
  ASSERT_FALSE(bad_answer.has_value());
  EXPECT_NE(bad_answer.error().message.find("quiz.toml"), std::string::npos);

  write("quiz.toml", "[[questions]\nbroken");
  EXPECT_FALSE(load_module(dir_).has_value());

  write("quiz.toml",
        "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"yes\"]\nanswers = [0]\n"
        "explanation = \"x\"\n");
  EXPECT_FALSE(load_module(dir_).has_value());  // duplicate choices

  write("module.toml",
        "slug = \"other\"\ntitle = \"T\"\nsummary = \"S\"\nminutes = 4\nversion = 1\n"
        "pass_mark = 80\nlessons = [\"01-one.md\"]\n");
  auto wrong_slug = load_module(dir_);
  ASSERT_FALSE(wrong_slug.has_value());
  EXPECT_NE(wrong_slug.error().message.find("slug"), std::string::npos);
}

TEST_F(ModuleLoaderTest, LessonsMustStayInsideTheFolder) {
  write("module.toml",
        "slug = \"sample-module\"\ntitle = \"T\"\nsummary = \"S\"\nminutes = 4\nversion = 1\n"
        "pass_mark = 80\nlessons = [\"../../etc/passwd.md\"]\n");
  EXPECT_FALSE(load_module(dir_).has_value());
  write("module.toml",
        "slug = \"sample-module\"\ntitle = \"T\"\nsummary = \"S\"\nminutes = 4\nversion = 1\n"
        "pass_mark = 80\nlessons = [\"02-missing.md\"]\n");
  EXPECT_FALSE(load_module(dir_).has_value());
}

TEST_F(ModuleLoaderTest, LocaleMustBeALanguageTag) {
  const auto with_locale = [&](const std::string& locale) {
    write("module.toml",
          "slug = \"sample-module\"\ntitle = \"T\"\nsummary = \"S\"\nminutes = 4\n"
          "version = 1\npass_mark = 80\nlessons = [\"01-one.md\"]\nlocale = \"" +
              locale + "\"\n");
    return load_module(dir_);
  };
  for (const std::string good : {"en", "en-GB", "pt-BR", "zh-Hant-TW", "es-419"}) {
    EXPECT_TRUE(with_locale(good).has_value()) << good;
  }
  for (const std::string bad :
       {"", "e", "english", "en_GB", "en-", "en\\\" onmouseover=x", "-en"}) {
    auto loaded = with_locale(bad);
    ASSERT_FALSE(loaded.has_value()) << bad;
    EXPECT_NE(loaded.error().message.find("locale"), std::string::npos);
  }
}

}  // namespace
}  // namespace phishdrill
