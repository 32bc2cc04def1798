// Per-identity rate limits on the calls that append to the log (issue 10
// item 3): every appending call shares one budget per certificate, and key
// registrations (permanent events nobody needs often) have a tighter one.
#ifndef BIDOPEN_SERVER_AUTH_CALL_LIMITS_H_
#define BIDOPEN_SERVER_AUTH_CALL_LIMITS_H_

#include <map>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "bidopen/v1/common.pb.h"
#include "core/clock.h"
#include "core/rate_limit.h"
#include "server/auth/policy.h"

namespace bidopen::auth {

struct CallLimitRules {
  RateRule appends{"calls that append to the log", 60, absl::Seconds(1)};
  RateRule keys{"key registrations", 5, absl::Minutes(10)};
};

class CallLimits {
 public:
  CallLimits(const Clock& clock, CallLimitRules rules) : clock_(clock), rules_(std::move(rules)) {}

  // OK if `party` may make one more call of `method` (a full method name,
  // whose action comes from the policy table) now, and counts it;
  // RESOURCE_EXHAUSTED naming the method, the limit and when to retry.
  // Calls that only read are not limited here.
  absl::Status Admit(const v1::Party& party, absl::string_view method);

 private:
  enum class Kind { kAppend, kKey };
  absl::Status Take(const std::string& fingerprint, Kind kind, absl::string_view method,
                    absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  const RateRule& RuleOf(Kind kind) const {
    return kind == Kind::kKey ? rules_.keys : rules_.appends;
  }
  void ForgetIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Clock& clock_;
  const CallLimitRules rules_;
  absl::Mutex mu_;
  std::map<std::pair<std::string, Kind>, TokenBucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_CALL_LIMITS_H_
