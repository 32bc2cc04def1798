#include "client/receipt_file.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {

std::string ReceiptJson(const v1::Receipt& receipt) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.add_whitespace = true;
  opts.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(receipt, &json, opts);
  return json;
}

absl::Status WriteReceipt(const std::string& path, const v1::Receipt& receipt) {
  return WriteFileAtomically(path, ReceiptJson(receipt));
}

absl::StatusOr<v1::Receipt> ReadReceipt(const std::string& path) {
  BO_ASSIGN_OR_RETURN(std::string json, ReadFileBytes(path, "receipt"));
  v1::Receipt receipt;
  auto st = google::protobuf::util::JsonStringToMessage(json, &receipt);
  if (!st.ok())
    return absl::DataLossError(
        absl::StrCat(path, ": not a receipt file (", st.message().as_string(), ")"));
  if (receipt.body().empty() || receipt.server_signature().empty())
    return absl::DataLossError(
        absl::StrCat(path, ": not a receipt file (no body or no server signature)"));
  return receipt;
}

}  // namespace bidopen::client
