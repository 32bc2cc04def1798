#include "core/rate_limit.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace bidopen {
namespace {

double Refilled(double tokens, const RateRule& rule, absl::Time last, absl::Time now) {
  if (tokens < 0) return rule.burst;
  const double earned = std::max(0.0, absl::FDivDuration(now - last, rule.interval));
  return std::min<double>(rule.burst, tokens + earned);
}

}  // namespace

absl::Duration TokenBucket::Take(const RateRule& rule, absl::Time now) {
  if (rule.burst <= 0) return absl::ZeroDuration();
  const double tokens = Refilled(tokens_, rule, last_, now);
  last_ = tokens_ < 0 ? now : std::max(now, last_);
  if (tokens >= 1) {
    tokens_ = tokens - 1;
    return absl::ZeroDuration();
  }
  tokens_ = tokens;
  return std::max(absl::Milliseconds(1), rule.interval * (1 - tokens));
}

bool TokenBucket::Idle(const RateRule& rule, absl::Time now) const {
  return Refilled(tokens_, rule, last_, now) >= rule.burst;
}

absl::Status RateRefusal(const RateRule& rule, absl::string_view method, absl::Duration wait,
                         absl::Time now) {
  const absl::Duration shown = absl::Ceil(wait, absl::Milliseconds(100));
  return absl::ResourceExhaustedError(absl::StrCat(
      method, ": at most ", rule.burst, " ", rule.what, " at once and then one every ",
      absl::FormatDuration(rule.interval), " per certificate; retry in ",
      absl::FormatDuration(shown), " (after ",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E1SZ", now + shown, absl::UTCTimeZone()), ")"));
}

}  // namespace bidopen
