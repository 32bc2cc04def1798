// Receipts for people: what a verified receipt records, with times in the
// tender's time zone (from the tender cache; UTC if the tender was never fetched).
#ifndef BIDOPEN_CLIENT_RECEIPT_TEXT_H_
#define BIDOPEN_CLIENT_RECEIPT_TEXT_H_

#include <ostream>
#include <string>

#include "absl/time/time.h"
#include "core/bid/receipt.h"

namespace bidopen::client {

// "submission" or "withdrawal".
const char* ReceiptKindName(v1::ReceiptKind kind);

absl::TimeZone TenderZone(const std::string& tender_id);

// The receive time in the tender's time zone, to the millisecond.
std::string ReceivedText(const bid::VerifiedReceipt& v);

// Indented lines: tender and lot, sealed file, log index (and what it
// replaces or withdraws), receive time.
void PrintReceiptLines(std::ostream& out, const bid::VerifiedReceipt& v);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RECEIPT_TEXT_H_
