// Server TLS: a client certificate is requested and, when sent, verified
// against the configured CA in the handshake. Calls without one are answered
// UNAUTHENTICATED by the metadata processor (design.md §5), so users learn why.
#ifndef BIDOPEN_SERVER_AUTH_TLS_H_
#define BIDOPEN_SERVER_AUTH_TLS_H_

#include <grpcpp/security/server_credentials.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace bidopen::auth {

struct TlsFiles {
  std::string cert;       // server certificate (PEM file)
  std::string key;        // its private key
  std::string client_ca;  // CA that issues client certificates
};

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const TlsFiles& files);

}  // namespace bidopen::auth

#endif  // BIDOPEN_SERVER_AUTH_TLS_H_
