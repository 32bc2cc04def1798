// The raw baseline for append throughput: the same event bytes inserted with
// plain libpq into `raw_events(seq bigint primary key, body bytea)` by the
// same number of threads, each on its own connection. No log head, no Merkle
// nodes, no query tables.
#ifndef BIDOPEN_BENCH_RAW_BASELINE_H_
#define BIDOPEN_BENCH_RAW_BASELINE_H_

#include <string>

#include "bench/load.h"

namespace bidopen::bench {

inline constexpr int kRawBatch = 256;  // as EventLog::kMaxBatch

// Creates raw_events if missing and empties it (seq restarts at 0).
void ResetRawTable(const std::string& conninfo);

// (i) One INSERT per transaction (autocommit): one round trip and one commit per row.
void RawOneRowPerTx(const std::string& conninfo, Load& load);

// (ii) BEGIN, kRawBatch single-row INSERTs, COMMIT: one round trip per row,
// one commit per kRawBatch rows.
void RawBatchPerTx(const std::string& conninfo, Load& load);

// (iii) kRawBatch rows in one INSERT ... SELECT FROM unnest(...) statement:
// one round trip and one commit per kRawBatch rows.
void RawBatchOneStatement(const std::string& conninfo, Load& load);

}  // namespace bidopen::bench

#endif  // BIDOPEN_BENCH_RAW_BASELINE_H_
