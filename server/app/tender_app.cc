#include "server/app/tender_app.h"

#include "absl/strings/str_cat.h"
#include "core/crypto/kdf.h"
#include "core/opening/revocation_rules.h"
#include "core/opening/signed_action.h"
#include "core/opening/tender_rules.h"
#include "core/opening/tender_view.h"
#include "core/status_macros.h"
#include "server/store/fold_rows.h"
#include "server/store/queries.h"
#include "server/store/tx.h"

namespace bidopen::app {

std::string NewTenderId() {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::string id = "T-";
  for (char b : crypto::RandomBytes(10))
    id.push_back(kAlphabet[static_cast<unsigned char>(b) & 31]);
  return id;
}

absl::StatusOr<v1::Tender> TenderApp::Create(const v1::Party& actor,
                                             const v1::CreateTenderRequest& req,
                                             const v1::SignedAction& signed_action) {
  v1::Tender tender;
  if (revoked_ != nullptr) BO_RETURN_IF_ERROR(CheckCustodiansNotRevoked(req, revoked_->Snapshot()));
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    tender = v1::Tender();
    BO_ASSIGN_OR_RETURN(KeyRegistry custodians, store::Custodians(tx.conn()));
    v1::Event draft;
    BO_ASSIGN_OR_RETURN(*draft.mutable_tender_created(),
                        DecideCreate(req, tx.now(), custodians, min_lead_));
    *draft.mutable_actor() = actor;
    draft.set_tender_id(NewTenderId());
    BO_RETURN_IF_ERROR(AttachSignedAction(fold::Tender(), signed_action, tx.now(), &draft));
    BO_ASSIGN_OR_RETURN(std::optional<uint64_t> taken,
                        store::LastSeq(tx.conn(), draft.tender_id()));
    if (taken)  // 50 random bits: practically never
      return absl::AbortedError("a new tender id collided with an existing one; try again");
    TenderState state;
    BO_RETURN_IF_ERROR(tx.Append(std::move(draft), &state).status());
    tender = TenderView(state);
    return absl::OkStatus();
  }));
  return tender;
}

template <typename Decide>
absl::StatusOr<v1::Tender> TenderApp::Change(const v1::Party& actor, const std::string& id,
                                             const v1::SignedAction& signed_action, Decide decide) {
  if (id.empty()) return absl::InvalidArgumentError("tender_id: required");
  BO_RETURN_IF_ERROR(log_.Run([&](store::CommandTx& tx) -> absl::Status {
    BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(tx.conn(), id));
    v1::Event draft;
    BO_RETURN_IF_ERROR(decide(state.tender, tx.now(), &draft));
    *draft.mutable_actor() = actor;
    draft.set_tender_id(id);
    BO_RETURN_IF_ERROR(AttachSignedAction(state.tender, signed_action, tx.now(), &draft));
    return tx.Append(std::move(draft), &state).status();
  }));
  return Get(id);  // the bids are read after the commit, not under the append lock
}

absl::StatusOr<v1::Tender> TenderApp::Amend(const v1::Party& actor, const v1::AmendLotRequest& req,
                                            const v1::SignedAction& signed_action) {
  return Change(actor, req.tender_id(), signed_action,
                [&](const fold::Tender& t, absl::Time now, v1::Event* e) -> absl::Status {
                  BO_ASSIGN_OR_RETURN(*e->mutable_lot_amended(),
                                      DecideAmend(t, req, actor, now, min_lead_));
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::Tender> TenderApp::Cancel(const v1::Party& actor,
                                             const v1::CancelTenderRequest& req,
                                             const v1::SignedAction& signed_action) {
  return Change(actor, req.tender_id(), signed_action,
                [&](const fold::Tender& t, absl::Time, v1::Event* e) -> absl::Status {
                  BO_ASSIGN_OR_RETURN(*e->mutable_tender_cancelled(), DecideCancel(t, req, actor));
                  return absl::OkStatus();
                });
}

absl::StatusOr<v1::Tender> TenderApp::Get(const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("tender_id: required");
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  store::Tx snapshot(*conn);
  BO_RETURN_IF_ERROR(snapshot.BeginSnapshot());
  BO_ASSIGN_OR_RETURN(TenderState state, store::LoadTender(*conn, id));
  BO_RETURN_IF_ERROR(store::LoadAllBids(*conn, &state));
  BO_RETURN_IF_ERROR(snapshot.Commit());
  return TenderView(state);
}

absl::StatusOr<v1::ListTendersResponse> TenderApp::List(const v1::ListTendersRequest& req) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  return store::ListTenders(*conn, req, response_bytes_);
}

}  // namespace bidopen::app
