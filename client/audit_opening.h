// What `bidctl audit verify` checks of openings in a bundle, beyond the log's
// proofs: every BidRevealed statement is signed by the revealed certificate,
// issued by the trusted CA (CheckRevealSignature); and the fold — which checks
// each reveal against its bid's commitment, statement and header, and each
// announced value against the sealed header the bidder signed before the
// deadline (core/opening/reveal_check.h) — runs over every tender. And the
// events the server appends by itself (reveals, decryption attempts, verdicts,
// the end of decryption, an auto-start) name the log certificate's party as
// their actor (CheckServerActors): the fold checks their content, not who
// appended them.
#ifndef BIDOPEN_CLIENT_AUDIT_OPENING_H_
#define BIDOPEN_CLIENT_AUDIT_OPENING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bidopen/v1/events.pb.h"

namespace bidopen::client {

// Every KeyReleased is signed by its releaser's certificate (issued by
// `ca_pem`, the actor's fingerprint) and cites a head signed by the log key of
// `log_cert_pem`, and no event at or past that head's size (before the
// release) is timed before it. DATA_LOSS naming the seq otherwise.
absl::Status CheckReleases(const std::vector<v1::Event>& events, const std::string& ca_pem,
                           const std::string& log_cert_pem, int* checked = nullptr);

struct OpeningAudit {
  int reveals = 0;   // BidRevealed events, each signature checked
  int releases = 0;  // KeyReleased events, each releaser's signature checked
  int tenders_folded = 0;
  int verdicts = 0;          // BidVerdict events
  int decrypted = 0;         // of them DECRYPTED
  int announced_values = 0;  // values of the DECRYPTED ones
  int confirmations = 0;     // AnnouncementConfirmed events, each signature checked
  int records = 0;           // signed opening records, recomputed (record_check.h)
  int signed_actions = 0;    // persons' signed requests, each checked (audit_actions.h)
  int cited_heads = 0;       // releases whose cited head is the log's (cited_heads.h)
};

// DATA_LOSS naming the seq, kind and actor of a server's event whose actor is
// not the party of `log_cert_pem` (the bundle's verified log certificate).
absl::Status CheckServerActors(const std::vector<v1::Event>& events,
                               const std::string& log_cert_pem);

// DATA_LOSS naming the event whose actor is not the server (CheckServerActors),
// the bid whose reveal is not signed as it says, or the event at which a
// tender's fold fails.
absl::StatusOr<OpeningAudit> AuditOpenings(const std::vector<v1::Event>& events,
                                           const std::string& ca_pem,
                                           const std::string& log_cert_pem);

// The lines `audit verify` prints for it (none if the bundle has no opening).
std::vector<std::string> OpeningAuditLines(const OpeningAudit& a);

}  // namespace bidopen::client

#endif  // BIDOPEN_CLIENT_AUDIT_OPENING_H_
