#include "service/mail_transports.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/store_fixture.h"

namespace phishdrill::service {
namespace {

// Each transport made notes which one it is when it sends.
class NumberedTransport final : public MailTransport {
 public:
  NumberedTransport(int number, std::vector<int>& used) : number_(number), used_(used) {}
  SendOutcome send(std::string_view, std::string_view, std::string_view,
                   std::string_view) override {
    used_.push_back(number_);
    return {};
  }

 private:
  int number_;
  std::vector<int>& used_;
};

class StoppingLease final : public Lease {
 public:
  void renew() override {}
  void keep_alive() override { ++keep_alives; }
  bool stopping() const override { return true; }
  int keep_alives = 0;
};

class MailTransportsTest : public testing_support::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (HasFatalFailure()) return;
    rate_.emplace(*store_);
    transports_.emplace(factory_, *rate_);
  }

  static SendingProfile profile(std::int64_t id, std::int64_t updated_at, int rate = 0) {
    SendingProfile p;
    p.id = id;
    p.updated_at = updated_at;
    p.rate_per_minute = rate;
    return p;
  }
  void send(const SendingProfile& p) { transports_->send(p, "pw", "a@x", "b@y", "id@x", "mime"); }

  std::vector<int> used_;
  std::vector<std::string> passwords_;
  TransportFactory factory_ = [this](const SendingProfile&, const std::string& password) {
    passwords_.push_back(password);
    return std::make_unique<NumberedTransport>(static_cast<int>(passwords_.size()), used_);
  };
  std::optional<SendRate> rate_;  // both set up once the store is open
  std::optional<MailTransports> transports_;
};

TEST_F(MailTransportsTest, AProfilesConnectionIsReusedUntilTheProfileChanges) {
  send(profile(1, 100));
  send(profile(1, 100));
  send(profile(2, 100));
  send(profile(1, 200));  // edited: a new transport
  send(profile(1, 200));
  EXPECT_EQ(used_, (std::vector<int>{1, 1, 2, 3, 3}));
  EXPECT_EQ(passwords_, (std::vector<std::string>{"pw", "pw", "pw"}));
}

TEST_F(MailTransportsTest, TheRateIsWaitedForWithTheLeaseKeptAliveUntilAStop) {
  const auto limited = profile(3, 100, 1);  // one a minute
  StoppingLease lease;
  EXPECT_TRUE(transports_->wait_for_rate(limited, lease));  // the first token is free
  EXPECT_EQ(lease.keep_alives, 0);
  EXPECT_FALSE(transports_->wait_for_rate(limited, lease));  // must wait: the stop ends it
  EXPECT_EQ(lease.keep_alives, 1);
  EXPECT_TRUE(transports_->wait_for_rate(profile(4, 100, 0), lease));  // unlimited
}

}  // namespace
}  // namespace phishdrill::service
