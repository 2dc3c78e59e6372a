// Lesson images: local raster files under images/, with alt text, checked
// against their type, loaded once into TrainingModule::assets.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "training/module_loader.h"

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

const std::string kPng = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + "rest";
const std::string kJpeg = "\xff\xd8\xff\xe0 jpeg";
const std::string kGif = "GIF89a gif";
const std::string kWebp = std::string("RIFF\x10\0\0\0WEBPVP8 ", 16);

class LessonImagesTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ =
        fs::temp_directory_path() / ("pd-images-" + std::to_string(::getpid()) + "-" +
                                     testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    dir_ = root_ / "pictures";
    fs::create_directories(dir_ / "images");
    write("module.toml",
          "slug = \"pictures\"\ntitle = \"T\"\nsummary = \"S\"\nminutes = 4\nversion = 1\n"
          "pass_mark = 80\nlessons = [\"01-one.md\", \"02-two.md\"]\n");
    write("02-two.md", "# Two\n\nNo pictures here.\n");
    write("quiz.toml",
          "[[questions]]\nid = \"a\"\ntext = \"Q?\"\nchoices = [\"yes\", \"no\"]\nanswers = [0]\n"
          "explanation = \"Because.\"\n");
    write("images/inbox.png", kPng);
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(dir_ / name, std::ios::binary) << bytes;
  }
  void lesson(const std::string& markdown) { write("01-one.md", "# One\n\n" + markdown + "\n"); }
  // Loads with `markdown` as lesson one and expects a refusal naming the
  // lesson, `url` and `words`.
  void expect_refused(const std::string& markdown, const std::string& url,
                      const std::string& words) {
    lesson(markdown);
    auto m = load_module(dir_);
    ASSERT_FALSE(m.has_value()) << markdown;
    EXPECT_EQ(m.error().code, ErrorCode::kValidation);
    const auto& message = m.error().message;
    EXPECT_NE(message.find("01-one.md"), std::string::npos) << message;
    EXPECT_NE(message.find(url), std::string::npos) << message;
    EXPECT_NE(message.find(words), std::string::npos) << message;
  }

  fs::path root_;
  fs::path dir_;
};

TEST_F(LessonImagesTest, LoadsEachReferencedImageOnce) {
  write("images/photo-1.jpg", kJpeg);
  write("images/anim_2.gif", kGif);
  write("images/shot.v3.webp", kWebp);
  write("images/unused.png", kPng);
  lesson(
      "![An inbox with three messages](images/inbox.png)\n\n"
      "Again: ![The same inbox](images/inbox.png \"title\")\n\n"
      "![A photo](images/photo-1.jpg) ![An animation](images/anim_2.gif)\n\n"
      "![A *screenshot*][shot]\n\n[shot]: images/shot.v3.webp\n");
  write("02-two.md", "# Two\n\n![The inbox again](images/inbox.png)\n");
  auto m = load_module(dir_);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  ASSERT_EQ(m->assets.size(), 4u);
  EXPECT_EQ(m->assets[0].path, "images/inbox.png");
  EXPECT_EQ(m->assets[0].content_type, "image/png");
  EXPECT_EQ(m->assets[0].bytes, kPng);
  EXPECT_EQ(m->assets[1].content_type, "image/jpeg");
  EXPECT_EQ(m->assets[2].content_type, "image/gif");
  EXPECT_EQ(m->assets[3].path, "images/shot.v3.webp");
  EXPECT_EQ(m->assets[3].content_type, "image/webp");
  const auto& html = m->lessons[0].html;
  EXPECT_NE(html.find("<img src=\"images/inbox.png\" alt=\"An inbox with three messages\" />"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("alt=\"A screenshot\""), std::string::npos) << html;
}

TEST_F(LessonImagesTest, JpegMayUseEitherExtension) {
  write("images/a.jpeg", kJpeg);
  lesson("![A photo](images/a.jpeg)");
  auto m = load_module(dir_);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  ASSERT_EQ(m->assets.size(), 1u);
  EXPECT_EQ(m->assets[0].content_type, "image/jpeg");
}

TEST_F(LessonImagesTest, TheFileMustExistInTheModule) {
  expect_refused("![Missing](images/missing.png)", "images/missing.png", "no such file");
  fs::create_symlink(dir_ / "images" / "inbox.png", dir_ / "images" / "link.png");
  expect_refused("![Link](images/link.png)", "images/link.png", "no such file");
  fs::create_directories(dir_ / "images" / "folder.png");
  expect_refused("![Folder](images/folder.png)", "images/folder.png", "no such file");
}

TEST_F(LessonImagesTest, RemoteImagesAreRefused) {
  for (const std::string url :
       {"http://tracker.example/pixel.png", "https://cdn.example/x.png",
        "HTTPS://cdn.example/x.png", "//cdn.example/x.png", "data:image/png;base64,iVBORw0KGgo="}) {
    expect_refused("![Remote](" + url + ")", url, "remote images are not allowed");
  }
}

TEST_F(LessonImagesTest, PathsOutsideImagesAreRefused) {
  for (const std::string url :
       {"inbox.png", "./images/inbox.png", "/etc/inbox.png", "images/../inbox.png",
        "images/sub/inbox.png", "images/Inbox.png", "images/.hidden.png", "images/a%20b.png",
        "../pictures/images/inbox.png", "file:///etc/passwd.png"}) {
    lesson("![Picture](" + url + ")");
    auto m = load_module(dir_);
    ASSERT_FALSE(m.has_value()) << url;
    EXPECT_NE(m.error().message.find(url), std::string::npos) << m.error().message;
  }
}

TEST_F(LessonImagesTest, SvgAndOtherTypesAreRefused) {
  write("images/diagram.svg", "<svg onload=\"alert(1)\"/>");
  expect_refused("![Diagram](images/diagram.svg)", "images/diagram.svg", "SVG");
  write("images/page.html", "<p>x</p>");
  expect_refused("![Page](images/page.html)", "images/page.html", ".png, .jpg");
}

TEST_F(LessonImagesTest, AltTextIsRequired) {
  expect_refused("![](images/inbox.png)", "images/inbox.png",
                 "has no alt text: describe it for screen readers");
  expect_refused("![   ](images/inbox.png)", "images/inbox.png", "has no alt text");
}

TEST_F(LessonImagesTest, TheBytesMustMatchTheType) {
  write("images/fake.png", kJpeg);
  expect_refused("![Fake](images/fake.png)", "images/fake.png", "is not image/png");
  write("images/fake.jpg", kPng);
  expect_refused("![Fake](images/fake.jpg)", "images/fake.jpg", "is not image/jpeg");
  write("images/fake.gif", "<script>");
  expect_refused("![Fake](images/fake.gif)", "images/fake.gif", "is not image/gif");
  write("images/fake.webp", "RIFF\x10\0\0\0WAVE");
  expect_refused("![Fake](images/fake.webp)", "images/fake.webp", "is not image/webp");
  write("images/empty.png", "");
  expect_refused("![Empty](images/empty.png)", "images/empty.png", "is not image/png");
}

TEST_F(LessonImagesTest, ImagesAreAtMostTwoMebibytes) {
  write("images/max.png", kPng + std::string((2u << 20) - kPng.size(), '\0'));
  lesson("![Largest allowed](images/max.png)");
  ASSERT_TRUE(load_module(dir_).has_value());
  write("images/big.png", kPng + std::string((2u << 20) - kPng.size() + 1, '\0'));
  expect_refused("![Too big](images/big.png)", "images/big.png", "larger than 2 MiB");
}

TEST_F(LessonImagesTest, RawHtmlImagesAreNotRendered) {
  lesson("<img src=\"https://tracker.example/pixel.png\" alt=\"x\">");
  auto m = load_module(dir_);
  ASSERT_TRUE(m.has_value()) << m.error().message;
  EXPECT_EQ(m->lessons[0].html.find("<img"), std::string::npos) << m->lessons[0].html;
  EXPECT_TRUE(m->assets.empty());
}

TEST(LoadModules, SkipsFoldersStartingWithDotOrUnderscore) {
  const fs::path root = fs::temp_directory_path() / ("pd-skip-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "_sources");
  fs::create_directories(root / ".incoming-x1y2z3" / "half");
  std::ofstream(root / "_sources" / "mock.html") << "<p>not a module</p>";
  auto modules = load_modules(root);
  fs::remove_all(root);
  ASSERT_TRUE(modules.has_value()) << modules.error().message;
  EXPECT_TRUE(modules->empty());
}

}  // namespace
}  // namespace phishdrill
