#include "client/release_wait.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/audit_bundle.h"
#include "client/verified_lot.h"
#include "core/opening/release_timing.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

constexpr absl::Duration kPoll = absl::Seconds(1);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);
constexpr absl::Duration kLineEvery = absl::Seconds(10);  // when not a terminal
constexpr int kCallSeconds = 10;

// The countdown: redrawn in place on a terminal, a line every 10 s otherwise.
class Countdown {
 public:
  explicit Countdown(bool json)
      : out_(json ? std::cerr : std::cout), tty_(::isatty(json ? 2 : 1) == 1) {}
  ~Countdown() { End(); }

  void Show(const std::string& line) {
    if (tty_) {
      out_ << "\r\033[K" << line << std::flush;
      drawn_ = true;
      return;
    }
    const absl::Time now = absl::Now();
    if (now - last_ < kLineEvery) return;
    last_ = now;
    out_ << line << "\n" << std::flush;
  }
  void End() {
    if (drawn_) out_ << "\n" << std::flush;
    drawn_ = false;
  }
  std::ostream& out() { return out_; }

 private:
  std::ostream& out_;
  const bool tty_;
  bool drawn_ = false;
  absl::Time last_ = absl::InfinitePast();
};

absl::Status Reconnect(Session& s) {
  auto channel = Connect(s.profile);
  if (!channel.ok()) return channel.status();
  s.channel = *std::move(channel);
  return absl::OkStatus();
}

void Unreachable(const absl::Status& st, absl::Duration backoff) {
  std::cerr << "server unreachable, retrying in " << DurationText(backoff) << " ("
            << absl::StatusCodeToString(st.code()) << ")\n";
}

void ShowClock(Countdown& c, const OpeningView& v) {
  c.End();
  c.out() << ClockOffsetText(v.clock_offset) << "\n";
  if (ClockOffsetLarge(v.clock_offset))
    std::cerr << "warning: " << ClockOffsetText(v.clock_offset)
              << "; nothing is released before both this clock and the server's signed time pass "
                 "the opening time\n";
}

absl::Status NotYet(const OpeningView& v, v1::ReleaseKind kind) {
  return absl::FailedPreconditionError(absl::StrCat(
      "lot ", v.lot().number(), ": ", WaitLine(v.lot(), kind, v.signed_now, absl::Now(), v.zone),
      "; nothing was unwrapped or sent. Run again then, or with --at-open to wait "
      "and release at the opening"));
}

// The gate proper: GetOpening's lot is whatever the server writes (its
// opening time, status, policy, start, keys); the release waits until the
// tender as its verified log folds it agrees, and goes on with that lot.
// `before_start`: the last signed head this wait saw before the lot started
// (GetOpening's, verified): a start appended after it but timed before it was
// backdated to shorten the window.
absl::StatusOr<bool> ConfirmedByTheLog(const Session& s, const WaitParams& p, OpeningView* v,
                                       const std::optional<v1::SignedTreeHead>& before_start,
                                       bool* warned) {
  BO_ASSIGN_OR_RETURN(VerifiedLot verified, FetchVerifiedLot(*p.globals, s, p.lot));
  const v1::LogPosition& started = verified.lot.opening().started();
  if (before_start && verified.lot.opening().has_started())
    BO_RETURN_IF_ERROR(NotBackdated(started.seq(), started.time(), *before_start));
  const absl::TimeZone zone = ZoneOrUtc(verified.time_zone);
  BO_ASSIGN_OR_RETURN(ReleaseReady ready,
                      CheckReleaseReady(verified.lot, p.kind, v->signed_now, absl::Now(), zone));
  if (ready == ReleaseReady::kWait) {
    if (!*warned)
      std::cerr << "warning: the server's status says a release may be sent, but the tender as "
                   "its verified log folds it does not: "
                << WaitLine(verified.lot, p.kind, v->signed_now, absl::Now(), zone)
                << "; nothing is sent until it does\n";
    *warned = true;
    return false;
  }
  *v->status.mutable_lot_state() = std::move(verified.lot);
  v->zone = zone;
  return true;
}

}  // namespace

bool Transient(const absl::Status& st) {
  return absl::IsUnavailable(st) || absl::IsDeadlineExceeded(st) ||
         (absl::IsResourceExhausted(st) && absl::StrContains(st.message(), kServerBusy));
}

absl::Status RetryTransient(Session& s, bool wait, const std::function<absl::Status()>& call) {
  absl::Duration backoff = absl::Seconds(1);
  for (;;) {
    absl::Status st = call();
    if (st.ok() || !wait || !Transient(st)) return st;
    Unreachable(st, backoff);
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, kMaxBackoff);
    BO_RETURN_IF_ERROR(Reconnect(s));
  }
}

absl::StatusOr<OpeningView> WaitForRelease(Session& s, const WaitParams& p) {
  Countdown countdown(p.json);
  bool first = true;
  bool warned = false;  // the server's status and its log disagreed (said once)
  std::optional<v1::SignedTreeHead> before_start;
  for (;;) {
    absl::StatusOr<OpeningView> v;
    BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
      v = FetchOpening(s, v1::OpeningService::NewStub(s.channel), p.ca_pem, p.lot, kCallSeconds);
      if (!v.ok()) countdown.End();
      return v.status();
    }));
    if (first) {
      ShowClock(countdown, *v);
      if (p.on_first) BO_RETURN_IF_ERROR(p.on_first(*v));
      first = false;
    }
    if (v->time_signed && !v->lot().opening().has_started()) before_start = v->status.now();
    BO_ASSIGN_OR_RETURN(ReleaseReady ready,
                        CheckReleaseReady(v->lot(), p.kind, v->signed_now, absl::Now(), v->zone));
    if (ready == ReleaseReady::kNow) {
      absl::StatusOr<bool> confirmed;
      BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
        confirmed = ConfirmedByTheLog(s, p, &*v, before_start, &warned);
        return confirmed.status();
      }));
      if (*confirmed) return v;
      if (!p.wait) return NotYet(*v, p.kind);
    }
    if (!p.wait) return NotYet(*v, p.kind);
    countdown.Show(WaitLine(v->lot(), p.kind, v->signed_now, absl::Now(), v->zone));
    absl::SleepFor(kPoll);
  }
}

}  // namespace bidopen::client
