#include "core/seal/bid_plaintext.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/crypto/sha256.h"
#include "core/seal/format.h"
#include "core/seal/manifest.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

absl::Status Loss(absl::string_view message) {
  return absl::DataLossError(absl::StrCat("sealed bid: ", message));
}

// Moves up to `want` bytes from the front of `*bytes` to the end of `*out`.
void Move(absl::string_view* bytes, size_t want, std::string* out) {
  const size_t take = std::min(want, bytes->size());
  out->append(bytes->data(), take);
  bytes->remove_prefix(take);
}

}  // namespace

absl::Status BidSink::OnManifest(const v1::BidManifest&) { return absl::OkStatus(); }
absl::Status BidSink::OnDocumentBegin(int, const v1::Document&) { return absl::OkStatus(); }
absl::Status BidSink::OnDocumentData(int, absl::string_view) { return absl::OkStatus(); }
absl::Status BidSink::OnDocumentEnd(int, const v1::Document&) { return absl::OkStatus(); }

std::string PlaintextPrefix(absl::string_view manifest_bytes) {
  std::string prefix;
  AppendU32(&prefix, static_cast<uint32_t>(manifest_bytes.size()));
  absl::StrAppend(&prefix, manifest_bytes);
  return prefix;
}

PlaintextParser::PlaintextParser(const v1::SealedHeader& header, BidSink* sink)
    : header_(header), sink_(sink != nullptr ? sink : &default_sink_) {}

absl::Status PlaintextParser::Consume(absl::string_view bytes) {
  while (!bytes.empty()) {
    switch (state_) {
      case State::kLength:
        BO_RETURN_IF_ERROR(TakeLength(&bytes));
        break;
      case State::kManifest:
        BO_RETURN_IF_ERROR(TakeManifest(&bytes));
        break;
      case State::kDocuments:
        BO_RETURN_IF_ERROR(TakeDocument(&bytes));
        break;
      case State::kDone:
        return Loss(absl::StrCat(bytes.size(), " bytes of plaintext after the last document"));
    }
  }
  return absl::OkStatus();
}

absl::Status PlaintextParser::TakeLength(absl::string_view* bytes) {
  Move(bytes, 4 - buffer_.size(), &buffer_);
  if (buffer_.size() < 4) return absl::OkStatus();
  manifest_size_ = ReadU32(buffer_);
  buffer_.clear();
  if (manifest_size_ > kMaxManifestSize)
    return Loss(absl::StrCat("manifest length ", manifest_size_, " exceeds ", kMaxManifestSize));
  state_ = State::kManifest;
  return manifest_size_ == 0 ? ParseManifest() : absl::OkStatus();
}

absl::Status PlaintextParser::TakeManifest(absl::string_view* bytes) {
  Move(bytes, manifest_size_ - buffer_.size(), &buffer_);
  if (buffer_.size() < manifest_size_) return absl::OkStatus();
  return ParseManifest();
}

absl::Status PlaintextParser::ParseManifest() {
  if (crypto::Sha256(buffer_) != header_.manifest_sha256())
    return Loss("the manifest's SHA-256 differs from manifest_sha256 in the header");
  if (!manifest_.ParseFromString(buffer_)) return Loss("the manifest does not parse");
  std::string().swap(buffer_);
  BO_RETURN_IF_ERROR(CheckManifestAgainstHeader(manifest_, header_));
  BO_RETURN_IF_ERROR(sink_->OnManifest(manifest_));
  state_ = State::kDocuments;
  document_ = -1;
  return StartNextDocuments();
}

// Moves to the next document, ending at once every empty one on the way.
absl::Status PlaintextParser::StartNextDocuments() {
  while (++document_ < manifest_.documents_size()) {
    const v1::Document& doc = manifest_.documents(document_);
    BO_RETURN_IF_ERROR(sink_->OnDocumentBegin(document_, doc));
    remaining_ = doc.size();
    if (remaining_ > 0) return absl::OkStatus();
    BO_RETURN_IF_ERROR(EndDocument());
  }
  state_ = State::kDone;
  return absl::OkStatus();
}

absl::Status PlaintextParser::TakeDocument(absl::string_view* bytes) {
  const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, bytes->size()));
  const absl::string_view piece = bytes->substr(0, take);
  bytes->remove_prefix(take);
  document_hash_.Update(piece);
  remaining_ -= take;
  BO_RETURN_IF_ERROR(sink_->OnDocumentData(document_, piece));
  if (remaining_ > 0) return absl::OkStatus();
  BO_RETURN_IF_ERROR(EndDocument());
  return StartNextDocuments();
}

absl::Status PlaintextParser::EndDocument() {
  const v1::Document& doc = manifest_.documents(document_);
  if (document_hash_.Finish() != doc.sha256())
    return Loss(absl::StrCat("document ", document_, " (", doc.name(),
                             "): its SHA-256 differs from the manifest"));
  return sink_->OnDocumentEnd(document_, doc);
}

absl::Status PlaintextParser::Finish() {
  switch (state_) {
    case State::kDone:
      return absl::OkStatus();
    case State::kDocuments: {
      const v1::Document& doc = manifest_.documents(document_);
      return Loss(absl::StrCat("the plaintext ends inside document ", document_, " (", doc.name(),
                               ") after ", doc.size() - remaining_, " of ", doc.size(), " bytes"));
    }
    default:
      return Loss("the plaintext ends inside the manifest");
  }
}

absl::StatusOr<v1::BidManifest> ReadBid(SealReader& reader, absl::string_view data_key,
                                        BidSink* sink) {
  PlaintextParser parser(reader.header(), sink);
  BO_RETURN_IF_ERROR(reader.ReadPlaintext(
      data_key, [&](absl::string_view piece) { return parser.Consume(piece); }));
  BO_RETURN_IF_ERROR(parser.Finish());
  return parser.manifest();
}

}  // namespace bidopen::seal
