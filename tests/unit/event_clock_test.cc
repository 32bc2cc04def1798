// EventClock: event time never goes back, and a stepped wall clock stops
// writes (UNAVAILABLE) instead of stamping them.
#include "core/event_clock.h"

#include <gtest/gtest.h>

#include "tests/support/fake_clock.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::FakeClock;
using ::bidopen::testing::StatusIs;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

TEST(EventClockTest, AClockThatRunsGivesTheWallTime) {
  FakeClock clock(kStart);
  EventClock events(clock, absl::Seconds(5));
  clock.Advance(absl::Hours(3));
  EXPECT_EQ(*events.Next(absl::InfinitePast()), kStart + absl::Hours(3));
  EXPECT_EQ(*events.Next(kStart), kStart + absl::Hours(3));
}

TEST(EventClockTest, ANextEventIsNeverBeforeTheLastWithinTheBound) {
  FakeClock clock(kStart);
  EventClock events(clock, absl::Seconds(5));
  EXPECT_EQ(*events.Next(kStart + absl::Seconds(5)), kStart + absl::Seconds(5));
  EXPECT_TRUE(StatusIs(events.Next(kStart + absl::Seconds(6)), absl::StatusCode::kUnavailable,
                       {"6.000 s before the log's last event", "--max-clock-step (5.000 s)"}));
}

TEST(EventClockTest, AStepBeyondTheBoundEitherWayIsUnavailableUntilSetRight) {
  FakeClock clock(kStart);
  EventClock events(clock, absl::Seconds(5));
  clock.StepWall(absl::Seconds(-60));
  EXPECT_TRUE(StatusIs(events.Next(absl::InfinitePast()), absl::StatusCode::kUnavailable,
                       {"set back by 1 min", "until an operator sets the server's clock right"}));
  clock.StepWall(absl::Seconds(120));
  EXPECT_TRUE(StatusIs(events.Next(absl::InfinitePast()), absl::StatusCode::kUnavailable,
                       {"set forward by 1 min"}));
  clock.StepWall(absl::Seconds(-57));  // 3 s off: within the bound
  EXPECT_EQ(*events.Next(absl::InfinitePast()), kStart + absl::Seconds(3));
}

}  // namespace
}  // namespace bidopen
