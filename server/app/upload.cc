#include "server/app/upload.h"

namespace bidopen::app {

absl::Status Upload::Absorb(absl::string_view bytes) {
  sha_.Update(bytes);
  return header_.Feed(bytes);
}

}  // namespace bidopen::app
