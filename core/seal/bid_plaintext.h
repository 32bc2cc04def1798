// The plaintext inside a v2 sealed bid (docs/sealed-bid-format.md §6):
//   values section (values_size bytes, values_section.h)
//   uint32 BE document count || per document: LP(name) || uint64 BE size
//   the documents' bytes, in table order
//   per document: its SHA-256 (32 bytes)          <- the final part
// The parser checks it against the header as it streams by and hands the
// pieces to a BidSink, which accepts nothing before Commit: that comes only
// once the whole file has verified.
#ifndef BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_
#define BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bidopen/v1/seal.pb.h"
#include "bidopen/v1/tender.pb.h"
#include "core/seal/digest.h"
#include "core/seal/documents.h"
#include "core/seal/stream_reader.h"

namespace bidopen::seal {

// Where an opened bid goes. Everything before Commit is tentative: a sink
// shows, stores as accepted or announces nothing until Commit, and drops
// everything on Discard. Every callback may refuse (the reading stops).
class BidSink {
 public:
  virtual ~BidSink() = default;
  virtual absl::Status OnValues(const std::vector<v1::FormValue>& values);
  // `document` has name and size; its SHA-256 comes in the final part.
  virtual absl::Status OnDocumentBegin(int index, const v1::Document& document);
  virtual absl::Status OnDocumentData(int index, absl::string_view bytes);
  // Once, after every chunk, every document hash and the values commitment
  // verified. `opened` has the values and every document with its SHA-256.
  virtual absl::Status Commit(const v1::BidManifest& opened);
  // Instead of Commit, when the read fails.
  virtual void Discard(const absl::Status& why);
};

class PlaintextParser {
 public:
  // `header` and `sink` must outlive the parser; `sink` may be null.
  // `values_key` is r_v, to check the values commitment.
  PlaintextParser(const v1::SealedHeader& header, std::string values_key, BidSink* sink);

  // DATA_LOSS if the plaintext contradicts the header (values commitment,
  // sizes), a document table is not canonical, or a document's SHA-256 differs.
  absl::Status Consume(absl::string_view bytes);
  // DATA_LOSS if the plaintext ended early.
  absl::Status Finish();

  // The values and documents (with their SHA-256). REQUIRES: Finish() is OK.
  const v1::BidManifest& opened() const { return opened_; }

 private:
  enum class State { kValues, kCount, kNameLength, kName, kSize, kDocuments, kHashes, kDone };

  bool Fill(absl::string_view* bytes, size_t want);
  absl::Status Step(absl::string_view* bytes);
  absl::Status TakeValues();
  absl::Status TakeCount();
  absl::Status TakeName();
  absl::Status TakeSize();
  absl::Status TakeDocument(absl::string_view* bytes);
  absl::Status StartDocuments();
  absl::Status NextDocument();
  absl::Status TakeHashes();

  const v1::SealedHeader& header_;
  std::string values_key_;
  BidSink default_sink_;
  BidSink* sink_;
  State state_ = State::kValues;
  std::string buffer_;
  size_t need_ = 0;
  uint32_t count_ = 0;
  v1::BidManifest opened_;
  std::vector<std::string> hashes_;
  int document_ = 0;
  uint64_t remaining_ = 0;
  Sha256Stream document_hash_;
};

// Reads the whole bid with the bid secret s: checks s against the header's
// commitment before decrypting anything, reads every chunk through a parser,
// applies `form` again if given (the lot's opening form), and only then calls
// sink->Commit; on any error sink->Discard. Returns what the bid holds.
absl::StatusOr<v1::BidManifest> ReadBid(SealReader& reader, absl::string_view secret, BidSink* sink,
                                        const v1::LotSpec* form = nullptr);

}  // namespace bidopen::seal

#endif  // BIDOPEN_CORE_SEAL_BID_PLAINTEXT_H_
