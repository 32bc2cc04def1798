#include "client/release_wait.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/audit_bundle.h"
#include "client/local_identity.h"
#include "client/release_head.h"
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
// `seen`: the heads this wait saw, whatever GetOpening's lot said, proved to
// be prefixes of the verified log (release_head.h): a start the verified log
// has appended after one of them but timed before it was backdated to
// shorten the window (review 4 R1's F5 part).
// `claim`: what the server's status said, if it said no release can be taken
// any more (review 4 R8: that is decided here too, by the log and both clocks).
// Once confirmed, v->cited is the head the release cites: GetOpening's, whose
// time the gate used, proved a prefix of the verified log.
absl::StatusOr<bool> ConfirmedByTheLog(const Session& s, const WaitParams& p, OpeningView* v,
                                       const HeadsSeen& seen, const std::string& claim,
                                       bool* warned) {
  BO_ASSIGN_OR_RETURN(VerifiedLot verified, FetchVerifiedLot(*p.globals, s, p.lot));
  const v1::LogPosition& started = verified.lot.opening().started();
  if (verified.lot.opening().has_started()) {
    BO_RETURN_IF_ERROR(seen.ProveIn(s, verified.signed_head));
    BO_RETURN_IF_ERROR(seen.NotBackdated(started.seq(), started.time()));
  }
  const absl::TimeZone zone = ZoneOrUtc(verified.time_zone);
  BO_ASSIGN_OR_RETURN(ReleaseReady ready,
                      CheckReleaseReady(verified.lot, p.kind, v->signed_now, absl::Now(), zone));
  if (ready == ReleaseReady::kWait) {
    if (!*warned)
      std::cerr << "warning: the server's status says "
                << (claim.empty() ? std::string("a release may be sent")
                                  : absl::StrCat("\"", claim, "\""))
                << ", but the tender as its verified log folds it does not: "
                << WaitLine(verified.lot, p.kind, v->signed_now, absl::Now(), zone)
                << (claim.empty() ? "; nothing is sent until it does\n"
                                  : "; not giving up, waiting\n");
    *warned = true;
    return false;
  }
  BO_ASSIGN_OR_RETURN(v->cited, CitableHead(s, v->status.now(), verified.signed_head));
  *v->status.mutable_lot_state() = std::move(verified.lot);
  v->zone = zone;
  return true;
}

// The server says the lot's verdicts wait for a release of this caller's
// that it accepted and then lost (docs/protocol.md "Lost releases"): sending
// the same key again re-supplies it, also after the window, and the server
// decides. Only the caller's own kind and certificate.
bool AwaitsMine(const Session& s, const OpeningView& v, v1::ReleaseKind kind) {
  if (v.status.missing_releases().empty()) return false;
  absl::StatusOr<v1::Party> me = LocalParty(s.profile);
  if (!me.ok()) return false;
  for (const v1::MissingRelease& m : v.status.missing_releases())
    if (m.kind() == kind && m.releaser() == me->fingerprint()) {
      std::cerr << "the server lost your accepted release #" << m.seq()
                << " and the verdicts wait for it: sending the same key again\n";
      return true;
    }
  return false;
}

// A re-supply goes by the verified log too: the caller's accepted release is
// in it, and the lot (its keys) is the log's, never the status's.
absl::StatusOr<bool> ResupplyConfirmed(const Session& s, const WaitParams& p, OpeningView* v) {
  BO_ASSIGN_OR_RETURN(VerifiedLot verified, FetchVerifiedLot(*p.globals, s, p.lot));
  BO_ASSIGN_OR_RETURN(v1::Party me, LocalParty(s.profile));
  bool logged = false;
  for (const v1::CustodianRelease& c : verified.lot.opening().custodians())
    logged |=
        p.kind == v1::RELEASE_KIND_CUSTODIAN && c.accepted() && c.fingerprint() == me.fingerprint();
  for (const v1::BidEntry& b : verified.lot.bids())
    logged |= p.kind == v1::RELEASE_KIND_BIDDER && b.opening().bidder_released() &&
              b.opening().bidder().fingerprint() == me.fingerprint();
  if (!logged) return false;
  BO_ASSIGN_OR_RETURN(v->cited, CitableHead(s, v->status.now(), verified.signed_head));
  *v->status.mutable_lot_state() = std::move(verified.lot);
  v->zone = ZoneOrUtc(verified.time_zone);
  return true;
}

// The first answer's check (on_first), e.g. "you are a custodian of this
// lot": on GetOpening's lot, and if that refuses, again on the verified lot,
// whose answer decides (review 4 R8: a forged lot_state must not end it).
absl::Status FirstChecked(Session& s, const WaitParams& p, const OpeningView& v) {
  const absl::Status st = p.on_first(v);
  if (st.ok()) return st;
  absl::StatusOr<VerifiedLot> verified;
  BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
    verified = FetchVerifiedLot(*p.globals, s, p.lot);
    return verified.status();
  }));
  OpeningView by_log = v;
  *by_log.status.mutable_lot_state() = verified->lot;
  BO_RETURN_IF_ERROR(p.on_first(by_log));
  std::cerr << "warning: the server's status says \"" << st.message()
            << "\", but the tender's verified log does not; going by the log\n";
  return absl::OkStatus();
}

// How often a final claim of the server's is checked against the log again.
constexpr absl::Duration kRecheckClaim = absl::Seconds(10);

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
  bool warned = false;      // the server's status and its log disagreed (said once)
  bool claim_said = false;  // a final claim the log did not confirm (said once)
  absl::Time claim_checked = absl::InfinitePast();
  bool started_said = false;  // on_started returned true
  HeadsSeen seen;
  for (;;) {
    absl::StatusOr<OpeningView> v;
    BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
      v = FetchOpening(s, v1::OpeningService::NewStub(s.channel), p.ca_pem, p.lot, kCallSeconds);
      if (!v.ok()) countdown.End();
      return v.status();
    }));
    if (first) {
      ShowClock(countdown, *v);
      if (p.on_first) BO_RETURN_IF_ERROR(FirstChecked(s, p, *v));
      first = false;
    }
    if (p.on_started && !started_said && v->lot().status() == v1::LOT_STATUS_DECRYPTING) {
      countdown.End();
      started_said = p.on_started(*v);
    }
    // Every signed head is kept, whatever the unsigned lot says: the verified
    // log decides later whether the start came after it (review 4 R1).
    if (v->time_signed) {
      BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] { return seen.Keep(s, v->status.now()); }));
    }
    if (AwaitsMine(s, *v, p.kind)) {
      BO_ASSIGN_OR_RETURN(bool confirmed, ResupplyConfirmed(s, p, &*v));
      if (confirmed) return v;
    }
    absl::StatusOr<ReleaseReady> claimed =
        CheckReleaseReady(v->lot(), p.kind, v->signed_now, absl::Now(), v->zone);
    if (!claimed.ok() && !absl::IsFailedPrecondition(claimed.status())) return claimed.status();
    // The server's word that no key can be released any more (its unsigned
    // lot, or its signed time alone) ends nothing: the verified log decides,
    // with both clocks, and is asked at most every kRecheckClaim (review 4 R8).
    const std::string claim = claimed.ok() ? "" : std::string(claimed.status().message());
    if (!claimed.ok() && absl::Now() - claim_checked >= kRecheckClaim) {
      claim_checked = absl::Now();
      absl::StatusOr<bool> confirmed;
      BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
        confirmed = ConfirmedByTheLog(s, p, &*v, seen, claim, &claim_said);
        return confirmed.status();
      }));
      if (*confirmed) return v;
    }
    if (!claimed.ok()) {
      if (!p.wait)
        return absl::FailedPreconditionError(absl::StrCat(
            "the server says \"", claim,
            "\", which the tender's verified log does not confirm; nothing was unwrapped or "
            "sent. Run again, or with --at-open to wait"));
      countdown.Show(absl::StrCat("the server says: ", claim,
                                  " (not confirmed by the verified log; waiting)"));
      absl::SleepFor(kPoll);
      continue;
    }
    const ReleaseReady ready = *claimed;
    if (ready == ReleaseReady::kNow) {
      absl::StatusOr<bool> confirmed;
      BO_RETURN_IF_ERROR(RetryTransient(s, p.wait, [&] {
        confirmed = ConfirmedByTheLog(s, p, &*v, seen, "", &warned);
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
