// Mutex and MutexLock: std::mutex with clang's thread-safety annotations, so
// a clang build with -Wthread-safety proves that data marked
// PD_GUARDED_BY(mutex) is only touched with that mutex held (libstdc++'s own
// std::mutex carries no annotations, so the analysis cannot see it). Under
// gcc the annotations compile to nothing. Every mutex in src/ is one of these
// and says what it guards.
//
//   Mutex mutex_;
//   std::vector<Item> queue_ PD_GUARDED_BY(mutex_);
//   { MutexLock lock(mutex_); queue_.push_back(item); }
//   lock.wait(ready_, [&]() PD_REQUIRES(mutex_) { return !queue_.empty(); });
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define PD_THREAD_ANNOTATION_(x) __attribute__((x))
#else
#define PD_THREAD_ANNOTATION_(x)
#endif

#define PD_CAPABILITY(x) PD_THREAD_ANNOTATION_(capability(x))
#define PD_SCOPED_CAPABILITY PD_THREAD_ANNOTATION_(scoped_lockable)
#define PD_GUARDED_BY(x) PD_THREAD_ANNOTATION_(guarded_by(x))
#define PD_PT_GUARDED_BY(x) PD_THREAD_ANNOTATION_(pt_guarded_by(x))
#define PD_REQUIRES(...) PD_THREAD_ANNOTATION_(requires_capability(__VA_ARGS__))
#define PD_ACQUIRE(...) PD_THREAD_ANNOTATION_(acquire_capability(__VA_ARGS__))
#define PD_RELEASE(...) PD_THREAD_ANNOTATION_(release_capability(__VA_ARGS__))
#define PD_EXCLUDES(...) PD_THREAD_ANNOTATION_(locks_excluded(__VA_ARGS__))

namespace phishdrill {

class PD_CAPABILITY("mutex") Mutex {
 public:
  void lock() PD_ACQUIRE() { mutex_.lock(); }
  void unlock() PD_RELEASE() { mutex_.unlock(); }

 private:
  friend class MutexLock;
  std::mutex mutex_;
};

// Holds a Mutex for its scope. wait() and wait_for() release it while they
// block on a condition variable and hold it again when they return, as
// std::condition_variable does; give them a predicate marked
// PD_REQUIRES(the mutex).
class PD_SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) PD_ACQUIRE(mutex) : lock_(mutex.mutex_) {}
  ~MutexLock() PD_RELEASE() {}
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  template <typename Predicate>
  void wait(std::condition_variable& ready, Predicate ready_now) {
    ready.wait(lock_, ready_now);
  }
  // False when `timeout` passed with the predicate still false.
  template <typename Rep, typename Period, typename Predicate>
  bool wait_for(std::condition_variable& ready, std::chrono::duration<Rep, Period> timeout,
                Predicate ready_now) {
    return ready.wait_for(lock_, timeout, ready_now);
  }

 private:
  std::unique_lock<std::mutex> lock_;
};

}  // namespace phishdrill
