// The documents of a v2 sealed bid: their names, and the table of names and
// sizes that starts the payload after the values section.
#ifndef BIDOPEN_CORE_SEAL_DOCUMENTS_H_
#define BIDOPEN_CORE_SEAL_DOCUMENTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"

namespace bidopen::seal {

inline constexpr int kMaxDocuments = 1000;
inline constexpr size_t kMaxDocumentName = 255;

// A document name is 1..255 bytes of UTF-8 with no control character, '/' or
// '\', and is not "." or "..": it may become a file name when a bid is opened.
// INVALID_ARGUMENT naming documents[index].name.
absl::Status CheckDocumentName(absl::string_view name, int index);

// uint32 BE count || per document: LP(name) || uint64 BE size.
std::string DocumentTable(const std::vector<v1::Document>& documents);

// values_size + the table + the documents' bytes + 32 bytes per document.
uint64_t PlaintextSize(uint32_t values_size, const std::vector<v1::Document>& documents);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_DOCUMENTS_H_
