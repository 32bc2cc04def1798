// Rate limits on calls that append to the log (issue 10 item 3): a token
// bucket per identity and kind of call. Pure: the caller passes the time.
#ifndef BIDOPEN_CORE_RATE_LIMIT_H_
#define BIDOPEN_CORE_RATE_LIMIT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace bidopen {

// `burst` calls at once, then one more every `interval`. burst 0: no limit.
struct RateRule {
  std::string what;  // names the calls in a refusal, e.g. "key registrations"
  int burst = 0;
  absl::Duration interval = absl::Seconds(1);
};

class TokenBucket {
 public:
  // Zero if a call at `now` is admitted (and counts it); otherwise how long
  // until the next one would be. A clock that goes back refills nothing.
  absl::Duration Take(const RateRule& rule, absl::Time now);
  // True when the bucket is full again at `now` (it can be forgotten).
  bool Idle(const RateRule& rule, absl::Time now) const;

 private:
  double tokens_ = -1;  // < 0: never used (full)
  absl::Time last_;
};

// RESOURCE_EXHAUSTED: "<method>: at most 5 key registrations at once and one
// every 10m per certificate; retry in 4.2s (after 2026-...Z)".
absl::Status RateRefusal(const RateRule& rule, absl::string_view method, absl::Duration wait,
                         absl::Time now);

}  // namespace bidopen

#endif  // BIDOPEN_CORE_RATE_LIMIT_H_
