#include "server/auth/signed_request.h"

#include "absl/strings/str_cat.h"
#include "core/deterministic.h"
#include "core/opening/signed_action.h"
#include "core/status_macros.h"
#include "server/auth/identity.h"

namespace bidopen::auth {
namespace {

absl::Status Invalid(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(kActionMetadata, ": ", what));
}

}  // namespace

absl::StatusOr<v1::SignedAction> SignedActionOf(const grpc::ServerContext& ctx,
                                                absl::string_view method, const v1::Party& caller,
                                                const google::protobuf::Message& request) {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find(kActionMetadata);
  if (it == metadata.end())
    return Invalid(absl::StrCat(
        "required: ", method,
        " is an action the log keeps signed by whoever makes it (docs/protocol.md \"Signed "
        "actions\"); bidctl signs it with your certificate key"));
  v1::SignedAction sa;
  if (!sa.ParseFromArray(it->second.data(), static_cast<int>(it->second.size())))
    return Invalid("does not parse as a bidopen.v1.SignedAction");
  if (!sa.request().empty() || !sa.certificate_pem().empty())
    return Invalid(
        "carries request or certificate_pem; send signed_at and signature only (the server "
        "takes the request received and your TLS certificate)");
  sa.set_request(EncodeDeterministic(request));
  BO_ASSIGN_OR_RETURN(*sa.mutable_certificate_pem(), CertificatePem(ctx));
  if (absl::Status st = CheckActionKey(method, caller, sa); !st.ok())
    return Invalid(absl::StrCat(st.message(),
                                " (the signature covers the request as sent, in "
                                "the deterministic encoding, and its signed_at)"));
  return sa;
}

}  // namespace bidopen::auth
