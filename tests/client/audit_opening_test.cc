// `bidctl audit verify`'s check of who appended the server's own events
// (client/audit_opening.h): reveals, decryption attempts, verdicts, the end of
// decryption and an auto-start name the log certificate's party as their
// actor; any other actor is DATA_LOSS naming the event, its kind and the actor.
#include "client/audit_opening.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto/certificate.h"
#include "core/crypto/signature.h"
#include "core/event_clock.h"
#include "core/log/checkpoint.h"
#include "core/opening/opening_rules.h"
#include "core/opening/release_signature.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"
#include "tests/unit/fold_events.h"

namespace bidopen::client {
namespace {

using ::bidopen::testing::StatusIs;
constexpr absl::StatusCode kDataLoss = absl::StatusCode::kDataLoss;
constexpr char kTender[] = "T-7K2M9Q4XRB";

// A log certificate as deploy/pki.sh issues it (O, CN and OU=log), by a fresh CA.
std::string LogCertificatePem() {
  crypto::PkeyPtr ca_key = testing::NewP256Key();
  crypto::X509Ptr ca = testing::MakeCertificate(ca_key.get(), testing::kTestCaName, nullptr,
                                                ca_key.get(), /*is_ca=*/true, 1);
  crypto::PkeyPtr key = testing::NewP256Key();
  crypto::X509Ptr cert =
      testing::MakeCertificate(key.get(), "bidopen log", ca.get(), ca_key.get(),
                               /*is_ca=*/false, 2, "log", testing::kLogSigningUsage);
  return testing::PemOf(cert.get());
}

class ServerActorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto party = crypto::AnyPartyFromPem(log_pem_);
    ASSERT_TRUE(party.ok()) << party.status();
    server_ = *party;
  }

  v1::Event At(uint64_t seq, const v1::Party& actor) {
    v1::Event e = EventOf(seq, kTender);
    *e.mutable_actor() = actor;
    return e;
  }

  // An opening's events with the server as the actor of its own: the agency
  // creates the tender and starts lot 1, a custodian releases, the server
  // reveals, decrypts, judges and ends; lot 2 starts by itself (#7).
  std::vector<v1::Event> Opening() {
    std::vector<v1::Event> out = {At(0, kAgency), At(1, kAgency), At(2, server_), At(3, custodian_),
                                  At(4, server_), At(5, server_), At(6, server_), At(7, server_)};
    out[0].mutable_tender_created()->set_title("Road works");
    out[1].mutable_opening_started()->set_lot(1);
    out[2].mutable_bid_revealed()->set_lot(1);
    out[3].mutable_key_released()->set_lot(1);
    out[4].mutable_bid_decrypted()->set_lot(1);
    out[5].mutable_bid_verdict()->set_lot(1);
    out[6].mutable_decryption_ended()->set_lot(1);
    out[7].mutable_opening_started()->set_lot(2);
    out[7].mutable_opening_started()->set_auto_started(true);
    return out;
  }

  std::string log_pem_ = LogCertificatePem();
  v1::Party server_;
  v1::Party custodian_ = PartyOf('c', "Notary", v1::ROLE_CUSTODIAN);
};

TEST_F(ServerActorTest, ServerEventsByTheLogCertificatesPartyPass) {
  const absl::Status st = CheckServerActors(Opening(), log_pem_);
  EXPECT_TRUE(st.ok()) << st;
}

// Through AuditOpenings, as `audit verify` runs it: the actor is checked
// before anything else, so the error names it (not the reveal or the fold).
TEST_F(ServerActorTest, EachServerEventByAnotherActorIsDataLoss) {
  const struct {
    size_t index;
    const char* kind;
  } cases[] = {{2, "bid_revealed"},
               {4, "bid_decrypted"},
               {5, "bid_verdict"},
               {6, "decryption_ended"},
               {7, "opening_started"}};
  for (const auto& c : cases) {
    std::vector<v1::Event> events = Opening();
    *events[c.index].mutable_actor() = kAgency;
    const std::string seq = absl::StrCat("log #", c.index, " (", c.kind, ")");
    EXPECT_TRUE(StatusIs(AuditOpenings(events, "no CA needed", log_pem_), kDataLoss,
                         {seq, "appended by \"someone\" of \"City Works Bureau\"",
                          kAgency.fingerprint(), server_.fingerprint()}))
        << c.kind;
  }
}

TEST_F(ServerActorTest, AnotherLogCertificateWithTheSameNameIsAnotherParty) {
  const std::string other = LogCertificatePem();
  EXPECT_TRUE(StatusIs(CheckServerActors(Opening(), other), kDataLoss,
                       {"log #2 (bid_revealed)", server_.fingerprint()}));
}

TEST_F(ServerActorTest, TheServersFingerprintUnderAnotherNameIsRefused) {
  std::vector<v1::Event> events = Opening();
  events[5].mutable_actor()->set_common_name("bidopen log (really)");
  EXPECT_TRUE(StatusIs(CheckServerActors(events, log_pem_), kDataLoss,
                       {"log #5 (bid_verdict)", "bidopen log (really)"}));
}

TEST_F(ServerActorTest, AnAgencysStartAndReleasesAreNotTheServers) {
  std::vector<v1::Event> events = Opening();
  *events[7].mutable_actor() = kAgency;
  events[7].mutable_opening_started()->set_auto_started(false);
  EXPECT_TRUE(CheckServerActors(events, log_pem_).ok());
}

TEST_F(ServerActorTest, ALogCertificateNamingNoPartyIsDataLoss) {
  EXPECT_TRUE(StatusIs(CheckServerActors(Opening(), "not a certificate"), kDataLoss,
                       {"the log certificate names no party"}));
}

// `audit verify`'s check of releases (CheckReleases): each KeyReleased is
// signed by its releaser's certificate (issued by the CA, the actor's
// fingerprint) and cites a head the log key signed; no event past that head
// and before the release is timed before it. Review 3's F4: an operator who
// appends a release in a withholding bidder's name (or a failed attempt in an
// honest one's) cannot make it verify.
class ReleaseSignatureTest : public ::testing::Test {
 protected:
  ReleaseSignatureTest() : ca_key_(testing::NewP256Key()), log_key_(testing::NewP256Key()) {
    ca_ = testing::MakeCertificate(ca_key_.get(), testing::kTestCaName, nullptr, ca_key_.get(),
                                   /*is_ca=*/true, 1);
    log_pem_ = testing::PemOf(testing::MakeCertificate(log_key_.get(), "bidopen log", ca_.get(),
                                                       ca_key_.get(), /*is_ca=*/false, 2, "",
                                                       testing::kLogSigningUsage)
                                  .get());
    bidder_pem_ = Issue(bidder_key_.get(), "Builder One", 3, "bidder");
  }

  std::string Issue(EVP_PKEY* key, const char* cn, long serial, const char* ou) {
    return testing::PemOf(
        testing::MakeCertificate(key, cn, ca_.get(), ca_key_.get(), /*is_ca=*/false, serial, ou)
            .get());
  }

  v1::Event At(uint64_t seq, absl::Time t) {
    v1::Event e = EventOf(seq, kTender);
    *e.mutable_time() = ToProto(t);
    return e;
  }

  // Bidder One's release of bid 1 at #3, citing the head of size 3 timed
  // kT, signed by `key` with `cert_pem`.
  v1::Event Release(EVP_PKEY* key, const std::string& cert_pem, absl::Time seen = kT) {
    v1::Event e = At(3, kT + absl::Seconds(1));
    auto party = crypto::PartyFromPem(bidder_pem_);
    EXPECT_TRUE(party.ok()) << party.status();
    if (party.ok()) *e.mutable_actor() = *party;
    v1::KeyReleased* k = e.mutable_key_released();
    k->set_lot(1);
    k->set_kind(v1::RELEASE_KIND_BIDDER);
    k->set_bid(1);
    k->set_accepted(true);
    k->set_material_sha256(ReleasedHash("the bidder's secret"));
    log::Checkpoint c{.origin = "bidopen.test/log", .size = 3, .root = {}, .time = seen};
    k->set_seen_checkpoint(log::FormatCheckpoint(c));
    auto head_signature = crypto::Sign(log_key_.get(), k->seen_checkpoint());
    EXPECT_TRUE(head_signature.ok());
    if (head_signature.ok()) k->set_seen_signature(*head_signature);
    k->set_certificate_pem(cert_pem);
    auto signature = crypto::Sign(key, ReleaseSigningInput(kTender, *k));
    EXPECT_TRUE(signature.ok());
    if (signature.ok()) k->set_signature(*signature);
    return e;
  }

  std::vector<v1::Event> Log(const v1::Event& release) {
    return {At(0, kT - absl::Minutes(3)), At(1, kT - absl::Minutes(2)),
            At(2, kT - absl::Minutes(1)), release};
  }

  absl::Status Check(const std::vector<v1::Event>& events) {
    return CheckReleases(events, testing::PemOf(ca_.get()), log_pem_);
  }

  static inline const absl::Time kT = absl::FromUnixSeconds(1796000000);
  crypto::PkeyPtr ca_key_;
  crypto::PkeyPtr log_key_;
  crypto::X509Ptr ca_;
  std::string log_pem_;
  crypto::PkeyPtr bidder_key_ = testing::NewP256Key();
  std::string bidder_pem_;
};

TEST_F(ReleaseSignatureTest, TheReleasersSignatureVerifies) {
  int checked = 0;
  const absl::Status st = CheckReleases(Log(Release(bidder_key_.get(), bidder_pem_)),
                                        testing::PemOf(ca_.get()), log_pem_, &checked);
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(checked, 1);
}

// Review 3 F4, turned around: the operator's release in the bidder's name
// (signed by nobody, by the log key, or by another party's key) is DATA_LOSS.
TEST_F(ReleaseSignatureTest, AReleaseTheReleaserDidNotSignIsDataLoss) {
  v1::Event unsigned_release = Release(bidder_key_.get(), bidder_pem_);
  unsigned_release.mutable_key_released()->clear_signature();
  EXPECT_TRUE(StatusIs(Check(Log(unsigned_release)), kDataLoss,
                       {"log #3 (KeyReleased", "no releaser's signature"}));
  EXPECT_TRUE(StatusIs(Check(Log(Release(log_key_.get(), bidder_pem_))), kDataLoss,
                       {"log #3", "the releaser did not sign this release"}));
  crypto::PkeyPtr other = testing::NewP256Key();
  EXPECT_TRUE(StatusIs(Check(Log(Release(other.get(), bidder_pem_))), kDataLoss,
                       {"log #3", "the releaser did not sign this release"}));
}

// The operator swaps the material's hash of a real release (an "accepted"
// release of bytes it never stores, or a failed attempt framing the bidder).
TEST_F(ReleaseSignatureTest, ARealReleaseWithAnotherHashOrVerdictIsDataLoss) {
  v1::Event e = Release(bidder_key_.get(), bidder_pem_);
  e.mutable_key_released()->set_material_sha256(ReleasedHash("bytes that open nothing"));
  EXPECT_TRUE(StatusIs(Check(Log(e)), kDataLoss, {"log #3", "did not sign"}));
  v1::Event other_bid = Release(bidder_key_.get(), bidder_pem_);
  other_bid.mutable_key_released()->set_bid(2);
  EXPECT_TRUE(StatusIs(Check(Log(other_bid)), kDataLoss, {"log #3", "did not sign"}));
}

// A certificate the CA did not issue, or another party's, does not stand for
// the actor.
TEST_F(ReleaseSignatureTest, TheCertificateMustBeTheActorsFromTheCa) {
  crypto::PkeyPtr other_key = testing::NewP256Key();
  const std::string other_pem = Issue(other_key.get(), "Builder Two", 4, "bidder");
  EXPECT_TRUE(StatusIs(Check(Log(Release(other_key.get(), other_pem))), kDataLoss,
                       {"log #3", "not the actor's"}));
  crypto::PkeyPtr self_key = testing::NewP256Key();
  const std::string self_signed = testing::PemOf(
      testing::MakeCertificate(self_key.get(), "Builder One", nullptr, self_key.get(),
                               /*is_ca=*/false, 5, "bidder")
          .get());
  EXPECT_TRUE(StatusIs(Check(Log(Release(self_key.get(), self_signed))), kDataLoss,
                       {"log #3", "the releaser's certificate"}));
}

TEST_F(ReleaseSignatureTest, TheCitedHeadMustBeSignedByTheLogKey) {
  v1::Event e = Release(bidder_key_.get(), bidder_pem_);
  e.mutable_key_released()->set_seen_signature("not the log's");
  EXPECT_TRUE(StatusIs(Check(Log(e)), kDataLoss, {"log #3", "not signed by the log key"}));
}

// Review 4 R3: a release is checked against its releaser's certificate as
// it was when it was made (the event's time), not as it is now. A bidder's
// certificate that lapses after its release no longer makes the tender "not
// verify" -- which stopped every later release gate of the tender and blamed
// the others for not releasing. A release made after the end date still does
// not verify.
TEST_F(ReleaseSignatureTest, AReleasersCertificateThatExpiresAfterItsReleaseStillVerifies) {
  crypto::PkeyPtr key = testing::NewP256Key();
  crypto::X509Ptr cert = testing::MakeCertificate(key.get(), "Builder One", ca_.get(),
                                                  ca_key_.get(), /*is_ca=*/false, 6, "bidder");
  // Valid when it released (kT + 1 s), expired an hour later (days ago).
  ASSERT_NE(ASN1_TIME_set(X509_getm_notAfter(cert.get()), absl::ToTimeT(kT + absl::Hours(1))),
            nullptr);
  ASSERT_GT(X509_sign(cert.get(), ca_key_.get(), EVP_sha256()), 0);
  const std::string pem = testing::PemOf(cert.get());
  ASSERT_FALSE(crypto::VerifyIssuedBy(pem, testing::PemOf(ca_.get())).ok());  // expired now
  v1::Event e = Release(key.get(), pem);
  *e.mutable_actor() = *crypto::PartyFromPem(pem);
  int checked = 0;
  const absl::Status st = CheckReleases(Log(e), testing::PemOf(ca_.get()), log_pem_, &checked);
  EXPECT_TRUE(st.ok()) << st;
  EXPECT_EQ(checked, 1);
  // The same release appended after the certificate's end date does not verify.
  *e.mutable_time() = ToProto(kT + absl::Hours(2));
  EXPECT_TRUE(
      StatusIs(Check(Log(e)), kDataLoss, {"log #3", "the releaser's certificate at", "expired"}));
}

// Review 3 F3/F5 at `audit verify`: an event past the cited head (it was not
// in it) but timed before it was appended later and backdated.
TEST_F(ReleaseSignatureTest, AnEventPastTheCitedHeadTimedBeforeItIsDataLoss) {
  v1::Event e = Release(bidder_key_.get(), bidder_pem_, kT);
  std::vector<v1::Event> events = Log(e);
  // The release cites a head of size 2 timed kT, but #2 is timed a minute before.
  log::Checkpoint c{.origin = "bidopen.test/log", .size = 2, .root = {}, .time = kT};
  v1::KeyReleased* k = events[3].mutable_key_released();
  k->set_seen_checkpoint(log::FormatCheckpoint(c));
  k->set_seen_signature(*crypto::Sign(log_key_.get(), k->seen_checkpoint()));
  k->set_signature(*crypto::Sign(bidder_key_.get(), ReleaseSigningInput(kTender, *k)));
  EXPECT_TRUE(StatusIs(Check(events), kDataLoss, {"log #3", "log #2", "backdated"}));
}

// Review 4 R9: replicas stamp events on their own clocks, up to 5 s apart (the
// step each refuses beyond). A head signed by a replica 3 s ahead, an event of
// the tender appended next by a lagging replica (timed before that head), and
// a release citing the head: the tender verifies, with the slack bidctl's
// NotBackdated and the fold allow -- it made every later release gate stop.
// An event more than the slack before the head is still backdating.
TEST_F(ReleaseSignatureTest, AHeadFromAReplicaAheadStillVerifiesWithALaggingReplicasEvent) {
  v1::Event e = Release(bidder_key_.get(), bidder_pem_, kT + absl::Seconds(3));
  e.set_seq(4);
  *e.mutable_time() = ToProto(kT + absl::Seconds(4));
  std::vector<v1::Event> events = Log(e);
  events.insert(events.begin() + 3, At(3, kT + absl::Seconds(1)));
  const absl::Status st = Check(events);
  EXPECT_TRUE(st.ok()) << st;
  events[3] = At(3, kT + absl::Seconds(3) - kReplicaClockSlack - absl::Milliseconds(1));
  EXPECT_TRUE(StatusIs(Check(events), kDataLoss, {"log #4", "log #3", "backdated"}));
}

}  // namespace
}  // namespace bidopen::client
