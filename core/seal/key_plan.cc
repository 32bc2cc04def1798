#include "core/seal/key_plan.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/crypto/x25519.h"
#include "core/seal/context.h"
#include "core/seal/key_wrap.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

int ShareCount(const v1::SealedHeader& h) {
  return static_cast<int>(std::count_if(
      h.recipients().begin(), h.recipients().end(),
      [](const v1::Recipient& r) { return r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE; }));
}

v1::Recipient& AddRecipient(v1::RecipientKind kind, uint32_t x, const std::string& fingerprint,
                            const std::string& public_key, v1::SealedHeader* h) {
  v1::Recipient& r = *h->add_recipients();
  r.set_kind(kind);
  r.set_share_x(x);
  r.set_fingerprint(fingerprint);
  r.set_public_key(public_key);
  return r;
}

// One ephemeral private key per recipient, its public half in the header.
absl::StatusOr<std::vector<crypto::Secret>> DrawEphemerals(RandomSource& random,
                                                           v1::SealedHeader* h) {
  std::vector<crypto::Secret> out;
  for (v1::Recipient& r : *h->mutable_recipients()) {
    BO_ASSIGN_OR_RETURN(std::string priv, DrawRandom(random, crypto::kX25519KeySize));
    out.emplace_back(std::move(priv));
    BO_ASSIGN_OR_RETURN(*r.mutable_ephemeral_public(),
                        crypto::X25519PublicFromPrivate(out.back().view()));
  }
  return out;
}

absl::Status Commit(const BidSecrets& s, absl::string_view values_encoding, v1::SealedHeader* h) {
  const std::string ctx = ContextHash(*h);
  h->set_secret_commitment(SecretCommitment(kSecretLabel, ctx, s.secret.view()));
  if (h->policy() == v1::OPENING_POLICY_BOTH) {
    h->set_bidder_part_commitment(SecretCommitment(kBidderPartLabel, ctx, s.bidder_part.view()));
    h->set_quorum_part_commitment(SecretCommitment(kQuorumPartLabel, ctx, s.quorum_part.view()));
  }
  size_t next = 0;
  for (v1::Recipient& r : *h->mutable_recipients())
    if (r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE)
      r.set_share_commitment(ShareCommitment(ctx, r.share_x(), s.shares[next++].y));
  BO_ASSIGN_OR_RETURN(crypto::Secret values_key, DeriveKey(s.secret.view(), kValuesKeyLabel, ctx));
  h->set_values_commitment(ValuesCommitment(ctx, values_key.view(), values_encoding));
  return absl::OkStatus();
}

}  // namespace

BidSecrets::~BidSecrets() {
  for (crypto::Share& share : shares) OPENSSL_cleanse(share.y.data(), share.y.size());
}

bool UsesBidderKey(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_QUORUM; }
bool UsesShares(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_BIDDER; }

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

void AddRecipients(const SealRecipientKeys& keys, v1::SealedHeader* h) {
  if (UsesBidderKey(h->policy()))
    AddRecipient(v1::RECIPIENT_KIND_BIDDER_KEY, 0, keys.bidder_fingerprint, keys.bidder_public, h);
  if (!UsesShares(h->policy())) return;
  uint32_t x = 0;
  for (const auto& [fingerprint, pub] : keys.custodians)
    AddRecipient(v1::RECIPIENT_KIND_CUSTODIAN_SHARE, ++x, fingerprint, pub, h);
}

absl::StatusOr<BidSecrets> DrawSecrets(const v1::SealedHeader& h, RandomSource& random) {
  BidSecrets s;
  BO_ASSIGN_OR_RETURN(std::string secret, DrawRandom(random, kSecretSize));
  s.secret = crypto::Secret(secret);
  s.bidder_part = s.secret;
  s.quorum_part = s.secret;
  if (h.policy() == v1::OPENING_POLICY_BOTH) {
    BO_ASSIGN_OR_RETURN(std::string part, DrawRandom(random, kSecretSize));
    s.quorum_part = crypto::Secret(Xor(secret, part));
    s.bidder_part = crypto::Secret(std::move(part));
  }
  OPENSSL_cleanse(secret.data(), secret.size());
  if (!UsesShares(h.policy())) return s;
  BO_ASSIGN_OR_RETURN(s.shares,
                      crypto::ShamirSplit(s.quorum_part.view(), h.threshold(), ShareCount(h),
                                          [&](size_t n) { return random.Bytes(n); }));
  return s;
}

absl::Status SealKeys(const BidSecrets& s, absl::string_view values_encoding, RandomSource& random,
                      v1::SealedHeader* h, std::vector<crypto::Secret>* ephemerals_out) {
  BO_ASSIGN_OR_RETURN(std::vector<crypto::Secret> ephemerals, DrawEphemerals(random, h));
  BO_RETURN_IF_ERROR(Commit(s, values_encoding, h));
  const WrapContext ctx = WrapContextOf(*h);
  size_t next_share = 0;
  for (int i = 0; i < h->recipients_size(); ++i) {
    v1::Recipient* r = h->mutable_recipients(i);
    const bool bidder = r->kind() == v1::RECIPIENT_KIND_BIDDER_KEY;
    const absl::string_view secret =
        bidder ? s.bidder_part.view() : absl::string_view(s.shares[next_share++].y);
    BO_RETURN_IF_ERROR(WrapSecret(ctx, ephemerals[i].view(), secret, r));
  }
  if (ephemerals_out != nullptr) *ephemerals_out = std::move(ephemerals);
  return absl::OkStatus();
}

}  // namespace bidopen::seal
