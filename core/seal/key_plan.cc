#include "core/seal/key_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/crypto/shamir.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

bool UsesBidderKey(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_QUORUM; }
bool UsesShares(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_BIDDER; }

// The secrets for the bidder and for the quorum: K and K (ANY), or K_b and
// K XOR K_b (BOTH).
absl::StatusOr<std::pair<std::string, std::string>> SplitForPolicy(v1::OpeningPolicy policy,
                                                                   const std::string& data_key,
                                                                   const RandomFn& random) {
  if (policy != v1::OPENING_POLICY_BOTH) return std::make_pair(data_key, data_key);
  BO_ASSIGN_OR_RETURN(std::string bidder_part, DrawRandom(random, kDataKeySize));
  std::string quorum_part = Xor(data_key, bidder_part);
  return std::make_pair(std::move(bidder_part), std::move(quorum_part));
}

absl::Status WrapShares(const WrapContext& ctx, const SealRecipientKeys& keys,
                        const std::vector<crypto::Share>& shares, const RandomFn& random,
                        KeyPlan* plan) {
  for (size_t i = 0; i < shares.size(); ++i) {
    const auto& [fingerprint, pub] = keys.custodians[i];
    BO_ASSIGN_OR_RETURN(v1::Recipient r,
                        WrapSecret(ctx, v1::RECIPIENT_KIND_CUSTODIAN_SHARE, shares[i].x,
                                   fingerprint, pub, shares[i].y, random));
    plan->recipients.push_back(std::move(r));
  }
  return absl::OkStatus();
}

}  // namespace

std::string Xor(absl::string_view a, absl::string_view b) {
  std::string out(a);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(out[i] ^ b[i]);
  return out;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> CustodiansInLotOrder(
    const v1::LotSpec& spec, const SealRecipientKeys& keys) {
  std::vector<std::pair<std::string, std::string>> ordered;
  for (const std::string& fingerprint : spec.custodians()) {
    auto it = std::find_if(keys.custodians.begin(), keys.custodians.end(),
                           [&](const auto& c) { return c.first == fingerprint; });
    if (it == keys.custodians.end())
      return absl::FailedPreconditionError(absl::StrCat(
          "custodian ", fingerprint, " of this lot has no registered X25519 key to seal to"));
    ordered.push_back(*it);
  }
  return ordered;
}

absl::StatusOr<KeyPlan> MakeKeyPlan(v1::OpeningPolicy policy, int threshold, const WrapContext& ctx,
                                    const SealRecipientKeys& keys, const RandomFn& random) {
  KeyPlan plan;
  BO_ASSIGN_OR_RETURN(plan.data_key, DrawRandom(random, kDataKeySize));
  BO_ASSIGN_OR_RETURN(auto secrets, SplitForPolicy(policy, plan.data_key, random));
  std::vector<crypto::Share> shares;
  if (UsesShares(policy)) {
    const int n = static_cast<int>(keys.custodians.size());
    BO_ASSIGN_OR_RETURN(shares, crypto::ShamirSplit(secrets.second, threshold, n, random));
  }
  if (UsesBidderKey(policy)) {
    BO_ASSIGN_OR_RETURN(v1::Recipient r,
                        WrapSecret(ctx, v1::RECIPIENT_KIND_BIDDER_KEY, 0, keys.bidder_fingerprint,
                                   keys.bidder_public, secrets.first, random));
    plan.recipients.push_back(std::move(r));
  }
  BO_RETURN_IF_ERROR(WrapShares(ctx, keys, shares, random, &plan));
  return plan;
}

}  // namespace bidopen::seal
