#include "server/store/release_rows.h"

#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kInsert{
    "r_insert",
    "INSERT INTO releases (seq, tender_id, lot, kind, bid, share_x, releaser, accepted, sealed)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr Statement kAt{"r_at", "SELECT sealed FROM releases WHERE seq = $1"};
constexpr Statement kOfLot{
    "r_of_lot",
    "SELECT seq, kind, bid, share_x, releaser, accepted, sealed FROM releases"
    " WHERE tender_id = $1 AND lot = $2 ORDER BY seq"};
constexpr Statement kInsertOpened{
    "r_insert_opened",
    "INSERT INTO opened_bids (seq, tender_id, lot, sealed) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (seq) DO NOTHING"};
constexpr Statement kOpened{"r_opened", "SELECT sealed FROM opened_bids WHERE seq = $1"};

}  // namespace

absl::StatusOr<int> InsertRelease(Conn& conn, const ReleaseRow& r) {
  BO_ASSIGN_OR_RETURN(std::vector<std::string> before, SealedReleasesAt(conn, r.seq));
  BO_RETURN_IF_ERROR(conn.Run(kInsert, Params()
                                           .Int(static_cast<int64_t>(r.seq))
                                           .Text(r.tender_id)
                                           .Int(r.lot)
                                           .Int(r.kind)
                                           .Int(static_cast<int64_t>(r.bid))
                                           .Int(r.share_x)
                                           .Text(r.releaser)
                                           .Bool(r.accepted)
                                           .Bytes(r.sealed))
                         .status());
  return static_cast<int>(before.size());
}

absl::StatusOr<std::vector<std::string>> SealedReleasesAt(Conn& conn, uint64_t seq) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kAt, Params().Int(static_cast<int64_t>(seq))));
  std::vector<std::string> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Bytes(i, 0));
  return out;
}

absl::StatusOr<std::vector<ReleaseRow>> LotReleases(Conn& conn, const std::string& tender_id,
                                                    int lot) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kOfLot, Params().Text(tender_id).Int(lot)));
  std::vector<ReleaseRow> rows;
  for (int i = 0; i < r.rows(); ++i) {
    ReleaseRow row;
    row.seq = static_cast<uint64_t>(r.Int64(i, 0));
    row.tender_id = tender_id;
    row.lot = lot;
    row.kind = r.Int32(i, 1);
    row.bid = static_cast<uint64_t>(r.Int64(i, 2));
    row.share_x = static_cast<uint32_t>(r.Int32(i, 3));
    row.releaser = std::string(r.Bytes(i, 4));
    row.accepted = r.Bool(i, 5);
    row.sealed = std::string(r.Bytes(i, 6));
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status InsertOpened(Conn& conn, uint64_t seq, const std::string& tender_id, int lot,
                          const std::string& sealed) {
  return conn
      .Run(kInsertOpened,
           Params().Int(static_cast<int64_t>(seq)).Text(tender_id).Int(lot).Bytes(sealed))
      .status();
}

absl::StatusOr<std::optional<std::string>> ReadOpened(Conn& conn, uint64_t seq) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kOpened, Params().Int(static_cast<int64_t>(seq))));
  if (r.rows() == 0) return std::nullopt;
  return std::string(r.Bytes(0, 0));
}

}  // namespace bidopen::store
