// Tender commands through the real store: state is the fold of the log.
#include "server/app/tender_app.h"

#include "core/crypto/signature.h"
#include "core/crypto/x25519.h"
#include "core/opening/fold.h"
#include "core/opening/tender_view.h"
#include "core/opening/time_text.h"
#include "core/seal/lot_key.h"
#include "server/app/identity_app.h"
#include "tests/pg/store_fixture.h"
#include "tests/support/process.h"
#include "tests/support/test_env.h"

namespace bidopen::testing {
namespace {

// A valid X25519 public key (on the curve), one per `c`.
std::string LotKey(char c) { return *crypto::X25519PublicFromPrivate(std::string(32, c)); }

v1::Party Agency(const std::string& fp = "agency-fp") {
  v1::Party p;
  p.set_fingerprint(fp);
  p.set_organization("Example Procurement Agency");
  p.set_role(v1::ROLE_AGENCY);
  return p;
}

class TenderAppTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    tenders_ = std::make_unique<app::TenderApp>(*pool_, *log_);
    identities_ = std::make_unique<app::IdentityApp>(*pool_, *log_, revoked_);
    const std::string pki = RequireEnv("BIDOPEN_TEST_PKI");
    cert_pem_ = ReadWholeFile(pki + "/custodian1.crt");
    signer_ = *crypto::PrivateKeyFromPem(ReadWholeFile(pki + "/custodian1.key"));
  }

  v1::CreateTenderRequest Request(absl::Duration until_deadline = absl::Hours(24)) {
    v1::CreateTenderRequest req;
    req.set_title("Road resurfacing");
    req.set_time_zone("Asia/Shanghai");
    v1::LotSpec* lot = req.add_lots();
    lot->set_title("Section A");
    *lot->mutable_submission_deadline() = ToProto(clock_.Now() + until_deadline);
    *lot->mutable_opening_time() = ToProto(clock_.Now() + until_deadline);
    lot->set_policy(v1::OPENING_POLICY_BIDDER);
    auto* f = lot->add_form();
    f->set_name("price");
    f->set_type(v1::FIELD_TYPE_DECIMAL);
    return req;
  }

  v1::Tender MustCreate() {
    auto t = tenders_->Create(Agency(), Request());
    EXPECT_TRUE(t.ok()) << t.status();
    return *t;
  }

  // A registration of `who`, its per-lot keys signed with custodian1's
  // certificate key (the one Register calls with).
  v1::RegisterKeyRequest KeyRequest(const v1::Party& who, char key,
                                    std::vector<std::string> lot_keys = {}) {
    v1::RegisterKeyRequest r;
    r.set_x25519_public_key(std::string(32, key));
    for (auto& k : lot_keys) {
      r.add_lot_keys(k);
      *r.add_lot_key_signatures() =
          *crypto::Sign(signer_.get(), seal::LotKeySigningInput(who.fingerprint(), k));
    }
    return r;
  }
  absl::StatusOr<v1::RegisteredKey> Register(const v1::Party& who, char key,
                                             std::vector<std::string> lot_keys = {}) {
    return identities_->RegisterKey(who, cert_pem_, KeyRequest(who, key, std::move(lot_keys)));
  }

  std::unique_ptr<app::TenderApp> tenders_;
  auth::RevocationList revoked_;
  std::unique_ptr<app::IdentityApp> identities_;
  std::string cert_pem_;
  crypto::PkeyPtr signer_;
};

TEST_F(TenderAppTest, CreatedTenderIsReadBackAndEqualsTheFoldOfItsEvents) {
  v1::Tender created = MustCreate();
  EXPECT_TRUE(created.id().starts_with("T-"));
  auto got = tenders_->Get(created.id());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), created.SerializeAsString());
  auto conn = Conn();
  auto events = store::EventLog::ReadTender(*conn, created.id());
  ASSERT_TRUE(events.ok());
  auto folded = FoldTender(*events);
  ASSERT_TRUE(folded.ok());
  EXPECT_EQ(TenderView(*folded).SerializeAsString(), got->SerializeAsString());
}

TEST_F(TenderAppTest, ADeadlineCloserThanTheServersMinimumLeadIsRefused) {
  app::TenderApp strict(*pool_, *log_, absl::Hours(2));
  auto refused = strict.Create(Agency(), Request(absl::Hours(1)));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("lots[0].submission_deadline: "),
            absl::string_view::npos)
      << refused.status();
  EXPECT_NE(refused.status().message().find("at least 2 h"), absl::string_view::npos)
      << refused.status();
  EXPECT_TRUE(strict.Create(Agency(), Request(absl::Hours(3))).ok());
  v1::AmendLotRequest amend;
  amend.set_tender_id(strict.Create(Agency(), Request(absl::Hours(3)))->id());
  amend.set_lot(1);
  *amend.mutable_submission_deadline() = ToProto(clock_.Now() + absl::Minutes(90));
  amend.set_reason("earlier");
  auto amended = strict.Amend(Agency(), amend);
  EXPECT_EQ(amended.status().code(), absl::StatusCode::kInvalidArgument) << amended.status();
}

TEST_F(TenderAppTest, UnknownTenderIsNotFoundNamingIt) {
  auto got = tenders_->Get("T-NOPE");
  EXPECT_EQ(got.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(got.status().message().find("T-NOPE"), absl::string_view::npos);
  v1::AmendLotRequest req;
  req.set_tender_id("T-NOPE");
  EXPECT_EQ(tenders_->Amend(Agency(), req).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TenderAppTest, AmendBeforeDeadlinePostponesAfterDeadlineRefuses) {
  v1::Tender t = MustCreate();
  v1::AmendLotRequest req;
  req.set_tender_id(t.id());
  req.set_lot(1);
  req.set_reason("clarification issued");
  absl::Time later = FromProto(t.lots(0).spec().submission_deadline()) + absl::Hours(48);
  *req.mutable_submission_deadline() = ToProto(later);
  *req.mutable_opening_time() = ToProto(later);
  auto amended = tenders_->Amend(Agency(), req);
  ASSERT_TRUE(amended.ok()) << amended.status();
  EXPECT_EQ(amended->lots(0).status(), v1::LOT_STATUS_POSTPONED);
  EXPECT_EQ(amended->lots(0).amendments_size(), 1);

  clock_.Advance(absl::Hours(73));  // past the new deadline
  *req.mutable_submission_deadline() = ToProto(later + absl::Hours(24));
  *req.mutable_opening_time() = ToProto(later + absl::Hours(24));
  auto late = tenders_->Amend(Agency(), req);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("passed 1 h"), absl::string_view::npos) << late.status();
}

TEST_F(TenderAppTest, OnlyTheCreatingAgencyMayCancel) {
  v1::Tender t = MustCreate();
  v1::CancelTenderRequest req;
  req.set_tender_id(t.id());
  req.set_reason("budget withdrawn");
  auto other = tenders_->Cancel(Agency("other-agency"), req);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kPermissionDenied);
  auto cancelled = tenders_->Cancel(Agency(), req);
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_TRUE(cancelled->cancelled());
  EXPECT_EQ(cancelled->lots(0).status(), v1::LOT_STATUS_CANCELLED);
  v1::ListTendersRequest list;
  EXPECT_EQ(tenders_->List(list)->tenders_size(), 0);
  list.set_include_cancelled(true);
  EXPECT_EQ(tenders_->List(list)->tenders_size(), 1);
}

TEST_F(TenderAppTest, CustodiansMustHaveRegisteredKeys) {
  v1::CreateTenderRequest req = Request();
  v1::LotSpec* lot = req.mutable_lots(0);
  lot->set_policy(v1::OPENING_POLICY_QUORUM);
  lot->add_custodians("cust-1");
  lot->add_custodians("cust-2");
  lot->add_custodians("cust-3");
  lot->set_threshold(2);
  auto refused = tenders_->Create(Agency(), req);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("lots[0].custodians[0]"), absl::string_view::npos);

  for (const char* fp : {"cust-1", "cust-2", "cust-3"}) {
    v1::Party custodian;
    custodian.set_fingerprint(fp);
    custodian.set_organization("Custodian");
    custodian.set_role(v1::ROLE_CUSTODIAN);
    // One per-lot key each: enough for one lot.
    ASSERT_TRUE(Register(custodian, 'x', {LotKey(fp[5])}).ok());
  }
  auto created = tenders_->Create(Agency(), req);
  ASSERT_TRUE(created.ok()) << created.status();
  const v1::LotSpec& spec = created->lots(0).spec();
  ASSERT_EQ(spec.custodian_keys_size(), 3);
  EXPECT_EQ(spec.custodian_keys(0), LotKey('1'));
  EXPECT_EQ(spec.custodian_keys(1), LotKey('2'));
  EXPECT_EQ(spec.custodian_keys(2), LotKey('3'));
  auto exhausted = tenders_->Create(Agency(), req);
  EXPECT_EQ(exhausted.status().code(), absl::StatusCode::kFailedPrecondition) << exhausted.status();
  EXPECT_NE(exhausted.status().message().find("no unused per-lot key left"),
            absl::string_view::npos);
  v1::ListKeysRequest list;
  list.set_role(v1::ROLE_CUSTODIAN);
  auto keys = identities_->ListKeys(list);
  ASSERT_TRUE(keys.ok());
  for (const auto& k : keys->keys()) EXPECT_EQ(k.lot_keys_used(), 1u) << k.party().fingerprint();
}

TEST_F(TenderAppTest, RegisteringTheSameKeyTwiceAppendsOnce) {
  v1::Party bidder;
  bidder.set_fingerprint("bidder-1");
  bidder.set_role(v1::ROLE_BIDDER);
  auto first = Register(bidder, 'a');
  auto second = Register(bidder, 'a');
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->registered().seq(), second->registered().seq());
  EXPECT_EQ(*log_->Size(), 1u);
  v1::RegisterKeyRequest bad_req;
  bad_req.set_x25519_public_key("short");
  auto bad = identities_->RegisterKey(bidder, cert_pem_, bad_req);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("got 5"), absl::string_view::npos);
  auto lot_keys = Register(bidder, 'a', {LotKey('l')});
  EXPECT_EQ(lot_keys.status().code(), absl::StatusCode::kPermissionDenied) << lot_keys.status();
}

TEST_F(TenderAppTest, ACustodiansLotKeysAddUpAndNoneTwice) {
  v1::Party custodian;
  custodian.set_fingerprint("cust-9");
  custodian.set_role(v1::ROLE_CUSTODIAN);
  ASSERT_TRUE(Register(custodian, 'c', {LotKey('1')}).ok());
  auto more = Register(custodian, 'c', {LotKey('2')});
  ASSERT_TRUE(more.ok()) << more.status();
  EXPECT_EQ(more->lot_keys_size(), 2);
  EXPECT_EQ(more->x25519_public_key(), std::string(32, 'c'));
  auto again = Register(custodian, 'c', {LotKey('1')});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(again.status().message().find("lot_keys[0]: registered before"),
            absl::string_view::npos)
      << again.status();
}

TEST_F(TenderAppTest, ListPagesNewestFirst) {
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(MustCreate().id());
  v1::ListTendersRequest req;
  req.set_page_size(2);
  auto page1 = tenders_->List(req);
  ASSERT_TRUE(page1.ok());
  ASSERT_EQ(page1->tenders_size(), 2);
  EXPECT_EQ(page1->tenders(0).id(), ids[2]);
  ASSERT_FALSE(page1->next_page_token().empty());
  req.set_page_token(page1->next_page_token());
  auto page2 = tenders_->List(req);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->tenders_size(), 1);
  EXPECT_EQ(page2->tenders(0).id(), ids[0]);
  EXPECT_TRUE(page2->next_page_token().empty());
  req.set_page_size(5000);
  EXPECT_EQ(tenders_->List(req).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace bidopen::testing
