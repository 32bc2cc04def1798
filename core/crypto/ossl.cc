#include "core/crypto/ossl.h"

#include <openssl/err.h>

#include "absl/strings/str_cat.h"

namespace bidopen::crypto {

absl::Status OpensslError(absl::string_view what) {
  std::string detail;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    absl::StrAppend(&detail, detail.empty() ? "" : "; ", buf);
  }
  return absl::InternalError(
      absl::StrCat(what, detail.empty() ? "" : ": ", detail));
}

}  // namespace bidopen::crypto
