#include "client/audit_state.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "client/profile.h"
#include "core/crypto/sha256.h"
#include "core/files.h"

namespace bidopen::client {

std::string RememberedHeadPath(const std::string& log_cert_pem) {
  return absl::StrCat(ConfigDir(), "/audit/",
                      crypto::Hex(crypto::Sha256(log_cert_pem)).substr(0, 32), ".json");
}

absl::StatusOr<std::optional<v1::SignedTreeHead>> RememberedHead(const std::string& log_cert_pem) {
  auto json = ReadFileBytes(RememberedHeadPath(log_cert_pem), "remembered head");
  if (!json.ok()) return std::nullopt;
  v1::SignedTreeHead head;
  if (!google::protobuf::util::JsonStringToMessage(*json, &head).ok())
    return absl::DataLossError(
        absl::StrCat(RememberedHeadPath(log_cert_pem), " does not parse; remove it to start over"));
  return head;
}

absl::Status RememberHead(const v1::SignedTreeHead& head) {
  auto old = RememberedHead(head.log_certificate_pem());
  if (!old.ok()) return old.status();
  if (*old && (*old)->size() >= head.size()) return absl::OkStatus();
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(head, &json);
  return WriteFileAtomically(RememberedHeadPath(head.log_certificate_pem()), json + "\n");
}

}  // namespace bidopen::client
