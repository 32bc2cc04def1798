// The bid manifest: what a bid declares (its opening-form values) and the
// documents whose bytes follow it in the sealed payload, with size and SHA-256.
#ifndef BIDOPEN_CORE_SEAL_MANIFEST_H_
#define BIDOPEN_CORE_SEAL_MANIFEST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/seal/form_values.h"

namespace bidopen::seal {

inline constexpr int kMaxDocuments = 1000;
inline constexpr size_t kMaxDocumentName = 255;
// Documents are read from disk in pieces of this size.
inline constexpr size_t kReadPieceSize = 256 * 1024;

// A document to seal: its name in the bid (empty: the file's base name) and
// where it is on disk. The file is read twice (hash, then seal), in pieces.
struct DocumentSource {
  std::string name;
  std::string path;
};

// Whose bid this is and for which lot.
struct BidIdentity {
  std::string tender_id;
  int32_t lot = 0;
  std::string bidder;  // hex certificate fingerprint
};

// Checks the form values against `spec` (form_values.h) and hashes each
// document by streaming it. INVALID_ARGUMENT naming `form.<field>` or
// `documents[i].name`; NOT_FOUND etc. naming `documents[i]` and its path.
absl::StatusOr<v1::BidManifest> BuildManifest(const BidIdentity& id, const v1::LotSpec& spec,
                                              const FormInput& values,
                                              const std::vector<DocumentSource>& documents);

// The size and SHA-256 of one document, read in pieces.
absl::StatusOr<v1::Document> DescribeDocument(const DocumentSource& source, int index);

// A document name is 1..255 bytes of UTF-8 with no control character, '/' or
// '\', and is not "." or "..": it may become a file name when a bid is opened.
absl::Status CheckDocumentName(absl::string_view name, int index);

// The deterministic bytes that are sealed and hashed into the header.
std::string EncodeManifest(const v1::BidManifest& manifest);

// The manifest's own consistency with the header it came under: same tender,
// lot and bidder, valid document names. DATA_LOSS naming the difference.
absl::Status CheckManifestAgainstHeader(const v1::BidManifest& manifest,
                                        const v1::SealedHeader& header);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_MANIFEST_H_
