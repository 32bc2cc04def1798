// OpeningApp: the signed opening record (开标记录表; docs/opening-hall.md "The
// record"). Its body is the fold's (core/opening/record.h); the server adds a
// signed tree head covering the close and signs the bytes with the log key,
// once, and keeps the result (migration 0012). A stored row is answered only
// if it verifies with the log key and equals the fold's record.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "core/crypto/signature.h"
#include "core/opening/record.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/log_state.h"
#include "server/store/record_rows.h"

namespace bidopen::app {
namespace {

// The first stored row that is the log's record of the lot, signed by this
// log's key; rows that are not are reported (nobody else writes there).
std::optional<store::RecordRow> FirstGood(const std::vector<store::RecordRow>& rows,
                                          const TenderState& state, int lot,
                                          const std::string& cert_pem) {
  for (const store::RecordRow& row : rows) {
    absl::Status st = CheckRecordAgainstLog(state, lot, row.record).status();
    if (st.ok())
      st = crypto::VerifySignature(cert_pem, RecordSigningInput(row.record), row.signature);
    if (st.ok()) return row;
    std::cerr << "bidopend: ALARM: a stored opening record of lot " << lot << " of tender "
              << state.tender.id() << " is not the log's signed record (ignored): " << st.message()
              << "\n";
  }
  return std::nullopt;
}

// Sets `out` to the lot's first good stored record; false if it has none.
absl::StatusOr<bool> StoredRecord(store::Conn& conn, const TenderState& state, int lot,
                                  const std::string& cert_pem, v1::OpeningRecord* out) {
  BO_ASSIGN_OR_RETURN(std::vector<store::RecordRow> rows,
                      store::LotRecords(conn, state.tender.id(), lot));
  std::optional<store::RecordRow> good = FirstGood(rows, state, lot, cert_pem);
  if (!good) return false;
  out->set_record(good->record);
  out->set_signature(good->signature);
  return true;
}

}  // namespace

absl::StatusOr<v1::OpeningRecord> OpeningApp::SignedRecord(const v1::LotRef& ref) {
  BO_RETURN_IF_ERROR(opening_internal::CheckLotRef(ref));
  v1::OpeningRecord out;
  *out.mutable_lot() = ref;
  const std::string& cert = audit_.signer().cert_pem();
  out.set_log_certificate_pem(cert);
  v1::OpeningRecordBody body;
  TenderState state;
  {
    BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
    BO_ASSIGN_OR_RETURN(state, store::FoldTenderFromLog(*conn, ref.tender_id()));
    BO_ASSIGN_OR_RETURN(body, RecordOf(state, ref.lot()));
    BO_ASSIGN_OR_RETURN(bool stored, StoredRecord(*conn, state, ref.lot(), cert, &out));
    if (stored) return out;
  }  // the connection goes back before the head is signed (AuditLog::Head takes one)
  BO_ASSIGN_OR_RETURN(v1::SignedTreeHead head, audit_.Head());
  if (head.size() <= body.closed().seq()) {  // another replica closed: catch this tree up
    BO_RETURN_IF_ERROR(log_.CatchUpWithOthers());
    BO_ASSIGN_OR_RETURN(head, audit_.Head());
  }
  if (head.size() <= body.closed().seq())
    return absl::UnavailableError(absl::StrCat("this server's log head (size ", head.size(),
                                               ") does not cover the close of lot ", ref.lot(),
                                               " of tender ", ref.tender_id(), " (seq ",
                                               body.closed().seq(), ") yet; try again"));
  *body.mutable_closing_head() = std::move(head);
  out.set_record(RecordBytes(body));
  BO_ASSIGN_OR_RETURN(*out.mutable_signature(),
                      audit_.signer().SignBytes(RecordSigningInput(out.record())));
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  BO_RETURN_IF_ERROR(
      store::InsertRecord(*conn, ref.tender_id(), ref.lot(), {out.record(), out.signature()}));
  // Two servers (or calls) may have made one each at once: every caller
  // answers the first stored, so the lot has one record.
  BO_RETURN_IF_ERROR(StoredRecord(*conn, state, ref.lot(), cert, &out).status());
  return out;
}

}  // namespace bidopen::app
