#include "core/seal/stream_reader.h"

#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/key_release.h"
#include "core/status_macros.h"

namespace bidopen::seal {
namespace {

// Reads up to n bytes; returns how many came.
size_t ReadUpTo(std::istream& in, size_t n, std::string* out) {
  out->resize(n);
  in.read(out->data(), static_cast<std::streamsize>(n));
  out->resize(static_cast<size_t>(in.gcount()));
  return out->size();
}

absl::Status CheckMagic(absl::string_view got) {
  if (got == kMagic) return absl::OkStatus();
  if (absl::StartsWith(got, "BIDOPEN-SEALED\n"))
    return absl::InvalidArgumentError(
        absl::StrCat("sealed bid: format version \"", got.substr(15, got.size() - 16),
                     "\" is not supported; this build reads version 1"));
  return absl::InvalidArgumentError(
      "not a bidopen sealed bid: the file does not start with \"BIDOPEN-SEALED\\n1\\n\"");
}

absl::StatusOr<std::string> ReadHeaderBytes(std::istream& in) {
  std::string bytes;
  BO_RETURN_IF_ERROR(CheckMagic(ReadUpTo(in, kMagic.size(), &bytes) == kMagic.size()
                                    ? absl::string_view(bytes)
                                    : absl::string_view()));
  if (ReadUpTo(in, 4, &bytes) != 4)
    return absl::InvalidArgumentError("sealed bid: the file ends before the header length");
  const uint32_t length = ReadU32(bytes);
  if (length == 0 || length > kMaxHeaderSize)
    return absl::InvalidArgumentError(
        absl::StrCat("sealed bid: header length ", length, " is outside 1..", kMaxHeaderSize));
  if (ReadUpTo(in, length, &bytes) != length)
    return absl::InvalidArgumentError(absl::StrCat("sealed bid: the file ends inside the header (",
                                                   bytes.size(), " of ", length, " bytes)"));
  return bytes;
}

}  // namespace

SealReader::SealReader(std::istream* in, std::string header_bytes, v1::SealedHeader header)
    : in_(in),
      header_bytes_(std::move(header_bytes)),
      header_(std::move(header)),
      header_hash_(HeaderHash(header_bytes_)) {}

absl::StatusOr<SealReader> SealReader::Open(std::istream& in) {
  BO_ASSIGN_OR_RETURN(std::string bytes, ReadHeaderBytes(in));
  BO_ASSIGN_OR_RETURN(v1::SealedHeader header, DecodeHeader(bytes));
  return SealReader(&in, std::move(bytes), std::move(header));
}

absl::StatusOr<std::string> SealReader::DataKeyFrom(absl::string_view bidder_private) const {
  ReleasedKeys released;
  BO_ASSIGN_OR_RETURN(released.bidder_secret, UnwrapBidderSecret(header_, bidder_private));
  return seal::DataKeyFrom(header_, released);
}

absl::StatusOr<std::string> SealReader::DataKeyFromShares(
    const std::vector<crypto::Share>& shares) const {
  ReleasedKeys released;
  released.shares = shares;
  return seal::DataKeyFrom(header_, released);
}

absl::Status SealReader::UseKey(absl::string_view data_key) {
  if (cipher_ && data_key == data_key_) return absl::OkStatus();
  if (next_index_ > 0)
    return absl::FailedPreconditionError(
        "sealed bid reader: chunks were already opened with another data key");
  BO_ASSIGN_OR_RETURN(std::string payload_key, PayloadKey(data_key, header_.nonce_prefix()));
  cipher_.emplace(std::move(payload_key), header_.nonce_prefix(), header_hash_);
  data_key_ = std::string(data_key);
  return absl::OkStatus();
}

absl::Status SealReader::ReadSealedChunk(uint64_t index) {
  if (index > std::numeric_limits<uint32_t>::max())
    return absl::DataLossError("sealed bid: more than 2^32 chunks without a final chunk");
  const size_t got = ReadUpTo(*in_, header_.chunk_size() + crypto::kGcmTagSize, &sealed_);
  if (in_->bad())
    return absl::DataLossError(absl::StrCat("sealed bid: chunk ", index, ": read error"));
  if (got == 0)
    return absl::DataLossError(
        absl::StrCat("sealed bid: chunk ", index,
                     " is missing: the file ends without a final chunk (truncated)"));
  if (got < crypto::kGcmTagSize)
    return absl::DataLossError(absl::StrCat("sealed bid: chunk ", index, " is ", got,
                                            " bytes, shorter than its ", crypto::kGcmTagSize,
                                            "-byte tag (truncated)"));
  return absl::OkStatus();
}

absl::Status SealReader::OpenNextChunk() {
  if (!sealed_ready_) {
    BO_RETURN_IF_ERROR(ReadSealedChunk(next_index_));
    sealed_ready_ = true;
  }
  const bool last = sealed_.size() < header_.chunk_size() + crypto::kGcmTagSize;
  plain_.clear();
  BO_RETURN_IF_ERROR(cipher_->Open(static_cast<uint32_t>(next_index_), last, sealed_, &plain_));
  sealed_ready_ = false;
  ++next_index_;
  last_ = last;
  held_ = true;
  return absl::OkStatus();
}

absl::Status SealReader::CheckDataKey(absl::string_view data_key) {
  if (next_index_ > 1 || (next_index_ == 1 && !held_))
    return absl::FailedPreconditionError(
        "sealed bid reader: CheckDataKey after the plaintext was read");
  BO_RETURN_IF_ERROR(UseKey(data_key));
  if (held_) return absl::OkStatus();
  return OpenNextChunk();
}

absl::Status SealReader::ReadPlaintext(absl::string_view data_key, const PieceFn& sink) {
  BO_RETURN_IF_ERROR(UseKey(data_key));
  if (last_ && !held_)
    return absl::FailedPreconditionError("sealed bid reader: the plaintext was already read");
  while (true) {
    if (!held_) BO_RETURN_IF_ERROR(OpenNextChunk());
    held_ = false;
    BO_RETURN_IF_ERROR(sink(plain_));
    if (last_) return absl::OkStatus();
  }
}

}  // namespace bidopen::seal
