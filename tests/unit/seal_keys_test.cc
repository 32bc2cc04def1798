// The keys of a v2 sealed bid: wrapping bound to the whole header, every
// policy's release paths, and the verdict on releases — the free option of a
// dishonest bidder, pasted custodian records, a custodian that releases a
// wrong key — each attributed to whoever is at fault.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/key_plan.h"
#include "core/seal/key_wrap.h"
#include "core/seal/release_check.h"
#include "core/seal/seal_bid.h"
#include "tests/unit/assertions.h"
#include "tests/unit/seal_keys_fixture.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::StatusIs;

TEST_F(SealKeysTest, TheWrapBindsTheWholeContextWithLabelledLengthPrefixedFields) {
  const Sealed s = Seal(v1::OPENING_POLICY_ANY);
  const WrapContext ctx = WrapContextOf(s.header);
  const std::string ad = WrapAd(ctx, s.header.recipients(2));
  std::string want;
  for (absl::string_view f : {absl::string_view("bidopen/v2/wrap"), absl::string_view(ctx.ctx_hash),
                              absl::string_view(ctx.unwrapped_hash)})
    AppendLp(&want, f);
  AppendLp(&want, U32Bytes(2));  // CUSTODIAN_SHARE
  AppendLp(&want, U32Bytes(2));  // share 2
  AppendLp(&want, Fingerprint(1));
  AppendLp(&want, custodians_[1].public_key);
  EXPECT_EQ(ad, want);
  // Every field of the header but the wrapped secrets is in the unwrapped hash.
  v1::SealedHeader h = s.header;
  h.mutable_recipients(0)->set_wrapped(std::string(48, 'x'));
  EXPECT_EQ(UnwrappedHeaderHash(h), ctx.unwrapped_hash);
  h.set_values_commitment(std::string(32, 'x'));
  EXPECT_NE(UnwrappedHeaderHash(h), ctx.unwrapped_hash);
}

TEST_F(SealKeysTest, BidderPolicyOpensWithTheBiddersSecretOnly) {
  const Sealed s = Seal(v1::OPENING_POLICY_BIDDER);
  ASSERT_EQ(s.header.recipients_size(), 1);
  EXPECT_EQ(BidderSecret(s.header), s.secret);
  Releases r;
  r.bidder_secret = crypto::Secret(s.secret);
  const Judgement j = Judge(s.header, r);
  EXPECT_EQ(j.verdict, Verdict::kOk) << j.message;
  EXPECT_EQ(j.secret.bytes(), s.secret);
  const Judgement none = Judge(s.header, {});
  EXPECT_EQ(none.verdict, Verdict::kBidderFault);
  EXPECT_TRUE(absl::StrContains(none.message, "the bidder has not released it")) << none.message;
  r.bidder_secret = crypto::Secret(std::string(32, 'x'));
  const Judgement wrong = Judge(s.header, r);
  EXPECT_EQ(wrong.verdict, Verdict::kBidderFault);
  EXPECT_TRUE(absl::StrContains(wrong.message, "does not match secret_commitment"))
      << wrong.message;
  EXPECT_TRUE(StatusIs(UnwrapBidderSecret(s.header, NewPair().private_key),
                       absl::StatusCode::kDataLoss, {"recipient fp-bidder", "does not open"}));
}

TEST_F(SealKeysTest, QuorumTwoOfThreeOpensWithEveryPairAndAllThree) {
  const Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  for (auto pair : std::vector<std::vector<size_t>>{{0, 1}, {0, 2}, {1, 2}, {0, 1, 2}}) {
    const Judgement j = Judge(s.header, Custodians(pair));
    EXPECT_EQ(j.verdict, Verdict::kOk) << j.message;
    EXPECT_EQ(j.secret.bytes(), s.secret);
  }
}

TEST_F(SealKeysTest, AQuorumThatFallsShortIsNotTheBiddersFaultAndNamesWhoIsMissing) {
  const Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  const Judgement j = Judge(s.header, Custodians({1}));
  EXPECT_EQ(j.verdict, Verdict::kCustodianFault);
  EXPECT_TRUE(absl::StrContains(j.message, "needs 2 of 3 custodian shares; 1 usable")) << j.message;
  EXPECT_TRUE(absl::StrContains(j.message, "custodian 1 (fp-custodian-1) has not released its key"))
      << j.message;
  EXPECT_EQ(j.not_released, (std::vector<uint32_t>{1, 3}));
}

TEST_F(SealKeysTest, ACustodianReleasingAnotherKeyIsThatCustodiansFault) {
  const Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  Releases r = Custodians({0});
  r.custodians.push_back(Release(1, NewPair().private_key));
  const Judgement j = Judge(s.header, r);
  EXPECT_EQ(j.verdict, Verdict::kCustodianFault);
  EXPECT_TRUE(absl::StrContains(
      j.message, "custodian 2 (fp-custodian-2) released a key that is not its published key"))
      << j.message;
  EXPECT_EQ(j.wrong_key, std::vector<uint32_t>{2});
  r.custodians.push_back(Release(2));  // the others still make a quorum
  const Judgement opened = Judge(s.header, r);
  EXPECT_EQ(opened.verdict, Verdict::kOk) << opened.message;
  EXPECT_EQ(opened.wrong_key, std::vector<uint32_t>{2});  // still named
  EXPECT_TRUE(absl::StrContains(opened.message, "custodian 2 (fp-custodian-2) released a key"))
      << opened.message;
  r.custodians.push_back(Release(1));  // its right key, later: it counts
  EXPECT_TRUE(Judge(s.header, r).wrong_key.empty());
}

TEST_F(SealKeysTest, AnyOpensThroughEitherPathToTheSameSecret) {
  const Sealed s = Seal(v1::OPENING_POLICY_ANY);
  Releases bidder;
  bidder.bidder_secret = crypto::Secret(BidderSecret(s.header));
  const Judgement a = Judge(s.header, bidder);
  const Judgement b = Judge(s.header, Custodians({0, 2}));
  ASSERT_EQ(a.verdict, Verdict::kOk) << a.message;
  ASSERT_EQ(b.verdict, Verdict::kOk) << b.message;
  EXPECT_EQ(a.secret.bytes(), b.secret.bytes());
  EXPECT_EQ(a.secret.bytes(), s.secret);
}

TEST_F(SealKeysTest, BothNeedsTheBiddersPartAndTheQuorumsPart) {
  const Sealed s = Seal(v1::OPENING_POLICY_BOTH);
  Releases r = Custodians({0, 1, 2});
  const Judgement no_bidder = Judge(s.header, r);
  EXPECT_EQ(no_bidder.verdict, Verdict::kBidderFault);
  r.bidder_secret = crypto::Secret(BidderSecret(s.header));
  EXPECT_NE(r.bidder_secret->bytes(), s.secret);  // s_b, not s
  const Judgement j = Judge(s.header, r);
  ASSERT_EQ(j.verdict, Verdict::kOk) << j.message;
  EXPECT_EQ(j.secret.bytes(), s.secret);
  Releases short_quorum = Custodians({0});
  short_quorum.bidder_secret = r.bidder_secret;
  EXPECT_EQ(Judge(s.header, short_quorum).verdict, Verdict::kCustodianFault);
}

// The free option (issue 8): under ANY a bidder seals its own path right and
// gives the custodians shares of another secret, to decide after the deadline
// whether its bid opens. Once the lot's custodian keys are out, the bid is
// invalid through the bidder's fault even though the bidder's path works.
TEST_F(SealKeysTest, SharesOfAnotherSecretAreTheBiddersFaultEvenIfItsOwnPathWorks) {
  Sealed s = Seal(v1::OPENING_POLICY_ANY);
  auto good = DrawSecrets(s.header, OsRandom());
  auto other = DrawSecrets(s.header, OsRandom());
  ASSERT_TRUE(good.ok() && other.ok());
  good->shares = other->shares;  // committed, wrapped right, but of another secret
  Reseal(*good, &s.header);
  Releases r = Custodians({0, 1, 2});
  r.bidder_secret = good->secret;
  ASSERT_TRUE(CheckBidderSecret(s.header, r.bidder_secret->view()).ok());  // its own path opens
  const Judgement j = Judge(s.header, r);
  EXPECT_EQ(j.verdict, Verdict::kBidderFault);
  EXPECT_TRUE(absl::StrContains(j.message, "the bidder's fault"));
  EXPECT_TRUE(
      absl::StrContains(j.message, "rebuild a secret that does not match secret_commitment"))
      << j.message;
  // And if the bidder "loses its key", the quorum does not get the blame.
  r.bidder_secret.reset();
  EXPECT_EQ(Judge(s.header, r).verdict, Verdict::kBidderFault);
}

TEST_F(SealKeysTest, SharesWrappedToKeysThatAreNotTheLotsAreTheBiddersFault) {
  Sealed s = Seal(v1::OPENING_POLICY_QUORUM);
  std::vector<std::string> keys = LotKeys();
  keys[1] = NewPair().public_key;  // the lot published another key for custodian 2
  auto j = JudgeReleases(s.header, keys, Custodians({0, 1, 2}));
  ASSERT_TRUE(j.ok()) << j.status();
  EXPECT_EQ(j->verdict, Verdict::kBidderFault);
  EXPECT_TRUE(absl::StrContains(j->message, "share 2 is wrapped to the key")) << j->message;
  v1::Lot lot = Lot(v1::OPENING_POLICY_QUORUM);
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition,
                       {"the key of custodian 2 (fp-custodian-2)"}));
  EXPECT_TRUE(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", LotKeys()).ok());
}

// Pasted records (issue 8): bidder A's custodian records copied into bidder
// B's header in the same lot pass every structural check, but open nothing:
// each wrap is bound to its own bid's id, context and header.
TEST_F(SealKeysTest, CustodianRecordsPastedFromAnotherBidDoNotOpen) {
  const Sealed a = Seal(v1::OPENING_POLICY_ANY);
  Sealed b = Seal(v1::OPENING_POLICY_ANY);
  for (int i = 1; i <= 3; ++i) *b.header.mutable_recipients(i) = a.header.recipients(i);
  ASSERT_TRUE(ValidateHeader(b.header).ok());
  ASSERT_TRUE(
      CheckHeaderForLot(b.header, "T-1", Lot(v1::OPENING_POLICY_ANY), "fp-bidder", LotKeys()).ok());
  EXPECT_TRUE(StatusIs(UnwrapShare(b.header, 1, custodians_[0].private_key),
                       absl::StatusCode::kDataLoss, {"share 1", "does not open"}));
  const Judgement j = Judge(b.header, Custodians({0, 1, 2}));
  EXPECT_EQ(j.verdict, Verdict::kBidderFault) << j.message;
  EXPECT_EQ(j.bad_shares, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_TRUE(absl::StrContains(j.message, "the bidder's bad shares 1, 2, 3 made the difference"))
      << j.message;
  EXPECT_NE(j.secret.bytes(), a.secret);
}

// `bid check`: the sealer proves, before it submits, that every path opens.
TEST_F(SealKeysTest, TheSealerCanCheckEveryPathWithWhatItKept) {
  for (v1::OpeningPolicy policy : {v1::OPENING_POLICY_BIDDER, v1::OPENING_POLICY_QUORUM,
                                   v1::OPENING_POLICY_ANY, v1::OPENING_POLICY_BOTH}) {
    const Sealed s = Seal(policy);
    EXPECT_TRUE(CheckAsSealer(s.header, s.secret, s.ephemeral_keys).ok()) << PolicyName(policy);
    EXPECT_TRUE(StatusIs(CheckAsSealer(s.header, std::string(32, 'x'), s.ephemeral_keys),
                         absl::StatusCode::kDataLoss, {"does not match secret_commitment"}));
  }
  Sealed s = Seal(v1::OPENING_POLICY_ANY);
  auto secrets = DrawSecrets(s.header, OsRandom());
  ASSERT_TRUE(secrets.ok());
  secrets->shares[2].y[0] ^= 1;
  std::vector<crypto::Secret> kept;
  ASSERT_TRUE(SealKeys(*secrets, "", OsRandom(), &s.header, &kept).ok());
  std::vector<std::string> keys;
  for (const crypto::Secret& k : kept) keys.push_back(k.bytes());
  EXPECT_TRUE(StatusIs(CheckAsSealer(s.header, secrets->secret.bytes(), keys),
                       absl::StatusCode::kDataLoss, {"share 3 does not lie on the polynomial"}));
  s.header.mutable_recipients(1)->mutable_wrapped()->at(5) ^= 1;
  EXPECT_TRUE(StatusIs(CheckAsSealer(s.header, secrets->secret.bytes(), keys),
                       absl::StatusCode::kDataLoss, {"fp-custodian-1", "does not open"}));
}

TEST_F(SealKeysTest, EachBidGetsAFreshIdAndSecret) {
  const Sealed a = Seal(v1::OPENING_POLICY_BIDDER), b = Seal(v1::OPENING_POLICY_BIDDER);
  EXPECT_NE(a.secret, b.secret);
  EXPECT_NE(a.header.bid_id(), b.header.bid_id());
}

TEST_F(SealKeysTest, ACustodianWithoutAKeyIsNamed) {
  v1::LotSpec spec;
  spec.add_custodians("fp-custodian-1");
  spec.add_custodians("fp-unregistered");
  SealRecipientKeys keys{"fp-bidder", bidder_.public_key, {{"fp-custodian-1", "k"}}};
  EXPECT_TRUE(StatusIs(CustodiansInLotOrder(spec, keys), absl::StatusCode::kFailedPrecondition,
                       {"custodian fp-unregistered of this lot has no registered X25519 key"}));
}

TEST_F(SealKeysTest, HeaderValidationRefusesWhatThePolicyDoesNotUse) {
  const Sealed s = Seal(v1::OPENING_POLICY_ANY);
  v1::SealedHeader h = s.header;
  h.set_policy(v1::OPENING_POLICY_QUORUM);
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"recipients[0].kind", "CUSTODIAN_SHARE"}));
  h = s.header;
  h.set_threshold(4);
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"threshold: 4 is outside 1..3"}));
  h = s.header;
  h.mutable_recipients(2)->set_share_x(3);
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"recipients[2].share_x: 3; must be 2"}));
  h = s.header;
  h.mutable_recipients(3)->set_fingerprint(Fingerprint(0));
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"recipients[3].fingerprint", "already holds share 1"}));
  h = s.header;
  h.mutable_recipients(1)->clear_share_commitment();
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"recipients[1].share_commitment: 0 bytes; must be 32"}));
  h = s.header;
  h.set_suite("SM2-SM3-SM4");
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"suite \"SM2-SM3-SM4\"", "BO1-X25519-HKDF-SHA256-AES256GCM"}));
}

TEST_F(SealKeysTest, HeaderIsCheckedAgainstTheLotItIsSubmittedTo) {
  const Sealed s = Seal(v1::OPENING_POLICY_ANY);
  v1::Lot lot = Lot(v1::OPENING_POLICY_UNSPECIFIED);
  const std::vector<std::string> keys = LotKeys();
  EXPECT_TRUE(
      CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys).ok());  // UNSPECIFIED = ANY
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-2", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition, {"the tender is T-1"}));
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-someone", keys),
                       absl::StatusCode::kFailedPrecondition, {"the bidder"}));
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BOTH);
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition,
                       {"the opening policy is ANY in the header but BOTH for this lot"}));
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_ANY);
  lot.mutable_spec()->set_custodians(1, "fp-other");
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition, {"custodian 2"}));
  lot.mutable_spec()->set_custodians(1, Fingerprint(1));
  v1::FormField* f = lot.mutable_spec()->add_form();
  f->set_name("price");
  f->set_type(v1::FIELD_TYPE_DECIMAL);
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder", keys),
                       absl::StatusCode::kFailedPrecondition,
                       {"values_size (the opening form's section) is 4 in the header but 58"}));
}

}  // namespace
}  // namespace bidopen::seal
