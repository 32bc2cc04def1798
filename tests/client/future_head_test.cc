// Review 9 W1, turned around: a signed head timed in the future, served once,
// is not kept (neither the remembered head nor a release's cited head), so it
// cannot make every later honest log look backdated and lock this user out.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "client/audit_bundle.h"
#include "client/audit_state.h"
#include "client/command.h"
#include "core/opening/time_text.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::client {
namespace {

using testing::EventTime;

struct TempConfig {
  TempConfig() {
    char d[] = "/tmp/bidopen-future-head-XXXXXX";
    EXPECT_NE(::mkdtemp(d), nullptr);
    dir = d;
    ::setenv("BIDOPEN_CONFIG_DIR", dir.c_str(), 1);
  }
  ~TempConfig() {
    ::unsetenv("BIDOPEN_CONFIG_DIR");
    std::filesystem::remove_all(dir);
  }
  std::string dir;
};

TEST(FutureHeadTest, ABundleHeadSignedInTheFutureIsNotKeptAndLocksNobodyOut) {
  TempConfig config;
  const testing::LogPki pki = testing::MakeLogPki();
  const testing::SyntheticLog log = testing::MakeSyntheticLog(20);
  const std::string ca_path = config.dir + "/ca.pem";
  std::ofstream(ca_path) << pki.ca_pem;
  Globals g;
  g.flags.ca = ca_path;
  v1::AuditBundle poisoned = testing::WholeLogBundle(pki, log, 10);
  *poisoned.mutable_head() = testing::SignHead(pki, log.tree, 10, absl::Now() + absl::Hours(24));
  const absl::Status refused = VerifyAndRemember(g, poisoned).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_TRUE(absl::StrContains(refused.message(), "ahead of this computer's clock: not kept"))
      << refused;
  auto kept = RememberedHead(pki.cert_pem);
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(kept->has_value());
  // The honest log later: verified and kept.
  v1::AuditBundle honest = testing::WholeLogBundle(pki, log, 20);
  *honest.mutable_head() = testing::SignHead(pki, log.tree, 20, EventTime(19) + absl::Seconds(1));
  EXPECT_TRUE(VerifyAndRemember(g, honest).ok());
}

TEST(FutureHeadTest, AReleaseDoesNotCiteAHeadTimedFarAhead) {
  TempConfig config;
  v1::SignedTreeHead future;
  future.set_size(110);
  *future.mutable_time() = ToProto(absl::Now() + kMaxHeadAhead + absl::Minutes(1));
  future.set_log_certificate_pem("log");
  const absl::Status st = RememberCitedHead(future);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  auto kept = CitedHead("log");
  ASSERT_TRUE(kept.ok());
  EXPECT_FALSE(kept->has_value());
  // Within the allowance (a server clock a few seconds ahead): kept.
  *future.mutable_time() = ToProto(absl::Now() + absl::Seconds(5));
  EXPECT_TRUE(RememberCitedHead(future).ok());
}

}  // namespace
}  // namespace bidopen::client
