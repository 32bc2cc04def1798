// The live view of `bidctl opening watch` (docs/protocol.md "Watch"): pure,
// from the folded lot and the server's signed time to the lines shown —
// phase, the current window's countdown, who signed in, which bids opened
// (never a value before the announcement), the announcement table, the
// confirmations, objections and answers, the close. Labels in Chinese with
// English beside them; times in the tender's zone.
#ifndef BIDOPEN_CLIENT_WATCH_VIEW_H_
#define BIDOPEN_CLIENT_WATCH_VIEW_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "client/watch_state.h"

namespace bidopen::client {

// The whole view at `signed_now` (SignedNow: the server's signed time,
// ticking locally between heartbeats).
std::vector<std::string> WatchLines(const WatchState& s, absl::Time signed_now);

// "解密中 DECRYPTING", "流标 FAILED", ...
std::string PhaseName(v1::LotStatus status);

// What the lot waits for and how long is left: "开标倒计时 opening in
// 00:04:59 (2027-03-01T09:30:00+08:00)", "解密窗口 decryption window ends in
// ...", "确认截止 confirmations until ..., in ...".
std::string CountdownLine(const fold::Lot& lot, absl::Time signed_now, absl::TimeZone zone);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_WATCH_VIEW_H_
