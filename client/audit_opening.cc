#include "client/audit_opening.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "client/audit_actions.h"
#include "core/crypto/certificate.h"
#include "core/event_clock.h"
#include "core/opening/confirmation.h"
#include "core/opening/event_codec.h"
#include "core/opening/fold.h"
#include "core/opening/release_signature.h"
#include "core/opening/reveal_check.h"
#include "core/opening/time_text.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

absl::Status CheckReveals(const std::vector<v1::Event>& events, const std::string& ca,
                          OpeningAudit* a) {
  std::map<uint64_t, absl::Time> submitted;  // bid seq -> when its statement was signed
  for (const v1::Event& e : events) {
    if (e.has_bid_submitted()) submitted[e.seq()] = FromProto(e.time());
    if (!e.has_bid_revealed()) continue;
    auto at = submitted.find(e.bid_revealed().bid());
    const absl::Status st = CheckRevealSignature(
        e.bid_revealed(), ca, at == submitted.end() ? FromProto(e.time()) : at->second);
    if (!st.ok())
      return absl::DataLossError(absl::StrCat("log #", e.seq(), " (BidRevealed of bid #",
                                              e.bid_revealed().bid(), "): ", st.message()));
    ++a->reveals;
  }
  return absl::OkStatus();
}

// Every confirmation of an announcement: signed with a certificate issued
// by the CA, valid when it confirmed, naming the bidder revealed for its bid
// (core/opening/confirmation.h). The fold checks the rest.
absl::Status CheckConfirmations(const std::vector<v1::Event>& events, const std::string& ca,
                                OpeningAudit* a) {
  std::map<uint64_t, v1::Party> revealed;  // bid seq -> its bidder
  for (const v1::Event& e : events) {
    if (e.has_bid_revealed()) revealed[e.bid_revealed().bid()] = e.bid_revealed().bidder();
    if (!e.has_announcement_confirmed()) continue;
    const v1::AnnouncementConfirmed& c = e.announcement_confirmed();
    auto bidder = revealed.find(c.bid());
    absl::Status st =
        bidder == revealed.end()
            ? absl::DataLossError(absl::StrCat("bid #", c.bid(), " was not revealed"))
            : CheckConfirmationSignature(c, bidder->second, e.tender_id(), ca, FromProto(e.time()));
    if (!st.ok())
      return absl::DataLossError(
          absl::StrCat("log #", e.seq(), " (AnnouncementConfirmed): ", st.message()));
    ++a->confirmations;
  }
  return absl::OkStatus();
}

void CountVerdicts(const std::vector<v1::Event>& events, OpeningAudit* a) {
  for (const v1::Event& e : events) {
    if (!e.has_bid_verdict()) continue;
    ++a->verdicts;
    if (e.bid_verdict().status() != v1::BID_STATUS_DECRYPTED) continue;
    ++a->decrypted;
    a->announced_values += e.bid_verdict().values_size();
  }
}

// What the server appends by itself, with the log certificate's party as the
// actor (server/server.cc OpenOpenings); an agency's start is the agency's.
bool AppendedByServer(const v1::Event& e) {
  return e.has_bid_revealed() || e.has_bid_decrypted() || e.has_bid_verdict() ||
         e.has_decryption_ended() || e.has_results_announced() ||
         (e.has_opening_started() && e.opening_started().auto_started());
}

bool SameParty(const v1::Party& a, const v1::Party& b) {
  return a.fingerprint() == b.fingerprint() && a.organization() == b.organization() &&
         a.common_name() == b.common_name() && a.role() == b.role();
}

std::string ActorText(const v1::Party& p) {
  return absl::StrCat("\"", p.common_name(), "\" of \"", p.organization(), "\", fingerprint ",
                      p.fingerprint().empty() ? "(none)" : p.fingerprint());
}

}  // namespace

absl::Status CheckServerActors(const std::vector<v1::Event>& events,
                               const std::string& log_cert_pem) {
  absl::StatusOr<v1::Party> server = crypto::AnyPartyFromPem(log_cert_pem);
  if (!server.ok())
    return absl::DataLossError(
        absl::StrCat("the log certificate names no party: ", server.status().message()));
  for (const v1::Event& e : events) {
    if (!AppendedByServer(e) || SameParty(e.actor(), *server)) continue;
    return absl::DataLossError(
        absl::StrCat("log #", e.seq(), " (", EventKind(e), "): appended by ", ActorText(e.actor()),
                     ", not by the server (the log certificate's party, fingerprint ",
                     server->fingerprint(), ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckReleases(const std::vector<v1::Event>& events, const std::string& ca_pem,
                           const std::string& log_cert_pem, int* checked) {
  for (const v1::Event& e : events) {
    if (!e.has_key_released()) continue;
    auto lost = [&](absl::string_view why) {
      return absl::DataLossError(
          absl::StrCat("log #", e.seq(), " (KeyReleased by ", ActorText(e.actor()), "): ", why));
    };
    if (absl::Status st = CheckReleaseSignature(e, ca_pem, log_cert_pem); !st.ok())
      return lost(st.message());
    const log::Checkpoint seen = *CitedHead(e.key_released());
    auto from = std::lower_bound(events.begin(), events.end(), seen.size,
                                 [](const v1::Event& x, uint64_t seq) { return x.seq() < seq; });
    // Replicas' clocks may differ by up to the step each refuses beyond (the
    // same slack as NotBackdated and the fold): a head from a replica ahead
    // may be timed after an event a lagging one appended past it.
    for (auto it = from; it != events.end() && it->seq() < e.seq(); ++it)
      if (const v1::Event& other = *it; FromProto(other.time()) < seen.time - kReplicaClockSlack)
        return lost(
            absl::StrCat("it cites a signed head of size ", seen.size, " timed ",
                         TimeText(seen.time, absl::UTCTimeZone()), ", but log #", other.seq(),
                         " (past that head) is timed ", TimeText(other.time(), absl::UTCTimeZone()),
                         ", more than the replicas' ", absl::FormatDuration(kReplicaClockSlack),
                         " before it: appended after the head and backdated"));
    if (checked != nullptr) ++*checked;
  }
  return absl::OkStatus();
}

absl::StatusOr<OpeningAudit> AuditOpenings(const std::vector<v1::Event>& events,
                                           const std::string& ca_pem,
                                           const std::string& log_cert_pem) {
  OpeningAudit a;
  BO_RETURN_IF_ERROR(CheckServerActors(events, log_cert_pem));
  BO_RETURN_IF_ERROR(CheckReveals(events, ca_pem, &a));
  BO_RETURN_IF_ERROR(CheckReleases(events, ca_pem, log_cert_pem, &a.releases));
  BO_RETURN_IF_ERROR(CheckConfirmations(events, ca_pem, &a));
  BO_RETURN_IF_ERROR(CheckSignedActions(events, ca_pem, &a.signed_actions));
  std::map<std::string, std::vector<v1::Event>> by_tender;
  for (const v1::Event& e : events)
    if (!e.tender_id().empty()) by_tender[e.tender_id()].push_back(e);
  for (const auto& [id, tender_events] : by_tender) {
    auto folded = FoldTender(tender_events);
    if (!folded.ok())
      return absl::DataLossError(
          absl::StrCat("tender ", id, " does not fold: ", folded.status().message()));
    ++a.tenders_folded;
  }
  // A whole-log bundle (it has installation-wide events) also folds as one
  // log, with the revocations: a verdict blaming a bidder whose certificate
  // the operator revoked before it could release does not fold (review 4
  // R7). A tender's bundle alone cannot check that.
  const bool whole_log = std::any_of(events.begin(), events.end(),
                                     [](const v1::Event& e) { return e.tender_id().empty(); });
  if (LogState all; whole_log) {
    if (absl::Status st = FoldInto(events, &all); !st.ok())
      return absl::DataLossError(absl::StrCat("the whole log does not fold: ", st.message()));
  }
  CountVerdicts(events, &a);
  return a;
}

std::vector<std::string> OpeningAuditLines(const OpeningAudit& a) {
  std::vector<std::string> lines;
  if (a.signed_actions > 0)
    lines.push_back(absl::StrCat(
        a.signed_actions,
        " actions of agencies and bidders (creations, amendments, cancellations, starts, "
        "sign-ins, objections, answers, closes): each the request its actor signed with a "
        "certificate issued by the trusted CA and valid then"));
  if (a.reveals > 0)
    lines.push_back(absl::StrCat(
        a.reveals,
        " revealed bids: each statement signed by its bidder's certificate, issued by "
        "the trusted CA; each opens its bid's commitment and signs its sealed header"));
  if (a.releases > 0)
    lines.push_back(absl::StrCat(
        a.releases,
        " releases: each signed by its releaser's certificate, issued by the trusted CA, and "
        "citing a tree head signed by the log key that no later-appended event is timed before"));
  if (a.cited_heads > 0)
    lines.push_back(absl::StrCat(a.cited_heads,
                                 " heads cited by releases: each a head of this log, its root the "
                                 "log's root at the size it names"));
  if (a.verdicts > 0)
    lines.push_back(
        absl::StrCat(a.announced_values, " announced values of ", a.decrypted,
                     " bids tied to their sealed headers (values -> header -> signed statement -> "
                     "bid_submitted before the deadline); ",
                     a.verdicts - a.decrypted, " of ", a.verdicts, " verdicts not decrypted"));
  if (a.confirmations > 0)
    lines.push_back(absl::StrCat(
        a.confirmations,
        " confirmations of announcements: each signed by its revealed bidder's certificate, "
        "issued by the trusted CA and valid when it confirmed"));
  if (a.records > 0)
    lines.push_back(absl::StrCat(
        a.records,
        " opening records: each signed by the log key, its closing head one history with this "
        "bundle's, and equal byte for byte to the record recomputed from the log"));
  return lines;
}

}  // namespace bidopen::client
