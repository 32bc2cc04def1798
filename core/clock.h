// The server's clock is an interface so tests can cross deadlines (design.md §9).
#ifndef BIDOPEN_CORE_CLOCK_H_
#define BIDOPEN_CORE_CLOCK_H_

#include "absl/time/time.h"

namespace bidopen {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The system clock is platform/system_clock.h.

}  // namespace bidopen

#endif  // BIDOPEN_CORE_CLOCK_H_
