// Token buckets for the calls that append to the log (issue 10 item 3).
#include "core/rate_limit.h"

#include <gtest/gtest.h>

namespace bidopen {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1800000000);

TEST(RateLimitTest, ABurstIsAdmittedThenOneCallPerInterval) {
  RateRule rule{"key registrations", 3, absl::Minutes(10)};
  TokenBucket bucket;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bucket.Take(rule, kT0), absl::ZeroDuration()) << i;
  EXPECT_EQ(bucket.Take(rule, kT0), absl::Minutes(10));
  EXPECT_EQ(bucket.Take(rule, kT0 + absl::Minutes(4)), absl::Minutes(6));
  EXPECT_EQ(bucket.Take(rule, kT0 + absl::Minutes(10)), absl::ZeroDuration());
  EXPECT_EQ(bucket.Take(rule, kT0 + absl::Minutes(10)), absl::Minutes(10));
  EXPECT_FALSE(bucket.Idle(rule, kT0 + absl::Minutes(20)));
  EXPECT_TRUE(bucket.Idle(rule, kT0 + absl::Minutes(40)));
}

TEST(RateLimitTest, AClockSteppedBackRefillsNothing) {
  RateRule rule{"calls", 1, absl::Seconds(10)};
  TokenBucket bucket;
  EXPECT_EQ(bucket.Take(rule, kT0), absl::ZeroDuration());
  EXPECT_GT(bucket.Take(rule, kT0 - absl::Hours(1)), absl::ZeroDuration());
  EXPECT_EQ(bucket.Take(rule, kT0 + absl::Seconds(10)), absl::ZeroDuration());
}

TEST(RateLimitTest, BurstZeroMeansNoLimit) {
  RateRule rule{"calls", 0, absl::Seconds(1)};
  TokenBucket bucket;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(bucket.Take(rule, kT0), absl::ZeroDuration());
}

TEST(RateLimitTest, TheRefusalSaysTheLimitAndWhenToRetry) {
  RateRule rule{"key registrations", 5, absl::Minutes(10)};
  absl::Status st = RateRefusal(rule, "RegisterKey", absl::Milliseconds(4210), kT0);
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(st.message(),
            "RegisterKey: at most 5 key registrations at once and then one every 10m per "
            "certificate; retry in 4.3s (after 2027-01-15T08:00:04.3Z)");
}

}  // namespace
}  // namespace bidopen
