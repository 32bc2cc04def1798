// The audit log's certificate carries an extended key usage of its own,
// "bidopen log signing" (a UUID-based OID, ITU-T X.667, needing no
// registration), and no TLS usage: a stolen log certificate cannot serve TLS,
// and a TLS server or client certificate cannot sign tree heads or receipts.
#ifndef BIDOPEN_CORE_CRYPTO_LOG_CERTIFICATE_H_
#define BIDOPEN_CORE_CRYPTO_LOG_CERTIFICATE_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bidopen::crypto {

// deploy/pki.sh's `extendedKeyUsage = critical, <this>` for the log certificate.
inline constexpr char kLogSigningOid[] = "2.25.178512874680218804694869376594600014289";

// OK if `cert_pem`'s extended key usage names kLogSigningOid and none of
// serverAuth, clientAuth or anyExtendedKeyUsage. FAILED_PRECONDITION saying
// what is missing or too much otherwise (INVALID_ARGUMENT if it does not parse).
absl::Status CheckLogSigningUsage(absl::string_view cert_pem);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_LOG_CERTIFICATE_H_
