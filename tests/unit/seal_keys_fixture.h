// A lot of three custodians (k = 2 unless a test says otherwise), bids sealed
// to their per-lot keys, and the releases the verdict tests feed to
// JudgeReleases (seal_keys_test.cc, release_verdict_test.cc).
#ifndef BIDOPEN_TESTS_UNIT_SEAL_KEYS_FIXTURE_H_
#define BIDOPEN_TESTS_UNIT_SEAL_KEYS_FIXTURE_H_

#include <gtest/gtest.h>

#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/seal/key_plan.h"
#include "core/seal/release_check.h"
#include "core/seal/seal_bid.h"

namespace bidopen::seal {

inline crypto::X25519KeyPair NewPair() {
  auto pair = crypto::GenerateX25519();
  EXPECT_TRUE(pair.ok()) << pair.status();
  return *pair;
}

inline std::string Fingerprint(size_t i) { return absl::StrCat("fp-custodian-", i + 1); }

struct Sealed {
  v1::SealedHeader header;
  std::string secret;
  std::vector<std::string> ephemeral_keys;  // kept by the sealer
};

class SealKeysTest : public ::testing::Test {
 protected:
  SealKeysTest() : bidder_(NewPair()) {
    for (int i = 0; i < 3; ++i) custodians_.push_back(NewPair());
  }

  v1::Lot Lot(v1::OpeningPolicy policy, int threshold = 2) const {
    v1::Lot lot;
    lot.set_number(1);
    lot.mutable_spec()->set_policy(policy);
    if (policy != v1::OPENING_POLICY_BIDDER) {
      lot.mutable_spec()->set_threshold(threshold);
      for (size_t i = 0; i < custodians_.size(); ++i)
        lot.mutable_spec()->add_custodians(Fingerprint(i));
    }
    return lot;
  }

  // A bid without documents or form, sealed with SealBid.
  Sealed Seal(v1::OpeningPolicy policy, int threshold = 2) {
    SealParams p;
    p.tender_id = "T-1";
    p.lot = Lot(policy, threshold);
    p.keys = {"fp-bidder", bidder_.public_key, {}};
    for (size_t i = 0; i < custodians_.size(); ++i)
      p.keys.custodians.emplace_back(Fingerprint(i), custodians_[i].public_key);
    std::ostringstream out;
    auto r = SealBid(p, out);
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> keys;
    for (const crypto::Secret& k : r->ephemeral_keys) keys.push_back(k.bytes());
    return {r->header, r->secret.bytes(), keys};
  }

  std::vector<std::string> LotKeys() const {
    std::vector<std::string> keys;
    for (const auto& c : custodians_) keys.push_back(c.public_key);
    return keys;
  }

  // Custodian i (0-based) releases `key` (default: its per-lot private key).
  CustodianKeyRelease Release(size_t i, std::string key = "") const {
    if (key.empty()) key = custodians_[i].private_key;
    return {static_cast<uint32_t>(i + 1), Fingerprint(i), crypto::Secret(std::move(key))};
  }

  // Custodians `which` (0-based) release their per-lot private keys.
  Releases Custodians(std::vector<size_t> which) const {
    Releases r;
    for (size_t i : which) r.custodians.push_back(Release(i));
    return r;
  }

  // JudgeReleases with the lot's keys; a failed test if it returns an error.
  Judgement Judge(const v1::SealedHeader& h, const Releases& r) const {
    auto j = JudgeReleases(h, LotKeys(), r);
    EXPECT_TRUE(j.ok()) << j.status();
    if (j.ok()) return *std::move(j);
    Judgement error;
    error.message = std::string(j.status().message());
    return error;
  }

  std::string BidderSecret(const v1::SealedHeader& h) const {
    auto s = UnwrapBidderSecret(h, bidder_.private_key);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? s->bytes() : "";
  }

  // What a dishonest bidder's client does: completes the header from secrets
  // of its choosing (SealKeys redraws ephemerals, commitments and wraps).
  static void Reseal(const BidSecrets& secrets, v1::SealedHeader* h) {
    ASSERT_TRUE(SealKeys(secrets, "", OsRandom(), h).ok());
  }

  // Share x's record wrapped as garbage; its commitment is still of the right
  // share (a bad record nobody can see until its custodian releases).
  static void SpoilWrap(uint32_t x, v1::SealedHeader* h) {
    for (v1::Recipient& r : *h->mutable_recipients())
      if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE && r.share_x() == x)
        r.mutable_wrapped()->at(0) ^= 1;
  }

  crypto::X25519KeyPair bidder_;
  std::vector<crypto::X25519KeyPair> custodians_;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_TESTS_UNIT_SEAL_KEYS_FIXTURE_H_
