#include "server/auth/call_limits.h"

namespace bidopen::auth {
namespace {

constexpr size_t kForgetAbove = 10000;  // buckets kept before idle ones are dropped

}  // namespace

absl::Status CallLimits::Admit(const v1::Party& party, absl::string_view full_method) {
  const auto rule = Rules().find(full_method);
  const Action action = rule == Rules().end() ? Action::kNotBuilt : rule->second;
  if (!AppendsToLog(action)) return absl::OkStatus();
  const absl::string_view method = full_method.substr(full_method.rfind('/') + 1);
  const absl::Time now = clock_.Now();
  absl::MutexLock lock(&mu_);
  ForgetIdle(now);
  if (action == Action::kRegisterKey) {
    absl::Status st = Take(party.fingerprint(), Kind::kKey, method, now);
    if (!st.ok()) return st;
  }
  return Take(party.fingerprint(), Kind::kAppend, method, now);
}

absl::Status CallLimits::Take(const std::string& fingerprint, Kind kind, absl::string_view method,
                              absl::Time now) {
  const RateRule& rule = RuleOf(kind);
  absl::Duration wait = buckets_[{fingerprint, kind}].Take(rule, now);
  if (wait == absl::ZeroDuration()) return absl::OkStatus();
  return RateRefusal(rule, method, wait, now);
}

void CallLimits::ForgetIdle(absl::Time now) {
  if (buckets_.size() < kForgetAbove) return;
  for (auto it = buckets_.begin(); it != buckets_.end();)
    it = it->second.Idle(RuleOf(it->first.second), now) ? buckets_.erase(it) : std::next(it);
}

}  // namespace bidopen::auth
