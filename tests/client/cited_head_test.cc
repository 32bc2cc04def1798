// Review 4 R1: the head a release cites must be the log's. An operator holds
// the log key and can sign a "future" head (a size the log has not reached,
// any root) and show it as GetOpening's `now`; under BOTH that voids the turn
// (review4-report.md R1). These are the review's PoC
// (`Review4Poc.TheCitedHeadIsNeverComparedWithTheLog`), turned round: bidctl
// refuses to cite such a head (CheckOneHistory, client/release_head.h), the
// wait catches a start backdated past a head it kept (HeadsSeen), and `audit
// verify` names a release citing one (CheckCitedHeads, client/cited_heads.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "client/audit_opening.h"
#include "client/cited_heads.h"
#include "client/opening_view.h"
#include "client/release_head.h"
#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/log/bundle.h"
#include "core/log/checkpoint.h"
#include "core/log/memory_tree.h"
#include "core/opening/event_codec.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/opening/time_text.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen::client {
namespace {

using testing::EventTime;
using testing::kTestOrigin;

constexpr absl::StatusCode kDataLoss = absl::StatusCode::kDataLoss;

log::Hash Bogus() {
  log::Hash h;
  h.fill(0x42);
  return h;
}

std::vector<log::Hash> Proof(const log::MemoryTree& tree, uint64_t m, uint64_t n) {
  return m == 0 || m == n ? std::vector<log::Hash>{} : testing::Consistency(tree, m, n);
}

absl::Time SeenTime() { return EventTime(5) + absl::Milliseconds(500); }

// A CA, the log certificate and a custodian's certificate it issued.
struct Pki {
  testing::LogPki log;
  crypto::PkeyPtr custodian_key;
  std::string custodian_pem;
};

Pki MakePki() {
  crypto::PkeyPtr ca_key = testing::NewP256Key();
  crypto::X509Ptr ca = testing::MakeCertificate(ca_key.get(), testing::kTestCaName, nullptr,
                                                ca_key.get(), /*is_ca=*/true, 1);
  Pki out;
  out.log.key = testing::NewP256Key();
  out.log.ca_pem = testing::PemOf(ca.get());
  out.log.cert_pem =
      testing::PemOf(testing::MakeCertificate(out.log.key.get(), "bidopen log", ca.get(),
                                              ca_key.get(), false, 2, "", testing::kLogSigningUsage)
                         .get());
  out.custodian_key = testing::NewP256Key();
  out.custodian_pem =
      testing::PemOf(testing::MakeCertificate(out.custodian_key.get(), "Notary One", ca.get(),
                                              ca_key.get(), false, 3, "custodian")
                         .get());
  return out;
}

// The review's setting: the log has 9 events (0..8); a custodian of
// tender-a releases at #9 citing a head it was shown.
class CitedHeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto party = crypto::PartyFromPem(keys_.custodian_pem);
    ASSERT_TRUE(party.ok()) << party.status();
    custodian_ = *party;
  }

  v1::SignedTreeHead Head(uint64_t size, const log::Hash& root, absl::Time t = SeenTime()) {
    return testing::SignCheckpoint(pki_, {kTestOrigin, size, root, t});
  }

  // The custodian's release at #9 (tender-a: after #6), signed, citing `seen`;
  // the log then has 10 events.
  void ReleaseCiting(const v1::SignedTreeHead& seen) {
    v1::Event e;
    e.set_seq(9);
    *e.mutable_time() = ToProto(EventTime(9));
    e.set_tender_id("tender-a");
    e.set_tender_prev(7);
    *e.mutable_actor() = custodian_;
    v1::KeyReleased* k = e.mutable_key_released();
    k->set_lot(1);
    k->set_kind(v1::RELEASE_KIND_CUSTODIAN);
    k->set_share_x(1);
    k->set_accepted(true);
    k->set_material_sha256(ReleasedHash("per-lot private key"));
    k->set_seen_checkpoint(seen.checkpoint());
    k->set_seen_signature(seen.signature());
    k->set_certificate_pem(keys_.custodian_pem);
    auto sig = crypto::Sign(keys_.custodian_key.get(), ReleaseSigningInput("tender-a", *k));
    ASSERT_TRUE(sig.ok()) << sig.status();
    k->set_signature(*sig);
    log_.events.push_back(e);
    log_.bytes.push_back(EncodeEvent(e));
    log_.tree.Append(log::LeafHash(log_.bytes.back()));
  }

  Pki keys_ = MakePki();
  const testing::LogPki& pki_ = keys_.log;
  v1::Party custodian_;
  testing::SyntheticLog log_ = testing::MakeSyntheticLog(9);
};

// bidctl: GetOpening's head of size 8 (the log has 6 when the custodian asks,
// 9 when it checks) with the operator's root is still accepted as a signed
// time (CheckOpening), but it is not a prefix of the verified log, so no
// release cites it; the log's own heads up to the verified size are.
TEST_F(CitedHeadTest, BidctlRefusesToCiteAHeadThatIsNotTheVerifiedLogs) {
  const v1::SignedTreeHead future = Head(8, Bogus());
  v1::OpeningStatus status;
  *status.mutable_now() = future;
  ASSERT_TRUE(CheckOpening(status, pki_.ca_pem, SeenTime(), SeenTime()).ok());  // signed: yes

  // Past the end of the log the gate verified (size 6): refused, whatever its root.
  const v1::SignedTreeHead verified = testing::SignHead(pki_, log_.tree, 6);
  absl::Status st = CheckCitable(future, verified, Proof(log_.tree, 6, 8));
  EXPECT_EQ(st.code(), kDataLoss) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "the server's signed time (a head of size 8")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "is not a head of the log you verified (size 6)"))
      << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "past the log's end")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "nothing was unwrapped or sent")) << st;
  EXPECT_EQ(CheckCitable(testing::SignHead(pki_, log_.tree, 8, SeenTime()), verified,
                         Proof(log_.tree, 6, 8))
                .code(),
            kDataLoss);
  // Within it (the bundle fetched after GetOpening, as bidctl does): its root must be the
  // log's at its size, whatever proof the server gives.
  const v1::SignedTreeHead later = testing::SignHead(pki_, log_.tree, 9);
  st = CheckCitable(future, later, Proof(log_.tree, 8, 9));
  EXPECT_EQ(st.code(), kDataLoss) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "history was rewritten")) << st;
  EXPECT_EQ(CheckCitable(future, later, {}).code(), kDataLoss);
  EXPECT_EQ(CheckCitable(Head(6, Bogus()), later, Proof(log_.tree, 6, 9)).code(), kDataLoss);

  // The log's own heads are citable.
  const v1::SignedTreeHead real8 = testing::SignHead(pki_, log_.tree, 8, SeenTime());
  EXPECT_TRUE(CheckCitable(real8, later, Proof(log_.tree, 8, 9)).ok());
  EXPECT_TRUE(CheckCitable(later, later, {}).ok());
  // The wait's kept heads: one history either way round, a future root refused.
  EXPECT_TRUE(CheckOneHistory(real8, verified, Proof(log_.tree, 6, 8)).ok());
  EXPECT_EQ(CheckOneHistory(future, verified, Proof(log_.tree, 6, 8)).code(), kDataLoss);
  // Another log certificate's head is not this log's, whatever its root.
  testing::LogPki other = testing::MakeLogPki();
  st = CheckCitable(testing::SignHead(other, log_.tree, 8), later, Proof(log_.tree, 8, 9));
  EXPECT_EQ(st.code(), kDataLoss) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "signed by another log certificate")) << st;
}

// `audit verify` of the whole log: the release citing the future head has a
// valid signature (CheckReleases) and the log verifies (VerifyBundle), but
// the cited root is not the log's root at size 8: named, with the release.
TEST_F(CitedHeadTest, AuditVerifyNamesAReleaseCitingAFutureHeadInTheWholeLog) {
  ReleaseCiting(Head(8, Bogus()));
  ASSERT_TRUE(CheckReleases(log_.events, pki_.ca_pem, pki_.cert_pem).ok());
  v1::AuditBundle whole = testing::WholeLogBundle(pki_, log_, 10);
  ASSERT_TRUE(log::VerifyBundle(whole, pki_.ca_pem).ok());

  absl::StatusOr<int> checked = CheckCitedHeads(whole, log_.events);
  ASSERT_EQ(checked.status().code(), kDataLoss) << checked.status();
  const std::string said(checked.status().message());
  EXPECT_TRUE(absl::StrContains(said, "log #9 (KeyReleased by \"Notary One\"")) << said;
  EXPECT_TRUE(absl::StrContains(said, "cites a signed head of size 8")) << said;
  EXPECT_TRUE(absl::StrContains(said, "that is not a head of this log")) << said;
  EXPECT_TRUE(absl::StrContains(
      said, absl::StrCat("the log's root at that size is ", log::HashHex(log_.tree.RootAt(8)))))
      << said;
}

TEST_F(CitedHeadTest, AuditVerifyPassesAReleaseCitingTheLogsOwnHead) {
  ReleaseCiting(testing::SignHead(pki_, log_.tree, 8, SeenTime()));
  absl::StatusOr<int> checked =
      CheckCitedHeads(testing::WholeLogBundle(pki_, log_, 10), log_.events);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(*checked, 1);
}

// A tender's bundle: `audit fetch` stores the proof from each cited head to
// the bundle's head (cited_heads), and `audit verify` checks it.
class CitedHeadTenderTest : public CitedHeadTest {
 protected:
  v1::AuditBundle TenderBundleWithProof(const v1::SignedTreeHead& cited) {
    ReleaseCiting(cited);
    v1::AuditBundle b = testing::TenderBundle(pki_, log_, 10, "tender-a");
    v1::CitedHeadProof* p = b.add_cited_heads();
    p->set_size(cited.size());
    p->set_root_hash(cited.root_hash());
    p->mutable_consistency()->set_first(cited.size());
    p->mutable_consistency()->set_second(10);
    for (const log::Hash& h : Proof(log_.tree, cited.size(), 10))
      p->mutable_consistency()->add_path(testing::RawHash(h));
    return b;
  }
};

TEST_F(CitedHeadTenderTest, AuditVerifyChecksEachCitedHeadWithItsProof) {
  const v1::AuditBundle b =
      TenderBundleWithProof(testing::SignHead(pki_, log_.tree, 8, SeenTime()));
  auto verified = log::VerifyBundle(b, pki_.ca_pem);
  ASSERT_TRUE(verified.ok()) << verified.status();
  absl::StatusOr<int> checked = CheckCitedHeads(b, verified->events);
  ASSERT_TRUE(checked.ok()) << checked.status();
  EXPECT_EQ(*checked, 1);
}

TEST_F(CitedHeadTenderTest, AuditVerifyNamesAReleaseCitingAFutureHeadInATendersBundle) {
  const v1::AuditBundle b = TenderBundleWithProof(Head(8, Bogus()));
  auto verified = log::VerifyBundle(b, pki_.ca_pem);
  ASSERT_TRUE(verified.ok()) << verified.status();
  absl::StatusOr<int> checked = CheckCitedHeads(b, verified->events);
  ASSERT_EQ(checked.status().code(), kDataLoss) << checked.status();
  const std::string said(checked.status().message());
  EXPECT_TRUE(absl::StrContains(said, "log #9 (KeyReleased by \"Notary One\"")) << said;
  EXPECT_TRUE(absl::StrContains(said, "cites a signed head of size 8")) << said;
  EXPECT_TRUE(absl::StrContains(said, "the bundle's head of size 10 does not extend it")) << said;

  v1::AuditBundle without = b;  // a bundle from before the check, or one cut
  without.clear_cited_heads();
  checked = CheckCitedHeads(without, verified->events);
  ASSERT_EQ(checked.status().code(), kDataLoss) << checked.status();
  EXPECT_TRUE(absl::StrContains(checked.status().message(),
                                "the bundle holds no proof that its head extends it"))
      << checked.status();
}

// The wait's check of a backdated start (review 3 F5), now against heads it
// proved to be the log's, whatever GetOpening's lot said: a start appended
// after a kept head (seq at or past its size) but timed 14 min before it is
// caught, also when later heads were kept after the start.
TEST(HeadsSeenTest, AStartAppendedAfterAKeptHeadButTimedBeforeItIsCaught) {
  const absl::Time t = absl::FromUnixSeconds(1'800'000'000);
  auto head = [](uint64_t size, absl::Time at) {
    v1::SignedTreeHead h;
    h.set_size(size);
    *h.mutable_time() = ToProto(at);
    return h;
  };
  HeadsSeen seen;
  EXPECT_TRUE(seen.NotBackdated(40, ToProto(t - absl::Hours(1))).ok());  // none kept yet
  seen.Record(head(30, t - absl::Minutes(1)));
  seen.Record(head(30, t));                      // the same size again, later
  seen.Record(head(50, t + absl::Minutes(20)));  // after the start
  const absl::Status st = seen.NotBackdated(40, ToProto(t - absl::Minutes(14)));
  EXPECT_EQ(st.code(), kDataLoss) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "before the head of 30 events")) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "it was backdated")) << st;
  EXPECT_TRUE(seen.NotBackdated(40, ToProto(t + absl::Seconds(1))).ok());
  EXPECT_TRUE(seen.NotBackdated(20, ToProto(t - absl::Hours(1))).ok());  // before every head
}

}  // namespace
}  // namespace bidopen::client
