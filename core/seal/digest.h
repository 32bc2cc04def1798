// Incremental SHA-256, for documents and sealed files that are never held whole.
#ifndef BIDOPEN_CORE_SEAL_DIGEST_H_
#define BIDOPEN_CORE_SEAL_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "core/crypto/ossl.h"

namespace bidopen::seal {

class Sha256Stream {
 public:
  Sha256Stream();
  void Update(absl::string_view bytes);
  // The raw 32-byte digest of everything given so far; the stream starts over.
  std::string Finish();

 private:
  crypto::MdCtxPtr ctx_;
};

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_DIGEST_H_
