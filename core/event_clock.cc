#include "core/event_clock.h"

#include "absl/strings/str_cat.h"
#include "core/opening/time_text.h"

namespace bidopen {
namespace {

constexpr absl::string_view kFix =
    "; writes are refused, and no receipt is issued, until an operator sets the server's clock "
    "right (docs/operations.md, \"The server's clock\")";

}  // namespace

EventClock::EventClock(const Clock& clock, absl::Duration max_step)
    : clock_(clock),
      max_step_(max_step),
      offset_(clock.Now() - absl::UnixEpoch() - clock.Monotonic()) {}

absl::Status EventClock::CheckStep(absl::Time wall) const {
  const absl::Duration step = (wall - absl::UnixEpoch() - clock_.Monotonic()) - offset_;
  if (absl::AbsDuration(step) <= max_step_) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(
      "the server's wall clock was set ", step < absl::ZeroDuration() ? "back" : "forward", " by ",
      DurationText(absl::AbsDuration(step)),
      " against its monotonic clock since bidopend started (--max-clock-step is ",
      DurationText(max_step_), ")", kFix));
}

absl::StatusOr<absl::Time> EventClock::Next(absl::Time last) const {
  const absl::Time wall = clock_.Now();
  if (absl::Status st = CheckStep(wall); !st.ok()) return st;
  if (last == absl::InfinitePast() || wall >= last) return wall;
  if (last - wall > max_step_)
    return absl::UnavailableError(absl::StrCat(
        "the server's clock reads ", TimeText(wall, absl::UTCTimeZone()), ", ",
        DurationText(last - wall), " before the log's last event (",
        TimeText(last, absl::UTCTimeZone()), "), more than --max-clock-step (",
        DurationText(max_step_), "): this server's clock or another replica's is wrong", kFix));
  return last;
}

}  // namespace bidopen
