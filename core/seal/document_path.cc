#include "core/seal/document_path.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/seal/documents.h"
#include "core/status_macros.h"

namespace bidopen::seal {

absl::StatusOr<std::string> DocumentOutputPath(absl::string_view dir, absl::string_view name,
                                               int index) {
  if (dir.empty()) return absl::InvalidArgumentError("-o: the output directory is empty");
  BO_RETURN_IF_ERROR(CheckDocumentName(name, index));
  return absl::StrCat(dir, absl::EndsWith(dir, "/") ? "" : "/", name);
}

}  // namespace bidopen::seal
