// Receipt files: a bidopen.v1.Receipt as protobuf JSON with the proto field
// names (bytes in base64), written atomically so a receipt is never half-written.
#ifndef BIDOPEN_CLIENT_RECEIPT_FILE_H_
#define BIDOPEN_CLIENT_RECEIPT_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/bid.pb.h"

namespace bidopen::client {

std::string ReceiptJson(const v1::Receipt& receipt);

absl::Status WriteReceipt(const std::string& path, const v1::Receipt& receipt);

// NOT_FOUND if unreadable; DATA_LOSS naming the file if it is not a receipt.
absl::StatusOr<v1::Receipt> ReadReceipt(const std::string& path);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_RECEIPT_FILE_H_
