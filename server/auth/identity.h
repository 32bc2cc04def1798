// Who is calling: the party named by the verified client certificate.
#ifndef BIDOPEN_SERVER_AUTH_IDENTITY_H_
#define BIDOPEN_SERVER_AUTH_IDENTITY_H_

#include <grpcpp/security/auth_context.h>
#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/statusor.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen::auth {

// UNAUTHENTICATED if the TLS peer presented no usable certificate.
absl::StatusOr<v1::Party> PartyFromAuthContext(const grpc::AuthContext& ctx);

// The caller's verified certificate (PEM), for checking what it signed.
absl::StatusOr<std::string> CertificatePem(const grpc::ServerContext& ctx);

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_IDENTITY_H_
