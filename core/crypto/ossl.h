// RAII owners for OpenSSL handles. No raw *_free outside this header.
#ifndef BIDOPEN_CORE_CRYPTO_OSSL_H_
#define BIDOPEN_CORE_CRYPTO_OSSL_H_

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"

namespace bidopen::crypto {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using MdPtr = std::unique_ptr<EVP_MD, Deleter<EVP_MD_free>>;
using KdfPtr = std::unique_ptr<EVP_KDF, Deleter<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;
using ExtKeyUsagePtr = std::unique_ptr<EXTENDED_KEY_USAGE, Deleter<EXTENDED_KEY_USAGE_free>>;

inline void FreeOpensslBytes(unsigned char* p) { OPENSSL_free(p); }
// Bytes OpenSSL allocated for the caller (ASN1_STRING_to_UTF8, i2d_*).
using OpensslBytesPtr = std::unique_ptr<unsigned char, Deleter<FreeOpensslBytes>>;

// The current OpenSSL error queue as text, prefixed by what failed; clears the queue.
absl::Status OpensslError(absl::string_view what);

}  // namespace bidopen::crypto

#endif  // BIDOPEN_CORE_CRYPTO_OSSL_H_
