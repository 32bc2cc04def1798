// NotBackdated (client/audit_bundle.h): an event appended after a head the
// user verified cannot be timed before that head was signed (beyond the
// clock step replicas may differ by) — a start moved back to shorten the
// window, a release moved before the BOTH turn.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "absl/strings/match.h"
#include "client/audit_bundle.h"
#include "client/audit_state.h"
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

// Review 8 V4: the head a release cited is kept (the latest-timed per log
// key), so a later run checks every event against it too (VerifyAndRemember).
TEST(RememberedCitedHeadTest, TheLatestTimedCitedHeadIsKept) {
  char dir[] = "/tmp/bidopen-cited-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  ::setenv("BIDOPEN_CONFIG_DIR", dir, 1);
  const absl::Time t = absl::Now() - absl::Minutes(1);
  v1::SignedTreeHead a = HeadAt(10, t);
  a.set_log_certificate_pem("the log certificate");
  v1::SignedTreeHead older = HeadAt(12, t - absl::Seconds(30));
  older.set_log_certificate_pem("the log certificate");
  ASSERT_TRUE(CitedHead("the log certificate").ok());
  EXPECT_FALSE(*CitedHead("the log certificate"));
  ASSERT_TRUE(RememberCitedHead(a).ok());
  ASSERT_TRUE(RememberCitedHead(older).ok());
  auto kept = CitedHead("the log certificate");
  ASSERT_TRUE(kept.ok() && kept->has_value()) << kept.status();
  EXPECT_EQ((*kept)->size(), 10u);
  // A restoration appended past it, timed before the re-supply period's end
  // (before the cited head, beyond the slack): backdated.
  EXPECT_EQ(NotBackdated(10, ToProto(t - absl::Seconds(6)), **kept).code(),
            absl::StatusCode::kDataLoss);
  ::unsetenv("BIDOPEN_CONFIG_DIR");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bidopen::client
