#include "core/opening/release_timing.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/opening/opening_rules.h"
#include "core/opening/time_text.h"

namespace bidopen {
namespace {

absl::Status NoRelease(const v1::Lot& lot, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat("lot ", lot.number(), ": ", why, "; no key can be released any more"));
}

bool DecryptionEnded(const v1::Lot& lot) {
  return lot.opening().has_ended() || lot.status() == v1::LOT_STATUS_ANNOUNCING ||
         lot.status() == v1::LOT_STATUS_CONFIRMING || lot.status() == v1::LOT_STATUS_CLOSED;
}

bool Both(const v1::Lot& lot) {
  return lot.spec().policy() == v1::OPENING_POLICY_BOTH && lot.opening().has_started();
}

// The server's signed time says the window (or, for a bidder under BOTH, the
// bidders' half) is over and this computer's clock does not: said, not obeyed.
std::optional<std::string> OverBySignedTimeOnly(const v1::Lot& lot, v1::ReleaseKind kind,
                                                absl::Time signed_now, absl::Time local_now,
                                                absl::TimeZone zone) {
  if (lot.status() != v1::LOT_STATUS_DECRYPTING || !lot.opening().has_window_end())
    return std::nullopt;
  absl::Time end = FromProto(lot.opening().window_end());
  std::string what = "the decryption window ended";
  if (Both(lot) && kind == v1::RELEASE_KIND_BIDDER && signed_now < end) {
    end = BiddersEnd(lot.spec(), lot.opening());
    what = "the bidders' half of the window (policy BOTH) ended";
  }
  if (signed_now < end || local_now >= end - kLocalClockSlack) return std::nullopt;
  return absl::StrCat("the server's signed time says ", what, " at ", TimeText(end, zone),
                      ", but this computer's clock says ", CountdownText(end - local_now),
                      " to go: not confirmed, waiting for this clock (check both clocks)");
}

}  // namespace

absl::StatusOr<ReleaseReady> CheckReleaseReady(const v1::Lot& lot, v1::ReleaseKind kind,
                                               absl::Time signed_now, absl::Time local_now,
                                               absl::TimeZone zone) {
  if (lot.status() == v1::LOT_STATUS_CANCELLED)
    return NoRelease(lot, absl::StrCat("the lot is cancelled (", lot.cancel_reason(), ")"));
  if (lot.status() == v1::LOT_STATUS_FAILED || !lot.opening().failure().empty())
    return NoRelease(lot, absl::StrCat("the lot failed: ", lot.opening().failure()));
  if (DecryptionEnded(lot))
    return NoRelease(lot, lot.opening().has_ended()
                              ? absl::StrCat("decryption ended at ",
                                             TimeText(lot.opening().ended().time(), zone))
                              : std::string("decryption ended"));
  // "Over" by time needs both clocks (this one to within the slack), as
  // "may release" does: a head signed with a future time alone ends nothing
  // (review 4 R8); until this clock agrees, the wait goes on.
  if (lot.has_opening() && lot.opening().has_window_end() &&
      signed_now >= FromProto(lot.opening().window_end())) {
    if (local_now < FromProto(lot.opening().window_end()) - kLocalClockSlack)
      return ReleaseReady::kWait;
    return NoRelease(lot, absl::StrCat("the decryption window ended at ",
                                       TimeText(lot.opening().window_end(), zone)));
  }
  const absl::Time open = FromProto(lot.spec().opening_time());
  if (signed_now < open || local_now < open - kLocalClockSlack) return ReleaseReady::kWait;
  if (lot.status() != v1::LOT_STATUS_DECRYPTING) return ReleaseReady::kWait;
  const absl::Time begin = ReleasesBegin(lot.opening());  // review 6 T1
  if (signed_now < begin || local_now < begin - kLocalClockSlack) return ReleaseReady::kWait;
  if (!Both(lot)) return ReleaseReady::kNow;
  const absl::Time turn = BiddersEnd(lot.spec(), lot.opening());
  if (kind == v1::RELEASE_KIND_BIDDER && signed_now >= turn) {
    if (local_now < turn - kLocalClockSlack) return ReleaseReady::kWait;
    return NoRelease(lot, absl::StrCat("under policy BOTH the bidders release their parts in the "
                                       "first half of the window, which ended at ",
                                       TimeText(turn, zone)));
  }
  const absl::Time custodians = CustodiansBegin(lot.spec(), lot.opening());
  if (kind == v1::RELEASE_KIND_CUSTODIAN &&
      (signed_now < custodians || local_now < custodians - kLocalClockSlack))
    return ReleaseReady::kWait;
  return ReleaseReady::kNow;
}

std::string CountdownText(absl::Duration left) {
  if (left <= absl::ZeroDuration()) return "00:00:00";
  const int64_t s = absl::ToInt64Seconds(absl::Ceil(left, absl::Seconds(1)));
  const std::string hms = absl::StrFormat("%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
  return s >= 86400 ? absl::StrCat(s / 86400, " d ", hms) : hms;
}

std::string WaitLine(const v1::Lot& lot, v1::ReleaseKind kind, absl::Time signed_now,
                     absl::Time local_now, absl::TimeZone zone) {
  const absl::Time open = FromProto(lot.spec().opening_time());
  if (std::optional<std::string> over =
          OverBySignedTimeOnly(lot, kind, signed_now, local_now, zone))
    return *over;
  if (signed_now < open)
    return absl::StrCat("opening ", TimeText(lot.spec().opening_time(), zone), " in ",
                        CountdownText(open - signed_now), " (the server's signed time)");
  if (local_now < open - kLocalClockSlack)
    return absl::StrCat("the server's signed time is past the opening time ",
                        TimeText(lot.spec().opening_time(), zone),
                        " but this computer's clock says ", CountdownText(open - local_now),
                        " to go; waiting for it (check this computer's clock)");
  if (lot.status() == v1::LOT_STATUS_DECRYPTING && lot.opening().has_resupply_end()) {
    const absl::Time begin = ReleasesBegin(lot.opening());
    const absl::Time clock = std::min(signed_now, local_now + kLocalClockSlack);
    if (clock < begin)
      return absl::StrCat(
          "the opening's start found a stored file altered: its bidder may put it back until ",
          TimeText(lot.opening().resupply_end(), zone), "; keys are released from ",
          TimeText(begin, zone), ", in ", CountdownText(begin - clock));
  }
  if (lot.status() == v1::LOT_STATUS_DECRYPTING && Both(lot) && kind != v1::RELEASE_KIND_BIDDER) {
    const absl::Time turn = CustodiansBegin(lot.spec(), lot.opening());
    // Both clocks must pass the turn (this one to within the slack).
    const absl::Time clock = std::min(signed_now, local_now + kLocalClockSlack);
    if (clock < turn)
      return absl::StrCat("the bidders release first (policy BOTH); the custodians release from ",
                          TimeText(turn, zone), ", in ", CountdownText(turn - clock));
  }
  if (lot.status() == v1::LOT_STATUS_DECRYPTING && lot.opening().has_window_end())
    return absl::StrCat("decrypting; the window ends ", TimeText(lot.opening().window_end(), zone),
                        ", in ", CountdownText(FromProto(lot.opening().window_end()) - signed_now));
  return absl::StrCat("opening time passed ", DurationText(signed_now - open),
                      " ago; waiting for the ", lot.spec().auto_start() ? "server" : "agency",
                      " to start the opening");
}

std::string ClockOffsetText(absl::Duration d) {
  const absl::Duration size = absl::AbsDuration(d);
  if (size < absl::Milliseconds(100))
    return "this computer's clock agrees with the server's signed time to within 0.1 s";
  return absl::StrCat("this computer's clock is ", DurationText(size),
                      d > absl::ZeroDuration() ? " ahead of" : " behind",
                      " the server's signed time");
}

bool ClockOffsetLarge(absl::Duration d) { return absl::AbsDuration(d) > absl::Seconds(2); }

}  // namespace bidopen
