// OpeningApp: reading a lot for the opener — the tender folded from the log
// and each release's stored bytes, checked against its event's
// material_sha256 — and what is lost: an accepted release whose bytes the
// server cannot produce holds the lot's verdicts until its releaser
// re-supplies it (docs/protocol.md "Lost releases").
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "core/opening/opening_rules.h"
#include "core/opening/revocation_rules.h"
#include "core/opening/tender_rules.h"
#include "core/opening/time_text.h"
#include "core/seal/header.h"
#include "core/status_macros.h"
#include "server/app/opening_app.h"
#include "server/app/opening_internal.h"
#include "server/store/log_state.h"
#include "server/store/revocation_rows.h"
#include "server/store/tx.h"

namespace bidopen::app {

using opening_internal::LotData;

namespace {

// What the log says each release of the lot hashes to, where the fold keeps
// it: each bid's accepted bidder release, each custodian's latest attempt.
std::map<uint64_t, std::string> LoggedHashes(const TenderState& state, int lot) {
  std::map<uint64_t, std::string> out;
  for (const auto& [seq, bid] : state.bids)
    if (bid.lot() == lot && bid.has_opening() && bid.opening().bidder_released())
      out[bid.opening().bidder_release_seq()] = bid.opening().bidder_release_sha256();
  for (const v1::CustodianRelease& c : state.tender.lots(lot - 1).opening().custodians())
    out[c.seq()] = c.material_sha256();
  return out;
}

}  // namespace

absl::StatusOr<LotData> OpeningApp::ReadLot(const std::string& tender_id, int lot) {
  BO_ASSIGN_OR_RETURN(store::Pool::Lease conn, pool_.Acquire());
  store::Tx snapshot(*conn);
  BO_RETURN_IF_ERROR(snapshot.BeginSnapshot());
  LotData data;
  BO_ASSIGN_OR_RETURN(data.state, store::FoldTenderFromLog(*conn, tender_id));
  BO_ASSIGN_OR_RETURN(const fold::Lot* found, FindLot(data.state.tender, lot));
  BO_ASSIGN_OR_RETURN(std::vector<store::ReleaseRow> rows,
                      store::LotReleases(*conn, tender_id, lot));
  BO_RETURN_IF_ERROR(store::FoldRevocationsFromLog(*conn, 0, &data.revoked).status());
  BO_RETURN_IF_ERROR(snapshot.Commit());
  // A seq may have several rows (migration 0011: one written ahead by someone
  // else, or a re-supplied copy next to an altered one): the one that opens
  // and hashes to its event's material_sha256 where the log says it, else
  // the first that opens, else the first.
  const std::map<uint64_t, std::string> hashes = LoggedHashes(data.state, lot);
  std::map<uint64_t, store::ReleaseRow> chosen;
  for (store::ReleaseRow& r : rows) {
    absl::StatusOr<std::string> bytes = key_.Open(opening::kReleaseLabel, r.seq, r.sealed);
    auto want = hashes.find(r.seq);
    auto right = [&](const std::string& b) {
      return want == hashes.end() || ReleasedHash(b) == want->second;
    };
    auto have = data.material.find(r.seq);
    const bool better =
        bytes.ok() && (have == data.material.end() || (right(*bytes) && !right(have->second)));
    if (better) data.material[r.seq] = *std::move(bytes);
    if (better || !chosen.contains(r.seq)) chosen[r.seq] = std::move(r);
  }
  for (auto& [seq, r] : chosen) data.releases.push_back(std::move(r));
  data.lot = found;
  return data;
}

// The releases the log proves were made (the fold's: the bidder's accepted
// one, each custodian's accepted one or last attempt), with the bytes stored
// for each. A release whose row is missing or does not hash to its event's
// material_sha256 is not used: an accepted one is lost (the lot's verdicts
// wait for it, MissingReleases), a custodian's failed attempt is named as the
// wrong key the log says it was (in->lost_attempts).
seal::Releases OpeningApp::LoggedReleases(const LotData& data, const fold::Bid& bid,
                                          VerdictInput* in) const {
  seal::Releases out;
  auto bytes = [&](uint64_t seq, const std::string& sha256) -> const std::string* {
    auto it = data.material.find(seq);
    if (it != data.material.end() && ReleasedHash(it->second) == sha256) return &it->second;
    return nullptr;
  };
  const fold::Lot& lot = data.state.tender.lots(bid.lot() - 1);
  const v1::BidOpening& o = bid.opening();
  if (o.bidder_released())
    if (const std::string* b = bytes(o.bidder_release_seq(), o.bidder_release_sha256()))
      out.bidder_secret = crypto::Secret(*b);
  for (const v1::CustodianRelease& c : lot.opening().custodians()) {
    const std::string* b = bytes(c.seq(), c.material_sha256());
    if (b == nullptr && !c.accepted())
      in->lost_attempts.push_back({.seq = c.seq(), .share_x = c.share_x()});
    if (b == nullptr) continue;
    out.custodians.push_back({.share_x = c.share_x(),
                              .fingerprint = c.fingerprint(),
                              .private_key = crypto::Secret(*b)});
  }
  return out;
}

std::vector<v1::MissingRelease> opening_internal::MissingReleases(const LotData& data) {
  std::vector<v1::MissingRelease> out;
  auto check = [&](uint64_t seq, const std::string& sha256, v1::ReleaseKind kind, uint64_t bid,
                   uint32_t share_x, const std::string& releaser) {
    auto it = data.material.find(seq);
    if (it != data.material.end() && ReleasedHash(it->second) == sha256) return;
    v1::MissingRelease& m = out.emplace_back();
    m.set_seq(seq);
    m.set_kind(kind);
    m.set_bid(bid);
    m.set_share_x(share_x);
    m.set_releaser(releaser);
  };
  const int lot = data.lot->number();
  for (const auto& [seq, bid] : data.state.bids)
    if (bid.lot() == lot && bid.has_opening() && bid.opening().bidder_released())
      check(bid.opening().bidder_release_seq(), bid.opening().bidder_release_sha256(),
            v1::RELEASE_KIND_BIDDER, seq, 0, bid.opening().bidder().fingerprint());
  for (const v1::CustodianRelease& c : data.lot->opening().custodians())
    if (c.accepted())
      check(c.seq(), c.material_sha256(), v1::RELEASE_KIND_CUSTODIAN, 0, c.share_x(),
            c.fingerprint());
  std::sort(out.begin(), out.end(), [](const v1::MissingRelease& a, const v1::MissingRelease& b) {
    return a.seq() < b.seq();
  });
  return out;
}

void OpeningApp::NoteChanged(const std::string& tender_id, int lot,
                             const std::vector<uint64_t>& changed) {
  absl::MutexLock lock(&missing_mu_);
  if (changed.empty()) {
    changed_.erase({tender_id, lot});
  } else {
    changed_[{tender_id, lot}] = changed;
  }
}

void OpeningApp::NoteMissing(const std::string& tender_id, int lot,
                             const std::vector<v1::MissingRelease>& missing) {
  absl::MutexLock lock(&missing_mu_);
  if (missing.empty()) {
    missing_.erase({tender_id, lot});
  } else {
    missing_[{tender_id, lot}] = missing;
  }
}

absl::StatusOr<seal::Judgement> OpeningApp::Judge(const LotData& data, const fold::Bid& bid,
                                                  VerdictInput* in) const {
  BO_ASSIGN_OR_RETURN(v1::SealedHeader header, seal::DecodeHeader(bid.header()));
  const auto& keys = data.state.tender.lots(bid.lot() - 1).spec().custodian_keys();
  return seal::JudgeReleases(header, {keys.begin(), keys.end()}, LoggedReleases(data, bid, in));
}

std::optional<v1::Revocation> opening_internal::RevokedBidder(const LotData& data,
                                                              const fold::Bid& bid) {
  const v1::LotSpec& spec = data.state.tender.lots(bid.lot() - 1).spec();
  if (spec.policy() != v1::OPENING_POLICY_BIDDER && spec.policy() != v1::OPENING_POLICY_BOTH)
    return std::nullopt;
  auto r = data.revoked.find(bid.opening().bidder().fingerprint());
  if (r == data.revoked.end() ||
      !RevokedBeforeRelease(r->second, data.state.tender.lots(bid.lot() - 1),
                            bid.opening().bidder_release_seq()))
    return std::nullopt;
  return r->second;
}

}  // namespace bidopen::app
