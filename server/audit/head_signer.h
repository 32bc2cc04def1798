// Signs with the log key (ECDSA P-256): tree heads, as checkpoint text, and
// bid receipts.
#ifndef BIDOPEN_SERVER_AUDIT_HEAD_SIGNER_H_
#define BIDOPEN_SERVER_AUDIT_HEAD_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "bidopen/v1/audit.pb.h"
#include "core/crypto/ossl.h"
#include "core/log/merkle.h"

namespace bidopen::audit {

class HeadSigner {
 public:
  // INVALID_ARGUMENT if the key does not belong to the certificate.
  static absl::StatusOr<HeadSigner> Create(std::string origin, absl::string_view key_pem,
                                           std::string cert_pem);

  absl::StatusOr<v1::SignedTreeHead> Sign(uint64_t size, const log::Hash& root,
                                          absl::Time time) const;
  // DER ECDSA signature over SHA-256(message).
  absl::StatusOr<std::string> SignBytes(absl::string_view message) const;
  const std::string& cert_pem() const { return cert_pem_; }
  const std::string& origin() const { return origin_; }

 private:
  HeadSigner(std::string origin, crypto::PkeyPtr key, std::string cert_pem)
      : origin_(std::move(origin)), key_(std::move(key)), cert_pem_(std::move(cert_pem)) {}
  std::string origin_;
  crypto::PkeyPtr key_;
  std::string cert_pem_;
};

}  // namespace bidopen::audit

#endif  // BIDOPEN_SERVER_AUDIT_HEAD_SIGNER_H_
