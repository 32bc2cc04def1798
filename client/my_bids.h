// The caller's own receipts for a tender (BidService.ListMyBids), each
// verified against the trusted CA, and what they say about its bids.
#ifndef BIDOPEN_CLIENT_MY_BIDS_H_
#define BIDOPEN_CLIENT_MY_BIDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/command.h"
#include "core/bid/receipt.h"

namespace bidopen::client {

struct MyReceipt {
  v1::Receipt receipt;
  bid::VerifiedReceipt v;
  // For a submission: what became of the bid, as the server's fold of the log
  // says (ListMyBidsResponse.bids).
  std::optional<v1::BidEntry> state;
};

// Oldest first (log order). DATA_LOSS if a receipt the server returns does
// not verify with the profile's CA, or a submission comes without its state.
absl::StatusOr<std::vector<MyReceipt>> FetchMyReceipts(const Session& s,
                                                       const std::string& tender_id);

// The submission receipt of the live bid in `lot`; nullptr if none.
const MyReceipt* LiveSubmission(const std::vector<MyReceipt>& all, int lot);

// The submission receipt in `lot` of the file with this SHA-256 (the last one).
const MyReceipt* SubmissionOf(const std::vector<MyReceipt>& all, int lot,
                              const std::string& ciphertext_sha256);

// "live", "replaced by N", "withdrawn at N" for a submission (from its state),
// "withdraws N" for a withdrawal.
std::string StateText(const MyReceipt& r);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_MY_BIDS_H_
