#include "core/seal/header.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/values_section.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("sealed header: ", field, ": ", message));
}

absl::Status CheckSize(absl::string_view field, absl::string_view bytes, size_t want) {
  if (bytes.size() == want) return absl::OkStatus();
  return Bad(field, absl::StrCat(bytes.size(), " bytes; must be ", want));
}

absl::Status CheckRecipient(const v1::SealedHeader& h, int i) {
  const v1::Recipient& r = h.recipients(i);
  const std::string at = absl::StrCat("recipients[", i, "]");
  if (r.fingerprint().empty()) return Bad(at + ".fingerprint", "empty");
  if (r.kind() != v1::RECIPIENT_KIND_BIDDER_KEY && r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE)
    return Bad(at + ".kind", absl::StrCat(static_cast<int>(r.kind()), " is not a recipient kind"));
  BO_RETURN_IF_ERROR(CheckSize(at + ".public_key", r.public_key(), crypto::kX25519KeySize));
  BO_RETURN_IF_ERROR(
      CheckSize(at + ".ephemeral_public", r.ephemeral_public(), crypto::kX25519KeySize));
  const bool share = r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE;
  BO_RETURN_IF_ERROR(
      CheckSize(at + ".share_commitment", r.share_commitment(), share ? kHashSize : 0));
  return CheckSize(at + ".wrapped", r.wrapped(), kSecretSize + crypto::kGcmTagSize);
}

absl::Status CheckBidderRecipient(const v1::SealedHeader& h) {
  if (h.recipients_size() == 0 || h.recipients(0).kind() != v1::RECIPIENT_KIND_BIDDER_KEY)
    return Bad("recipients[0]", absl::StrCat("policy ", PolicyName(h.policy()),
                                             " needs the bidder's key as the first recipient"));
  const v1::Recipient& r = h.recipients(0);
  if (r.fingerprint() != h.bidder())
    return Bad("recipients[0].fingerprint",
               absl::StrCat("\"", r.fingerprint(), "\" is not the bidder \"", h.bidder(), "\""));
  if (r.share_x() != 0) return Bad("recipients[0].share_x", "must be 0 for the bidder's key");
  return absl::OkStatus();
}

absl::Status CheckShares(const v1::SealedHeader& h, int first) {
  const int n = h.recipients_size() - first;
  if (!UsesShares(h.policy())) {
    if (n != 0 || h.threshold() != 0)
      return Bad("recipients", "policy BIDDER has no custodian shares and no threshold");
    return absl::OkStatus();
  }
  if (n < 1 || n > 255)
    return Bad("recipients", absl::StrCat(n, " custodian shares; policy ", PolicyName(h.policy()),
                                          " needs 1..255"));
  for (int i = 0; i < n; ++i) {
    const v1::Recipient& r = h.recipients(first + i);
    const std::string at = absl::StrCat("recipients[", first + i, "]");
    if (r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE)
      return Bad(
          at + ".kind",
          absl::StrCat("must be CUSTODIAN_SHARE: policy ", PolicyName(h.policy()),
                       UsesBidderKey(h.policy()) ? " has one bidder's key, first, then shares"
                                                 : " has custodian shares only"));
    if (r.share_x() != static_cast<uint32_t>(i + 1))
      return Bad(at + ".share_x", absl::StrCat(r.share_x(), "; must be ", i + 1));
    for (int j = 0; j < i; ++j)
      if (h.recipients(first + j).fingerprint() == r.fingerprint())
        return Bad(at + ".fingerprint",
                   absl::StrCat("custodian ", r.fingerprint(), " already holds share ", j + 1));
  }
  if (h.threshold() < 1 || h.threshold() > n)
    return Bad("threshold", absl::StrCat(h.threshold(), " is outside 1..", n));
  return absl::OkStatus();
}

absl::Status CheckRecipients(const v1::SealedHeader& h) {
  for (int i = 0; i < h.recipients_size(); ++i) BO_RETURN_IF_ERROR(CheckRecipient(h, i));
  int first = 0;
  if (UsesBidderKey(h.policy())) {
    BO_RETURN_IF_ERROR(CheckBidderRecipient(h));
    first = 1;
  }
  return CheckShares(h, first);
}

absl::Status CheckSizes(const v1::SealedHeader& h) {
  if (h.chunk_size() < kMinChunkSize || h.chunk_size() > kMaxChunkSize)
    return Bad("chunk_size",
               absl::StrCat(h.chunk_size(), " is outside ", kMinChunkSize, "..", kMaxChunkSize));
  if (h.values_size() < 4 || h.values_size() > kMaxValuesSize)
    return Bad("values_size", absl::StrCat(h.values_size(), " is outside 4..", kMaxValuesSize));
  if (h.plaintext_size() < uint64_t{h.values_size()} + 4)
    return Bad("plaintext_size", absl::StrCat(h.plaintext_size(), " is less than values_size + 4"));
  if (h.plaintext_size() / h.chunk_size() >= (uint64_t{1} << 32))
    return Bad("plaintext_size",
               absl::StrCat(h.plaintext_size(), " needs more than 2^32 chunks of ", h.chunk_size(),
                            " bytes"));
  return absl::OkStatus();
}

absl::Status CheckScalars(const v1::SealedHeader& h) {
  BO_RETURN_IF_ERROR(CheckSize("bid_id", h.bid_id(), kBidIdSize));
  if (h.tender_id().empty()) return Bad("tender_id", "empty");
  if (h.lot() < 1) return Bad("lot", absl::StrCat(h.lot(), " is not a lot number"));
  if (h.bidder().empty()) return Bad("bidder", "empty");
  if (PolicyName(h.policy()).empty())
    return Bad("policy",
               absl::StrCat(static_cast<int>(h.policy()), " is not BIDDER, QUORUM, ANY or BOTH"));
  return CheckSizes(h);
}

absl::Status CheckCommitments(const v1::SealedHeader& h) {
  const size_t parts = h.policy() == v1::OPENING_POLICY_BOTH ? kHashSize : 0;
  BO_RETURN_IF_ERROR(CheckSize("secret_commitment", h.secret_commitment(), kHashSize));
  BO_RETURN_IF_ERROR(CheckSize("bidder_part_commitment", h.bidder_part_commitment(), parts));
  BO_RETURN_IF_ERROR(CheckSize("quorum_part_commitment", h.quorum_part_commitment(), parts));
  return CheckSize("values_commitment", h.values_commitment(), kHashSize);
}

bool HasUnknownFields(const v1::SealedHeader& h) {
  if (!h.GetReflection()->GetUnknownFields(h).empty()) return true;
  for (const v1::Recipient& r : h.recipients())
    if (!r.GetReflection()->GetUnknownFields(r).empty()) return true;
  return false;
}

absl::Status Differs(absl::string_view what, absl::string_view sealed, absl::string_view lot) {
  return absl::FailedPreconditionError(absl::StrCat("sealed bid: ", what, " is ", sealed,
                                                    " in the header but ", lot, " for this lot"));
}

// A lot with custodian shares must publish one key per custodian: without
// them its shares could be wrapped to keys nobody holds.
absl::Status CheckLotHasKeys(const v1::Lot& lot, v1::OpeningPolicy policy,
                             const std::vector<std::string>& keys) {
  if (!UsesShares(policy) || keys.size() == static_cast<size_t>(lot.spec().custodians_size()))
    return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "lot ", lot.number(), " (policy ", PolicyName(policy), ") has ", keys.size(),
      keys.size() == 1 ? " per-lot custodian key for " : " per-lot custodian keys for ",
      lot.spec().custodians_size(),
      " custodians: its bids cannot be checked against the keys their shares must be wrapped "
      "to, so none is accepted"));
}

// REQUIRES: CheckLotHasKeys(spec's lot, keys) is OK.
absl::Status CheckCustodiansForLot(const v1::SealedHeader& h, const v1::LotSpec& spec,
                                   const std::vector<std::string>& keys) {
  const int first = UsesBidderKey(h.policy()) ? 1 : 0;
  const int shares = h.recipients_size() - first;
  if (shares != spec.custodians_size())
    return Differs("the number of custodians", absl::StrCat(shares),
                   absl::StrCat(spec.custodians_size()));
  for (int i = 0; i < shares; ++i) {
    const v1::Recipient& r = h.recipients(first + i);
    if (r.fingerprint() != spec.custodians(i))
      return Differs(absl::StrCat("custodian ", i + 1), r.fingerprint(), spec.custodians(i));
    if (r.public_key() != keys[i])
      return Differs(absl::StrCat("the key of custodian ", i + 1, " (", r.fingerprint(), ")"),
                     crypto::Hex(r.public_key()), crypto::Hex(keys[i]));
  }
  return absl::OkStatus();
}

}  // namespace

std::string EncodeHeader(const v1::SealedHeader& header) { return EncodeDeterministic(header); }

absl::StatusOr<v1::SealedHeader> DecodeHeader(absl::string_view header_bytes) {
  v1::SealedHeader header;
  if (!header.ParseFromArray(header_bytes.data(), static_cast<int>(header_bytes.size())))
    return absl::InvalidArgumentError("sealed header: the header bytes do not parse");
  if (HasUnknownFields(header))
    return absl::InvalidArgumentError(
        "sealed header: a field this format does not define (unknown field number)");
  if (EncodeHeader(header) != header_bytes)
    return absl::InvalidArgumentError(
        "sealed header: not in canonical encoding (fields out of order, repeated, or set to "
        "their default value)");
  if (absl::Status st = ValidateHeader(header); !st.ok()) return st;
  return header;
}

absl::Status ValidateHeader(const v1::SealedHeader& h) {
  if (absl::Status st = CheckSuite(h.suite()); !st.ok()) return st;
  if (absl::Status st = CheckScalars(h); !st.ok()) return st;
  if (absl::Status st = CheckCommitments(h); !st.ok()) return st;
  return CheckRecipients(h);
}

uint64_t ExpectedFileSize(size_t header_size, const v1::SealedHeader& h) {
  const uint64_t chunks = h.plaintext_size() / h.chunk_size() + 1;
  return kMagic.size() + 4 + header_size + h.plaintext_size() + chunks * kChunkTagSize;
}

absl::Status CheckHeaderForLot(const v1::SealedHeader& h, absl::string_view tender_id,
                               const v1::Lot& lot, absl::string_view bidder,
                               const std::vector<std::string>& custodian_keys) {
  if (h.tender_id() != tender_id) return Differs("the tender", h.tender_id(), tender_id);
  if (h.lot() != lot.number())
    return Differs("the lot", absl::StrCat(h.lot()), absl::StrCat(lot.number()));
  if (h.bidder() != bidder) return Differs("the bidder", h.bidder(), bidder);
  v1::OpeningPolicy policy = lot.spec().policy();
  if (policy == v1::OPENING_POLICY_UNSPECIFIED) policy = v1::OPENING_POLICY_ANY;
  BO_RETURN_IF_ERROR(CheckLotHasKeys(lot, policy, custodian_keys));
  if (h.policy() != policy)
    return Differs("the opening policy", PolicyName(h.policy()), PolicyName(policy));
  const uint32_t values_size = ValuesSectionSize(lot.spec());
  if (h.values_size() != values_size)
    return Differs("values_size (the opening form's section)", absl::StrCat(h.values_size()),
                   absl::StrCat(values_size));
  if (h.policy() == v1::OPENING_POLICY_BIDDER) return absl::OkStatus();
  if (h.threshold() != lot.spec().threshold())
    return Differs("the threshold", absl::StrCat(h.threshold()),
                   absl::StrCat(lot.spec().threshold()));
  return CheckCustodiansForLot(h, lot.spec(), custodian_keys);
}

}  // namespace bidopen::seal
