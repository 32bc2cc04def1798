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

#include "absl/strings/str_cat.h"
#include "core/crypto/certificate.h"
#include "core/deterministic.h"
#include "core/opening/fold.h"
#include "core/opening/lot_rules.h"
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

// Review 5's attacks on signed actions, turned around.

// S1: the agency signs "move the deadline one day later" (no opening_time:
// "unchanged"). The lot opens three days after its deadline, so the honest
// DecideAmend keeps the opening where it is. The operator appends the
// amendment with the signed deadline and opening_time = that deadline: two
// days earlier than the agency's schedule. The fold compares both times with
// the ones the request gives the lot as it was (AmendTimes, as DecideAmend).
TEST_F(SignedActionTest, ADeadlineOnlyRequestMovesNoOpeningItDidNotAsk) {
  v1::CreateTenderRequest req = CreateRequest();
  const absl::Time opening = kDeadline + absl::Hours(72);
  *req.mutable_lots(0)->mutable_opening_time() = ToProto(opening);
  v1::Event created = EventAt(kT0, agency_);
  auto decided = DecideCreate(req, kT0, KeyRegistry());
  ASSERT_TRUE(decided.ok()) << decided.status();
  *created.mutable_tender_created() = *decided;
  *created.mutable_signed_action() =
      SignedBy(agency_, "/bidopen.v1.TenderService/CreateTender", req, kT0);

  const absl::Time t = kT0 + absl::Hours(1);
  const absl::Time new_deadline = kDeadline + absl::Hours(24);
  const v1::AmendLotRequest asked = AmendRequest(new_deadline);  // deadline only
  ASSERT_FALSE(asked.has_opening_time());
  // What the honest server makes of it: the opening stays three days out.
  auto before = Fold({created});
  ASSERT_TRUE(before.ok()) << before.status();
  auto honest = DecideAmend(before->tender, asked, agency_.party, t, absl::ZeroDuration());
  ASSERT_TRUE(honest.ok()) << honest.status();
  EXPECT_EQ(FromProto(honest->opening_time()), opening);

  // What the operator appends with the same signed request.
  v1::Event forged = EventAt(t, agency_);
  v1::LotAmended* a = forged.mutable_lot_amended();
  a->set_lot(1);
  *a->mutable_submission_deadline() = ToProto(new_deadline);
  *a->mutable_opening_time() = ToProto(new_deadline);  // 48 h before the agency's opening
  a->set_reason("addendum 1");
  *forged.mutable_signed_action() = SignedBy(agency_, kAmend, asked, t);
  EXPECT_TRUE(StatusIs(Fold({created, forged}), absl::StatusCode::kDataLoss,
                       {"is not what its signed /bidopen.v1.TenderService/AmendLot request asks"}));
  v1::Event honest_event = forged;  // what the server appends: folds
  *honest_event.mutable_lot_amended() = *honest;
  EXPECT_TRUE(Fold({created, honest_event}).ok());

  // Mirror image: the agency signs "open a day later" (no deadline); the
  // operator closes submissions 6 s after the amendment.
  v1::AmendLotRequest later;
  later.set_tender_id(kTender);
  later.set_lot(1);
  *later.mutable_opening_time() = ToProto(opening + absl::Hours(24));
  later.set_reason("addendum 1");
  v1::Event cut = EventAt(t, agency_);
  v1::LotAmended* c = cut.mutable_lot_amended();
  c->set_lot(1);
  *c->mutable_submission_deadline() = ToProto(t + absl::Seconds(6));
  *c->mutable_opening_time() = later.opening_time();
  c->set_reason("addendum 1");
  *cut.mutable_signed_action() = SignedBy(agency_, kAmend, later, t);
  EXPECT_TRUE(StatusIs(Fold({created, cut}), absl::StatusCode::kDataLoss,
                       {"is not what its signed /bidopen.v1.TenderService/AmendLot request asks"}));
}

// S2 (review 4 R2's custodian variant): the agency's signed
// creation names custodians; the per-lot keys are "the server's to assign"
// and CreateMatches clears them before comparing. Tender B (opening in a
// month) was assigned custodian i's key K_i. Tender A (signed by the agency,
// opening tomorrow) is given the same K_i. The tender-only fold, which is
// what the release gate (FetchVerifiedLot -> FoldTender) and audit verify's
// per-tender fold run, accepts A; only a whole-log fold with the key registry
// (UseLotKeys) refuses it. So `custody release` checks, on the whole
// verified log, that the key was first assigned to this lot
// (client/key_use.h; tests/client/key_use_test.cc); otherwise at
// A's opening it would send K_i's private half, which opens B's shares too.
TEST_F(SignedActionTest, OnlyTheWholeLogShowsAnotherTendersCustodianKey) {
  std::vector<Signer> custodians;
  for (int i = 0; i < 3; ++i)
    custodians.push_back(
        Issue(absl::StrCat("Custodian ", i), "custodian", 10 + i, ca_.get(), ca_key_.get()));
  std::vector<v1::Event> log;
  std::vector<std::string> keys;
  for (int i = 0; i < 3; ++i) {
    v1::Event reg;
    reg.set_seq(next_seq_++);
    *reg.mutable_time() = ToProto(kT0 - absl::Hours(1));
    *reg.mutable_actor() = custodians[i].party;
    keys.push_back(std::string(32, static_cast<char>('a' + i)));
    reg.mutable_lot_keys_registered()->add_public_keys(keys.back());
    reg.mutable_lot_keys_registered()->add_public_keys(std::string(32, static_cast<char>('x' + i)));
    log.push_back(reg);
  }
  auto create = [&](const std::string& id, absl::Time t, absl::Time deadline) {
    v1::CreateTenderRequest req = CreateRequest();
    v1::LotSpec* lot = req.mutable_lots(0);
    *lot->mutable_submission_deadline() = ToProto(deadline);
    *lot->mutable_opening_time() = ToProto(deadline);
    lot->set_policy(v1::OPENING_POLICY_QUORUM);
    lot->set_threshold(2);
    for (const Signer& c : custodians) lot->add_custodians(c.party.fingerprint());
    v1::Event e = EventAt(t, agency_);
    e.set_tender_id(id);
    v1::TenderCreated* made = e.mutable_tender_created();
    made->set_title(req.title());
    made->set_time_zone(req.time_zone());
    *made->add_lots() = WithDefaults(*lot);
    for (const std::string& k : keys) made->mutable_lots(0)->add_custodian_keys(k);  // K_i
    *e.mutable_signed_action() =
        SignedBy(agency_, "/bidopen.v1.TenderService/CreateTender", req, t);
    return e;
  };
  const v1::Event b = create("T-5TENDERB", kT0, kT0 + absl::Hours(24 * 30));
  const v1::Event a = create(kTender, kT0 + absl::Minutes(5), kT0 + absl::Hours(24));
  // The gate's fold of tender A: accepted, and its lot carries B's keys.
  auto gate = FoldTender(std::vector<v1::Event>{a});
  ASSERT_TRUE(gate.ok()) << gate.status();
  EXPECT_EQ(gate->tender.lots(0).spec().custodian_keys(0), keys[0]);
  EXPECT_TRUE(CheckActionSignature(a, CaPem()).ok());
  // Only the whole log with its key registry sees the reuse.
  log.push_back(b);
  log.push_back(a);
  LogState whole;
  EXPECT_TRUE(StatusIs(FoldInto(log, &whole), absl::StatusCode::kDataLoss,
                       {"is not custodian", "next unused lot key"}));
}

// S3: any certified party (a colluding bidder) signs a CancelTender request
// and the operator appends it: the fold refuses a cancellation not by the
// agency, as DecideCancel does.
TEST_F(SignedActionTest, OnlyTheAgencyCancels) {
  const absl::Time t = kT0 + absl::Hours(1);
  v1::CancelTenderRequest req;
  req.set_tender_id(kTender);
  req.set_reason("withdrawn");
  v1::Event e = EventAt(t, bidder_);
  e.mutable_tender_cancelled()->set_reason("withdrawn");
  *e.mutable_signed_action() = SignedBy(bidder_, "/bidopen.v1.TenderService/CancelTender", req, t);
  EXPECT_TRUE(StatusIs(Fold({Created(), e}), absl::StatusCode::kDataLoss,
                       {"only the agency that created tender"}));
}

}  // namespace
}  // namespace bidopen
