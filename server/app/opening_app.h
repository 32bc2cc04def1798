// The opening of a lot (docs/protocol.md "Opening"): start with the bidders
// revealed, releases checked against the sealed headers and stored sealed at
// rest, decryption of each bid once its key material is complete, and the
// verdicts when the window ends. Every decision is core's (opening_rules.h,
// verdict_rules.h, seal/release_check.h); this runs them inside event-log
// commands and moves bytes.
#ifndef BIDOPEN_SERVER_APP_OPENING_APP_H_
#define BIDOPEN_SERVER_APP_OPENING_APP_H_

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "bidopen/fold/opened.pb.h"
#include "bidopen/v1/custody.pb.h"
#include "bidopen/v1/opening.pb.h"
#include "core/opening/state.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/digest.h"
#include "core/seal/release_check.h"
#include "server/app/opening_internal.h"
#include "server/audit/audit_log.h"
#include "server/opening/at_rest.h"
#include "server/store/event_log.h"
#include "server/store/lot_schedule.h"
#include "server/store/pool.h"
#include "server/store/release_rows.h"

namespace bidopen::app {

class OpeningApp {
 public:
  // `server` is the party named as actor when the server starts an
  // auto-start lot itself.
  OpeningApp(store::Pool& pool, store::EventLog& log, audit::AuditLog& audit,
             opening::AtRestKey key, v1::Party server)
      : pool_(pool), log_(log), audit_(audit), key_(std::move(key)), server_(std::move(server)) {}

  // `signed_action` (here and in the hall's calls): the caller's signed request
  // (core/opening/signed_action.h), which the RPC edge checked; empty only for
  // the server's own tests.
  absl::StatusOr<v1::OpeningStatus> Start(const v1::Party& agency, const v1::LotRef& ref,
                                          const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::OpeningStatus> Status(const v1::LotRef& ref);
  absl::StatusOr<v1::MyBid> MyBid(const v1::Party& bidder, const v1::LotRef& ref);
  // `cert_pem`: the caller's TLS certificate, whose key signed the release
  // (docs/protocol.md "Releasing").
  absl::StatusOr<v1::ReleaseResult> ReleaseBidder(const v1::Party& bidder,
                                                  absl::string_view cert_pem,
                                                  const v1::ReleaseKeyRequest& req);
  absl::StatusOr<v1::ReleaseResult> ReleaseCustodian(const v1::Party& custodian,
                                                     absl::string_view cert_pem,
                                                     const v1::ReleaseLotKeyRequest& req);
  absl::StatusOr<v1::OpeningStatus> End(const v1::Party& agency, const v1::LotRef& ref);
  // Review 4 R5 (opening_resupply.cc): the bidder puts back the sealed file
  // of its revealed bid that the start found altered. `first` is the first
  // message's bytes; `next` gives the following ones in order (false: the
  // stream ended; an error refuses the call, nothing committed). Refusals as
  // CheckResupply and CheckResuppliedFile say.
  using NextBytes = std::function<absl::StatusOr<bool>(std::string*)>;
  absl::StatusOr<v1::ResupplyResult> ResupplyFile(const v1::Party& bidder, const v1::BidRef& ref,
                                                  std::string first, const NextBytes& next);

  // The live hall (docs/opening-hall.md; opening_hall.cc). `cert_pem`: the
  // caller's TLS certificate, whose key signed the confirmation.
  absl::StatusOr<v1::HallResult> SignIn(const v1::Party& bidder, const v1::LotRef& ref,
                                        const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::HallResult> Confirm(const v1::Party& bidder, absl::string_view cert_pem,
                                         const v1::ConfirmRequest& req);
  absl::StatusOr<v1::HallResult> Object(const v1::Party& bidder, const v1::ObjectRequest& req,
                                        const v1::SignedAction& signed_action = {});
  absl::StatusOr<v1::HallResult> Answer(const v1::Party& agency,
                                        const v1::AnswerObjectionRequest& req,
                                        const v1::SignedAction& signed_action = {});
  // Closes the lot's opening and answers its signed record.
  absl::StatusOr<v1::OpeningRecord> Close(const v1::Party& agency, const v1::LotRef& ref,
                                          const v1::SignedAction& signed_action = {});
  // The signed record of a closed lot (opening_record.cc): made once.
  absl::StatusOr<v1::OpeningRecord> SignedRecord(const v1::LotRef& ref);

  // Streams an opened bid's manifest then its documents to `write` (false:
  // the caller is gone).
  using ContentWriter = std::function<bool(const v1::BidContent&)>;
  absl::Status Fetch(const v1::Party& caller, const v1::BidRef& ref, const ContentWriter& write);
  using EvidenceWriter = std::function<bool(const v1::BidEvidence&)>;
  absl::Status Evidence(const v1::BidRef& ref, const EvidenceWriter& write);

  // One round of the server's own work: starts auto-start lots that are due,
  // tries to decrypt bids whose key material became complete, and gives the
  // verdicts of lots whose window ended. Returns the first error (the round
  // goes on past it).
  absl::Status Tick();

 private:
  // One attempt to read a bid with its recovered secret.
  struct Attempt {
    bool opened = false;
    std::string reason;           // why not
    bool form_violation = false;  // it opened, but its values break the lot's form
    std::string stored_sha256;    // when it did not open: SHA-256 of the file as read
    fold::OpenedBid bid;          // what was read, if it opened
  };
  // One hall command: `step` decides on the tender folded inside the command
  // and returns the event to append (its tender_id is set here), or nullopt
  // for "already" (having set `out`).
  using HallStep = std::function<absl::StatusOr<std::optional<v1::Event>>(
      store::CommandTx&, TenderState&, v1::HallResult&)>;
  absl::StatusOr<v1::HallResult> Hall(const v1::LotRef& ref, const v1::SignedAction& signed_action,
                                      const HallStep& step);
  // Appends the lot's announcement (ResultsAnnounced) once decryption ended.
  absl::Status AppendAnnouncement(store::CommandTx& tx, TenderState& state, int lot);
  absl::Status Announce(const std::string& tender_id, int lot);
  absl::StatusOr<v1::OpeningStatus> StartAs(const v1::Party& actor, const v1::LotRef& ref,
                                            bool auto_start, const v1::SignedAction& signed_action);
  absl::Status AppendReveals(store::CommandTx& tx, TenderState& state,
                             const v1::OpeningStarted& started,
                             std::map<uint64_t, std::string>& stored);
  absl::StatusOr<opening_internal::LotData> ReadLot(const std::string& tender_id, int lot);
  absl::StatusOr<v1::ReleaseResult> StoreResupplied(const store::ReleaseRow& row);
  absl::StatusOr<v1::ResupplyResult> Restore(const v1::Party& bidder, const v1::BidRef& ref,
                                             const fold::Bid& bid, int64_t upload_id,
                                             std::string data, const NextBytes& next);
  absl::Status StoreBytes(int64_t upload_id, uint64_t pos, const std::string& data,
                          seal::Sha256Stream* sha);
  // The lot's verdicts wait for these (Verdicts); GetOpening shows them.
  void NoteMissing(const std::string& tender_id, int lot,
                   const std::vector<v1::MissingRelease>& missing);
  // … and for these bids' stored files, changed since the start.
  void NoteChanged(const std::string& tender_id, int lot, const std::vector<uint64_t>& changed);
  seal::Releases LoggedReleases(const opening_internal::LotData& data, const fold::Bid& bid,
                                VerdictInput* in) const;
  absl::StatusOr<seal::Judgement> Judge(const opening_internal::LotData& data, const fold::Bid& bid,
                                        VerdictInput* in) const;
  absl::StatusOr<Attempt> Decrypt(const fold::Bid& bid, const crypto::Secret& secret,
                                  const v1::LotSpec& spec);
  struct Tried {
    const fold::Bid* bid = nullptr;
    Attempt attempt;
  };
  static constexpr size_t kAttemptBatch = 8;
  absl::Status RecordAttempts(const std::string& tender_id, const std::vector<Tried>& batch);
  absl::Status AppendAttempt(store::CommandTx& tx, TenderState& state, const fold::Bid& bid,
                             const Attempt& attempt);
  absl::StatusOr<bool> Progress(const std::string& tender_id, int lot)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  absl::Status Outcome(const std::string& tender_id, const fold::Bid& bid,
                       const crypto::Secret& secret, const v1::LotSpec& spec, VerdictInput* in)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  absl::Status StoredOpening(const fold::Bid& bid, VerdictInput* in);
  absl::StatusOr<std::vector<v1::BidVerdict>> Verdicts(const opening_internal::LotData& data)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);
  absl::Status AppendVerdicts(const opening_internal::LotData& data, bool early,
                              const std::vector<v1::BidVerdict>& verdicts);
  absl::Status Finish(const std::string& tender_id, int lot, bool early)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(work_mu_);

  store::Pool& pool_;
  store::EventLog& log_;
  audit::AuditLog& audit_;
  const opening::AtRestKey key_;
  const v1::Party server_;
  absl::Mutex work_mu_;  // one decryption or finish at a time
  // Bid seq -> how many releases of its lot (as the log holds them) it was
  // last judged with, when they did not recover its secret.
  std::map<uint64_t, size_t> judged_with_ ABSL_GUARDED_BY(work_mu_);
  // Bids read once with their recovered secret and their attempt recorded
  // (whatever the outcome).
  std::set<uint64_t> read_once_ ABSL_GUARDED_BY(work_mu_);
  // Of those, the reads that did not open: the verdict uses them rather than
  // reading the file again.
  std::map<uint64_t, Attempt> failed_reads_ ABSL_GUARDED_BY(work_mu_);
  // Lots whose verdicts wait for lost accepted releases, as this server last
  // found them (GetOpening's missing_releases).
  absl::Mutex missing_mu_;
  std::map<std::pair<std::string, int>, std::vector<v1::MissingRelease>> missing_
      ABSL_GUARDED_BY(missing_mu_);
  // Lots whose verdicts wait for stored files changed since the start (bid
  // seqs), as this server last found them (GetOpening's changed_files).
  std::map<std::pair<std::string, int>, std::vector<uint64_t>> changed_
      ABSL_GUARDED_BY(missing_mu_);
};

}  // namespace bidopen::app

#endif  // BIDOPEN_SERVER_APP_OPENING_APP_H_
