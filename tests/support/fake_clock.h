// A clock a test moves by hand (tests only; bidopend never uses it).
#ifndef BIDOPEN_TESTS_SUPPORT_FAKE_CLOCK_H_
#define BIDOPEN_TESTS_SUPPORT_FAKE_CLOCK_H_

#include "absl/synchronization/mutex.h"
#include "core/clock.h"

namespace bidopen::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  absl::Duration Monotonic() const override {
    absl::MutexLock lock(&mu_);
    return monotonic_;
  }
  // Time passes: both clocks move.
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
    monotonic_ += d;
  }
  // Someone sets the wall clock (back for a negative `d`); no time passes.
  void StepWall(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_;
  absl::Duration monotonic_ = absl::Hours(1);
};

}  // namespace bidopen::testing

#endif  // BIDOPEN_TESTS_SUPPORT_FAKE_CLOCK_H_
