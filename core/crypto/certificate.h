// The party an X.509 certificate names (design.md §4: identity = certificate
// fingerprint + organisation; role = OU).
#ifndef BIDOPEN_CORE_CRYPTO_CERTIFICATE_H_
#define BIDOPEN_CORE_CRYPTO_CERTIFICATE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bidopen/v1/common.pb.h"

namespace bidopen::crypto {

// fingerprint = hex SHA-256 of the DER, organization (O), common name (CN),
// role (OU). UNAUTHENTICATED if it does not parse or the OU is no role.
absl::StatusOr<v1::Party> PartyFromPem(absl::string_view pem);

// The same for a certificate whose OU is no participant's role (the log's,
// which names the server as the actor of what it appends by itself): role
// UNSPECIFIED then.
absl::StatusOr<v1::Party> AnyPartyFromPem(absl::string_view pem);

// OK if the certificate is within its validity period at `at`;
// UNAUTHENTICATED naming its notBefore or notAfter otherwise (the TLS
// handshake checked it once; a connection may outlive it).
absl::Status CheckValidAt(absl::string_view pem, absl::Time at);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_CERTIFICATE_H_
