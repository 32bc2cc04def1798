#include "core/crypto/log_certificate.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include "absl/strings/str_cat.h"
#include "core/crypto/ossl.h"

namespace bidopen::crypto {
namespace {

constexpr absl::string_view kHow =
    " (deploy/pki.sh init issues it; docs/operations.md, \"The log certificate\")";

std::string Numeric(const ASN1_OBJECT* obj) {
  char buf[128];
  int n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
  return n > 0 && n < static_cast<int>(sizeof(buf)) ? std::string(buf, n) : "";
}

// "serverAuth" for a TLS usage, "" for any other.
absl::string_view TlsUsage(const ASN1_OBJECT* obj) {
  switch (OBJ_obj2nid(obj)) {
    case NID_server_auth:
      return "serverAuth";
    case NID_client_auth:
      return "clientAuth";
    case NID_anyExtendedKeyUsage:
      return "anyExtendedKeyUsage";
    default:
      return "";
  }
}

}  // namespace

absl::Status CheckLogSigningUsage(absl::string_view cert_pem) {
  BioPtr bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::InvalidArgumentError("log certificate does not parse as PEM X.509");
  }
  ExtKeyUsagePtr eku(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(cert.get(), NID_ext_key_usage, nullptr, nullptr)));
  bool signing = false;
  for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
    const ASN1_OBJECT* obj = sk_ASN1_OBJECT_value(eku.get(), i);
    if (absl::string_view tls = TlsUsage(obj); !tls.empty())
      return absl::FailedPreconditionError(
          absl::StrCat("the log certificate allows ", tls,
                       ", so it could serve TLS; it must allow only "
                       "bidopen log signing (",
                       kLogSigningOid, ")", kHow));
    signing = signing || Numeric(obj) == kLogSigningOid;
  }
  if (!signing)
    return absl::FailedPreconditionError(
        absl::StrCat("the log certificate's extended key usage lacks bidopen log signing (",
                     kLogSigningOid, ")", kHow));
  return absl::OkStatus();
}

}  // namespace bidopen::crypto
