// Waiting for the moment a key may be released (bidctl opening decrypt and
// custody release, --at-open): polls GetOpening about once a second, checks
// every answer's signed time against the trusted CA, shows this machine's
// clock offset once and a countdown, survives a dropped connection or a
// restarted server, and returns only once the server's signed time is at or
// past the opening time and the opening started. Nothing is unwrapped or sent
// before (design.md §5).
#ifndef BIDOPEN_CLIENT_RELEASE_WAIT_H_
#define BIDOPEN_CLIENT_RELEASE_WAIT_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "client/command.h"
#include "client/opening_view.h"

namespace bidopen::client {

struct WaitParams {
  LotName lot;
  std::string ca_pem;
  bool wait = false;  // --at-open: keep polling; otherwise look once
  bool json = false;  // progress goes to stderr, keeping stdout for the JSON
  v1::ReleaseKind kind = v1::RELEASE_KIND_BIDDER;  // who releases (BOTH: bidders first)
  // Called once with the first answer, before any waiting (e.g. to check the
  // caller is a custodian of the lot); an error stops the wait.
  std::function<absl::Status(const OpeningView&)> on_first;
  const Globals* globals = nullptr;  // for verifying the log (--ca, the remembered head)
  // Called with each answer whose lot is DECRYPTING (the server's unsigned
  // word) until it returns true: for what is done once the start is in, such
  // as putting back a sealed file in the re-supply period, which checks the
  // verified log itself (review 8 V2).
  std::function<bool(const OpeningView&)> on_started;
};

// The opening once a release may be sent: GetOpening's answer says so, and
// then the tender as its verified log folds it (verified_lot.h) says so too —
// opening time, policy, start, window, the lot's keys — by the server's
// signed time and this computer's clock; the returned view holds that
// verified lot, never the server's unsigned one. Without `wait`: FAILED_PRECONDITION
// saying what it waits for if that is not now. With it: stops only on a
// lasting error (any error other than an unreachable or busy server). "No
// key can be released any more" (the lot failed, was cancelled, decryption
// or the window ended) ends it only when the verified log says so, and, for
// the window, this computer's clock agrees: the server's unsigned status or
// its signed time alone are said and not obeyed (review 4 R8); so is a
// refusal of on_first's that the verified lot does not share. Every signed
// head seen is kept (HeadsSeen) and proved a prefix of the verified log, and
// the returned view's `cited` is the head the release must cite: the one
// whose time the gate used, proved a prefix of the verified log (review 4 R1).
absl::StatusOr<OpeningView> WaitForRelease(Session& s, const WaitParams& p);

// UNAVAILABLE, DEADLINE_EXCEEDED, or a busy server: worth trying again.
bool Transient(const absl::Status& st);

// Runs `call` and, with `wait`, again on a transient error after a short
// backoff (reconnecting), saying so on stderr.
absl::Status RetryTransient(Session& s, bool wait, const std::function<absl::Status()>& call);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RELEASE_WAIT_H_
