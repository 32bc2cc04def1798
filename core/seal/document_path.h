// Where an opened bid's document is written: DIR/<its name>, never outside
// DIR. The format already keeps '/', '\', "." and ".." out of document names
// (CheckDocumentName); a client writing files checks again, since the names
// come from the server. Pure: no file is touched.
#ifndef BIDOPEN_CORE_SEAL_DOCUMENT_PATH_H_
#define BIDOPEN_CORE_SEAL_DOCUMENT_PATH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bidopen::seal {

// DIR/NAME. INVALID_ARGUMENT if `dir` is empty, or naming documents[index].name
// if the name could leave DIR or is not a file name (CheckDocumentName).
absl::StatusOr<std::string> DocumentOutputPath(absl::string_view dir, absl::string_view name,
                                               int index);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_DOCUMENT_PATH_H_
