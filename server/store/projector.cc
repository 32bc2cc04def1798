#include "server/store/projector.h"

#include "absl/strings/str_cat.h"
#include "core/opening/fold.h"
#include "core/status_macros.h"
#include "server/store/event_log.h"
#include "server/store/fold_rows.h"
#include "server/store/lot_schedule.h"
#include "server/store/revocation_rows.h"
#include "server/store/tx.h"

namespace bidopen::store {
namespace {

constexpr Statement kApplied{"proj_applied", "UPDATE projection_state SET applied_size = $1"};
constexpr Statement kState{"proj_state",
                           "SELECT p.version, p.applied_size, h.size"
                           " FROM projection_state p, log_head h"};
constexpr uint64_t kRebuildBatch = 1000;

// The key registry entries the event names, as their rows hold them.
absl::StatusOr<KeyRegistry> LoadKeys(Conn& conn, const v1::Event& e) {
  KeyRegistry keys;
  for (const std::string& fingerprint : KeysNamed(e)) {
    BO_ASSIGN_OR_RETURN(std::optional<v1::RegisteredKey> key, ReadKey(conn, fingerprint));
    if (key) keys[fingerprint] = *std::move(key);
  }
  return keys;
}

absl::Status WriteKeys(Conn& conn, const KeyRegistry& keys, const Changes& changes) {
  for (const std::string& fingerprint : changes.keys)
    BO_RETURN_IF_ERROR(WriteKey(conn, keys.at(fingerprint)));
  return absl::OkStatus();
}

// The revocation the event names, if its row exists.
absl::StatusOr<Revocations> LoadRevoked(Conn& conn, const v1::Event& e) {
  Revocations revoked;
  for (const std::string& fingerprint : RevokedNamed(e)) {
    BO_ASSIGN_OR_RETURN(std::optional<v1::Revocation> r, ReadRevocation(conn, fingerprint));
    if (r) revoked[fingerprint] = *std::move(r);
  }
  return revoked;
}

absl::Status ApplyInstallationWide(Conn& conn, const v1::Event& e) {
  BO_ASSIGN_OR_RETURN(KeyRegistry keys, LoadKeys(conn, e));
  BO_ASSIGN_OR_RETURN(Revocations revoked, LoadRevoked(conn, e));
  BO_ASSIGN_OR_RETURN(Changes changes, ApplyEvent(e, {.keys = &keys, .revoked = &revoked}));
  for (const std::string& fingerprint : changes.revoked)
    BO_RETURN_IF_ERROR(WriteRevocation(conn, revoked.at(fingerprint)));
  return WriteKeys(conn, keys, changes);
}

// The tender's state as its rows hold it; empty for the event that creates it.
absl::StatusOr<TenderState> Load(Conn& conn, const v1::Event& e) {
  if (e.has_tender_created()) return TenderState();
  return LoadTender(conn, e.tender_id());
}

}  // namespace

absl::Status Projector::Apply(Conn& conn, const v1::Event& e, TenderState* state) {
  if (e.tender_id().empty()) return ApplyInstallationWide(conn, e);
  TenderState loaded;
  if (state == nullptr) {
    BO_ASSIGN_OR_RETURN(loaded, Load(conn, e));
    state = &loaded;
  }
  const std::vector<uint64_t> named = BidsNamed(e);
  BO_RETURN_IF_ERROR(LoadBids(conn, named, state));
  const std::vector<std::string> statements = StatementsNamed(e);
  BO_RETURN_IF_ERROR(LoadStatements(conn, statements, state));
  BO_ASSIGN_OR_RETURN(KeyRegistry keys, LoadKeys(conn, e));
  BO_ASSIGN_OR_RETURN(Changes changes, ApplyEvent(e, {.tender = state, .keys = &keys}));
  BO_RETURN_IF_ERROR(WriteKeys(conn, keys, changes));
  BO_RETURN_IF_ERROR(WriteChanges(conn, *state, changes));
  if (ChangesSchedule(e)) BO_RETURN_IF_ERROR(WriteSchedule(conn, state->tender));
  return absl::OkStatus();
}

absl::Status Projector::MarkApplied(Conn& conn, uint64_t size) {
  return conn.Run(kApplied, Params().Int(static_cast<int64_t>(size))).status();
}

// Folds the whole log in memory (the same FoldInto an auditor's replay runs),
// then writes every row.
absl::Status Projector::Rebuild(Conn& conn) {
  Tx tx(conn);
  BO_RETURN_IF_ERROR(tx.Begin());
  BO_RETURN_IF_ERROR(conn.Exec(
      "LOCK TABLE log_head IN EXCLUSIVE MODE; DELETE FROM tenders; DELETE FROM bid_states;"
      " DELETE FROM bid_statements;"
      " DELETE FROM party_keys; DELETE FROM revoked_certificates; DELETE FROM lot_schedule; UPDATE "
      "projection_state SET "
      "applied_size = 0"));
  BO_ASSIGN_OR_RETURN(Result head, conn.Query("SELECT size FROM log_head"));
  const uint64_t size = static_cast<uint64_t>(head.Int64(0, 0));
  LogState all;
  for (uint64_t from = 0; from < size; from += kRebuildBatch) {
    BO_ASSIGN_OR_RETURN(auto events,
                        EventLog::ReadRange(conn, from, std::min(size, from + kRebuildBatch)));
    BO_RETURN_IF_ERROR(FoldInto(events, &all));
  }
  for (const auto& [id, tender] : all.tenders) {
    BO_RETURN_IF_ERROR(WriteAll(conn, tender));
    BO_RETURN_IF_ERROR(WriteSchedule(conn, tender.tender));
  }
  for (const auto& [fingerprint, key] : all.keys) BO_RETURN_IF_ERROR(WriteKey(conn, key));
  for (const auto& [fingerprint, r] : all.revoked) BO_RETURN_IF_ERROR(WriteRevocation(conn, r));
  BO_RETURN_IF_ERROR(MarkApplied(conn, size));
  BO_RETURN_IF_ERROR(
      conn.Query("UPDATE projection_state SET version = $1", Params().Int(kVersion)).status());
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
