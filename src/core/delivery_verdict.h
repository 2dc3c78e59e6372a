// DeliveryVerdict: what became of one claimed queue item (a campaign message,
// a training email, a webhook delivery), as a use case judges it and as the
// leased-queue worker hands it back to be recorded. Pure data.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace phishdrill {

struct DeliveryVerdict {
  enum class Kind {
    kSent,       // delivered: recorded as done
    kRetry,      // refused for now: queued again for retry_at
    kFailed,     // refused for good, or no attempt left
    kCancelled,  // no longer wanted (its campaign or assignment ended): nothing sent
    kGiveBack,   // never tried (the worker is stopping): claim released, attempt not counted
  };
  Kind kind = Kind::kSent;
  std::int64_t retry_at = 0;  // kRetry only
  int code = 0;               // SMTP reply code or HTTP status, 0 when none
  std::string detail;         // the peer's reply or the error, for operators (no secrets)
  std::string reference;      // what was sent, e.g. a Message-ID ("" when none)

  static DeliveryVerdict of(Kind kind, int code = 0, std::string detail = {}) {
    DeliveryVerdict v;
    v.kind = kind;
    v.code = code;
    v.detail = std::move(detail);
    return v;
  }
};

}  // namespace phishdrill
