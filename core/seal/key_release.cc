#include "core/seal/key_release.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "core/opening/lot_rules.h"
#include "core/seal/format.h"
#include "core/seal/key_plan.h"
#include "core/seal/key_wrap.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

WrapContext ContextOf(const v1::SealedHeader& header) {
  return WrapContext{header.tender_id(), header.lot()};
}

int ShareCount(const v1::SealedHeader& header) {
  int n = 0;
  for (const v1::Recipient& r : header.recipients())
    n += r.kind() == v1::RECIPIENT_KIND_CUSTODIAN_SHARE ? 1 : 0;
  return n;
}

absl::Status CheckReleasedShares(const v1::SealedHeader& header,
                                 const std::vector<crypto::Share>& shares) {
  const int n = ShareCount(header);
  std::set<int> seen;
  for (const crypto::Share& s : shares) {
    if (s.x < 1 || s.x > n)
      return absl::InvalidArgumentError(
          absl::StrCat("share x = ", int{s.x}, " is not one of this bid's shares 1..", n));
    if (!seen.insert(s.x).second)
      return absl::InvalidArgumentError(absl::StrCat("share x = ", int{s.x}, " given twice"));
    if (s.y.size() != kDataKeySize)
      return absl::InvalidArgumentError(absl::StrCat("share x = ", int{s.x}, " has ", s.y.size(),
                                                     " bytes; must be ", kDataKeySize));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FromShares(const v1::SealedHeader& header,
                                       const std::vector<crypto::Share>& shares) {
  BO_RETURN_IF_ERROR(CheckReleasedShares(header, shares));
  const auto k = static_cast<size_t>(header.threshold());
  if (shares.size() < k)
    return absl::FailedPreconditionError(
        absl::StrCat("policy ", PolicyName(header.policy()), " needs ", k, " of ",
                     ShareCount(header), " custodian shares; ", shares.size(), " released"));
  return crypto::ShamirCombine(std::vector<crypto::Share>(shares.begin(), shares.begin() + k));
}

absl::Status NeedBidder(const v1::SealedHeader& header) {
  return absl::FailedPreconditionError(absl::StrCat("policy ", PolicyName(header.policy()),
                                                    " needs the bidder's key; not released"));
}

}  // namespace

absl::StatusOr<std::string> UnwrapBidderSecret(const v1::SealedHeader& header,
                                               absl::string_view bidder_private) {
  for (const v1::Recipient& r : header.recipients())
    if (r.kind() == v1::RECIPIENT_KIND_BIDDER_KEY)
      return UnwrapSecret(ContextOf(header), r, bidder_private);
  return absl::FailedPreconditionError(absl::StrCat(
      "policy ", PolicyName(header.policy()), ": the bid is not wrapped to the bidder's key"));
}

absl::StatusOr<crypto::Share> UnwrapCustodianShare(const v1::SealedHeader& header,
                                                   absl::string_view custodian_fingerprint,
                                                   absl::string_view custodian_private) {
  for (const v1::Recipient& r : header.recipients()) {
    if (r.kind() != v1::RECIPIENT_KIND_CUSTODIAN_SHARE || r.fingerprint() != custodian_fingerprint)
      continue;
    BO_ASSIGN_OR_RETURN(std::string y, UnwrapSecret(ContextOf(header), r, custodian_private));
    return crypto::Share{static_cast<uint8_t>(r.share_x()), std::move(y)};
  }
  return absl::NotFoundError(
      absl::StrCat("this bid has no share for custodian ", custodian_fingerprint));
}

absl::StatusOr<std::string> DataKeyFrom(const v1::SealedHeader& header,
                                        const ReleasedKeys& released) {
  const std::optional<std::string>& bidder = released.bidder_secret;
  if (bidder && bidder->size() != kDataKeySize)
    return absl::InvalidArgumentError(
        absl::StrCat("the bidder's key has ", bidder->size(), " bytes; must be ", kDataKeySize));
  switch (header.policy()) {
    case v1::OPENING_POLICY_BIDDER:
      if (!bidder) return NeedBidder(header);
      return *bidder;
    case v1::OPENING_POLICY_QUORUM:
      return FromShares(header, released.shares);
    case v1::OPENING_POLICY_ANY:
      if (bidder) return *bidder;
      return FromShares(header, released.shares);
    case v1::OPENING_POLICY_BOTH: {
      if (!bidder) return NeedBidder(header);
      BO_ASSIGN_OR_RETURN(std::string quorum_part, FromShares(header, released.shares));
      return Xor(*bidder, quorum_part);
    }
    default:
      return absl::InvalidArgumentError("sealed header: no opening policy");
  }
}

}  // namespace bidopen::seal
