// `bidctl audit verify`'s check of who appended the server's own events
// (client/audit_opening.h): reveals, decryption attempts, verdicts, the end of
// decryption and an auto-start name the log certificate's party as their
// actor; any other actor is DATA_LOSS naming the event, its kind and the actor.
#include "client/audit_opening.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto/certificate.h"
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

}  // namespace
}  // namespace bidopen::client
