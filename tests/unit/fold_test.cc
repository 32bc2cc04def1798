// FoldTender / FoldInto: the state a sequence of log events produces, and
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
#include "tests/unit/fold_events.h"

namespace bidopen {
namespace {

using ::bidopen::testing::ProtoEquals;
using ::bidopen::testing::StatusIs;

TEST(FoldTenderTest, CreatedTenderHasNumberedScheduledLots) {
  std::vector<v1::Event> events = {Created(5, "T-1", 3)};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->tender.id(), "T-1");
  EXPECT_EQ(t->tender.title(), "Tender T-1");
  EXPECT_EQ(t->tender.reference(), "REF-7");
  EXPECT_EQ(t->tender.time_zone(), "Asia/Shanghai");
  EXPECT_TRUE(ProtoEquals(t->tender.agency(), kAgency));
  EXPECT_FALSE(t->tender.cancelled());
  ASSERT_EQ(t->tender.lots_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t->tender.lots(i).number(), i + 1);
    EXPECT_EQ(t->tender.lots(i).status(), v1::LOT_STATUS_SCHEDULED);
    EXPECT_TRUE(ProtoEquals(t->tender.lots(i).spec(), events[0].tender_created().lots(i)));
  }
  EXPECT_EQ(t->tender.created().seq(), 5u);
  EXPECT_EQ(FromProto(t->tender.created().time()), kT0 + absl::Minutes(5));
  EXPECT_TRUE(ProtoEquals(t->tender.updated(), t->tender.created()));
}

TEST(FoldTenderTest, LaterDeadlinePostponesTheLotAndRecordsTheAmendment) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Amended(4, "T-1", 1, absl::Hours(48))};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  const fold::Lot& lot = t->tender.lots(0);
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
  EXPECT_EQ(t->tender.updated().seq(), 4u);
  EXPECT_EQ(t->tender.created().seq(), 0u);
  // The other lot is untouched.
  EXPECT_EQ(t->tender.lots(1).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(t->tender.lots(1).amendments_size(), 0);
}

TEST(FoldTenderTest, EarlierDeadlineIsRecordedButDoesNotPostpone) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1), Amended(1, "T-1", 1, -absl::Hours(24))};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->tender.lots(0).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(FromProto(t->tender.lots(0).spec().submission_deadline()), kDeadline - absl::Hours(24));
  EXPECT_EQ(t->tender.lots(0).amendments_size(), 1);
}

TEST(FoldTenderTest, CancellingOneLotLeavesTheTenderOpen) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Cancelled(1, "T-1", 2, "design changed")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->tender.lots(0).status(), v1::LOT_STATUS_SCHEDULED);
  EXPECT_EQ(t->tender.lots(1).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->tender.lots(1).cancel_reason(), "design changed");
  EXPECT_FALSE(t->tender.cancelled());
  EXPECT_EQ(t->tender.cancel_reason(), "");
}

TEST(FoldTenderTest, CancellingEveryLotCancelsTheTender) {
  std::vector<v1::Event> events = {Created(0, "T-1", 2), Cancelled(1, "T-1", 1, "first"),
                                   Cancelled(2, "T-1", 2, "second")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->tender.lots(0).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->tender.lots(1).status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_TRUE(t->tender.cancelled());
  EXPECT_EQ(t->tender.cancel_reason(), "second");
}

TEST(FoldTenderTest, CancellingLotZeroCancelsEveryLot) {
  std::vector<v1::Event> events = {Created(0, "T-1", 3), Cancelled(1, "T-1", 0, "budget")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->tender.cancelled());
  EXPECT_EQ(t->tender.cancel_reason(), "budget");
  for (const fold::Lot& lot : t->tender.lots()) EXPECT_EQ(lot.status(), v1::LOT_STATUS_CANCELLED);
  EXPECT_EQ(t->tender.updated().seq(), 1u);
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
  EXPECT_EQ(t->tender.id(), "T-1");
  EXPECT_EQ(t->tender.title(), "Tender T-1");
  EXPECT_EQ(t->tender.lots_size(), 1);
  EXPECT_FALSE(t->tender.cancelled());
  EXPECT_EQ(t->tender.lots(0).status(), v1::LOT_STATUS_POSTPONED);
  EXPECT_EQ(t->tender.updated().seq(), 2u);
}

TEST(FoldTenderTest, InstallationWideEventsAreIgnored) {
  std::vector<v1::Event> events = {Created(0, "T-1", 1),
                                   KeyRegistered(1, PartyOf('b', "Acme", v1::ROLE_BIDDER), "key")};
  auto t = FoldTender(events);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->tender.updated().seq(), 0u);
}

TEST(FoldKeysTest, LatestKeyWinsPerFingerprint) {
  const v1::Party alice = PartyOf('a', "Acme", v1::ROLE_BIDDER);
  const v1::Party carol = PartyOf('c', "Notary Office", v1::ROLE_CUSTODIAN);
  std::vector<v1::Event> events = {KeyRegistered(1, alice, "alice-old"),
                                   KeyRegistered(2, carol, "carol-key"), Created(3, "T-1", 1),
                                   KeyRegistered(4, alice, "alice-new")};
  LogState all;
  ASSERT_TRUE(FoldInto(events, &all).ok());
  const KeyRegistry& keys = all.keys;

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

v1::Event LotKeys(uint64_t seq, const v1::Party& custodian, std::vector<std::string> keys) {
  v1::Event e = KeyRegistered(seq, custodian, "");
  e.clear_key_registered();
  for (auto& k : keys) e.mutable_lot_keys_registered()->add_public_keys(k);
  return e;
}

// A tender whose one lot names `custodians`, giving them `keys` in order.
v1::Event CreatedWithLotKeys(uint64_t seq, std::vector<std::string> custodians,
                             std::vector<std::string> keys) {
  v1::Event e = Created(seq, "T-1", 1);
  v1::LotSpec* lot = e.mutable_tender_created()->mutable_lots(0);
  lot->set_policy(v1::OPENING_POLICY_QUORUM);
  lot->set_threshold(2);
  for (auto& c : custodians) lot->add_custodians(c);
  for (auto& k : keys) lot->add_custodian_keys(k);
  return e;
}

TEST(FoldKeysTest, ATendersCreationUsesEachCustodiansNextLotKey) {
  const v1::Party a = PartyOf('a', "Notary A", v1::ROLE_CUSTODIAN);
  const v1::Party b = PartyOf('b', "Notary B", v1::ROLE_CUSTODIAN);
  std::vector<v1::Event> events = {
      KeyRegistered(0, a, "a-key"), LotKeys(1, a, {"a0", "a1"}), LotKeys(2, b, {"b0"}),
      KeyRegistered(3, b, "b-key"),
      CreatedWithLotKeys(4, {a.fingerprint(), b.fingerprint()}, {"a0", "b0"})};
  LogState all;
  ASSERT_TRUE(FoldInto(events, &all).ok());
  EXPECT_EQ(all.keys.at(a.fingerprint()).lot_keys_size(), 2);
  EXPECT_EQ(all.keys.at(a.fingerprint()).lot_keys_used(), 1u);
  EXPECT_EQ(all.keys.at(b.fingerprint()).lot_keys_used(), 1u);
  EXPECT_EQ(all.keys.at(b.fingerprint()).x25519_public_key(), "b-key");  // pool kept
  EXPECT_EQ(all.keys.at(b.fingerprint()).lot_keys(0), "b0");
}

// Unsigned per-lot keys (from before signatures): tender creation skips them
// once signed ones exist, and a log where a tender took one still folds (an
// event means what it meant when it was written). The i-th signature stays
// the i-th key's.
TEST(FoldKeysTest, TendersSkipUnsignedLotKeysAndOlderTendersThatUsedOneStillFold) {
  const v1::Party a = PartyOf('a', "Notary A", v1::ROLE_CUSTODIAN);
  const v1::Party b = PartyOf('b', "Notary B", v1::ROLE_CUSTODIAN);
  auto signed_keys = [](uint64_t seq, const v1::Party& p, std::vector<std::string> keys) {
    v1::Event e = LotKeys(seq, p, keys);
    for (auto& k : keys) e.mutable_lot_keys_registered()->add_signatures("sig-" + k);
    e.mutable_lot_keys_registered()->set_certificate_pem("cert");
    return e;
  };
  const std::vector<v1::Event> keys = {LotKeys(0, a, {"a0", "a1"}), signed_keys(1, a, {"a2", "a3"}),
                                       signed_keys(2, b, {"b0"})};
  std::vector<v1::Event> skipped = keys;
  skipped.push_back(CreatedWithLotKeys(3, {a.fingerprint(), b.fingerprint()}, {"a2", "b0"}));
  LogState all;
  ASSERT_TRUE(FoldInto(skipped, &all).ok());
  const v1::RegisteredKey& k = all.keys.at(a.fingerprint());
  ASSERT_EQ(k.lot_keys_size(), 4);
  EXPECT_EQ(k.lot_keys_used(), 3u);
  ASSERT_EQ(k.lot_key_signatures_size(), 4);
  EXPECT_EQ(k.lot_key_signatures(0), "");
  EXPECT_EQ(k.lot_key_signatures(3), "sig-a3");
  std::vector<v1::Event> older = keys;  // a build that still handed out a0
  older.push_back(CreatedWithLotKeys(3, {a.fingerprint(), b.fingerprint()}, {"a0", "b0"}));
  LogState old_state;
  ASSERT_TRUE(FoldInto(older, &old_state).ok());
  EXPECT_EQ(old_state.keys.at(a.fingerprint()).lot_keys_used(), 1u);
  std::vector<v1::Event> signed_skipped = keys;  // a signed key is never skipped
  signed_skipped.push_back(CreatedWithLotKeys(3, {a.fingerprint(), b.fingerprint()}, {"a3", "b0"}));
  LogState bad;
  EXPECT_TRUE(StatusIs(FoldInto(signed_skipped, &bad), absl::StatusCode::kDataLoss,
                       {"is not custodian", "next unused"}));
  std::vector<v1::Event> short_sigs = keys;
  v1::Event one = LotKeys(3, a, {"a4", "a5"});
  one.mutable_lot_keys_registered()->add_signatures("only-one");
  short_sigs.push_back(one);
  LogState again;
  EXPECT_TRUE(StatusIs(FoldInto(short_sigs, &again), absl::StatusCode::kDataLoss,
                       {"1 signatures for 2 per-lot keys"}));
}

TEST(FoldKeysTest, AReusedOrForeignLotKeyIsDataLossInAWholeLogReplay) {
  const v1::Party a = PartyOf('a', "Notary A", v1::ROLE_CUSTODIAN);
  const v1::Party b = PartyOf('b', "Notary B", v1::ROLE_CUSTODIAN);
  const std::string fa = a.fingerprint(), fb = b.fingerprint();
  std::vector<v1::Event> base = {LotKeys(0, a, {"a0"}), LotKeys(1, b, {"b0"})};
  auto with = [&](v1::Event e) {
    std::vector<v1::Event> events = base;
    events.push_back(std::move(e));
    LogState all;
    return FoldInto(events, &all);
  };
  EXPECT_TRUE(StatusIs(with(CreatedWithLotKeys(2, {fa, fb}, {"b0", "a0"})),
                       absl::StatusCode::kDataLoss,
                       {"event 2", "is not custodian", "next unused"}));
  EXPECT_TRUE(StatusIs(with(CreatedWithLotKeys(2, {fa, fb}, {"a0"})), absl::StatusCode::kDataLoss,
                       {"1 custodian keys for 2 custodians"}));
  std::vector<v1::Event> twice = base;
  twice.push_back(CreatedWithLotKeys(2, {fa, fb}, {"a0", "b0"}));
  v1::Event second = CreatedWithLotKeys(3, {fa, fb}, {"a0", "b0"});
  second.set_tender_id("T-2");
  twice.push_back(second);
  LogState all;
  EXPECT_TRUE(StatusIs(FoldInto(twice, &all), absl::StatusCode::kDataLoss, {"event 3"}));
  // A bidder cannot register per-lot keys.
  std::vector<v1::Event> bidder = {LotKeys(0, PartyOf('c', "Acme", v1::ROLE_BIDDER), {"c0"})};
  LogState none;
  EXPECT_TRUE(StatusIs(FoldInto(bidder, &none), absl::StatusCode::kDataLoss, {"no custodian"}));
  // One tender's replay has no key registry: the creation alone folds.
  EXPECT_TRUE(
      FoldTender(std::vector<v1::Event>{CreatedWithLotKeys(2, {fa, fb}, {"a0", "b0"})}).ok());
}

}  // namespace
}  // namespace bidopen
