#include "core/crypto/signature.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "absl/strings/str_cat.h"

namespace bidopen::crypto {
namespace {

using StorePtr = X509StorePtr;
using StoreCtxPtr = X509StoreCtxPtr;

absl::StatusOr<X509Ptr> CertFromPem(absl::string_view pem, absl::string_view what) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) {
    ERR_clear_error();
    return absl::InvalidArgumentError(absl::StrCat(what, " does not parse as PEM X.509"));
  }
  return cert;
}

}  // namespace

absl::StatusOr<PkeyPtr> PrivateKeyFromPem(absl::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    ERR_clear_error();
    return absl::InvalidArgumentError("private key does not parse as PEM");
  }
  return key;
}

absl::StatusOr<std::string> Sign(EVP_PKEY* key, absl::string_view message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return OpensslError("sign");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
    return OpensslError("sign");
  sig.resize(len);
  return sig;
}

absl::Status VerifySignature(absl::string_view cert_pem, absl::string_view message,
                             absl::string_view signature) {
  auto cert = CertFromPem(cert_pem, "signer certificate");
  if (!cert.ok()) return cert.status();
  EVP_PKEY* key = X509_get0_pubkey(cert->get());
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1)
    return OpensslError("verify");
  int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  if (ok != 1) return absl::DataLossError("signature does not verify");
  return absl::OkStatus();
}

absl::Status VerifyIssuedBy(absl::string_view cert_pem, absl::string_view ca_pem,
                            std::optional<absl::Time> at) {
  auto cert = CertFromPem(cert_pem, "certificate");
  if (!cert.ok()) return cert.status();
  auto ca = CertFromPem(ca_pem, "CA certificate");
  if (!ca.ok()) return ca.status();
  StorePtr store(X509_STORE_new());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca->get()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert->get(), nullptr) != 1)
    return OpensslError("certificate check");
  if (at) X509_STORE_CTX_set_time(ctx.get(), 0, absl::ToTimeT(*at));
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return absl::DataLossError(absl::StrCat("certificate not issued by the given CA: ",
                                            X509_verify_cert_error_string(err)));
  }
  return absl::OkStatus();
}

absl::Status KeyMatchesCertificate(EVP_PKEY* key, absl::string_view cert_pem) {
  auto cert = CertFromPem(cert_pem, "certificate");
  if (!cert.ok()) return cert.status();
  if (X509_check_private_key(cert->get(), key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("private key does not belong to the certificate");
  }
  return absl::OkStatus();
}

}  // namespace bidopen::crypto
