// The server's clock is an interface so tests can cross deadlines (design.md §9).
#ifndef BIDOPEN_CORE_CLOCK_H_
#define BIDOPEN_CORE_CLOCK_H_

#include "absl/time/time.h"

namespace bidopen {

class Clock {
 public:
  virtual ~Clock() = default;
  // The wall clock: what events, receipts and deadlines are stated in.
  virtual absl::Time Now() const = 0;
  // A clock that only moves forward at the wall clock's rate and is never
  // stepped (CLOCK_MONOTONIC), from an arbitrary origin: comparing the two
  // shows when the wall clock was set back or forward (core/event_clock.h).
  virtual absl::Duration Monotonic() const = 0;
};

// The system clock is platform/system_clock.h.

}  // namespace bidopen

#endif  // BIDOPEN_CORE_CLOCK_H_
