// The signed opening records (migration 0012): stored next to the log, never
// trusted as stored (server/app/opening_record.cc checks each row against the
// log key and the fold before answering it).
#ifndef BIDOPEN_SERVER_STORE_RECORD_ROWS_H_
#define BIDOPEN_SERVER_STORE_RECORD_ROWS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "server/store/pg.h"

namespace bidopen::store {

struct RecordRow {
  std::string record;     // the body's bytes with its closing_head
  std::string signature;  // the log key's
};

absl::Status InsertRecord(Conn& conn, const std::string& tender_id, int lot, const RecordRow& row);
// The lot's stored records, oldest first (normally at most one).
absl::StatusOr<std::vector<RecordRow>> LotRecords(Conn& conn, const std::string& tender_id,
                                                  int lot);

}  // namespace bidopen::store

#endif  // BIDOPEN_SERVER_STORE_RECORD_ROWS_H_
