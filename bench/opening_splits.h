// The raw baseline of the opening benchmark and the timing splits of the
// server's decryption path, all in this process on the server's database:
// the same stored chunks of the same bids, one bid after another on one
// connection, as bidopend's opener thread reads them.
#ifndef BIDOPEN_BENCH_OPENING_SPLITS_H_
#define BIDOPEN_BENCH_OPENING_SPLITS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/tender.pb.h"

namespace bidopen::bench {

// One committed bid as the opening sees it.
struct StoredBid {
  uint64_t seq = 0;
  int64_t upload_id = 0;
  uint64_t size = 0;   // of the sealed file
  std::string secret;  // s, as the bidder releases it
};

// The upload ids of `seqs` (from the server's bids table).
absl::Status FindUploads(const std::string& conninfo, std::vector<StoredBid>* bids);

struct RawTimes {
  double seconds = 0;  // the whole raw path
  double query = 0;    // of which in PQexecParams (the server sending the rows)
  double aes = 0;      // of which AES-256-GCM
  uint64_t bytes = 0;
};

// The raw path: per bid `SELECT data FROM bid_chunks WHERE upload_id = $1
// ORDER BY pos` (binary), then AES-256-GCM decryption of every sealed chunk
// (64 KiB + tag, the same records the sealed file has) with one EVP context
// keyed once, no checks (the tag result is ignored; the key is random).
absl::StatusOr<RawTimes> RawOpen(const std::string& conninfo, const std::vector<StoredBid>& bids);

// Splits of the server's path, each over every bid, in seconds. The
// single-threaded ones are interleaved bid by bid.
struct ServerSplits {
  double raw_query = 0;  // the raw path's SELECT alone (one query per bid)
  double raw_open = 0;   // the raw path (SELECT + AES), as RawOpen
  double read = 0;       // store::StoredFileBuf drained (pages of 16 chunks)
  double pages = 0;      // store::ForEachStoredPiece, nothing done with the pieces
  double raw_pages = 0;  // plain libpq, the same paged query (LIMIT 16) unprepared, no copies
  double decrypt = 0;    // what OpeningApp::Decrypt does: FindBid, StoredFileBuf,
                         // SealReader::Open, seal::ReadBid with the secret and the lot's form
  double decrypt_zero_copy = 0;  // the same with the chunks read in place from the PGresult
                                 // (no copy per row), pages of 16 as StoredFileBuf
  double decrypt_parallel = 0;   // the same on `threads` threads, a connection each
  double sha256 = 0;  // SHA-256 over as many bytes, from memory (the document hash's cost)
  double aes = 0;     // crypto::AesGcmOpenTo per 64 KiB chunk from memory, as ChunkCipher::Open
  uint64_t bytes = 0;
};
absl::StatusOr<ServerSplits> TimeServerPath(const std::string& conninfo,
                                            const std::vector<StoredBid>& bids,
                                            const v1::LotSpec& spec, int threads);

// The server's own times of the opening, from the events it appended (their
// `time`): first KeyReleased to the last BidDecrypted that opened.
struct LogTimes {
  double release_to_last_decrypted = 0;  // seconds
  double first_to_last_decrypted = 0;    // between the first and last BidDecrypted
  int decrypted = 0;                     // BidDecrypted events that opened
};
absl::StatusOr<LogTimes> ReadLogTimes(const std::string& conninfo, const std::string& tender_id);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_OPENING_SPLITS_H_
