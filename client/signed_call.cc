#include "client/signed_call.h"

#include "absl/time/clock.h"
#include "client/connection.h"
#include "core/crypto/signature.h"
#include "core/opening/signed_action.h"
#include "core/status_macros.h"
#include "platform/files.h"

namespace bidopen::client {

absl::StatusOr<std::unique_ptr<grpc::ClientContext>> SignedContext(
    const Profile& profile, absl::string_view method, const google::protobuf::Message& request) {
  BO_ASSIGN_OR_RETURN(std::string pem, ReadFileBytes(profile.key, "--key"));
  BO_ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PrivateKeyFromPem(pem));
  BO_ASSIGN_OR_RETURN(v1::SignedAction sa, SignAction(key.get(), method, request, absl::Now()));
  std::unique_ptr<grpc::ClientContext> ctx = CallContext();
  ctx->AddMetadata(kActionMetadata, sa.SerializeAsString());
  return ctx;
}

}  // namespace bidopen::client
