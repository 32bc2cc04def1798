// FoldTender / ApplyKeyEvent: the state a sequence of log events produces, and
// DATA_LOSS when the log cannot be a tender's history.
#include "core/opening/fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/opening/time_text.h"
#include "tests/unit/assertions.h"

namespace bidopen {
namespace {

using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;

const absl::Time kT0 = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 0, 0, 0), absl::UTCTimeZone());
const absl::Time kDeadline = kT0 + absl::Hours(7 * 24);
const absl::Time kOpening = kDeadline + absl::Hours(1);

v1::Party PartyOf(char digit, absl::string_view organization, v1::Role role) {
  v1::Party p;
  p.set_fingerprint(std::string(64, digit));
  p.set_organization(std::string(organization));
  p.set_common_name("someone");
  p.set_role(role);
  return p;
}

const v1::Party kAgency = PartyOf('1', "City Works Bureau", v1::ROLE_AGENCY);

v1::LotSpec Lot(absl::string_view title) {
  v1::LotSpec lot;
  lot.set_title(std::string(title));
  *lot.mutable_submission_deadline() = ToProto(kDeadline);
  *lot.mutable_opening_time() = ToProto(kOpening);
  v1::FormField* price = lot.add_form();
  price->set_name("price");
  price->set_type(v1::FIELD_TYPE_DECIMAL);
  lot.set_policy(v1::OPENING_POLICY_BIDDER);
  return lot;
}

v1::Event EventOf(uint64_t seq, absl::string_view tender_id) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(kT0 + absl::Minutes(seq));
  *e.mutable_actor() = kAgency;
  e.set_tender_id(std::string(tender_id));
  return e;
}

v1::Event Created(uint64_t seq, absl::string_view tender_id, int lots) {
  v1::Event e = EventOf(seq, tender_id);
  v1::TenderCreated* c = e.mutable_tender_created();
  c->set_title(absl::StrCat("Tender ", tender_id));
  c->set_reference("REF-7");
  c->set_time_zone("Asia/Shanghai");
  for (int i = 1; i <= lots; ++i) *c->add_lots() = Lot(absl::StrCat("Lot ", i));
  return e;
}

v1::Event Amended(uint64_t seq, absl::string_view tender_id, int lot, absl::Duration shift) {
  v1::Event e = EventOf(seq, tender_id);
  v1::LotAmended* a = e.mutable_lot_amended();
  a->set_lot(lot);
  *a->mutable_submission_deadline() = ToProto(kDeadline + shift);
  *a->mutable_opening_time() = ToProto(kOpening + shift);
  a->set_reason("site visit added");
  return e;
}

v1::Event Cancelled(uint64_t seq, absl::string_view tender_id, int lot, absl::string_view reason) {
  v1::Event e = EventOf(seq, tender_id);
  e.mutable_tender_cancelled()->set_lot(lot);
  e.mutable_tender_cancelled()->set_reason(std::string(reason));
  return e;
}

v1::Event KeyRegistered(uint64_t seq, const v1::Party& actor, absl::string_view key) {
  v1::Event e;
  e.set_seq(seq);
  *e.mutable_time() = ToProto(kT0 + absl::Minutes(seq));
  *e.mutable_actor() = actor;
  e.mutable_key_registered()->set_x25519_public_key(std::string(key));
  return e;
}

TEST(FoldTenderTest, CreatedTenderHasNumberedScheduledLots) {
  std::vector<v1::Event> events = {Created(5, "T-1", 3)};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->id(), "T-1");
  EXPECT_EQ(t->title(), "Tender T-1");
  EXPECT_EQ(t->reference(), "REF-7");
  EXPECT_EQ(t->time_zone(), "Asia/Shanghai");
  EXPECT_TRUE(ProtoEquals(t->agency(), kAgency));
  EXPECT_FALSE(t->cancelled());
  ASSERT_EQ(t->lots_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t->lots(i).number(), i + 1);
    EXPECT_EQ(t->lots(i).status(), v1::LOT_STATUS_SCHEDULED);
    EXPECT_TRUE(ProtoEquals(t->lots(i).spec(), events[0].tender_created().lots(i)));
  }
  EXPECT_EQ(t->created().seq(), 5u);
  EXPECT_EQ(FromProto(t->created().time()), kT0 + absl::Minutes(5));
  EXPECT_TRUE(ProtoEquals(t->updated(), t->created()));
}

TEST(FoldTenderTest, LaterDeadlinePostponesTheLotAndRecordsTheAmendment) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Amended(4, "T-1", 1, absl::Hours(48))};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  const v1::Lot& lot = t->lots(0);
  EXPECT_EQ(lot.status(), v1::LOT_STATUS_POSTPONED);
  EXPECT_EQ(FromProto(lot.spec().submission_deadline()), kDeadline + absl::Hours(48));
  EXPECT_EQ(FromProto(lot.spec().opening_time()), kOpening + absl::Hours(48));
  ASSERT_EQ(lot.amendments_size(), 1);
  const v1::Amendment& am = lot.amendments(0);
  EXPECT_EQ(FromProto(am.old_deadline()), kDeadline);
  EXPECT_EQ(FromProto(am.old_opening_time()), kOpening);
  EXPECT_EQ(FromProto(am.new_deadline()), kDeadline + absl::Hours(48));
  EXPECT_EQ(FromProto(am.new_opening_time()), kOpening + absl::Hours(48));
  EXPECT_EQ(am.reason(), "site visit added");
  EXPECT_EQ(am.at().seq(), 4u);
  EXPECT_EQ(t->updated().seq(), 4u);
  EXPECT_EQ(t->created().seq(), 0u);
  // The other lot is untouched.
  EXPECT_EQ(t->lots(1).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(t->lots(1).amendments_size(), 0);
}

TEST(FoldTenderTest, EarlierDeadlineIsRecordedButDoesNotPostpone) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1), Amended(1, "T-1", 1, -absl::Hours(24))};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->lots(0).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(FromProto(t->lots(0).spec().submission_deadline()), kDeadline - absl::Hours(24));
  EXPECT_EQ(t->lots(0).amendments_size(), 1);
}

TEST(FoldTenderTest, CancellingOneLotLeavesTheTenderOpen) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Cancelled(1, "T-1", 2, "design changed")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->lots(0).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(t->lots(1).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->lots(1).cancel_reason(), "design changed");
  EXPECT_FALSE(t->cancelled());
  EXPECT_EQ(t->cancel_reason(), "");
}

TEST(FoldTenderTest, CancellingEveryLotCancelsTheTender) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Cancelled(1, "T-1", 1, "first"),
                                   Cancelled(2, "T-1", 2, "second")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->lots(0).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->lots(1).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_TRUE(t->cancelled());
  EXPECT_EQ(t->cancel_reason(), "second");
}

TEST(FoldTenderTest, CancellingLotZeroCancelsEveryLot) {
  std::vector<v1::Event> events = {Created(0, "T-1", 3), Cancelled(1, "T-1", 0, "budget")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->cancelled());
  EXPECT_EQ(t->cancel_reason(), "budget");
  for (const v1::Lot& lot : t->lots()) EXPECT_EQ(lot.status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->updated().seq(), 1u);
}

TEST(FoldTenderTest, EventBeforeCreationIsDataLoss) {
  std::vector<v1::Event> events = {Amended(3, "T-1", 1, absl::Hours(1)), Created(4, "T-1", 1)};
  EXPECT_TRUE(StatusIs(FoldTender(events), absl::StatusCode::kDataLoss,
                       {"event 3 (tender T-1)", "before the tender was created"}));
}

TEST(FoldTenderTest, CreatedTwiceIsDataLoss) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1), Created(6, "T-1", 1)};
  EXPECT_TRUE(StatusIs(FoldTender(events), absl::StatusCode::kDataLoss,
                       {"event 6 (tender T-1)", "created twice"}));
}

TEST(FoldTenderTest, AmendingAMissingLotIsDataLoss) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Amended(1, "T-1", 3, absl::Hours(1))};
  EXPECT_TRUE(StatusIs(FoldTender(events), absl::StatusCode::kDataLoss, {"event 1", "no lot 3"}));
}

TEST(FoldTenderTest, NoEventsIsNotFound) {
  std::vector<v1::Event> events;
  EXPECT_TRUE(StatusIs(FoldTender(events), absl::StatusCode::kNotFound, {"no such tender"}));
}

TEST(FoldTenderTest, EventsOfAnotherTenderAreIgnored) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1), Created(1, "T-2", 2),
                                   Amended(2, "T-1", 1, absl::Hours(24)),
                                   Cancelled(3, "T-2", 0, "not ours")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->id(), "T-1");
  EXPECT_EQ(t->title(), "Tender T-1");
  EXPECT_EQ(t->lots_size(), 1);
  EXPECT_FALSE(t->cancelled());
  EXPECT_EQ(t->lots(0).status(), v1::LOT_STATUS_POSTPONED);
  EXPECT_EQ(t->updated().seq(), 2u);
}

TEST(FoldTenderTest, InstallationWideEventsAreIgnored) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1),
                                   KeyRegistered(1, PartyOf('b', "Acme", v1::ROLE_BIDDER), "key")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->updated().seq(), 0u);
}

TEST(ApplyKeyEventTest, LatestKeyWinsPerFingerprint) {
  const v1::Party alice = PartyOf('a', "Acme", v1::ROLE_BIDDER);
  const v1::Party carol = PartyOf('c', "Notary Office", v1::ROLE_CUSTODIAN);
  std::vector<v1::Event> events = {KeyRegistered(1, alice, "alice-old"),
                                   KeyRegistered(2, carol, "carol-key"), Created(3, "T-1", 1),
                                   KeyRegistered(4, alice, "alice-new")};
  KeyRegistry keys;
  for (const v1::Event& e : events) ApplyKeyEvent(e, &keys);

  ASSERT_EQ(keys.size(), 2u);
  ASSERT_TRUE(keys.contains(alice.fingerprint()));
  const v1::RegisteredKey& a = keys.at(alice.fingerprint());
  EXPECT_EQ(a.x25519_public_key(), "alice-new");
  EXPECT_EQ(a.registered().seq(), 4u);
  EXPECT_EQ(FromProto(a.registered().time()), kT0 + absl::Minutes(4));
  EXPECT_TRUE(ProtoEquals(a.party(), alice));
  ASSERT_TRUE(keys.contains(carol.fingerprint()));
  EXPECT_EQ(keys.at(carol.fingerprint()).x25519_public_key(), "carol-key");
  EXPECT_EQ(keys.at(carol.fingerprint()).registered().seq(), 2u);
}

}  // namespace
}  // namespace bidopen
