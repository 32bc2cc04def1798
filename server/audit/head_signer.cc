#include "server/audit/head_signer.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/log_certificate.h"
#include "core/crypto/signature.h"
#include "core/log/checkpoint.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::audit {

absl::StatusOr<HeadSigner> HeadSigner::Create(std::string origin, absl::string_view key_pem,
                                              std::string cert_pem) {
  BO_ASSIGN_OR_RETURN(crypto::PkeyPtr key, crypto::PrivateKeyFromPem(key_pem));
  BO_RETURN_IF_ERROR(crypto::KeyMatchesCertificate(key.get(), cert_pem));
  if (absl::Status st = crypto::CheckLogSigningUsage(cert_pem); !st.ok())
    return absl::FailedPreconditionError(absl::StrCat("--log-cert: ", st.message()));
  return HeadSigner(std::move(origin), std::move(key), std::move(cert_pem));
}

absl::StatusOr<v1::SignedTreeHead> HeadSigner::Sign(uint64_t size, const log::Hash& root,
                                                    absl::Time time) const {
  std::string text = log::FormatCheckpoint({origin_, size, root, time});
  BO_ASSIGN_OR_RETURN(std::string signature, crypto::Sign(key_.get(), text));
  v1::SignedTreeHead head;
  head.set_size(size);
  head.set_root_hash(std::string(root.begin(), root.end()));
  *head.mutable_time() = ToProto(time);
  head.set_checkpoint(text);
  head.set_signature(signature);
  head.set_log_certificate_pem(cert_pem_);
  return head;
}

absl::StatusOr<std::string> HeadSigner::SignBytes(absl::string_view message) const {
  return crypto::Sign(key_.get(), message);
}

}  // namespace bidopen::audit
