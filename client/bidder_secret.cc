#include "client/bidder_secret.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/key_store.h"
#include "client/seal_record.h"
#include "core/crypto/sha256.h"
#include "core/opening/lot_rules.h"
#include "core/seal/key_wrap.h"
#include "core/seal/release_check.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

// The secret if it matches the header's commitment.
absl::StatusOr<crypto::Secret> Checked(const v1::SealedHeader& h,
                                       absl::StatusOr<crypto::Secret> got) {
  if (!got.ok()) return got.status();
  BO_RETURN_IF_ERROR(seal::CheckBidderSecret(h, got->view()));
  return got;
}

absl::StatusOr<crypto::Secret> WithOwnKey(const v1::SealedHeader& h, const std::string& fp) {
  BO_ASSIGN_OR_RETURN(crypto::X25519KeyPair key, LoadKey(fp));
  return Checked(h, seal::UnwrapBidderSecret(h, key.private_key));
}

absl::StatusOr<crypto::Secret> AsSealer(const v1::SealedHeader& h) {
  BO_ASSIGN_OR_RETURN(KeptBidKeys kept, LoadKeptBidKeys(h.bid_id()));
  for (int i = 0; i < h.recipients_size(); ++i) {
    if (h.recipients(i).kind() != v1::RECIPIENT_KIND_BIDDER_KEY) continue;
    if (static_cast<size_t>(i) >= kept.ephemeral_keys.size())
      return absl::DataLossError(absl::StrCat("the kept keys of bid ", crypto::Hex(h.bid_id()),
                                              " have no ephemeral key for record ", i));
    return Checked(
        h, seal::UnwrapAsSealer(seal::WrapContextOf(h), h.recipients(i), kept.ephemeral_keys[i]));
  }
  return absl::FailedPreconditionError("the bid has no record for the bidder's key");
}

std::string Fate(const v1::SealedHeader& h) {
  if (h.policy() == v1::OPENING_POLICY_ANY || h.policy() == v1::OPENING_POLICY_UNSPECIFIED)
    return absl::StrCat("Under policy ANY the bid can still open through the custodians' shares (",
                        h.threshold(), " of them needed) if they release their keys.");
  return absl::StrCat("Under policy ", PolicyName(h.policy()),
                      " the bid opens only with your release: if nothing is released before the "
                      "decryption window ends it does not open through your fault, and is "
                      "treated as revoked (视为撤销). Run this on the machine (or with the "
                      "configuration folder, BIDOPEN_CONFIG_DIR) that holds your key or sealed "
                      "the bid.");
}

}  // namespace

absl::StatusOr<BidderSecret> FindBidderSecret(const v1::SealedHeader& h, const std::string& fp) {
  std::vector<std::string> tried;
  auto own = WithOwnKey(h, fp);
  if (own.ok()) return BidderSecret{*std::move(own), absl::StrCat("your X25519 key ", KeyPath(fp))};
  tried.push_back(absl::StrCat("your X25519 key (", KeyPath(fp), "): ", own.status().message()));
  auto sealer = AsSealer(h);
  if (sealer.ok())
    return BidderSecret{
        *std::move(sealer),
        absl::StrCat("the ephemeral key `bid seal` kept for bid ", crypto::Hex(h.bid_id()))};
  tried.push_back(absl::StrCat("the keys kept at sealing: ", sealer.status().message()));
  return absl::FailedPreconditionError(
      absl::StrCat("this machine cannot unwrap the secret of bid ", crypto::Hex(h.bid_id()),
                   " (tried ", absl::StrJoin(tried, "; "), "); nothing was sent. ", Fate(h)));
}

}  // namespace bidopen::client
