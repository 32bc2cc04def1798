// Signed actions (core/opening/signed_action.h; docs/protocol.md "Signed
// actions"): the fold takes a person's action only as the request its actor
// signed — what the request asks, fresh, used once — and, in a tender whose
// creation was signed, no unsigned one; `audit verify` checks the signature
// and the CA. Review 4 R2: the operator, who appends every event, forged an
// amendment that moved the opening time to "now" and drew the releases days
// early; it had no signature to forge and the fold checked neither the amender
// nor the new schedule.
#include "core/opening/signed_action.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/crypto/certificate.h"
#include "core/deterministic.h"
#include "core/opening/fold.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"
#include "tests/unit/audit_fixture.h"

namespace bidopen {
namespace {

using ::bidopen::testing::StatusIs;

constexpr char kTender[] = "T-5SIGNEDACT";
constexpr char kAmend[] = "/bidopen.v1.TenderService/AmendLot";
const absl::Time kT0 = absl::FromUnixSeconds(1796000000);  // 2026-11-30
const absl::Time kDeadline = kT0 + absl::Hours(24 * 7);

struct Signer {
  crypto::PkeyPtr key;
  std::string pem;
  v1::Party party;
};

class SignedActionTest : public ::testing::Test {
 protected:
  SignedActionTest() : ca_key_(testing::NewP256Key()) {
    ca_ = testing::MakeCertificate(ca_key_.get(), testing::kTestCaName, nullptr, ca_key_.get(),
                                   /*is_ca=*/true, 1);
    agency_ = Issue("City Procurement Centre", "agency", 2, ca_.get(), ca_key_.get());
    bidder_ = Issue("Builder One", "bidder", 3, ca_.get(), ca_key_.get());
  }

  static Signer Issue(absl::string_view cn, absl::string_view role, long serial, X509* ca,
                      EVP_PKEY* ca_key) {
    Signer s{testing::NewP256Key(), "", {}};
    crypto::X509Ptr cert =
        testing::MakeCertificate(s.key.get(), cn, ca, ca_key, /*is_ca=*/false, serial, role);
    s.pem = testing::PemOf(cert.get());
    auto party = crypto::PartyFromPem(s.pem);
    EXPECT_TRUE(party.ok()) << party.status();
    if (party.ok()) s.party = *party;
    return s;
  }

  // `request` for `method` signed by `who` at `at`, as the server keeps it.
  static v1::SignedAction SignedBy(const Signer& who, absl::string_view method,
                                   const google::protobuf::Message& request, absl::Time at) {
    auto sa = SignAction(who.key.get(), method, request, at);
    EXPECT_TRUE(sa.ok()) << sa.status();
    v1::SignedAction out = sa.ok() ? *sa : v1::SignedAction();
    out.set_request(EncodeDeterministic(request));
    out.set_certificate_pem(who.pem);
    return out;
  }

  v1::Event EventAt(absl::Time t, const Signer& actor) {
    v1::Event e;
    e.set_seq(next_seq_++);
    *e.mutable_time() = ToProto(t);
    *e.mutable_actor() = actor.party;
    e.set_tender_id(kTender);
    return e;
  }

  static v1::CreateTenderRequest CreateRequest() {
    v1::CreateTenderRequest req;
    req.set_title("City road works");
    req.set_time_zone("Asia/Shanghai");
    v1::LotSpec* lot = req.add_lots();
    lot->set_title("Road resurfacing");
    *lot->mutable_submission_deadline() = ToProto(kDeadline);
    *lot->mutable_opening_time() = ToProto(kDeadline);
    lot->set_policy(v1::OPENING_POLICY_BIDDER);
    v1::FormField* price = lot->add_form();
    price->set_name("price");
    price->set_type(v1::FIELD_TYPE_DECIMAL);
    price->set_required(true);
    return req;
  }

  // The agency's signed creation at kT0, as the server makes it.
  v1::Event Created(bool sign = true) {
    const v1::CreateTenderRequest req = CreateRequest();
    v1::Event e = EventAt(kT0, agency_);
    auto created = DecideCreate(req, kT0, KeyRegistry());
    EXPECT_TRUE(created.ok()) << created.status();
    if (created.ok()) *e.mutable_tender_created() = *created;
    if (sign)
      *e.mutable_signed_action() =
          SignedBy(agency_, "/bidopen.v1.TenderService/CreateTender", req, kT0);
    return e;
  }

  static v1::AmendLotRequest AmendRequest(absl::Time deadline) {
    v1::AmendLotRequest req;
    req.set_tender_id(kTender);
    req.set_lot(1);
    *req.mutable_submission_deadline() = ToProto(deadline);
    req.set_reason("addendum 1");
    return req;
  }

  // `by`'s amendment at `t` moving the deadline (and the opening with it) to
  // `deadline`, signed at `signed_at` (unsigned if `by` is null).
  v1::Event Amended(absl::Time t, absl::Time deadline, const Signer* by, absl::Time signed_at) {
    v1::Event e = EventAt(t, by != nullptr ? *by : agency_);
    v1::LotAmended* a = e.mutable_lot_amended();
    a->set_lot(1);
    *a->mutable_submission_deadline() = ToProto(deadline);
    *a->mutable_opening_time() = ToProto(deadline);
    a->set_reason("addendum 1");
    if (by != nullptr)
      *e.mutable_signed_action() = SignedBy(*by, kAmend, AmendRequest(deadline), signed_at);
    return e;
  }

  absl::StatusOr<TenderState> Fold(const std::vector<v1::Event>& events) {
    return FoldTender(events);
  }

  std::string CaPem() const { return testing::PemOf(ca_.get()); }

  crypto::PkeyPtr ca_key_;
  crypto::X509Ptr ca_;
  Signer agency_, bidder_;
  uint64_t next_seq_ = 0;
};

TEST_F(SignedActionTest, TheAgencysSignedCreationAndAmendmentFoldAndVerify) {
  const absl::Time t = kT0 + absl::Hours(1);
  const std::vector<v1::Event> log = {Created(),
                                      Amended(t, kDeadline + absl::Hours(24), &agency_, t)};
  auto state = Fold(log);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_TRUE(state->tender.signed_actions());
  EXPECT_EQ(FromProto(state->tender.lots(0).spec().opening_time()), kDeadline + absl::Hours(24));
  for (const v1::Event& e : log) EXPECT_TRUE(CheckActionSignature(e, CaPem()).ok()) << e.seq();
}

// R2: the operator's amendment, made up with no request of the agency's.
TEST_F(SignedActionTest, AnUnsignedAmendmentInASignedTenderDoesNotFold) {
  const absl::Time t = kT0 + absl::Hours(1);
  EXPECT_TRUE(StatusIs(Fold({Created(), Amended(t, t + absl::Minutes(1), nullptr, t)}),
                       absl::StatusCode::kDataLoss,
                       {"event 1 (tender T-5SIGNEDACT): an unsigned lot_amended in a tender whose "
                        "agency signed its creation"}));
}

// The agency signed a postponement; the event moves the opening earlier.
TEST_F(SignedActionTest, AnAmendmentThatIsNotWhatItsSignedRequestAsksDoesNotFold) {
  const absl::Time t = kT0 + absl::Hours(1);
  v1::Event e = Amended(t, kDeadline + absl::Hours(24), &agency_, t);
  *e.mutable_lot_amended()->mutable_opening_time() = ToProto(t + absl::Minutes(1));
  *e.mutable_lot_amended()->mutable_submission_deadline() = ToProto(t + absl::Minutes(1));
  EXPECT_TRUE(StatusIs(Fold({Created(), e}), absl::StatusCode::kDataLoss,
                       {"is not what its signed /bidopen.v1.TenderService/AmendLot request asks"}));
}

// The agency's earlier amendment, appended a second time after a later one.
TEST_F(SignedActionTest, ARequestIsUsedOnce) {
  const absl::Time t = kT0 + absl::Hours(1);
  const v1::Event first = Amended(t, kDeadline + absl::Hours(24), &agency_, t);
  v1::Event second =
      Amended(t + absl::Seconds(30), kDeadline + absl::Hours(48), &agency_, t + absl::Seconds(30));
  v1::Event replay = Amended(t + absl::Minutes(1), kDeadline + absl::Hours(24), &agency_, t);
  *replay.mutable_signed_action() = first.signed_action();
  ASSERT_TRUE(Fold({Created(), first, second}).ok());
  EXPECT_TRUE(StatusIs(Fold({Created(), first, second, replay}), absl::StatusCode::kDataLoss,
                       {"signed_at: ", "is not after", "a signed request is used once"}));
}

TEST_F(SignedActionTest, ARequestKeptBackLongerThanTenMinutesDoesNotFold) {
  const absl::Time t = kT0 + absl::Hours(1);
  EXPECT_TRUE(StatusIs(
      Fold({Created(), Amended(t + absl::Minutes(11), kDeadline + absl::Hours(24), &agency_, t)}),
      absl::StatusCode::kDataLoss, {"the request was signed at", "is taken within 10 min"}));
}

// A bidder's own signed request to amend: the signature is genuine, the
// amender is not the agency.
TEST_F(SignedActionTest, AnAmendmentByAnotherPartyDoesNotFold) {
  const absl::Time t = kT0 + absl::Hours(1);
  EXPECT_TRUE(StatusIs(Fold({Created(), Amended(t, kDeadline + absl::Hours(24), &bidder_, t)}),
                       absl::StatusCode::kDataLoss, {"only the agency that created tender"}));
}

// Even in a tender from before signed actions, an amendment must set a
// schedule the agency could have set: a deadline in the future.
TEST_F(SignedActionTest, AnAmendmentToADeadlineAlreadyPastDoesNotFold) {
  const absl::Time t = kT0 + absl::Hours(1);
  EXPECT_TRUE(
      StatusIs(Fold({Created(/*sign=*/false), Amended(t, t - absl::Minutes(1), nullptr, t)}),
               absl::StatusCode::kDataLoss, {"to a schedule no agency may set", "is in the past"}));
  EXPECT_TRUE(Fold({Created(false), Amended(t, kDeadline + absl::Hours(1), nullptr, t)}).ok());
}

TEST_F(SignedActionTest, ASignatureByAnotherKeyOrCaDoesNotVerify) {
  const absl::Time t = kT0 + absl::Hours(1);
  v1::Event e = Amended(t, kDeadline + absl::Hours(24), &agency_, t);
  v1::Event forged = e;  // the agency's certificate, the bidder's key
  forged.mutable_signed_action()->set_signature(
      SignedBy(bidder_, kAmend, AmendRequest(kDeadline + absl::Hours(24)), t).signature());
  EXPECT_TRUE(StatusIs(CheckActionSignature(forged, CaPem()), absl::StatusCode::kDataLoss,
                       {"event 0 (lot_amended by City Procurement Centre): its signed request does "
                        "not verify"}));
  crypto::PkeyPtr other_ca_key = testing::NewP256Key();
  crypto::X509Ptr other_ca = testing::MakeCertificate(other_ca_key.get(), testing::kTestCaName,
                                                      nullptr, other_ca_key.get(), true, 1);
  const Signer impostor =
      Issue("City Procurement Centre", "agency", 2, other_ca.get(), other_ca_key.get());
  v1::Event e2 = EventAt(t, impostor);
  *e2.mutable_lot_amended() = e.lot_amended();
  *e2.mutable_signed_action() =
      SignedBy(impostor, kAmend, AmendRequest(kDeadline + absl::Hours(24)), t);
  EXPECT_TRUE(StatusIs(CheckActionSignature(e2, CaPem()), absl::StatusCode::kDataLoss,
                       {"has a certificate the CA did not issue"}));
  EXPECT_TRUE(CheckActionSignature(e, CaPem()).ok());
}

}  // namespace
}  // namespace bidopen
