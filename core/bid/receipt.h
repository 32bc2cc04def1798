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
// and time), recording the bidder's statement, signature and certificate.
struct ReceiptInput {
  v1::ReceiptKind kind = v1::RECEIPT_KIND_UNSPECIFIED;
  std::string statement;  // the BidStatement bytes, as signed
  std::string signature;
  std::string bidder_cert_pem;
  std::string nonce;  // opens the event's bidder commitment (submissions)
};
v1::ReceiptBody MakeReceiptBody(const ReceiptInput& in, const v1::Event& event,
                                const std::string& origin);

struct VerifiedReceipt {
  v1::ReceiptBody body;
  v1::BidStatement statement;
  v1::Event event;
};

// Checks, offline: the log certificate was issued by `ca_pem`, it signed the
// body, the leaf hash is the event's, the event is at body.seq and records
// this statement (its hash, its lot, the bidder commitment opened by the
// nonce, the bid it replaces or withdraws), and the bidder's certificate, from
// the same CA, signed the statement. DATA_LOSS naming the first thing that
// does not hold.
absl::StatusOr<VerifiedReceipt> VerifyReceipt(const v1::Receipt& receipt, absl::string_view ca_pem);

}  // namespace bidopen::bid

#endif  // BIDOPEN_CORE_BID_RECEIPT_H_
