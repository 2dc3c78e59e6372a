// Lease: what a worker holds while it works on one claimed queue item (a
// campaign message, a training email, a webhook delivery). The item is ours
// until its lease runs out; renew() extends it now, keep_alive() extends it
// when a third of it has passed (call it while waiting, e.g. for a rate
// limit), and stopping() says the worker is shutting down, so an item not yet
// tried should be given back. The leased-queue worker (jobs/) implements it;
// use cases (service/) use it. One item, one thread.
#pragma once

namespace phishdrill {

class Lease {
 public:
  virtual ~Lease() = default;
  virtual void renew() = 0;
  virtual void keep_alive() = 0;
  virtual bool stopping() const = 0;
};

}  // namespace phishdrill
