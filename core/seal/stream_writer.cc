#include "core/seal/stream_writer.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/crypto/aead.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/header.h"
#include "core/status_macros.h"

namespace bidopen::seal {

SealWriter::SealWriter(std::ostream& out, bool hash_file, Env* env) : out_(&out) {
  if (hash_file) file_hash_ = env != nullptr ? env->NewHasher() : InlineHasher();
}

absl::Status SealWriter::CheckState(State want) const {
  if (state_ == want) return absl::OkStatus();
  if (state_ == State::kFailed)
    return absl::FailedPreconditionError("sealed bid writer: an earlier step failed");
  return absl::FailedPreconditionError(
      absl::StrCat("sealed bid writer: called out of order (Begin, then Write..., then Finish)"));
}

absl::Status SealWriter::Fail(absl::Status st) {
  if (!st.ok()) state_ = State::kFailed;
  return st;
}

absl::Status SealWriter::Emit(absl::string_view bytes) {
  out_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!*out_) return absl::DataLossError("sealed bid: writing the output failed (disk full?)");
  if (file_hash_) file_hash_->Update(bytes);
  file_size_ += bytes.size();
  return absl::OkStatus();
}

absl::Status SealWriter::SealChunk(absl::string_view piece, bool last) {
  if (next_index_ > std::numeric_limits<uint32_t>::max())
    return absl::OutOfRangeError(absl::StrCat("sealed bid: more than 2^32 chunks of ", chunk_size_,
                                              " bytes; use a larger chunk size"));
  BO_RETURN_IF_ERROR(
      cipher_->SealInto(static_cast<uint32_t>(next_index_), last, piece, sealed_.data()));
  ++next_index_;
  return Emit(absl::string_view(sealed_.data(), piece.size() + crypto::kGcmTagSize));
}

absl::Status SealWriter::Begin(const v1::SealedHeader& header, absl::string_view secret) {
  BO_RETURN_IF_ERROR(CheckState(State::kNew));
  BO_RETURN_IF_ERROR(Fail(ValidateHeader(header)));
  auto payload_key = PayloadKey(secret, ContextHash(header));
  if (!payload_key.ok()) return Fail(payload_key.status());
  const std::string header_bytes = EncodeHeader(header);
  if (header_bytes.size() > kMaxHeaderSize)
    return Fail(absl::InvalidArgumentError(
        absl::StrCat("sealed header: ", header_bytes.size(), " bytes; at most ", kMaxHeaderSize)));
  header_hash_ = HeaderHash(header_bytes);
  cipher_.emplace(*std::move(payload_key), NoncePrefix(), header_hash_);
  chunk_size_ = header.chunk_size();
  pending_.reserve(chunk_size_);
  sealed_.resize(chunk_size_ + crypto::kGcmTagSize);  // sized once: no zero-fill per chunk
  std::string framing(kMagic);
  AppendU32(&framing, static_cast<uint32_t>(header_bytes.size()));
  BO_RETURN_IF_ERROR(Fail(Emit(framing)));
  BO_RETURN_IF_ERROR(Fail(Emit(header_bytes)));
  state_ = State::kWriting;
  return absl::OkStatus();
}

absl::Status SealWriter::Write(absl::string_view plaintext) {
  BO_RETURN_IF_ERROR(CheckState(State::kWriting));
  plaintext_size_ += plaintext.size();
  while (!plaintext.empty()) {
    if (pending_.empty() && plaintext.size() >= chunk_size_) {
      BO_RETURN_IF_ERROR(Fail(SealChunk(plaintext.substr(0, chunk_size_), false)));
      plaintext.remove_prefix(chunk_size_);
      continue;
    }
    const size_t take = std::min(plaintext.size(), chunk_size_ - pending_.size());
    pending_.append(plaintext.data(), take);
    plaintext.remove_prefix(take);
    if (pending_.size() < chunk_size_) continue;
    BO_RETURN_IF_ERROR(Fail(SealChunk(pending_, false)));
    pending_.clear();
  }
  return absl::OkStatus();
}

absl::Status SealWriter::Finish() {
  BO_RETURN_IF_ERROR(CheckState(State::kWriting));
  BO_RETURN_IF_ERROR(Fail(SealChunk(pending_, true)));
  pending_.clear();
  out_->flush();
  if (!*out_) return Fail(absl::DataLossError("sealed bid: flushing the output failed"));
  if (file_hash_) file_sha256_ = file_hash_->Finish();
  state_ = State::kFinished;
  return absl::OkStatus();
}

}  // namespace bidopen::seal
