// The custodians' path of the verdict on one bid (release_check.h,
// docs/sealed-bid-format.md §5): which released per-lot keys give good shares,
// and whether k good shares give one polynomial on which every share
// commitment in the header lies, released or not. Internal to the release
// checks; callers use release_check.h.
#ifndef BIDOPEN_CORE_SEAL_RELEASE_QUORUM_H_
#define BIDOPEN_CORE_SEAL_RELEASE_QUORUM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/crypto/secret.h"
#include "core/crypto/shamir.h"
#include "core/seal/release_check.h"

namespace bidopen::seal {

// Shares kept in order of x, whose bytes are wiped when the set goes away.
class ShareSet {
 public:
  ShareSet() = default;
  ShareSet(const ShareSet&) = delete;
  ShareSet& operator=(const ShareSet&) = delete;
  ~ShareSet();

  void Add(crypto::Share share);
  bool Has(uint32_t x) const;
  size_t size() const { return shares_.size(); }
  const std::vector<crypto::Share>& shares() const { return shares_; }

 private:
  std::vector<crypto::Share> shares_;
};

// The custodian share with this share_x, or null.
const v1::Recipient* ShareRecipient(const v1::SealedHeader& header, uint32_t x);
// The custodian shares, in header order.
std::vector<const v1::Recipient*> ShareRecipients(const v1::SealedHeader& header);
// "custodian <x> (<fingerprint>)".
std::string Who(const v1::Recipient& recipient);

// f(x) for the polynomial f of degree < k through the first k of `shares`.
// REQUIRES: shares.size() >= k >= 1, distinct x in 1..255.
absl::StatusOr<crypto::Secret> EvaluateAt(const std::vector<crypto::Share>& shares, size_t k,
                                          uint8_t x);

// f(0) for the polynomial f through the first k (threshold) of `good`, once
// every custodian share's commitment in the header is checked to be of f(x)
// and f(0) to match secret_commitment (quorum_part_commitment under BOTH).
// DATA_LOSS naming the shares off f, or the commitment: the bidder's fault.
// REQUIRES: good.size() >= threshold; each share matches its commitment.
absl::StatusOr<crypto::Secret> QuorumPart(const v1::SealedHeader& header, const ShareSet& good);

// The quorum path's verdict, with s (s_q under BOTH) when kOk, and whatever
// the verdict the custodians that did not release, released a wrong key or
// revealed a bad share. Errors other than a bad record are returned.
// REQUIRES: one key in `lot_keys` per custodian share.
absl::StatusOr<Judgement> JudgeQuorum(const v1::SealedHeader& header,
                                      const std::vector<std::string>& lot_keys,
                                      const std::vector<CustodianKeyRelease>& releases);

// Verdicts, with their messages' prefix.
Judgement BidderFault(absl::string_view why);
Judgement CustodianFault(absl::string_view why);
Judgement Opened(crypto::Secret secret, absl::string_view how);

// Copies the custodians named in `quorum` (lists and notes) into `j`; with
// `say`, appends the notes to j's message.
void CarryNames(const Judgement& quorum, bool say, Judgement* j);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_RELEASE_QUORUM_H_
