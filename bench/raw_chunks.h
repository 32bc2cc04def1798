// The raw baseline of the bid-ingest benchmarks: the same chunks of the same
// sealed files inserted with plain libpq, one autocommit INSERT per chunk,
// into raw_chunks(upload_id, pos, data bytea STORAGE EXTERNAL) with the
// primary key bid_chunks has. The chunk goes to libpq as a binary parameter
// straight from the read buffer. Nothing else: no upload row, no hashing.
#ifndef BIDOPEN_BENCH_RAW_CHUNKS_H_
#define BIDOPEN_BENCH_RAW_CHUNKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace bidopen::bench {

// Creates raw_chunks in the database of `conninfo` (empty if it exists).
absl::Status ResetRawChunks(const std::string& conninfo);

struct RawIngest {
  uint64_t bytes = 0;
  uint64_t chunks = 0;
  double seconds = 0;  // first INSERT sent .. last INSERT committed
};

// Inserts every file's chunks of `chunk` bytes, files in order, on
// `connections` connections in parallel (each takes the next file).
absl::StatusOr<RawIngest> RawInsertFiles(const std::string& conninfo,
                                         const std::vector<std::string>& files, size_t chunk,
                                         int connections = 1);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_RAW_CHUNKS_H_
