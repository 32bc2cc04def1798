#include "core/seal/digest.h"

#include <openssl/evp.h>

#include <cstdlib>

namespace bidopen::seal {
namespace {

// SHA-256 cannot fail short of memory exhaustion; treat that as fatal.
void Check(int rc) {
  if (rc != 1) std::abort();
}

}  // namespace

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_) std::abort();
  Check(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr));
}

void Sha256Stream::Update(absl::string_view bytes) {
  Check(EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size()));
}

std::string Sha256Stream::Finish() {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  Check(EVP_DigestFinal_ex(ctx_.get(), reinterpret_cast<unsigned char*>(out.data()), &len));
  out.resize(len);
  Check(EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr));
  return out;
}

}  // namespace bidopen::seal
