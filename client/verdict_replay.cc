#include "client/verdict_replay.h"

#include <algorithm>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/opening_text.h"
#include "core/opening/verdict_rules.h"
#include "core/seal/bid_plaintext.h"
#include "core/seal/context.h"
#include "core/seal/format.h"
#include "core/seal/release_check.h"
#include "core/seal/stream_reader.h"
#include "core/status_macros.h"

namespace bidopen::client {
namespace {

std::vector<v1::ReleasedMaterial> BySeq(const v1::EvidenceHead& head) {
  std::vector<v1::ReleasedMaterial> out(head.releases().begin(), head.releases().end());
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.seq() < b.seq(); });
  return out;
}

// The bidder's releases that match its commitment (the last one is used: a
// release that did not match was a failed attempt) and every custodian's.
seal::Releases ReleasesOf(const v1::SealedHeader& h, const v1::EvidenceHead& head,
                          std::string* used) {
  seal::Releases r;
  int bidder = 0;
  for (const v1::ReleasedMaterial& m : BySeq(head)) {
    if (m.kind() == v1::RELEASE_KIND_CUSTODIAN) {
      r.custodians.push_back({m.share_x(), m.fingerprint(), crypto::Secret(m.material())});
      continue;
    }
    if (m.kind() != v1::RELEASE_KIND_BIDDER) continue;
    ++bidder;
    if (!seal::CheckBidderSecret(h, m.material()).ok()) continue;
    r.bidder_secret = crypto::Secret(m.material());
    *used = absl::StrCat("the bidder's release at log #", m.seq());
  }
  if (!r.bidder_secret)
    *used = bidder == 0 ? "the bidder released nothing"
                        : absl::StrCat("none of the bidder's ", bidder,
                                       " release(s) matches its commitment");
  return r;
}

// Reads the whole file with the recovered secret, against the lot's form.
DecryptOutcome Decrypt(seal::SealReader& reader, const crypto::Secret& s, const v1::LotSpec& spec) {
  DecryptOutcome d;
  d.tried = true;
  auto opened = seal::ReadBid(reader, s.view(), nullptr, &spec);
  if (!opened.ok()) {
    d.reason = std::string(opened.status().message());
    return d;
  }
  d.opened = true;
  d.values.assign(opened->values().begin(), opened->values().end());
  auto rv = seal::DeriveKey(s.view(), seal::kValuesKeyLabel, seal::ContextHash(reader.header()));
  if (rv.ok()) d.values_key = rv->bytes();
  return d;
}

std::string ValuesText(const google::protobuf::RepeatedPtrField<v1::FormValue>& values) {
  std::vector<std::string> parts;
  for (const auto& v : values) parts.push_back(absl::StrCat(v.name(), "=", v.value()));
  return parts.empty() ? "(none)" : absl::StrJoin(parts, ", ");
}

}  // namespace

absl::StatusOr<ReplayedVerdict> ReplayVerdict(const SavedEvidence& e, const v1::Lot& lot) {
  std::ifstream in(e.file, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", e.file));
  auto reader = seal::SealReader::Open(in);
  if (!reader.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(e.file, " (as the server stores bid #", e.head.bid(),
                     ") is not a sealed bid: ", reader.status().message()));
  ReplayedVerdict out;
  out.file_matches = e.file_sha256 == e.head.ciphertext_sha256();
  const seal::Releases releases = ReleasesOf(reader->header(), e.head, &out.bidder_release);
  const std::vector<std::string> lot_keys(lot.spec().custodian_keys().begin(),
                                          lot.spec().custodian_keys().end());
  VerdictInput input;
  input.lot = lot.number();
  input.bid = e.head.bid();
  BO_ASSIGN_OR_RETURN(input.judgement, seal::JudgeReleases(reader->header(), lot_keys, releases));
  if (input.judgement.verdict == seal::Verdict::kOk) {
    input.decrypt = Decrypt(*reader, input.judgement.secret, lot.spec());
    if (!input.decrypt.opened) input.stored_file_matches = out.file_matches;
  }
  out.verdict = DecideVerdict(input);
  return out;
}

std::vector<std::string> VerdictDifferences(const v1::BidVerdict& v, const v1::BidEntry& logged) {
  std::vector<std::string> diffs;
  const v1::BidOpening& o = logged.opening();
  if (v.status() != logged.status())
    diffs.push_back(absl::StrCat("status: re-run ", OpeningBidStatusName(v.status()), ", log ",
                                 OpeningBidStatusName(logged.status())));
  if (v.fault() != o.fault())
    diffs.push_back(
        absl::StrCat("fault: re-run ", FaultName(v.fault()), ", log ", FaultName(o.fault())));
  if (v.consequence() != o.consequence())
    diffs.push_back(absl::StrCat("consequence: re-run ", ConsequenceName(v.consequence()), ", log ",
                                 ConsequenceName(o.consequence())));
  if (ValuesText(v.values()) != ValuesText(o.values()))
    diffs.push_back(
        absl::StrCat("values: re-run ", ValuesText(v.values()), "; log ", ValuesText(o.values())));
  return diffs;
}

}  // namespace bidopen::client
