// When a bidder's or custodian's client may release its key (design.md §5:
// honest clients refuse to unwrap before the server's signed time says the
// opening time has passed), and the countdown it shows while it waits. Pure:
// the caller gives the lot as GetOpening showed it and the signed time of the
// tree head that came with it (verified).
#ifndef BIDOPEN_CORE_OPENING_RELEASE_TIMING_H_
#define BIDOPEN_CORE_OPENING_RELEASE_TIMING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/events.pb.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen {

enum class ReleaseReady { kWait, kNow };

// kNow when `signed_now` is at or past the lot's opening time, the lot is
// DECRYPTING (the opening started, every bid revealed) and this machine's
// clock (`local_now`) is no more than kLocalClockSlack before the opening
// time; kWait while the opening time has not come by either clock or the
// opening has not started. The local check is what keeps a server whose clock
// (and so its signed time) runs ahead from drawing a release early.
// FAILED_PRECONDITION, with the reason and times in `zone`, when no release
// can be taken any more or ever: the lot is cancelled, failed (流标), its
// decryption ended, or its window is past — by both clocks, as for
// releasing: while the signed time says the window is past and this
// machine's clock says otherwise (beyond kLocalClockSlack), kWait (review 4
// R8: a head signed with a future time must not end every waiting client).
// When the start found a stored file altered, everyone also waits, by both
// clocks, for the re-supply period to end (opening_rules.h ReleasesBegin).
// Under BOTH (opening_rules.h BiddersEnd) a custodian also waits, by both
// clocks, for the bidders' half of the window to end, and a bidder gets
// FAILED_PRECONDITION once it has ended by both clocks.
// The lot's status is whatever the caller passes: the release gate gives up
// only on a lot from the verified log (client/release_wait.cc).
absl::StatusOr<ReleaseReady> CheckReleaseReady(const v1::Lot& lot, v1::ReleaseKind kind,
                                               absl::Time signed_now, absl::Time local_now,
                                               absl::TimeZone zone);

// How far this machine's clock may be behind the opening time when the
// server's signed time is past it: the warning threshold of ClockOffsetLarge.
inline constexpr absl::Duration kLocalClockSlack = absl::Seconds(2);

// "01:02:03", "1 d 02:03:04": whole seconds left, rounded up; 00:00:00 once
// passed.
std::string CountdownText(absl::Duration left);

// One line for the wait: "opening 2026-03-01T09:30:00+08:00 in 00:04:59 (the
// server's signed time)", or, once that time passed, "opening time passed
// 12 s ago; waiting for the agency to start the opening", or, when only this
// machine's clock is short of it, "… this computer's clock says 00:01:00 to go;
// waiting for it (check this computer's clock)". In a re-supply period, when
// it ends. Under BOTH, for a custodian
// (or RELEASE_KIND_UNSPECIFIED: anyone), the bidders' phase and when the
// custodians' begins.
std::string WaitLine(const v1::Lot& lot, v1::ReleaseKind kind, absl::Time signed_now,
                     absl::Time local_now, absl::TimeZone zone);

// This machine's clock against the server's signed time: "this computer's
// clock is 1.204 s ahead of the server's signed time" (behind, or "agrees
// with ... to within 0.1 s").
std::string ClockOffsetText(absl::Duration local_minus_signed);
// More than 2 s either way: worth a warning.
bool ClockOffsetLarge(absl::Duration local_minus_signed);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_RELEASE_TIMING_H_
