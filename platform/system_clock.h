// The system clock, for bidopend and tools; core/ only sees the Clock interface.
#ifndef BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
#define BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_

#include <chrono>

#include "absl/time/clock.h"
#include "core/clock.h"

namespace bidopen {

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // std::chrono::steady_clock is CLOCK_MONOTONIC on Linux: slewed by NTP as
  // the wall clock is, but never stepped.
  absl::Duration Monotonic() const override {
    return absl::FromChrono(std::chrono::steady_clock::now().time_since_epoch());
  }
};

}  // namespace bidopen

#endif  // BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
