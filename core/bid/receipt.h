// Receipts: what the log key signs when a bid or a withdrawal is durable in
// the log, and the check anyone can run with only the platform CA.
#ifndef BIDOPEN_CORE_BID_RECEIPT_H_
#define BIDOPEN_CORE_BID_RECEIPT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/bid.pb.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen::bid {

// The bytes the log key signs: "bidopen/receipt/v1\0" ‖ body.
std::string ReceiptSigningInput(absl::string_view body);

std::string EncodeReceiptBody(const v1::ReceiptBody& body);

// The body of the receipt for `event` as appended to the log (with its seq
// and time), recording the bidder's statement and signature.
v1::ReceiptBody MakeReceiptBody(v1::ReceiptKind kind, const std::string& statement,
                                const std::string& signature, const v1::Event& event,
                                const std::string& nonce, const std::string& origin);

struct VerifiedReceipt {
  v1::ReceiptBody body;
  v1::BidStatement statement;
  v1::Event event;
};

// Checks, offline: the log certificate was issued by `ca_pem`, it signed the
// body, the leaf hash is the event's, the event is at body.seq and records
// this statement (its hash, its lot, the bidder commitment opened by the
// nonce). DATA_LOSS naming the first thing that does not hold.
absl::StatusOr<VerifiedReceipt> VerifyReceipt(const v1::Receipt& receipt, absl::string_view ca_pem);

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_RECEIPT_H_
