// The system clock, for bidopend and tools; core/ only sees the Clock interface.
#ifndef BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
#define BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_

#include "absl/time/clock.h"
#include "core/clock.h"

namespace bidopen {

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace bidopen

#endif  // BIDOPEN_PLATFORM_SYSTEM_CLOCK_H_
