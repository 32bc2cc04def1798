#include "client/audit_state.h"

#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/profile.h"
#include "core/crypto/sha256.h"

namespace bidopen::client {
namespace fs = std::filesystem;

std::string RememberedHeadPath(const std::string& log_cert_pem) {
  return absl::StrCat(ConfigDir(), "/audit/", crypto::Hex(crypto::Sha256(log_cert_pem)).substr(0, 32),
                      ".json");
}

absl::StatusOr<std::optional<v1::SignedTreeHead>> RememberedHead(
    const std::string& log_cert_pem) {
  std::ifstream in(RememberedHeadPath(log_cert_pem));
  if (!in) return std::nullopt;
  std::stringstream json;
  json << in.rdbuf();
  v1::SignedTreeHead head;
  if (!google::protobuf::util::JsonStringToMessage(json.str(), &head).ok())
    return absl::DataLossError(
        absl::StrCat(RememberedHeadPath(log_cert_pem), " does not parse; remove it to start over"));
  return head;
}

absl::Status RememberHead(const v1::SignedTreeHead& head) {
  auto old = RememberedHead(head.log_certificate_pem());
  if (!old.ok()) return old.status();
  if (*old && (*old)->size() >= head.size()) return absl::OkStatus();
  std::string path = RememberedHeadPath(head.log_certificate_pem());
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(head, &json);
  {
    std::ofstream out(path + ".tmp");
    out << json << "\n";
    if (!out) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  }
  fs::rename(path + ".tmp", path, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

}  // namespace bidopen::client
