#include "mail/outbox_transport.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace phishdrill {
namespace {

namespace fs = std::filesystem;

class OutboxTransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "outbox-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }

  static std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  static std::vector<std::string> entries(const fs::path& directory) {
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_;
};

TEST_F(OutboxTransportTest, WritesOneEmlFileNamedAfterTheMessageId) {
  const fs::path outbox = root_ / "outbox" / "nested";  // created on first send
  OutboxTransport transport(outbox.string());
  const std::string mime = "From: a@example.com\r\nTo: b@example.com\r\n\r\nHello\r\n";
  const SendOutcome outcome =
      transport.send("a@example.com", "b@example.com", "abc123@example.com", mime);
  EXPECT_EQ(outcome.status, SendOutcome::Status::kSent) << outcome.reply;
  EXPECT_EQ(entries(outbox), std::vector<std::string>{"abc123_example.com.eml"});
  EXPECT_EQ(read(outbox / "abc123_example.com.eml"), mime);
  EXPECT_EQ(fs::status(outbox / "abc123_example.com.eml").permissions() & fs::perms::others_read,
            fs::perms::none);
}

TEST_F(OutboxTransportTest, SameMessageIdReplacesTheFile) {
  OutboxTransport transport(root_.string());
  ASSERT_EQ(transport.send("a@x", "b@y", "same@x", "first version\r\n").status,
            SendOutcome::Status::kSent);
  ASSERT_EQ(transport.send("a@x", "b@y", "same@x", "second\r\n").status,
            SendOutcome::Status::kSent);
  EXPECT_EQ(entries(root_), std::vector<std::string>{"same_x.eml"});
  EXPECT_EQ(read(root_ / "same_x.eml"), "second\r\n");
}

TEST_F(OutboxTransportTest, MessageIdCannotEscapeTheDirectory) {
  const fs::path outbox = root_ / "box";
  OutboxTransport transport(outbox.string());
  ASSERT_EQ(transport.send("a@x", "b@y", "../../etc/passwd", "x").status,
            SendOutcome::Status::kSent);
  ASSERT_EQ(transport.send("a@x", "b@y", "a/b\\c d<e>", "y").status, SendOutcome::Status::kSent);
  const std::string long_id(600, 'q');
  ASSERT_EQ(transport.send("a@x", "b@y", long_id + "1", "z1").status, SendOutcome::Status::kSent);
  ASSERT_EQ(transport.send("a@x", "b@y", long_id + "2", "z2").status, SendOutcome::Status::kSent);
  const std::vector<std::string> names = entries(outbox);
  ASSERT_EQ(names.size(), 4U);
  EXPECT_EQ(names[0], ".._.._etc_passwd.eml");
  EXPECT_EQ(names[1], "a_b_c_d_e_.eml");
  for (const std::string& name : names) EXPECT_LE(name.size(), 255U) << name;
  EXPECT_EQ(entries(root_), std::vector<std::string>{"box"});
}

TEST_F(OutboxTransportTest, UnusableDirectoryIsPermanent) {
  const fs::path file = root_ / "plain-file";
  std::ofstream(file) << "not a directory";
  OutboxTransport transport((file / "outbox").string());
  const SendOutcome outcome = transport.send("a@x", "b@y", "id@x", "mime");
  EXPECT_EQ(outcome.status, SendOutcome::Status::kPermanent);
  EXPECT_NE(outcome.reply.find("plain-file"), std::string::npos) << outcome.reply;
  EXPECT_EQ(outcome.smtp_code, 0);
}

TEST_F(OutboxTransportTest, UnwritableDirectoryIsPermanentAndLeavesNoTemporaryFile) {
  const fs::path outbox = root_ / "readonly";
  fs::create_directory(outbox);
  fs::permissions(outbox, fs::perms::owner_read | fs::perms::owner_exec);
  OutboxTransport transport(outbox.string());
  const SendOutcome outcome = transport.send("a@x", "b@y", "id@x", "mime");
  fs::permissions(outbox, fs::perms::owner_all);
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  EXPECT_EQ(outcome.status, SendOutcome::Status::kPermanent);
  EXPECT_FALSE(outcome.reply.empty());
  EXPECT_TRUE(entries(outbox).empty());
}

TEST_F(OutboxTransportTest, DirectoryThatRefusesFilesIsPermanent) {
  // procfs refuses new files even to root.
  OutboxTransport transport("/proc/self");
  const SendOutcome outcome = transport.send("a@x", "b@y", "id@x", "mime");
  EXPECT_EQ(outcome.status, SendOutcome::Status::kPermanent);
  EXPECT_NE(outcome.reply.find("/proc/self"), std::string::npos) << outcome.reply;
}

TEST_F(OutboxTransportTest, EmptyMessageIdIsPermanent) {
  OutboxTransport transport(root_.string());
  EXPECT_EQ(transport.send("a@x", "b@y", "", "mime").status, SendOutcome::Status::kPermanent);
  EXPECT_TRUE(entries(root_).empty());
}

}  // namespace
}  // namespace phishdrill
