// Every refusal of the live hall's rules (core/opening/hall_rules.h), with the
// status a caller would see and a message naming the lot, field, limit or
// times in the tender's zone; and the fold's DATA_LOSS for a log that holds
// such an event anyway.
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "core/opening/hall_rules.h"
#include "core/opening/limits.h"
#include "tests/unit/assertions.h"
#include "tests/unit/fold_hall_fixture.h"

namespace bidopen::opening_test {
namespace {

using ::bidopen::testing::InvalidField;
using ::bidopen::testing::StatusIs;
using Code = absl::StatusCode;

const v1::Party kStranger = PartyOf('s', "Stranger Co", v1::ROLE_BIDDER);

std::string Repeat(absl::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) absl::StrAppend(&out, s);
  return out;
}

// --- Sign-in ---

TEST_F(FoldHallTest, SignInBeforeItOpensIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  const Bidder& b = bidders_[0];
  const absl::Time early = kDeadline + absl::Minutes(10);
  EXPECT_TRUE(StatusIs(CheckSignIn(state_.tender, 1, &BidOf(b), b.nonce, b.party, early).status(),
                       Code::kFailedPrecondition,
                       {"sign-in to lot 1 of tender T-7K2M9Q4XRB opens at "
                        "2026-03-08T08:30:00+08:00 (in 20 min; server time "
                        "2026-03-08T08:10:00+08:00)"}));
  EXPECT_TRUE(StatusIs(Apply(SignIn(b, early)), kLoss,
                       {"event 4 (tender T-7K2M9Q4XRB): sign-in to lot 1 of tender T-7K2M9Q4XRB "
                        "opens at 2026-03-08T08:30:00+08:00"}));
  EXPECT_TRUE(Apply(SignIn(b, kOpening - absl::Minutes(30))).ok());
}

TEST_F(FoldHallTest, SignInAfterTheDecryptionWindowOrItsEndIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  const Bidder& b = bidders_[0];
  EXPECT_TRUE(
      StatusIs(CheckSignIn(state_.tender, 1, &BidOf(b), b.nonce, b.party, kWindowEnd).status(),
               Code::kFailedPrecondition,
               {"sign-in to lot 1 of tender T-7K2M9Q4XRB closed with the decryption window at "
                "2026-03-08T09:31:00+08:00 (0.000 s ago"}));
  const absl::Time end = DecryptOpened();
  EXPECT_TRUE(StatusIs(
      CheckSignIn(state_.tender, 1, &BidOf(b), b.nonce, b.party, end + absl::Seconds(5)).status(),
      Code::kFailedPrecondition,
      {"sign-in to lot 1 of tender T-7K2M9Q4XRB closed when decryption ended at "
       "2026-03-08T09:03:10+08:00 (5.000 s ago"}));
  EXPECT_TRUE(
      StatusIs(Apply(SignIn(b, end + absl::Seconds(5))), kLoss, {"closed when decryption ended"}));
}

TEST_F(FoldHallTest, SignInWithoutALiveBidOfTheLotIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  const Bidder& b = bidders_[0];
  const absl::Time t = kOpening - absl::Minutes(5);
  const std::initializer_list<absl::string_view> why = {
      "you (Stranger Co, ssss",
      "have no live bid in lot 1 of tender T-7K2M9Q4XRB: only its "
      "bidders sign in"};
  EXPECT_TRUE(StatusIs(CheckSignIn(state_.tender, 1, &BidOf(b), b.nonce, kStranger, t).status(),
                       Code::kPermissionDenied, why));
  EXPECT_TRUE(StatusIs(CheckSignIn(state_.tender, 1, nullptr, "", kStranger, t).status(),
                       Code::kPermissionDenied, why));
  EXPECT_TRUE(
      StatusIs(CheckSignIn(state_.tender, 1, &BidOf(b), bidders_[1].nonce, b.party, t).status(),
               Code::kPermissionDenied, {"you (Builder 1, aaaa", "have no live bid in lot 1"}));
  v1::Event e = SignIn(b, t);
  *e.mutable_actor() = kStranger;
  EXPECT_TRUE(StatusIs(Apply(e), kLoss, {"have no live bid in lot 1"}));
}

TEST_F(FoldHallTest, ASecondSignInIsAlreadyDoneAndTheFoldRefusesIt) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  const Bidder& b = bidders_[0];
  const absl::Time t = kOpening - absl::Minutes(5);
  ASSERT_TRUE(Apply(SignIn(b, t)).ok());
  auto again = CheckSignIn(state_.tender, 1, &BidOf(b), b.nonce, b.party, t + absl::Seconds(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(*again);
  EXPECT_TRUE(StatusIs(Apply(SignIn(b, t + absl::Seconds(1))), kLoss,
                       {"a second sign-in of the same bid"}));
  EXPECT_EQ(Lot().hall().signed_in(), 1u);
}

// --- The announcement ---

TEST_F(FoldHallTest, AnAnnouncementBeforeDecryptionEndedWithAnotherHashOrTwiceIsRefused) {
  Begin(v1::OPENING_POLICY_BIDDER, 3);
  Open();
  EXPECT_TRUE(StatusIs(DecideAnnouncement(state_, 1, kStart + absl::Minutes(1)).status(),
                       Code::kFailedPrecondition,
                       {"decryption of lot 1 of tender T-7K2M9Q4XRB has not ended: the results "
                        "are announced after it"}));
  const absl::Time t = DecryptOpened() + absl::Seconds(1);
  v1::Event forged = Announce(t);
  forged.mutable_results_announced()->set_announcement_sha256(std::string(32, 'x'));
  EXPECT_TRUE(
      StatusIs(Apply(forged), kLoss,
               {"its announcement_sha256 is not the hash of the lot's announcement table"}));
  v1::Event longer = Announce(t);
  *longer.mutable_results_announced()->mutable_confirm_until() = ToProto(t + absl::Hours(1));
  EXPECT_TRUE(StatusIs(Apply(longer), kLoss, {"its confirm_until is not the lot's"}));
  v1::Event short_list = Announce(t);
  short_list.mutable_results_announced()->mutable_bids()->RemoveLast();
  EXPECT_TRUE(StatusIs(Apply(short_list), kLoss, {"lists 2 bids but 3 were revealed"}));
  ASSERT_TRUE(Apply(Announce(t)).ok());
  EXPECT_TRUE(StatusIs(DecideAnnouncement(state_, 1, t).status(), Code::kFailedPrecondition,
                       {"the results of lot 1 of tender T-7K2M9Q4XRB were announced at "
                        "2026-03-08T09:03:11+08:00"}));
}

// --- Confirmations and objections ---

TEST_F(FoldHallTest, ConfirmingOrObjectingBeforeTheAnnouncementIsRefused) {
  const absl::Time end = Decrypt(3);
  const Bidder& b = bidders_[0];
  EXPECT_TRUE(StatusIs(CheckConfirm(state_.tender, 1, &BidOf(b), b.party, std::string(32, 'h'),
                                    end + absl::Seconds(1))
                           .status(),
                       Code::kFailedPrecondition,
                       {"the results of lot 1 of tender T-7K2M9Q4XRB have not been announced "
                        "yet"}));
  EXPECT_TRUE(StatusIs(Apply(Object(b, end + absl::Seconds(1), "too early")), kLoss,
                       {"have not been announced yet"}));
}

TEST_F(FoldHallTest, ConfirmAndObjectByOneWithoutARevealedBidAreRefused) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  const std::string hash = Lot().hall().announcement_sha256();
  const std::initializer_list<absl::string_view> why = {
      "you (Stranger Co, ssss",
      "have no bid revealed at the opening of lot 1 of tender T-7K2M9Q4XRB: only its bidders "
      "confirm or object"};
  EXPECT_TRUE(StatusIs(CheckConfirm(state_.tender, 1, &BidOf(b), kStranger, hash, t).status(),
                       Code::kPermissionDenied, why));
  EXPECT_TRUE(StatusIs(CheckConfirm(state_.tender, 1, nullptr, kStranger, hash, t).status(),
                       Code::kPermissionDenied, why));
  EXPECT_TRUE(StatusIs(CheckObjection(state_.tender, 1, &BidOf(b), kStranger, "no", t),
                       Code::kPermissionDenied, why));
  v1::Event confirm = Confirm(b, t);
  *confirm.mutable_actor() = bidders_[1].party;  // another bidder, naming b's bid
  EXPECT_TRUE(StatusIs(Apply(confirm), kLoss, {"you (Builder 2", "have no bid revealed"}));
  v1::Event object = Object(b, t, "no");
  *object.mutable_actor() = kStranger;
  EXPECT_TRUE(StatusIs(Apply(object), kLoss, {"have no bid revealed"}));
}

TEST_F(FoldHallTest, ConfirmAndObjectAfterTheWindowAreRefused) {
  Announced(3);
  const Bidder& b = bidders_[0];
  const absl::Time late = ConfirmUntil() + absl::Seconds(5);
  const std::initializer_list<absl::string_view> why = {
      "the confirmation window of lot 1 of tender T-7K2M9Q4XRB closed at "
      "2026-03-08T09:13:11+08:00 (5.000 s ago; server time 2026-03-08T09:13:16+08:00)"};
  EXPECT_TRUE(StatusIs(
      CheckConfirm(state_.tender, 1, &BidOf(b), b.party, Lot().hall().announcement_sha256(), late)
          .status(),
      Code::kFailedPrecondition, why));
  EXPECT_TRUE(StatusIs(CheckObjection(state_.tender, 1, &BidOf(b), b.party, "late", late),
                       Code::kFailedPrecondition, why));
  EXPECT_TRUE(StatusIs(Apply(Confirm(b, late)), kLoss, why));
  EXPECT_TRUE(StatusIs(Apply(Object(b, ConfirmUntil(), "late")), kLoss,
                       {"the confirmation window of lot 1"}));
}

TEST_F(FoldHallTest, AConfirmationOfAnotherHashIsRefused) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  const std::string other(32, '\x01');
  EXPECT_TRUE(InvalidField(
      CheckConfirm(state_.tender, 1, &BidOf(b), b.party, other, t).status(), "announcement_sha256",
      {"0101010101", "is not the announcement of lot 1 of tender T-7K2M9Q4XRB",
       "announced at 2026-03-08T09:03:11+08:00", "fetch the announcement again"}));
  EXPECT_TRUE(StatusIs(Apply(Confirm(b, t, other)), kLoss, {"is not the announcement of lot 1"}));
}

TEST_F(FoldHallTest, ASecondConfirmationIsAlreadyDoneAndTheFoldRefusesIt) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  ASSERT_TRUE(Apply(Confirm(b, t)).ok());
  auto again = CheckConfirm(state_.tender, 1, &BidOf(b), b.party,
                            Lot().hall().announcement_sha256(), t + absl::Seconds(1));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(*again);
  EXPECT_TRUE(StatusIs(Apply(Confirm(b, t + absl::Seconds(1))), kLoss,
                       {"a second confirmation by the same bidder"}));
  EXPECT_EQ(Lot().hall().confirmed(), 1u);
}

TEST_F(FoldHallTest, AnObjectionEmptyOrLongerThanTheLotsLimitIsRefused) {
  Decrypt(3, {}, [](v1::LotSpec* spec) { spec->set_objection_limit(10); });
  const absl::Time t = FromProto(Lot().opening().ended().time()) + absl::Seconds(1);
  ASSERT_TRUE(Apply(Announce(t)).ok());
  const Bidder& b = bidders_[0];
  const std::string ten = "价格读错了请核对一下";  // 10 characters, 30 bytes
  EXPECT_TRUE(CheckObjection(state_.tender, 1, &BidOf(b), b.party, ten, t).ok());
  EXPECT_TRUE(
      InvalidField(CheckObjection(state_.tender, 1, &BidOf(b), b.party, ten + "吧", t), "text",
                   {"11 characters; lot 1 of tender T-7K2M9Q4XRB takes objections of at most 10"}));
  EXPECT_TRUE(InvalidField(CheckObjection(state_.tender, 1, &BidOf(b), b.party, "", t), "text",
                           {"required"}));
  EXPECT_TRUE(
      StatusIs(Apply(Object(b, t, ten + "吧")), kLoss, {"text: 11 characters", "at most 10"}));
  EXPECT_TRUE(Apply(Object(b, t, ten)).ok());
}

TEST_F(FoldHallTest, ByDefaultAnObjectionHasAtMostTheServersCap) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  EXPECT_TRUE(
      InvalidField(CheckObjection(state_.tender, 1, &BidOf(b), b.party, Repeat("异", 2001), t),
                   "text", {"2001 characters", "at most 2000"}));
  EXPECT_TRUE(CheckObjection(state_.tender, 1, &BidOf(b), b.party, Repeat("异", 2000), t).ok());
}

TEST_F(FoldHallTest, AnObjectionAfterConfirmingIsRefused) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  ASSERT_TRUE(Apply(Confirm(b, t)).ok());
  EXPECT_TRUE(StatusIs(CheckObjection(state_.tender, 1, &BidOf(b), b.party, "after all", t),
                       Code::kFailedPrecondition,
                       {"you confirmed the announcement of lot 1 of tender T-7K2M9Q4XRB at "
                        "2026-03-08T09:04:11+08:00; a confirmation ends your objections"}));
  EXPECT_TRUE(StatusIs(Apply(Object(b, t, "after all")), kLoss, {"a confirmation ends"}));
}

TEST_F(FoldHallTest, ABiddersObjectionsAreCapped) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const Bidder& b = bidders_[0];
  for (int i = 0; i < limits::kMaxObjectionsPerBidder; ++i)
    ASSERT_TRUE(Apply(Object(b, t, absl::StrCat("objection ", i + 1))).ok());
  EXPECT_TRUE(StatusIs(CheckObjection(state_.tender, 1, &BidOf(b), b.party, "one more", t),
                       Code::kResourceExhausted,
                       {"you raised 10 objections in lot 1 of tender T-7K2M9Q4XRB, the most one "
                        "bidder may (10)"}));
  EXPECT_TRUE(StatusIs(Apply(Object(b, t, "one more")), kLoss, {"you raised 10 objections"}));
}

// --- Answers ---

TEST_F(FoldHallTest, AnAnswerToAnUnknownOrAnsweredObjectionOrByAnotherIsRefused) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  const v1::Event objection = Object(bidders_[1], t, "the price read is not ours");
  ASSERT_TRUE(Apply(objection).ok());
  const uint64_t seq = objection.seq();
  EXPECT_TRUE(StatusIs(CheckAnswer(state_.tender, 1, kAgency, seq + 100, "ok"), Code::kNotFound,
                       {"objection: lot 1 of tender T-7K2M9Q4XRB has no objection ",
                        absl::StrCat(seq + 100), "(it has 1)"}));
  EXPECT_TRUE(StatusIs(CheckAnswer(state_.tender, 1, bidders_[0].party, seq, "ok"),
                       Code::kPermissionDenied,
                       {"only the agency that created tender T-7K2M9Q4XRB (City Works Bureau) "
                        "may answer objections to it"}));
  EXPECT_TRUE(InvalidField(CheckAnswer(state_.tender, 1, kAgency, seq, ""), "text", {"required"}));
  EXPECT_TRUE(StatusIs(Apply(Answer(seq + 100, t, "ok")), kLoss, {"has no objection"}));
  EXPECT_TRUE(StatusIs(Apply(Answer(seq, t, "ok", bidders_[0].party)), kLoss,
                       {"only the agency that created tender"}));
  ASSERT_TRUE(Apply(Answer(seq, t + absl::Seconds(30), "it is: the commitment opens")).ok());
  EXPECT_TRUE(StatusIs(CheckAnswer(state_.tender, 1, kAgency, seq, "again"),
                       Code::kFailedPrecondition,
                       {"objection ",
                        " of lot 1 of tender T-7K2M9Q4XRB was answered at "
                        "2026-03-08T09:04:41+08:00 by City Works Bureau"}));
  EXPECT_TRUE(
      StatusIs(Apply(Answer(seq, t + absl::Minutes(1), "again")), kLoss, {"was answered at"}));
}

// --- The close ---

TEST_F(FoldHallTest, CloseBeforeTheWindowEndsByAnotherOrTwiceIsRefused) {
  const absl::Time t = Announced(3) + absl::Minutes(1);
  EXPECT_TRUE(StatusIs(CheckClose(state_.tender, 1, kAgency, t), Code::kFailedPrecondition,
                       {"the confirmation window of lot 1 of tender T-7K2M9Q4XRB is open until "
                        "2026-03-08T09:13:11+08:00 (in 9 min; server time "
                        "2026-03-08T09:04:11+08:00): the opening closes after it"}));
  EXPECT_TRUE(StatusIs(CheckClose(state_.tender, 1, bidders_[0].party, ConfirmUntil()),
                       Code::kPermissionDenied, {"may close the opening of it"}));
  EXPECT_TRUE(StatusIs(Apply(Close(t)), kLoss, {"is open until"}));
  EXPECT_TRUE(
      StatusIs(Apply(Close(ConfirmUntil(), bidders_[0].party)), kLoss, {"only the agency"}));
  ASSERT_TRUE(Apply(Close(ConfirmUntil())).ok());
  EXPECT_TRUE(StatusIs(CheckClose(state_.tender, 1, kAgency, ConfirmUntil() + absl::Minutes(1)),
                       Code::kFailedPrecondition,
                       {"the opening of lot 1 of tender T-7K2M9Q4XRB was closed at "
                        "2026-03-08T09:13:11+08:00 by City Works Bureau"}));
  EXPECT_TRUE(StatusIs(Apply(Close(ConfirmUntil() + absl::Minutes(1))), kLoss, {"was closed at"}));
  EXPECT_TRUE(StatusIs(Apply(Confirm(bidders_[0], ConfirmUntil() + absl::Minutes(1))), kLoss,
                       {"was closed at"}));
}

TEST_F(FoldHallTest, CloseWithAnUnansweredObjectionIsRefusedNamingIt) {
  const absl::Time t = Announced(3) + absl::Minutes(2);
  const v1::Event objection = Object(bidders_[1], t, "the price read is not ours");
  ASSERT_TRUE(Apply(objection).ok());
  const std::string named = absl::StrCat("objection ", objection.seq(), " by Builder 2, bbbb");
  const std::initializer_list<absl::string_view> why = {
      named,
      "raised at 2026-03-08T09:05:11+08:00, is unanswered (1 of 1 objections of lot 1 of tender "
      "T-7K2M9Q4XRB): answer it before closing"};
  EXPECT_TRUE(StatusIs(CheckClose(state_.tender, 1, kAgency, ConfirmUntil()),
                       Code::kFailedPrecondition, why));
  EXPECT_TRUE(StatusIs(Apply(Close(ConfirmUntil())), kLoss, {"is unanswered"}));
  ASSERT_TRUE(Apply(Answer(objection.seq(), ConfirmUntil(), "answered")).ok());
  EXPECT_TRUE(Apply(Close(ConfirmUntil() + absl::Seconds(1))).ok());
  ExpectReplayGivesTheState();
}

}  // namespace
}  // namespace bidopen::opening_test
