#include "core/seal/stream_reader.h"

#include <limits>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/seal/release_check.h"
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
  if (absl::StartsWith(got, kMagicStem)) {
    const absl::string_view version = got.substr(kMagicStem.size(), got.size() - 16);
    if (version == "1")
      return absl::InvalidArgumentError(
          "sealed bid: format version 1 is no longer accepted (its header lets the price be "
          "guessed and its releases cannot be checked); seal the bid again with this bidctl "
          "(`bidctl bid seal`), which writes format version 2");
    return absl::InvalidArgumentError(absl::StrCat("sealed bid: format version \"", version,
                                                   "\" is not supported; this build reads "
                                                   "version 2"));
  }
  return absl::InvalidArgumentError(
      "not a bidopen sealed bid: the file does not start with \"BIDOPEN-SEALED\\n2\\n\"");
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
      header_hash_(HeaderHash(header_bytes_)),
      ctx_hash_(ContextHash(header_)) {}

absl::StatusOr<SealReader> SealReader::Open(std::istream& in) {
  BO_ASSIGN_OR_RETURN(std::string bytes, ReadHeaderBytes(in));
  BO_ASSIGN_OR_RETURN(v1::SealedHeader header, DecodeHeader(bytes));
  return SealReader(&in, std::move(bytes), std::move(header));
}

uint64_t SealReader::file_size() const { return ExpectedFileSize(header_bytes_.size(), header_); }

uint64_t SealReader::ChunkCount() const {
  return header_.plaintext_size() / header_.chunk_size() + 1;
}

absl::StatusOr<crypto::Secret> SealReader::SecretFrom(absl::string_view bidder_private) const {
  BO_ASSIGN_OR_RETURN(crypto::Secret s, UnwrapBidderSecret(header_, bidder_private));
  BO_RETURN_IF_ERROR(CheckBidderSecret(header_, s.view()));
  return s;
}

absl::Status SealReader::UseSecret(absl::string_view secret) {
  if (secret.size() != kSecretSize)
    return absl::InvalidArgumentError(
        absl::StrCat("bid secret: ", secret.size(), " bytes; must be ", kSecretSize));
  if (!SecretEquals(SecretCommitment(kSecretLabel, ctx_hash_, secret), header_.secret_commitment()))
    return absl::DataLossError(
        "sealed bid: the bid secret given does not match secret_commitment in the header; "
        "nothing was decrypted");
  if (cipher_) return absl::OkStatus();  // s is the one secret the commitment admits
  BO_ASSIGN_OR_RETURN(crypto::Secret key, PayloadKey(secret, ctx_hash_));
  cipher_.emplace(std::move(key), NoncePrefix(), header_hash_);
  return absl::OkStatus();
}

absl::Status SealReader::ReadSealedChunk(uint64_t index) {
  const uint64_t last = ChunkCount() - 1;
  const size_t want =
      (index < last ? header_.chunk_size() : header_.plaintext_size() % header_.chunk_size()) +
      crypto::kGcmTagSize;
  const size_t got = ReadUpTo(*in_, want, &sealed_);
  if (in_->bad())
    return absl::DataLossError(absl::StrCat("sealed bid: chunk ", index, ": read error"));
  if (got < want)
    return absl::DataLossError(absl::StrCat(
        "sealed bid: the file is truncated: it ends in chunk ", index, " of ", last + 1, " (", got,
        " of ", want, " bytes); the header says the file is ", file_size(), " bytes"));
  return absl::OkStatus();
}

absl::Status SealReader::CheckEnd() {
  std::string extra;
  const size_t got = ReadUpTo(*in_, 1, &extra);
  if (got == 0) return absl::OkStatus();
  uint64_t more = 1;
  while (ReadUpTo(*in_, 1 << 16, &extra) > 0) more += extra.size();
  return absl::DataLossError(absl::StrCat("sealed bid: ", more,
                                          " bytes follow the final chunk: the file is longer "
                                          "than the ",
                                          file_size(), " bytes its header says"));
}

absl::Status SealReader::OpenNextChunk() {
  if (!sealed_ready_) {
    BO_RETURN_IF_ERROR(ReadSealedChunk(next_index_));
    sealed_ready_ = true;
  }
  const bool last = next_index_ + 1 == ChunkCount();
  plain_.clear();
  BO_RETURN_IF_ERROR(cipher_->Open(static_cast<uint32_t>(next_index_), last, sealed_, &plain_));
  sealed_ready_ = false;
  ++next_index_;
  last_ = last;
  held_ = true;
  return last ? CheckEnd() : absl::OkStatus();
}

absl::Status SealReader::CheckSecret(absl::string_view secret) {
  if (next_index_ > 1 || (next_index_ == 1 && !held_))
    return absl::FailedPreconditionError(
        "sealed bid reader: CheckSecret after the plaintext was read");
  BO_RETURN_IF_ERROR(UseSecret(secret));
  if (held_) return absl::OkStatus();
  return OpenNextChunk();
}

absl::Status SealReader::ReadPlaintext(absl::string_view secret, const PieceFn& sink) {
  BO_RETURN_IF_ERROR(UseSecret(secret));
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
