// The system clock, for bidopend and tools; core/ only sees the Clock interface.
#ifndef BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
#define BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_

#include <time.h>

#include "absl/time/clock.h"
#include "core/clock.h"

namespace bidopen {

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  // CLOCK_BOOTTIME: slewed by NTP as the wall clock is, never stepped, and
  // (unlike CLOCK_MONOTONIC) counting the time a suspended VM slept, so a
  // resume does not read as a wall clock stepped forward.
  absl::Duration Monotonic() const override {
    timespec ts{};
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return absl::DurationFromTimespec(ts);
  }
};

}  // namespace bidopen

#endif  // BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
