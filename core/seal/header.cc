#include "core/seal/header.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/crypto/sha256.h"
#include "core/crypto/x25519.h"
#include "core/opening/lot_rules.h"
#include "core/seal/format.h"

namespace bidopen::seal {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view message) {
  return absl::InvalidArgumentError(absl::StrCat("sealed header: ", field, ": ", message));
}

absl::Status CheckSize(absl::string_view field, absl::string_view bytes, size_t want) {
  if (bytes.size() == want) return absl::OkStatus();
  return Bad(field, absl::StrCat(bytes.size(), " bytes; must be ", want));
}

bool UsesBidderKey(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_QUORUM; }
bool UsesShares(v1::OpeningPolicy p) { return p != v1::OPENING_POLICY_BIDDER; }

absl::Status CheckRecipient(const v1::SealedHeader& h, int i) {
  const v1::Recipient& r = h.recipients(i);
  const std::string at = absl::StrCat("recipients[", i, "]");
  if (r.fingerprint().empty()) return Bad(at + ".fingerprint", "empty");
  if (r.kind() != v1::RECIPIENT_KIND_BIDDER_KEY && r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE)
    return Bad(at + ".kind", absl::StrCat(static_cast<int>(r.kind()), " is not a recipient kind"));
  if (absl::Status st =
          CheckSize(at + ".ephemeral_public", r.ephemeral_public(), crypto::kX25519KeySize);
      !st.ok())
    return st;
  return CheckSize(at + ".wrapped", r.wrapped(), kDataKeySize + crypto::kGcmTagSize);
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
  }
  if (h.threshold() < 1 || h.threshold() > n)
    return Bad("threshold", absl::StrCat(h.threshold(), " is outside 1..", n));
  return absl::OkStatus();
}

absl::Status CheckRecipients(const v1::SealedHeader& h) {
  for (int i = 0; i < h.recipients_size(); ++i)
    if (absl::Status st = CheckRecipient(h, i); !st.ok()) return st;
  int first = 0;
  if (UsesBidderKey(h.policy())) {
    if (absl::Status st = CheckBidderRecipient(h); !st.ok()) return st;
    first = 1;
  }
  return CheckShares(h, first);
}

absl::Status CheckScalars(const v1::SealedHeader& h) {
  if (h.tender_id().empty()) return Bad("tender_id", "empty");
  if (h.lot() < 1) return Bad("lot", absl::StrCat(h.lot(), " is not a lot number"));
  if (h.bidder().empty()) return Bad("bidder", "empty");
  if (h.chunk_size() < kMinChunkSize || h.chunk_size() > kMaxChunkSize)
    return Bad("chunk_size",
               absl::StrCat(h.chunk_size(), " is outside ", kMinChunkSize, "..", kMaxChunkSize));
  if (PolicyName(h.policy()).empty())
    return Bad("policy",
               absl::StrCat(static_cast<int>(h.policy()), " is not BIDDER, QUORUM, ANY or BOTH"));
  return absl::OkStatus();
}

absl::Status Differs(absl::string_view what, absl::string_view sealed, absl::string_view lot) {
  return absl::FailedPreconditionError(absl::StrCat("sealed bid: ", what, " is ", sealed,
                                                    " in the header but ", lot, " for this lot"));
}

absl::Status CheckCustodiansForLot(const v1::SealedHeader& h, const v1::LotSpec& spec) {
  const int first = UsesBidderKey(h.policy()) ? 1 : 0;
  const int shares = h.recipients_size() - first;
  if (shares != spec.custodians_size())
    return Differs("the number of custodians", absl::StrCat(shares),
                   absl::StrCat(spec.custodians_size()));
  for (int i = 0; i < shares; ++i)
    if (h.recipients(first + i).fingerprint() != spec.custodians(i))
      return Differs(absl::StrCat("custodian ", i + 1), h.recipients(first + i).fingerprint(),
                     spec.custodians(i));
  return absl::OkStatus();
}

}  // namespace

std::string EncodeHeader(const v1::SealedHeader& header) { return EncodeDeterministic(header); }

std::string HeaderHash(absl::string_view header_bytes) { return crypto::Sha256(header_bytes); }

absl::StatusOr<v1::SealedHeader> DecodeHeader(absl::string_view header_bytes) {
  v1::SealedHeader header;
  if (!header.ParseFromArray(header_bytes.data(), static_cast<int>(header_bytes.size())))
    return absl::InvalidArgumentError("sealed header: the header bytes do not parse");
  if (absl::Status st = ValidateHeader(header); !st.ok()) return st;
  return header;
}

absl::Status ValidateHeader(const v1::SealedHeader& h) {
  if (absl::Status st = CheckSuite(h.suite()); !st.ok()) return st;
  if (absl::Status st = CheckScalars(h); !st.ok()) return st;
  if (absl::Status st = CheckSize("nonce_prefix", h.nonce_prefix(), kNoncePrefixSize); !st.ok())
    return st;
  if (absl::Status st = CheckSize("manifest_sha256", h.manifest_sha256(), 32); !st.ok()) return st;
  return CheckRecipients(h);
}

absl::Status CheckHeaderForLot(const v1::SealedHeader& h, absl::string_view tender_id,
                               const v1::Lot& lot, absl::string_view bidder) {
  if (h.tender_id() != tender_id) return Differs("the tender", h.tender_id(), tender_id);
  if (h.lot() != lot.number())
    return Differs("the lot", absl::StrCat(h.lot()), absl::StrCat(lot.number()));
  if (h.bidder() != bidder) return Differs("the bidder", h.bidder(), bidder);
  v1::OpeningPolicy policy = lot.spec().policy();
  if (policy == v1::OPENING_POLICY_UNSPECIFIED) policy = v1::OPENING_POLICY_ANY;
  if (h.policy() != policy)
    return Differs("the opening policy", PolicyName(h.policy()), PolicyName(policy));
  if (h.policy() == v1::OPENING_POLICY_BIDDER) return absl::OkStatus();
  if (h.threshold() != lot.spec().threshold())
    return Differs("the threshold", absl::StrCat(h.threshold()),
                   absl::StrCat(lot.spec().threshold()));
  return CheckCustodiansForLot(h, lot.spec());
}

}  // namespace bidopen::seal
