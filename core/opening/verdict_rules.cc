#include "core/opening/verdict_rules.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/opening/revocation_rules.h"

namespace bidopen {
namespace {

void Fail(v1::BidVerdict* v, v1::Fault fault, std::string reason) {
  v->set_status(v1::BID_STATUS_DECRYPT_FAILED);
  v->set_fault(fault);
  v->set_consequence(fault == v1::FAULT_BIDDER ? v1::CONSEQUENCE_REVOKED
                                               : v1::CONSEQUENCE_WITHDRAWN);
  v->set_reason(std::move(reason));
}

void Opened(const VerdictInput& in, v1::BidVerdict* v) {
  const DecryptOutcome& d = in.decrypt;
  if (in.matched_at_start == false && !in.restored) {
    v->set_stored_sha256(in.stored_sha256_at_start);
    return Fail(v, v1::FAULT_PLATFORM,
                "the stored file is not the one the bidder signed: when the opening started, "
                "before anything could be released, its SHA-256 differed from the "
                "statement's. Its bidder could have put the signed file back during the "
                "decryption window (bidctl opening resupply) and did not; nothing proves the "
                "server's claim wrong, so the fault stays the platform's");
  }
  if (d.tried && d.opened) {
    v->set_status(v1::BID_STATUS_DECRYPTED);
    v->set_fault(v1::FAULT_NONE);
    v->set_consequence(v1::CONSEQUENCE_NONE);
    v->set_reason(in.judgement.message);
    for (const v1::FormValue& value : d.values) *v->add_values() = value;
    v->set_values_key(d.values_key);
    return;
  }
  if (!d.tried)
    return Fail(v, v1::FAULT_PLATFORM,
                "the releases recover the bid secret, but the server never read the file");
  v->set_stored_sha256(in.stored_sha256);
  if (!in.stored_file_matches.value_or(false))
    return Fail(v, v1::FAULT_PLATFORM,
                absl::StrCat(in.stored_file_matches.has_value()
                                 ? "the stored file is not the one the bidder signed (its "
                                   "SHA-256 differs from the statement's); "
                                 : "the server could not show the stored file is the one the "
                                   "bidder signed; ",
                             d.reason));
  Fail(v, v1::FAULT_BIDDER,
       absl::StrCat("every release checks out and the file is the one the bidder signed, "
                    "but it does not open as sealed: ",
                    d.reason));
}

// The custodians named as not released or with a wrong key, as the log says:
// a custodian whose failed attempt's bytes are missing released a wrong key.
void NameCustodians(const VerdictInput& in, v1::BidVerdict* v) {
  std::set<uint32_t> not_released(in.judgement.not_released.begin(),
                                  in.judgement.not_released.end());
  std::set<uint32_t> wrong_key(in.judgement.wrong_key.begin(), in.judgement.wrong_key.end());
  for (const VerdictInput::LostAttempt& lost : in.lost_attempts) {
    not_released.erase(lost.share_x);
    wrong_key.insert(lost.share_x);
  }
  for (uint32_t x : not_released) v->add_not_released(x);
  for (uint32_t x : wrong_key) v->add_wrong_key(x);
}

std::string Seqs(const std::vector<VerdictInput::LostAttempt>& lost) {
  std::vector<uint64_t> seqs;
  for (const VerdictInput::LostAttempt& r : lost) seqs.push_back(r.seq);
  return absl::StrJoin(seqs, ", ");
}

}  // namespace

v1::BidVerdict DecideVerdict(const VerdictInput& in) {
  v1::BidVerdict v;
  v.set_lot(in.lot);
  v.set_bid(in.bid);
  const seal::Judgement& j = in.judgement;
  NameCustodians(in, &v);
  for (uint32_t x : j.bad_shares) v.add_bad_shares(x);
  switch (j.verdict) {
    case seal::Verdict::kOk:
      Opened(in, &v);
      break;
    case seal::Verdict::kBidderFault:
      if (in.bidder_revoked && j.bad_shares.empty()) {
        Fail(&v, v1::FAULT_PLATFORM,
             absl::StrCat("not the bidder's fault: ", RevocationText(*in.bidder_revoked, in.zone),
                          ", after the lot's submission deadline and before any release of the "
                          "bidder was accepted, so it could not release (",
                          j.message, ")"));
        v.set_revoked_seq(in.bidder_revoked->revoked().seq());
        break;
      }
      Fail(&v, v1::FAULT_BIDDER, j.message);
      break;
    case seal::Verdict::kCustodianFault:
      Fail(&v, v1::FAULT_CUSTODIANS, j.message);
      break;
  }
  if (!in.lost_attempts.empty())
    v.set_reason(
        absl::StrCat(v.reason(), " (the server cannot produce the bytes of failed attempt(s) ",
                     Seqs(in.lost_attempts), " that the log shows; a wrong key opens no share)"));
  return v;
}

bool StoredFileChanged(const VerdictInput& in) {
  return in.judgement.verdict == seal::Verdict::kOk && in.decrypt.tried && !in.decrypt.opened &&
         (in.matched_at_start == true || in.restored) && in.stored_file_matches != true;
}

seal::Releases SelectReleases(uint64_t bid, const std::vector<ReleasedBytes>& all) {
  seal::Releases out;
  std::map<uint32_t, const ReleasedBytes*> custodian;
  for (const ReleasedBytes& r : all) {
    if (r.kind == v1::RELEASE_KIND_BIDDER && r.bid == bid && r.accepted)
      out.bidder_secret = crypto::Secret(r.material);
    if (r.kind != v1::RELEASE_KIND_CUSTODIAN) continue;
    const ReleasedBytes*& chosen = custodian[r.share_x];
    if (chosen == nullptr || !chosen->accepted) chosen = &r;
  }
  for (const auto& [x, r] : custodian)
    out.custodians.push_back(
        {.share_x = x, .fingerprint = r->fingerprint, .private_key = crypto::Secret(r->material)});
  return out;
}

absl::string_view FaultName(v1::Fault fault) {
  switch (fault) {
    case v1::FAULT_NONE:
      return "none";
    case v1::FAULT_BIDDER:
      return "the bidder";
    case v1::FAULT_CUSTODIANS:
      return "the custodians";
    case v1::FAULT_PLATFORM:
      return "the platform";
    default:
      return "unknown";
  }
}

absl::string_view ConsequenceName(v1::Consequence c) {
  switch (c) {
    case v1::CONSEQUENCE_NONE:
      return "opened";
    case v1::CONSEQUENCE_REVOKED:
      return "treated as revoked (视为撤销)";
    case v1::CONSEQUENCE_WITHDRAWN:
      return "treated as withdrawn (视为撤回)";
    default:
      return "unknown";
  }
}

}  // namespace bidopen
