// ECDSA P-256 / SHA-256 signatures (DER), keys and certificates in PEM.
#ifndef BIDOPEN_CORE_CRYPTO_SIGNATURE_H_
#define BIDOPEN_CORE_CRYPTO_SIGNATURE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/crypto/ossl.h"

namespace bidopen::crypto {

// A private key from PEM (PKCS#8 or traditional EC).
absl::StatusOr<PkeyPtr> PrivateKeyFromPem(absl::string_view pem);

// DER ECDSA signature over SHA-256(message).
absl::StatusOr<std::string> Sign(EVP_PKEY* key, absl::string_view message);

// OK if `signature` is `cert_pem`'s key's signature over `message`;
// DATA_LOSS saying so otherwise.
absl::Status VerifySignature(absl::string_view cert_pem, absl::string_view message,
                             absl::string_view signature);

// OK if `cert_pem` was issued by `ca_pem` and both are valid now, or, with
// `at`, at that time: a signature in the log is checked against the
// certificates as they were when it was made, so an audit years later does
// not fail for certificates that have since expired.
absl::Status VerifyIssuedBy(absl::string_view cert_pem, absl::string_view ca_pem,
                            std::optional<absl::Time> at = std::nullopt);

// Whether the private key belongs to the certificate.
absl::Status KeyMatchesCertificate(EVP_PKEY* key, absl::string_view cert_pem);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_SIGNATURE_H_
