#include "server/store/projector.h"

#include "absl/strings/str_cat.h"
#include "core/opening/fold.h"
#include "core/status_macros.h"
#include "server/store/event_log.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr Statement kTenderState{"proj_tender_state",
                                 "SELECT state FROM tenders WHERE id = $1 FOR UPDATE"};
constexpr Statement kUpsertTender{
    "proj_upsert_tender",
    "INSERT INTO tenders (id, title, agency_fingerprint, cancelled, created_seq,"
    " updated_seq, state) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (id) DO UPDATE SET title = $2, cancelled = $4, updated_seq = $6,"
    " state = $7"};
constexpr Statement kUpsertKey{
    "proj_upsert_key",
    "INSERT INTO party_keys (fingerprint, role, organization, state)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (fingerprint) DO UPDATE"
    " SET role = $2, organization = $3, state = $4"};
constexpr Statement kApplied{"proj_applied",
                             "UPDATE projection_state SET applied_size = $1"};
constexpr Statement kState{"proj_state",
                           "SELECT p.version, p.applied_size, h.size"
                           " FROM projection_state p, log_head h"};
constexpr uint64_t kRebuildBatch = 1000;

absl::Status ApplyTender(Conn& conn, const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kTenderState, Params().Text(e.tender_id())));
  v1::Tender tender;
  if (r.rows() > 0) {
    absl::string_view bytes = r.Bytes(0, 0);
    if (!tender.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
      return absl::DataLossError(
          absl::StrCat("query table tenders: row ", e.tender_id(), " does not parse"));
  }
  BO_RETURN_IF_ERROR(ApplyTenderEvent(e, &tender));
  return conn
      .Run(kUpsertTender, Params()
                              .Text(tender.id())
                              .Text(tender.title())
                              .Text(tender.agency().fingerprint())
                              .Bool(tender.cancelled())
                              .Int(static_cast<int64_t>(tender.created().seq()))
                              .Int(static_cast<int64_t>(tender.updated().seq()))
                              .Bytes(tender.SerializeAsString()))
      .status();
}

absl::Status ApplyKey(Conn& conn, const v1::Event& e) {
  KeyRegistry keys;
  ApplyKeyEvent(e, &keys);
  const v1::RegisteredKey& key = keys.begin()->second;
  return conn
      .Run(kUpsertKey, Params()
                           .Text(key.party().fingerprint())
                           .Int(key.party().role())
                           .Text(key.party().organization())
                           .Bytes(key.SerializeAsString()))
      .status();
}

}  // namespace

absl::Status Projector::Apply(Conn& conn, const v1::Event& e) {
  if (e.body_case() == v1::Event::kKeyRegistered) return ApplyKey(conn, e);
  // Bid events change no tender state; the bids table is primary data.
  if (e.body_case() == v1::Event::kBidSubmitted || e.body_case() == v1::Event::kBidWithdrawn)
    return absl::OkStatus();
  if (!e.tender_id().empty()) return ApplyTender(conn, e);
  return absl::OkStatus();
}

absl::Status Projector::MarkApplied(Conn& conn, uint64_t size) {
  return conn.Run(kApplied, Params().Int(static_cast<int64_t>(size))).status();
}

absl::Status Projector::Rebuild(Conn& conn) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_RETURN_IF_ERROR(conn.Exec(
      "LOCK TABLE log_head IN EXCLUSIVE MODE; DELETE FROM tenders; DELETE FROM party_keys;"
      " UPDATE projection_state SET applied_size = 0"));
  BO_ASSIGN_OR_RETURN(Result head, conn.Query("SELECT size FROM log_head"));
  const uint64_t size = static_cast<uint64_t>(head.Int64(0, 0));
  for (uint64_t from = 0; from < size; from += kRebuildBatch) {
    BO_ASSIGN_OR_RETURN(auto events,
                        EventLog::ReadRange(conn, from, std::min(size, from + kRebuildBatch)));
    for (const v1::Event& e : events) BO_RETURN_IF_ERROR(Apply(conn, e));
  }
  BO_RETURN_IF_ERROR(MarkApplied(conn, size));
  BO_RETURN_IF_ERROR(conn.Query("UPDATE projection_state SET version = $1",
                                Params().Int(kVersion))
                         .status());
  return tx.Commit();
}

absl::StatusOr<bool> Projector::EnsureCurrent(Conn& conn) {
  BO_ASSIGN_OR_RETURN(Result r, conn.Run(kState));
  bool current = r.Int32(0, 0) == kVersion && r.Int64(0, 1) == r.Int64(0, 2);
  if (current) return false;
  BO_RETURN_IF_ERROR(Rebuild(conn));
  return true;
}

}  // namespace bidopen::store
