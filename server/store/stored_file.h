// A committed bid's sealed file as stored (bid_chunks), read in pages as a
// byte source: the same SealReader that opens a file on a bidder's machine
// opens it here (design.md §9, core takes byte sources).
#ifndef BIDOPEN_SERVER_STORE_STORED_FILE_H_
#define BIDOPEN_SERVER_STORE_STORED_FILE_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>

#include "absl/status/statusor.h"
#include "core/seal/digest.h"
#include "server/store/pg.h"

namespace bidopen::store {

// Reads [0, size) of upload `upload_id` chunk page by chunk page, in place:
// the stream reads straight out of the page's PGresult, so no chunk is copied
// (copying every 256 KiB row into fresh memory was most of the opening's cost:
// bench/README.md "Opening: decryption"). A read error or a gap ends the
// stream early; status() says which.
class StoredFileBuf : public std::streambuf {
 public:
  StoredFileBuf(Conn& conn, int64_t upload_id, uint64_t size)
      : conn_(conn), upload_id_(upload_id), size_(size) {}
  const absl::Status& status() const { return status_; }
  // Reads what is left and returns the SHA-256 of every byte this buffer
  // handed out: the file exactly as the reader read it (one read: a row
  // changed between two reads cannot make them disagree). Once.
  absl::StatusOr<std::string> DrainAndHash();

 protected:
  int_type underflow() override;

 private:
  bool NextPage();
  Conn& conn_;
  int64_t upload_id_;
  uint64_t size_;
  uint64_t next_ = 0;  // file offset of the next chunk to read
  std::optional<Result> page_;
  seal::Sha256Stream hash_;
  int row_ = 0;  // the next row of page_ to hand out
  absl::Status status_;
};

// The stored file's pieces in order, to `fn` (stops at fn's first error).
absl::Status ForEachStoredPiece(Conn& conn, int64_t upload_id, uint64_t size,
                                const std::function<absl::Status(uint64_t, std::string&)>& fn);

// The sealed header bytes at the start of the stored file (the magic and
// length checked by SealReader::Open, which reads no further).
absl::StatusOr<std::string> ReadStoredHeader(Conn& conn, int64_t upload_id, uint64_t size);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_STORED_FILE_H_
