// NotBackdated (client/audit_bundle.h): an event appended after a head the
// user verified cannot be timed before that head was signed (beyond the
// clock step replicas may differ by) — a start moved back to shorten the
// window, a release moved before the BOTH turn.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "client/audit_bundle.h"
#include "core/opening/time_text.h"

namespace bidopen::client {
namespace {

v1::SignedTreeHead HeadAt(uint64_t size, absl::Time t) {
  v1::SignedTreeHead h;
  h.set_size(size);
  *h.mutable_time() = ToProto(t);
  return h;
}

TEST(NotBackdatedTest, AnEventAfterASeenHeadTimedBeforeItIsDataLoss) {
  const absl::Time signed_at = absl::FromUnixSeconds(1'800'000'000);
  const v1::SignedTreeHead seen = HeadAt(100, signed_at);
  // Covered by the head: any time.
  EXPECT_TRUE(NotBackdated(99, ToProto(signed_at - absl::Hours(1)), seen).ok());
  // After it, within the replicas' clock step, or later: fine.
  EXPECT_TRUE(NotBackdated(100, ToProto(signed_at - absl::Seconds(5)), seen).ok());
  EXPECT_TRUE(NotBackdated(100, ToProto(signed_at + absl::Seconds(1)), seen).ok());
  // After it but timed 6 s before it: backdated.
  const absl::Status st = NotBackdated(104, ToProto(signed_at - absl::Seconds(6)), seen);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(st.message(), "log #104 is timed")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "before the head of 100 events signed at")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "it was backdated")) << st;
}

}  // namespace
}  // namespace bidopen::client
