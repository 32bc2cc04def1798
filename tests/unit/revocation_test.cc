// Revoking a certificate: the operator's decision (DecideRevocation), the
// fold of the event it makes, and the refusal a revoked caller sees.
#include <gtest/gtest.h>

#include "core/opening/fold.h"
#include "core/opening/revocation_rules.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_events.h"

namespace bidopen {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;

const v1::Party kOperator = PartyOf('9', "Platform Ops", v1::ROLE_OPERATOR);
const std::string kStolen(64, 'a');

v1::RevokeCertificateRequest Request(const std::string& fingerprint = kStolen,
                                     const std::string& reason = "key stolen") {
  v1::RevokeCertificateRequest req;
  req.set_fingerprint(fingerprint);
  req.set_reason(reason);
  return req;
}

// The decided event as the log would hold it, at `seq`.
v1::Event Logged(v1::Event draft, uint64_t seq) {
  draft.set_seq(seq);
  *draft.mutable_time() = ToProto(kT0 + absl::Minutes(static_cast<int64_t>(seq)));
  return draft;
}

absl::Status Fold(const v1::Event& e, LogState* state) {
  const std::vector<v1::Event> events = {e};
  return FoldInto(events, state);
}

TEST(RevocationTest, TheOperatorsRevocationFoldsIntoWhoWhenAndWhy) {
  auto draft = DecideRevocation(Request(), kOperator, nullptr);
  ASSERT_TRUE(draft.ok()) << draft.status();
  LogState state;
  ASSERT_TRUE(Fold(Logged(*draft, 3), &state).ok());
  const v1::Revocation& r = state.revoked.at(kStolen);
  EXPECT_EQ(r.reason(), "key stolen");
  EXPECT_EQ(r.revoked_by().organization(), "Platform Ops");
  EXPECT_EQ(r.revoked().seq(), 3u);
  EXPECT_TRUE(StatusIs(RevokedError(r), absl::StatusCode::kUnauthenticated,
                       {"certificate aaaa",
                        "was revoked at 2026-03-01T00:03:00+00:00 (log event 3) by "
                        "operator someone of Platform Ops: key stolen"}));
}

TEST(RevocationTest, RefusalsNameTheFieldAndTheValue) {
  EXPECT_TRUE(InvalidField(DecideRevocation(Request("ABC"), kOperator, nullptr), "fingerprint",
                           {"\"ABC\" is not a certificate fingerprint (64 lower-case hex digits"}));
  EXPECT_TRUE(InvalidField(DecideRevocation(Request(std::string(64, 'A')), kOperator, nullptr),
                           "fingerprint", {"lower-case"}));
  EXPECT_TRUE(InvalidField(DecideRevocation(Request(kStolen, ""), kOperator, nullptr), "reason",
                           {"required"}));
  EXPECT_TRUE(
      InvalidField(DecideRevocation(Request(kStolen, std::string(2001, 'x')), kOperator, nullptr),
                   "reason", {"2001 characters; at most 2000"}));
  EXPECT_TRUE(StatusIs(DecideRevocation(Request(kOperator.fingerprint()), kOperator, nullptr),
                       absl::StatusCode::kFailedPrecondition,
                       {"the certificate you are calling with"}));
  EXPECT_TRUE(StatusIs(DecideRevocation(Request(), kAgency, nullptr),
                       absl::StatusCode::kPermissionDenied, {"only the platform operator"}));
}

TEST(RevocationTest, ASecondRevocationIsAlreadyExistsAndCorruptInTheLog) {
  auto draft = DecideRevocation(Request(), kOperator, nullptr);
  ASSERT_TRUE(draft.ok());
  LogState state;
  ASSERT_TRUE(Fold(Logged(*draft, 0), &state).ok());
  EXPECT_TRUE(StatusIs(DecideRevocation(Request(), kOperator, &state.revoked.at(kStolen)),
                       absl::StatusCode::kAlreadyExists,
                       {"was revoked already, at 2026-03-01T00:00:00+00:00", "key stolen"}));
  EXPECT_TRUE(StatusIs(Fold(Logged(*draft, 1), &state), absl::StatusCode::kDataLoss,
                       {"revoked a second time"}));
}

TEST(RevocationTest, TheFoldRefusesARevocationByANonOperatorOrInsideATender) {
  v1::Event e = Logged(*DecideRevocation(Request(), kOperator, nullptr), 0);
  *e.mutable_actor() = kAgency;
  LogState state;
  EXPECT_TRUE(StatusIs(Fold(e, &state), absl::StatusCode::kDataLoss, {"no operator"}));
  e = Logged(*DecideRevocation(Request(), kOperator, nullptr), 0);
  e.set_tender_id("T-1");
  EXPECT_TRUE(StatusIs(ApplyEvent(e, {.revoked = &state.revoked}), absl::StatusCode::kDataLoss,
                       {"inside a tender"}));
}

}  // namespace
}  // namespace bidopen
