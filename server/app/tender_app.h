// Tender commands and queries: runs core rules inside event-log transactions.
#ifndef BIDOPEN_SERVER_APP_TENDER_APP_H_
#define BIDOPEN_SERVER_APP_TENDER_APP_H_

#include "absl/status/statusor.h"
#include "bidopen/v1/tender.pb.h"
#include "core/opening/limits.h"
#include "server/auth/revocations.h"
#include "server/store/event_log.h"
#include "server/store/pool.h"

namespace bidopen::app {

class TenderApp {
 public:
  // `min_lead`: shortest time from creating or amending a lot to its deadline;
  // `response_bytes`: the most bytes of tenders in one ListTenders page;
  // `revoked`, if given: custodians whose certificate it holds are refused.
  TenderApp(store::Pool& pool, store::EventLog& log,
            absl::Duration min_lead = limits::kDefaultMinLead,
            size_t response_bytes = limits::kDefaultResponseBytes,
            const auth::RevocationList* revoked = nullptr)
      : pool_(pool),
        log_(log),
        min_lead_(min_lead),
        response_bytes_(response_bytes),
        revoked_(revoked) {}

  // `signed_action`: the caller's signed request (core/opening/signed_action.h),
  // which the RPC edge checked; empty only for the server's own tests.
  absl::StatusOr<v1::Tender> Create(const v1::Party& actor, const v1::CreateTenderRequest& req,
                                    const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::Tender> Amend(const v1::Party& actor, const v1::AmendLotRequest& req,
                                   const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::Tender> Cancel(const v1::Party& actor, const v1::CancelTenderRequest& req,
                                    const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::Tender> Get(const std::string& id);
  absl::StatusOr<v1::ListTendersResponse> List(const v1::ListTendersRequest& req);

 private:
  // Folds the tender's events inside `tx`, lets `decide` make the event body,
  // appends it and returns the new state.
  template <typename Decide>
  absl::StatusOr<v1::Tender> Change(const v1::Party& actor, const std::string& id,
                                    const v1::SignedAction& signed_action, Decide decide);

  store::Pool& pool_;
  store::EventLog& log_;
  absl::Duration min_lead_;
  size_t response_bytes_;
  const auth::RevocationList* revoked_;
};

// A new tender id: "T-" and 10 Crockford base32 characters (50 random bits).
std::string NewTenderId();

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_TENDER_APP_H_
