#include "server/store/stored_file.h"

#include <sstream>

#include "absl/strings/str_cat.h"
#include "core/seal/digest.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"
#include "server/store/bid_store.h"

namespace bidopen::store {

bool StoredFileBuf::NextPage() {
  setg(nullptr, nullptr, nullptr);  // nothing may point into the page freed here
  page_.reset();
  row_ = 0;
  if (next_ >= size_ || !status_.ok()) return false;
  absl::StatusOr<Result> page = ReadChunkRows(conn_, upload_id_, next_, size_);
  if (!page.ok()) {
    status_ = page.status();
    return false;
  }
  if (page->rows() == 0 || static_cast<uint64_t>(page->Int64(0, 0)) != next_) {
    status_ = absl::DataLossError(
        absl::StrCat("stored bid file (upload ", upload_id_, "): no chunk at offset ", next_));
    return false;
  }
  page_ = *std::move(page);
  return true;
}

StoredFileBuf::int_type StoredFileBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    if ((!page_ || row_ >= page_->rows()) && !NextPage()) return traits_type::eof();
    const uint64_t pos = static_cast<uint64_t>(page_->Int64(row_, 0));
    const absl::string_view data = page_->Bytes(row_++, 1);
    if (pos != next_) {
      status_ = absl::DataLossError(
          absl::StrCat("stored bid file (upload ", upload_id_, "): gap at offset ", next_));
      return traits_type::eof();
    }
    next_ += data.size();
    hash_.Update(data);
    if (data.empty()) continue;
    char* begin = const_cast<char*>(data.data());  // read only: the stream never writes back
    setg(begin, begin, begin + data.size());
    return traits_type::to_int_type(*gptr());
  }
}

absl::StatusOr<std::string> StoredFileBuf::DrainAndHash() {
  while (underflow() != traits_type::eof()) setg(egptr(), egptr(), egptr());
  if (!status_.ok()) return status_;
  return hash_.Finish();
}

absl::Status ForEachStoredPiece(Conn& conn, int64_t upload_id, uint64_t size,
                                const std::function<absl::Status(uint64_t, std::string&)>& fn) {
  uint64_t at = 0;
  while (at < size) {
    BO_ASSIGN_OR_RETURN(auto page, ReadChunkPage(conn, upload_id, at, size));
    if (page.empty() || page.front().first != at)
      return absl::DataLossError(
          absl::StrCat("stored bid file (upload ", upload_id, "): no chunk at offset ", at));
    for (auto& [pos, data] : page) {
      if (pos != at) return absl::DataLossError(absl::StrCat("stored bid file: gap at ", at));
      at += data.size();
      BO_RETURN_IF_ERROR(fn(pos, data));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadStoredHeader(Conn& conn, int64_t upload_id, uint64_t size) {
  constexpr uint64_t kMaxPrefix = 17 + 4 + 65536;  // magic, length, the largest header
  std::string prefix;
  absl::Status read = ForEachStoredPiece(conn, upload_id, std::min(size, kMaxPrefix),
                                         [&](uint64_t, std::string& data) {
                                           prefix += data;
                                           return absl::OkStatus();
                                         });
  if (!read.ok()) return read;
  std::istringstream in(prefix);
  BO_ASSIGN_OR_RETURN(seal::SealReader reader, seal::SealReader::Open(in));
  return reader.header_bytes();
}

}  // namespace bidopen::store
