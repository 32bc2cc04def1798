// The plaintext inside a sealed bid: uint32 BE manifest length, the manifest
// (deterministic BidManifest), then each document's bytes in manifest order.
// The parser checks it against the header as it streams by and hands the
// pieces to a BidSink; nothing but the manifest is ever held whole.
#ifndef BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_
#define BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "core/seal/digest.h"
#include "core/seal/stream_reader.h"

namespace bidopen::seal {

// Where an opened bid goes. Every callback may refuse (the reading stops with
// its status). Defaults ignore everything.
class BidSink {
 public:
  virtual ~BidSink() = default;
  virtual absl::Status OnManifest(const v1::BidManifest& manifest);
  virtual absl::Status OnDocumentBegin(int index, const v1::Document& document);
  virtual absl::Status OnDocumentData(int index, absl::string_view bytes);
  // After the document's size and SHA-256 have been checked against the manifest.
  virtual absl::Status OnDocumentEnd(int index, const v1::Document& document);
};

// uint32 BE length || manifest bytes: the start of the plaintext.
std::string PlaintextPrefix(absl::string_view manifest_bytes);

class PlaintextParser {
 public:
  // `header` and `sink` must outlive the parser; `sink` may be null.
  PlaintextParser(const v1::SealedHeader& header, BidSink* sink);

  // DATA_LOSS if the plaintext contradicts the header (manifest hash, tender,
  // lot, bidder), a document's SHA-256 differs, or bytes follow the last document.
  absl::Status Consume(absl::string_view bytes);
  // DATA_LOSS if the plaintext ended early (inside the manifest or a document).
  absl::Status Finish();

  const v1::BidManifest& manifest() const { return manifest_; }

 private:
  enum class State { kLength, kManifest, kDocuments, kDone };

  absl::Status TakeLength(absl::string_view* bytes);
  absl::Status TakeManifest(absl::string_view* bytes);
  absl::Status TakeDocument(absl::string_view* bytes);
  absl::Status ParseManifest();
  absl::Status StartNextDocuments();
  absl::Status EndDocument();

  const v1::SealedHeader& header_;
  BidSink default_sink_;
  BidSink* sink_;
  State state_ = State::kLength;
  std::string buffer_;  // length bytes, then the manifest
  uint32_t manifest_size_ = 0;
  v1::BidManifest manifest_;
  int document_ = 0;        // index of the document being read
  uint64_t remaining_ = 0;  // its bytes still to come
  Sha256Stream document_hash_;
};

// Reads the whole plaintext of `reader` with `data_key` through a parser into
// `sink` (may be null) and returns the verified manifest.
absl::StatusOr<v1::BidManifest> ReadBid(SealReader& reader, absl::string_view data_key,
                                        BidSink* sink);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_
