// Key wrapping to X25519 recipients, the key plan for each opening policy and
// rebuilding the data key from what was released.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/crypto/shamir.h"
#include "core/crypto/x25519.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/key_plan.h"
#include "core/seal/key_release.h"
#include "core/seal/key_wrap.h"
#include "tests/unit/assertions.h"

namespace bidopen::seal {
namespace {

using ::bidopen::testing::StatusIs;

crypto::X25519KeyPair NewPair() {
  auto pair = crypto::GenerateX25519();
  EXPECT_TRUE(pair.ok()) << pair.status();
  return *pair;
}

const RandomFn kRandom = [](size_t n) { return crypto::RandomBytes(n); };

TEST(SealWrapTest, AssociatedDataBindsTenderLotAndRecipient) {
  EXPECT_EQ(WrapAd(WrapContext{"T-9", 12}, "ab01"),
            std::string("bidopen/seal/v1/wrap\0T-9\00012\0ab01", 32));
}

TEST(SealWrapTest, RoundTripWithTheRecipientsKey) {
  const crypto::X25519KeyPair pair = NewPair();
  const WrapContext ctx{"T-1", 1};
  const std::string secret(32, '\x5a');
  auto r =
      WrapSecret(ctx, v1::RECIPIENT_KIND_BIDDER_KEY, 0, "fp", pair.public_key, secret, kRandom);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->ephemeral_public().size(), 32u);
  EXPECT_EQ(r->wrapped().size(), 48u);
  EXPECT_EQ(r->fingerprint(), "fp");
  auto back = UnwrapSecret(ctx, *r, pair.private_key);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, secret);
}

TEST(SealWrapTest, WrongKeyOrOtherBidIsDataLossNamingTheRecipient) {
  const crypto::X25519KeyPair pair = NewPair();
  const WrapContext ctx{"T-1", 1};
  auto r = WrapSecret(ctx, v1::RECIPIENT_KIND_BIDDER_KEY, 0, "fp-bidder", pair.public_key,
                      std::string(32, 'k'), kRandom);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(StatusIs(UnwrapSecret(ctx, *r, NewPair().private_key), absl::StatusCode::kDataLoss,
                       {"recipient fp-bidder", "does not open its wrapped key"}));
  EXPECT_TRUE(StatusIs(UnwrapSecret(WrapContext{"T-1", 2}, *r, pair.private_key),
                       absl::StatusCode::kDataLoss, {"fp-bidder"}));
  v1::Recipient renamed = *r;
  renamed.set_fingerprint("fp-other");
  EXPECT_TRUE(StatusIs(UnwrapSecret(ctx, renamed, pair.private_key), absl::StatusCode::kDataLoss,
                       {"fp-other"}));
}

TEST(SealWrapTest, PublicKeyOfWrongSizeIsRefused) {
  EXPECT_TRUE(StatusIs(WrapSecret(WrapContext{"T", 1}, v1::RECIPIENT_KIND_BIDDER_KEY, 0, "fp",
                                  std::string(31, 'p'), std::string(32, 's'), kRandom),
                       absl::StatusCode::kInvalidArgument, {"fp", "31 bytes; must be 32"}));
}

// A bid's keys for one policy: the header (with its recipients) and K.
struct Sealed {
  v1::SealedHeader header;
  std::string data_key;
};

class SealKeyPlanTest : public ::testing::Test {
 protected:
  SealKeyPlanTest() : bidder_(NewPair()) {
    for (int i = 0; i < 3; ++i) custodians_.push_back(NewPair());
  }

  Sealed Plan(v1::OpeningPolicy policy, int threshold) {
    SealRecipientKeys keys{"fp-bidder", bidder_.public_key, {}};
    if (policy != v1::OPENING_POLICY_BIDDER)
      for (size_t i = 0; i < custodians_.size(); ++i)
        keys.custodians.emplace_back(Fingerprint(i), custodians_[i].public_key);
    auto plan = MakeKeyPlan(policy, threshold, WrapContext{"T-1", 1}, keys, kRandom);
    EXPECT_TRUE(plan.ok()) << plan.status();
    Sealed s{Header(policy, policy == v1::OPENING_POLICY_BIDDER ? 0 : threshold), plan->data_key};
    for (const v1::Recipient& r : plan->recipients) *s.header.add_recipients() = r;
    EXPECT_TRUE(ValidateHeader(s.header).ok()) << ValidateHeader(s.header);
    return s;
  }

  static v1::SealedHeader Header(v1::OpeningPolicy policy, int threshold) {
    v1::SealedHeader h;
    h.set_suite(std::string(kSuiteX25519Aes));
    h.set_tender_id("T-1");
    h.set_lot(1);
    h.set_bidder("fp-bidder");
    h.set_chunk_size(kDefaultChunkSize);
    h.set_nonce_prefix(std::string(7, 'n'));
    h.set_manifest_sha256(std::string(32, 'm'));
    h.set_policy(policy);
    h.set_threshold(threshold);
    return h;
  }

  static std::string Fingerprint(size_t i) { return absl::StrCat("fp-custodian-", i + 1); }

  crypto::Share ShareOf(const v1::SealedHeader& h, size_t i) {
    auto share = UnwrapCustodianShare(h, Fingerprint(i), custodians_[i].private_key);
    EXPECT_TRUE(share.ok()) << share.status();
    return *share;
  }

  std::string BidderSecret(const v1::SealedHeader& h) {
    auto secret = UnwrapBidderSecret(h, bidder_.private_key);
    EXPECT_TRUE(secret.ok()) << secret.status();
    return *secret;
  }

  crypto::X25519KeyPair bidder_;
  std::vector<crypto::X25519KeyPair> custodians_;
};

TEST_F(SealKeyPlanTest, BidderPolicyWrapsTheDataKeyToTheBidderOnly) {
  const Sealed s = Plan(v1::OPENING_POLICY_BIDDER, 0);
  ASSERT_EQ(s.header.recipients_size(), 1);
  EXPECT_EQ(s.header.recipients(0).kind(), v1::RECIPIENT_KIND_BIDDER_KEY);
  EXPECT_EQ(s.data_key.size(), 32u);
  EXPECT_EQ(*DataKeyFrom(s.header, {BidderSecret(s.header), {}}), s.data_key);
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {}), absl::StatusCode::kFailedPrecondition,
                       {"policy BIDDER needs the bidder's key"}));
  EXPECT_TRUE(StatusIs(UnwrapCustodianShare(s.header, Fingerprint(0), custodians_[0].private_key),
                       absl::StatusCode::kNotFound, {"no share for custodian fp-custodian-1"}));
}

TEST_F(SealKeyPlanTest, QuorumTwoOfThreeOpensWithEveryPairOfShares) {
  const Sealed s = Plan(v1::OPENING_POLICY_QUORUM, 2);
  ASSERT_EQ(s.header.recipients_size(), 3);
  EXPECT_TRUE(StatusIs(UnwrapBidderSecret(s.header, bidder_.private_key),
                       absl::StatusCode::kFailedPrecondition, {"not wrapped to the bidder"}));
  for (size_t a = 0; a < 3; ++a)
    for (size_t b = a + 1; b < 3; ++b) {
      auto key =
          DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, a), ShareOf(s.header, b)}});
      ASSERT_TRUE(key.ok()) << key.status();
      EXPECT_EQ(*key, s.data_key) << "shares " << a + 1 << " and " << b + 1;
    }
}

TEST_F(SealKeyPlanTest, QuorumWithFewerThanKSharesSaysHowManyAreMissing) {
  const Sealed s = Plan(v1::OPENING_POLICY_QUORUM, 2);
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, 1)}}),
                       absl::StatusCode::kFailedPrecondition,
                       {"policy QUORUM needs 2 of 3 custodian shares; 1 released"}));
  // A single share is not the key, even combined on its own.
  auto alone = crypto::ShamirCombine({ShareOf(s.header, 0)});
  ASSERT_TRUE(alone.ok());
  EXPECT_NE(*alone, s.data_key);
}

TEST_F(SealKeyPlanTest, SharesThatAreNotThisBidsAreRefused) {
  const Sealed s = Plan(v1::OPENING_POLICY_QUORUM, 2);
  crypto::Share stray{4, std::string(32, 'y')};
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, 0), stray}}),
                       absl::StatusCode::kInvalidArgument,
                       {"share x = 4 is not one of this bid's shares 1..3"}));
  EXPECT_TRUE(
      StatusIs(DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, 0), ShareOf(s.header, 0)}}),
               absl::StatusCode::kInvalidArgument, {"share x = 1 given twice"}));
}

TEST_F(SealKeyPlanTest, AnyOpensWithTheBiddersKeyOrWithTheQuorum) {
  const Sealed s = Plan(v1::OPENING_POLICY_ANY, 2);
  ASSERT_EQ(s.header.recipients_size(), 4);
  EXPECT_EQ(*DataKeyFrom(s.header, {BidderSecret(s.header), {}}), s.data_key);
  EXPECT_EQ(*DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, 2), ShareOf(s.header, 0)}}),
            s.data_key);
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {std::nullopt, {ShareOf(s.header, 2)}}),
                       absl::StatusCode::kFailedPrecondition, {"needs 2 of 3"}));
}

TEST_F(SealKeyPlanTest, BothNeedsTheBiddersPartAndTheQuorumsPart) {
  const Sealed s = Plan(v1::OPENING_POLICY_BOTH, 2);
  const std::string bidder_part = BidderSecret(s.header);
  EXPECT_NE(bidder_part, s.data_key);
  const std::vector<crypto::Share> shares = {ShareOf(s.header, 0), ShareOf(s.header, 1)};
  EXPECT_NE(*crypto::ShamirCombine(shares), s.data_key);
  EXPECT_EQ(*DataKeyFrom(s.header, {bidder_part, shares}), s.data_key);
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {bidder_part, {}}),
                       absl::StatusCode::kFailedPrecondition, {"needs 2 of 3 custodian shares"}));
  EXPECT_TRUE(StatusIs(DataKeyFrom(s.header, {std::nullopt, shares}),
                       absl::StatusCode::kFailedPrecondition,
                       {"policy BOTH needs the bidder's key"}));
}

TEST_F(SealKeyPlanTest, EachBidGetsAFreshDataKey) {
  EXPECT_NE(Plan(v1::OPENING_POLICY_BIDDER, 0).data_key,
            Plan(v1::OPENING_POLICY_BIDDER, 0).data_key);
}

TEST_F(SealKeyPlanTest, ACustodianWithoutAKeyIsNamed) {
  v1::LotSpec spec;
  spec.add_custodians("fp-custodian-1");
  spec.add_custodians("fp-unregistered");
  SealRecipientKeys keys{"fp-bidder", bidder_.public_key, {{"fp-custodian-1", "k"}}};
  EXPECT_TRUE(StatusIs(CustodiansInLotOrder(spec, keys), absl::StatusCode::kFailedPrecondition,
                       {"custodian fp-unregistered of this lot has no registered X25519 key"}));
}

TEST_F(SealKeyPlanTest, CustodiansFollowTheLotsOrder) {
  v1::LotSpec spec;
  spec.add_custodians("b");
  spec.add_custodians("a");
  SealRecipientKeys keys{"fp", "", {{"a", "key-a"}, {"b", "key-b"}}};
  auto ordered = CustodiansInLotOrder(spec, keys);
  ASSERT_TRUE(ordered.ok());
  ASSERT_EQ(ordered->size(), 2u);
  EXPECT_EQ((*ordered)[0].second, "key-b");
  EXPECT_EQ((*ordered)[1].second, "key-a");
}

TEST_F(SealKeyPlanTest, HeaderValidationRefusesRecipientsThePolicyDoesNotUse) {
  Sealed s = Plan(v1::OPENING_POLICY_ANY, 2);
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
  h.set_suite("SM2-SM3-SM4");
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"suite \"SM2-SM3-SM4\"", "BO1-X25519-HKDF-SHA256-AES256GCM"}));
  h = s.header;
  h.set_chunk_size(512);
  EXPECT_TRUE(StatusIs(ValidateHeader(h), absl::StatusCode::kInvalidArgument,
                       {"chunk_size: 512 is outside 1024..16777216"}));
}

TEST_F(SealKeyPlanTest, HeaderIsCheckedAgainstTheLotItIsSubmittedTo) {
  const Sealed s = Plan(v1::OPENING_POLICY_ANY, 2);
  v1::Lot lot;
  lot.set_number(1);
  lot.mutable_spec()->set_threshold(2);
  for (size_t i = 0; i < 3; ++i) lot.mutable_spec()->add_custodians(Fingerprint(i));
  EXPECT_TRUE(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder").ok());  // UNSPECIFIED = ANY
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-2", lot, "fp-bidder"),
                       absl::StatusCode::kFailedPrecondition, {"the tender is T-1"}));
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-someone"),
                       absl::StatusCode::kFailedPrecondition, {"the bidder"}));
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_BOTH);
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder"),
                       absl::StatusCode::kFailedPrecondition,
                       {"the opening policy is ANY in the header but BOTH for this lot"}));
  lot.mutable_spec()->set_policy(v1::OPENING_POLICY_ANY);
  lot.mutable_spec()->set_custodians(1, "fp-other");
  EXPECT_TRUE(StatusIs(CheckHeaderForLot(s.header, "T-1", lot, "fp-bidder"),
                       absl::StatusCode::kFailedPrecondition, {"custodian 2"}));
}

}  // namespace
}  // namespace bidopen::seal
