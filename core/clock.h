// The server's clock is an interface so tests can cross deadlines (design.md §9).
#ifndef BIDOPEN_CORE_CLOCK_H_
#define BIDOPEN_CORE_CLOCK_H_

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace bidopen {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace bidopen

#endif  // BIDOPEN_CORE_CLOCK_H_
