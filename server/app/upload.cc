#include "server/app/upload.h"

namespace bidopen::app {

absl::Status Upload::Absorb(absl::string_view bytes) {
  sha_.Update(bytes);
  return header_.Feed(bytes);
}

absl::Status Upload::Stored(absl::string_view bytes) {
  row_.received += bytes.size();
  return Absorb(bytes);
}

}  // namespace bidopen::app
