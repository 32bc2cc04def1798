// The fold's state (design.md §2): a tender with its lots, and its bids by seq.
// Its own type, not an API message; core/opening/tender_view.h makes the API's
// v1.Tender from it.
#ifndef BIDOPEN_CORE_OPENING_STATE_H_
#define BIDOPEN_CORE_OPENING_STATE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bidopen/fold/state.pb.h"
#include "bidopen/v1/identity.pb.h"

namespace bidopen {

struct TenderState {
  fold::Tender tender;  // empty id before TenderCreated
  // By seq. An auditor's replay holds every bid; the server loads only those
  // the next event names (BidsNamed), so an append never reads them all.
  std::map<uint64_t, fold::Bid> bids;
  // SHA-256 of every signed statement the tender's bid events used -> the seq
  // of that event. A replay holds all; the server loads the next event's
  // (StatementsNamed). A statement is used once.
  std::map<std::string, uint64_t> statements;
};

// What one applied event changed: the server writes back just these rows.
struct Changes {
  bool tender = false;                  // the tender row (its head and lots)
  std::vector<uint64_t> bids;           // seqs of bid rows
  std::vector<std::string> statements;  // statement hashes newly used
  std::vector<std::string> keys;        // key registry entries, by fingerprint
  std::vector<std::string> revoked;     // revoked certificates, by fingerprint
};

// Registered key-wrapping keys by certificate fingerprint; the latest wins.
using KeyRegistry = std::map<std::string, v1::RegisteredKey>;

// Revoked client certificates by fingerprint (CertificateRevoked events).
using Revocations = std::map<std::string, v1::Revocation>;

}  // namespace bidopen

#endif  // BIDOPEN_CORE_OPENING_STATE_H_
