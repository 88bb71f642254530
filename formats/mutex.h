// tsl::Mutex, tsl::MutexLock and tsl::CondVar: std::mutex, a scoped lock
// and std::condition_variable with clang thread-safety annotations
// (formats/thread_annotations.h), as LevelDB's port::Mutex. Data a mutex
// protects is declared GUARDED_BY(mu_), and clang's -Wthread-safety checks
// every access. The names follow the standard ones (lock/unlock/try_lock,
// wait/wait_for/wait_until/notify_*), so a MutexLock is used where a
// std::lock_guard or std::unique_lock was.
// Thread-safety: Mutex and CondVar are shared between threads; a MutexLock
// belongs to the thread that made it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "formats/thread_annotations.h"

namespace tsl {

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() ACQUIRE() { mu_.lock(); }
  void unlock() RELEASE() { mu_.unlock(); }
  bool try_lock() TRY_ACQUIRE(true) { return mu_.try_lock(); }
  // Tells the analysis the caller holds the mutex (a callback run under it).
  void AssertHeld() const ASSERT_CAPABILITY(this) {}

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds `mu` from construction to destruction, or between unlock() and
// lock() calls in between (a std::unique_lock's use).
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.lock(); }
  // Takes over `mu`, already held (after a successful try_lock()).
  MutexLock(Mutex& mu, std::adopt_lock_t) REQUIRES(mu) : mu_(mu) {}
  ~MutexLock() RELEASE() {
    if (held_) mu_.unlock();
  }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

  void lock() ACQUIRE() {
    mu_.lock();
    held_ = true;
  }
  void unlock() RELEASE() {
    mu_.unlock();
    held_ = false;
  }

 private:
  friend class CondVar;
  Mutex& mu_;
  bool held_ = true;
};

// A condition variable waited on with a MutexLock held. The waits release
// and retake the lock as std::condition_variable's do; the analysis sees
// the lock held throughout, which is what the caller observes. A
// predicate that reads guarded data is a lambda annotated REQUIRES(mu).
class CondVar {
 public:
  void notify_one() { cv_.notify_one(); }
  void notify_all() { cv_.notify_all(); }

  void wait(MutexLock& lock) NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> held(lock.mu_.mu_, std::adopt_lock);
    cv_.wait(held);
    held.release();
  }
  template <class Predicate>
  void wait(MutexLock& lock, Predicate pred) NO_THREAD_SAFETY_ANALYSIS {
    while (!pred()) wait(lock);
  }
  template <class Clock, class Duration>
  std::cv_status wait_until(MutexLock& lock, const std::chrono::time_point<Clock, Duration>& t)
      NO_THREAD_SAFETY_ANALYSIS {
    std::unique_lock<std::mutex> held(lock.mu_.mu_, std::adopt_lock);
    const std::cv_status status = cv_.wait_until(held, t);
    held.release();
    return status;
  }
  template <class Clock, class Duration, class Predicate>
  bool wait_until(MutexLock& lock, const std::chrono::time_point<Clock, Duration>& t,
                  Predicate pred) NO_THREAD_SAFETY_ANALYSIS {
    while (!pred()) {
      if (wait_until(lock, t) == std::cv_status::timeout) return pred();
    }
    return true;
  }
  template <class Rep, class Period>
  std::cv_status wait_for(MutexLock& lock, const std::chrono::duration<Rep, Period>& d) {
    return wait_until(lock, std::chrono::steady_clock::now() + d);
  }
  template <class Rep, class Period, class Predicate>
  bool wait_for(MutexLock& lock, const std::chrono::duration<Rep, Period>& d, Predicate pred) {
    return wait_until(lock, std::chrono::steady_clock::now() + d, std::move(pred));
  }

 private:
  std::condition_variable cv_;
};

}  // namespace tsl
