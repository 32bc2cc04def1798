#include "server/store/fold_rows.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/status_macros.h"

namespace bidopen::store {
namespace {

constexpr Statement kTender{"f_tender", "SELECT state FROM tenders WHERE id = $1"};
constexpr Statement kLastSeq{"f_last_seq", "SELECT last_seq FROM tenders WHERE id = $1"};
constexpr Statement kUpsertTender{
    "f_upsert_tender",
    "INSERT INTO tenders (id, title, agency_fingerprint, cancelled, created_seq,"
    " updated_seq, last_seq, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (id) DO UPDATE SET title = $2, cancelled = $4, updated_seq = $6,"
    " last_seq = $7, state = $8"};
constexpr Statement kBid{"f_bid", "SELECT state FROM bid_states WHERE seq = $1 AND tender_id = $2"};
constexpr Statement kAllBids{"f_all_bids",
                             "SELECT state FROM bid_states WHERE tender_id = $1 ORDER BY seq"};
constexpr Statement kLotBids{"f_lot_bids",
                             "SELECT state FROM bid_states WHERE tender_id = $1 AND lot = $2"
                             " ORDER BY seq"};
constexpr Statement kUpsertBid{
    "f_upsert_bid",
    "INSERT INTO bid_states (seq, tender_id, lot, status, state) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (seq) DO UPDATE SET status = $4, state = $5"};
constexpr Statement kStatement{
    "f_statement", "SELECT seq FROM bid_statements WHERE tender_id = $1 AND statement_sha256 = $2"};
constexpr Statement kInsertStatement{
    "f_insert_statement",
    "INSERT INTO bid_statements (statement_sha256, tender_id, seq) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING"};
constexpr Statement kKey{"f_key", "SELECT state FROM party_keys WHERE fingerprint = $1"};
constexpr Statement kUpsertKey{"f_upsert_key",
                               "INSERT INTO party_keys (fingerprint, role, organization, state)"
                               " VALUES ($1, $2, $3, $4) ON CONFLICT (fingerprint) DO UPDATE"
                               " SET role = $2, organization = $3, state = $4"};

template <typename T>
absl::StatusOr<T> ParseRow(absl::string_view bytes, absl::string_view table,
                           absl::string_view key) {
  T msg;
  if (!msg.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return absl::DataLossError(
        absl::StrCat("query table ", table, ": row ", key, " does not parse"));
  return msg;
}

absl::Status AddBid(absl::string_view bytes, TenderState* state) {
  BO_ASSIGN_OR_RETURN(fold::Bid bid, ParseRow<fold::Bid>(bytes, "bid_states", state->tender.id()));
  const uint64_t seq = bid.seq();
  state->bids[seq] = std::move(bid);
  return absl::OkStatus();
}

absl::Status WriteTender(Conn& conn, const fold::Tender& t) {
  return conn
      .Run(kUpsertTender, Params()
                              .Text(t.id())
                              .Text(t.title())
                              .Text(t.agency().fingerprint())
                              .Bool(t.cancelled())
                              .Int(static_cast<int64_t>(t.created().seq()))
                              .Int(static_cast<int64_t>(t.updated().seq()))
                              .Int(static_cast<int64_t>(t.last_seq()))
                              .Bytes(t.SerializeAsString()))
      .status();
}

absl::Status WriteBid(Conn& conn, const std::string& tender_id, const fold::Bid& b) {
  return conn
      .Run(kUpsertBid, Params()
                           .Int(static_cast<int64_t>(b.seq()))
                           .Text(tender_id)
                           .Int(b.lot())
                           .Int(b.status())
                           .Bytes(b.SerializeAsString()))
      .status();
}

absl::Status WriteStatement(Conn& conn, const std::string& tender_id, const std::string& hash,
                            uint64_t seq) {
  return conn
      .Run(kInsertStatement, Params().Bytes(hash).Text(tender_id).Int(static_cast<int64_t>(seq)))
      .status();
}

}  // namespace

absl::StatusOr<TenderState> LoadTender(Conn& conn, const std::string& id) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kTender, Params().Text(id)));
  if (r.rows() == 0) return absl::NotFoundError(absl::StrCat("tender ", id, " not found"));
  TenderState state;
  BO_ASSIGN_OR_RETURN(state.tender, ParseRow<fold::Tender>(r.Bytes(0, 0), "tenders", id));
  return state;
}

absl::Status LoadBids(Conn& conn, std::span<const uint64_t> seqs, TenderState* state) {
  for (uint64_t seq : seqs) {
    if (state->bids.contains(seq)) continue;
    BO_ASSIGN_OR_RETURN(
        Result r, conn.Run(kBid, Params().Int(static_cast<int64_t>(seq)).Text(state->tender.id())));
    if (r.rows() > 0) BO_RETURN_IF_ERROR(AddBid(r.Bytes(0, 0), state));
  }
  return absl::OkStatus();
}

absl::Status LoadStatements(Conn& conn, std::span<const std::string> hashes, TenderState* state) {
  for (const std::string& hash : hashes) {
    if (state->statements.contains(hash)) continue;
    BO_ASSIGN_OR_RETURN(Result r,
                        conn.Run(kStatement, Params().Text(state->tender.id()).Bytes(hash)));
    if (r.rows() > 0) state->statements[hash] = static_cast<uint64_t>(r.Int64(0, 0));
  }
  return absl::OkStatus();
}

absl::Status LoadLotBids(Conn& conn, int lot, TenderState* state) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLotBids, Params().Text(state->tender.id()).Int(lot)));
  for (int i = 0; i < r.rows(); ++i) BO_RETURN_IF_ERROR(AddBid(r.Bytes(i, 0), state));
  return absl::OkStatus();
}

absl::Status LoadAllBids(Conn& conn, TenderState* state) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kAllBids, Params().Text(state->tender.id())));
  for (int i = 0; i < r.rows(); ++i) BO_RETURN_IF_ERROR(AddBid(r.Bytes(i, 0), state));
  return absl::OkStatus();
}

absl::StatusOr<std::optional<uint64_t>> LastSeq(Conn& conn, const std::string& id) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kLastSeq, Params().Text(id)));
  if (r.rows() == 0) return std::nullopt;
  return static_cast<uint64_t>(r.Int64(0, 0));
}

absl::Status WriteChanges(Conn& conn, const TenderState& state, const Changes& changes) {
  if (changes.tender) BO_RETURN_IF_ERROR(WriteTender(conn, state.tender));
  for (uint64_t seq : changes.bids) {
    auto it = state.bids.find(seq);
    if (it == state.bids.end())
      return absl::InternalError(absl::StrCat("fold changed bid ", seq, " it does not hold"));
    BO_RETURN_IF_ERROR(WriteBid(conn, state.tender.id(), it->second));
  }
  for (const std::string& hash : changes.statements)
    BO_RETURN_IF_ERROR(WriteStatement(conn, state.tender.id(), hash, state.statements.at(hash)));
  return absl::OkStatus();
}

absl::Status WriteKey(Conn& conn, const v1::RegisteredKey& key) {
  return conn
      .Run(kUpsertKey, Params()
                           .Text(key.party().fingerprint())
                           .Int(key.party().role())
                           .Text(key.party().organization())
                           .Bytes(key.SerializeAsString()))
      .status();
}

absl::StatusOr<std::optional<v1::RegisteredKey>> ReadKey(Conn& conn,
                                                         const std::string& fingerprint) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kKey, Params().Text(fingerprint)));
  if (r.rows() == 0) return std::nullopt;
  return ParseRow<v1::RegisteredKey>(r.Bytes(0, 0), "party_keys", fingerprint);
}

absl::Status WriteAll(Conn& conn, const TenderState& state) {
  BO_RETURN_IF_ERROR(WriteTender(conn, state.tender));
  for (const auto& [seq, bid] : state.bids)
    BO_RETURN_IF_ERROR(WriteBid(conn, state.tender.id(), bid));
  for (const auto& [hash, seq] : state.statements)
    BO_RETURN_IF_ERROR(WriteStatement(conn, state.tender.id(), hash, seq));
  return absl::OkStatus();
}

}  // namespace bidopen::store
