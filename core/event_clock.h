// Event time only moves forward (docs/protocol.md, "Event time"): the time of
// the next event is max(wall clock, the last event's time), and a wall clock
// that was stepped — against the monotonic clock since start-up, or against
// the last event, which another replica may have written — by more than a
// bound stops writes instead of stamping receipts with a wrong time.
#ifndef BIDOPEN_CORE_EVENT_CLOCK_H_
#define BIDOPEN_CORE_EVENT_CLOCK_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/clock.h"

namespace bidopen {

class EventClock {
 public:
  static constexpr absl::Duration kDefaultMaxStep = absl::Seconds(5);

  // Anchors the wall clock to the monotonic clock as they read now.
  EventClock(const Clock& clock, absl::Duration max_step);

  // The time of an event that follows one at `last` (absl::InfinitePast() for
  // the first): max(wall clock, last). UNAVAILABLE saying which clock
  // disagrees, by how much, and that an operator must set it right, if the
  // wall clock moved more than max_step away from the monotonic clock since
  // the anchor, or reads more than max_step before `last`.
  absl::StatusOr<absl::Time> Next(absl::Time last) const;

  absl::Duration max_step() const { return max_step_; }

 private:
  absl::Status CheckStep(absl::Time wall) const;

  const Clock& clock_;
  absl::Duration max_step_;
  absl::Duration offset_;  // wall - monotonic at the anchor
};

// Replicas stamp events and sign heads on their own clocks, which may differ
// by up to the step every replica refuses beyond: a head signed by a replica
// ahead may be timed up to this much after an event a lagging replica appends
// after it. Every check where a signed head meets event times allows this one
// slack, no more and no less (docs/protocol.md "What the cited head proves
// about time"): the fold's cited head and `cited_time`, `audit verify`'s
// CheckReleases, bidctl's NotBackdated and the server's CheckSeenFresh.
inline constexpr absl::Duration kReplicaClockSlack = EventClock::kDefaultMaxStep;

}  // namespace bidopen

#endif  // BIDOPEN_CORE_EVENT_CLOCK_H_
