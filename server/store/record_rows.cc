#include "server/store/record_rows.h"

#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kInsert{
    "or_insert",
    "INSERT INTO opening_records (tender_id, lot, record, signature) VALUES ($1, $2, $3, $4)"};
constexpr Statement kOfLot{"or_of_lot",
                           "SELECT record, signature FROM opening_records"
                           " WHERE tender_id = $1 AND lot = $2 ORDER BY id"};

}  // namespace

absl::Status InsertRecord(Conn& conn, const std::string& tender_id, int lot, const RecordRow& row) {
  return conn.Run(kInsert, Params().Text(tender_id).Int(lot).Bytes(row.record).Bytes(row.signature))
      .status();
}

absl::StatusOr<std::vector<RecordRow>> LotRecords(Conn& conn, const std::string& tender_id,
                                                  int lot) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kOfLot, Params().Text(tender_id).Int(lot)));
  std::vector<RecordRow> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({std::string(r.Bytes(i, 0)), std::string(r.Bytes(i, 1))});
  return out;
}

}  // namespace bidopen::store
